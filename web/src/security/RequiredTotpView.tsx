import { PanelLayout } from '../app/PanelLayout';
import { useServices } from '../app/services';
import { useI18n } from '../i18n/I18nContext';
import { TotpEnrolment } from './TotpEnrolment';

// The only view while the server says must_enroll_totp (administrators and
// security officers must have a second factor).
export function RequiredTotpView() {
  const { t } = useI18n();
  const { session } = useServices();
  return (
    <PanelLayout title={t('totp.required.title')} lead={t('totp.required.lead')} onSignOut={() => void session.signOut()}>
      <TotpEnrolment headingLevel={2} onDone={() => session.refresh()} />
    </PanelLayout>
  );
}
