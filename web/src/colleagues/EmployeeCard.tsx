import type { Employee } from '../api/types';
import { useI18n } from '../i18n/I18nContext';
import styles from './ColleaguesView.module.css';

export function EmployeeCard(props: { employee: Employee }) {
  const { t } = useI18n();
  const { employee } = props;
  return (
    <article class={styles.card}>
      <h3 class={styles.name}>{employee.name}</h3>
      {employee.position ? <p class={styles.position}>{employee.position}</p> : null}
      <dl class={styles.facts}>
        <div>
          <dt>{t('profile.department')}</dt>
          <dd>{employee.department ? employee.department.name : t('colleagues.no_department')}</dd>
        </div>
        <div>
          <dt>{t('profile.code')}</dt>
          <dd>
            <code class={styles.code}>{employee.code}</code>
          </dd>
        </div>
        {employee.email ? (
          <div>
            <dt>{t('profile.email')}</dt>
            <dd>
              <a href={`mailto:${employee.email}`}>{employee.email}</a>
            </dd>
          </div>
        ) : null}
      </dl>
    </article>
  );
}
