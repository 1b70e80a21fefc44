import { PanelLayout } from '../app/PanelLayout';
import { useServices } from '../app/services';
import { useI18n } from '../i18n/I18nContext';
import { ChangePasswordForm } from './ChangePasswordForm';

// The only view while the server says must_change_password: the person
// signed in with the one-time password an administrator gave them.
export function RequiredPasswordView() {
  const { t } = useI18n();
  const { session } = useServices();
  return (
    <PanelLayout
      title={t('password.required.title')}
      lead={t('password.required.lead')}
      onSignOut={() => void session.signOut()}
    >
      <ChangePasswordForm oneTime onDone={() => session.refresh()} />
    </PanelLayout>
  );
}
