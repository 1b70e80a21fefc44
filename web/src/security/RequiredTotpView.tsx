import { PlainLayout } from '../app/PlainLayout';
import { useServices } from '../app/services';
import { useI18n } from '../i18n/I18nContext';
import { PageHeading } from '../ui/PageHeading';
import styles from './Security.module.css';
import { TotpEnrolment } from './TotpEnrolment';

// The only view while the server says must_enroll_totp (administrators and
// security officers must have a second factor).
export function RequiredTotpView() {
  const { t } = useI18n();
  const { session } = useServices();
  return (
    <PlainLayout onSignOut={() => void session.signOut()}>
      <div class={styles.panel}>
        <PageHeading>{t('totp.required.title')}</PageHeading>
        <p class={styles.lead}>{t('totp.required.lead')}</p>
        <TotpEnrolment headingLevel={2} onDone={() => session.refresh()} />
      </div>
    </PlainLayout>
  );
}
