import { PlainLayout } from '../app/PlainLayout';
import { useServices } from '../app/services';
import { useI18n } from '../i18n/I18nContext';
import { PageHeading } from '../ui/PageHeading';
import { ChangePasswordForm } from './ChangePasswordForm';
import styles from './Security.module.css';

// The only view while the server says must_change_password: the person
// signed in with the one-time password an administrator gave them.
export function RequiredPasswordView() {
  const { t } = useI18n();
  const { session } = useServices();
  return (
    <PlainLayout onSignOut={() => void session.signOut()}>
      <div class={styles.panel}>
        <PageHeading>{t('password.required.title')}</PageHeading>
        <p class={styles.lead}>{t('password.required.lead')}</p>
        <ChangePasswordForm oneTime onDone={() => session.refresh()} />
      </div>
    </PlainLayout>
  );
}
