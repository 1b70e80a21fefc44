import type { Me } from '../api/types';
import { useI18n } from '../i18n/I18nContext';
import { Card } from '../ui/Card';
import { PageHeading } from '../ui/PageHeading';
import styles from './RoomView.module.css';

// The personal room (S1, S2): the person's own page. Its cards are filled by
// later features (meetings, documents, notifications); for now they say
// that there is nothing yet.
export function RoomView(props: { me: Me }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { me } = props;
  const roles = me.roles.map((role) => i18n.td(`role.${role}`) ?? role).join(', ');
  return (
    <>
      <div class={styles.intro}>
        <PageHeading>{t('room.title')}</PageHeading>
        <p class={styles.greeting}>{t('room.greeting', { name: me.name })}</p>
        <dl class={styles.profile}>
          {me.position ? (
            <div>
              <dt>{t('profile.position')}</dt>
              <dd>{me.position}</dd>
            </div>
          ) : null}
          {me.department ? (
            <div>
              <dt>{t('profile.department')}</dt>
              <dd>{me.department.name}</dd>
            </div>
          ) : null}
          <div>
            <dt>{t('profile.code')}</dt>
            <dd>
              <code class={styles.code}>{me.code}</code>
            </dd>
          </div>
          {roles ? (
            <div>
              <dt>{t('profile.roles')}</dt>
              <dd>{roles}</dd>
            </div>
          ) : null}
        </dl>
      </div>
      <div class={styles.cards}>
        <Card title={t('room.meetings.title')}>
          <p class={styles.empty}>{t('room.meetings.empty')}</p>
        </Card>
        <Card title={t('room.documents.title')}>
          <p class={styles.empty}>{t('room.documents.empty')}</p>
        </Card>
        <Card title={t('room.notifications.title')}>
          <p class={styles.empty}>{t('room.notifications.empty')}</p>
        </Card>
      </div>
    </>
  );
}
