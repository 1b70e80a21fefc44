import { useI18n } from '../i18n/I18nContext';
import { tidyTotpCode } from '../state/totp_code';
import { Button, SubmitButton } from '../ui/Button';
import { Form } from '../ui/Form';
import { TextField } from '../ui/TextField';
import { TotpCodeField } from '../ui/TotpCodeField';
import type { FormFields } from '../ui/use_form_fields';
import type { SignInErrors, SignInField } from './SignInView';
import styles from './SignInView.module.css';

// Step two of signing in, when the account has two-step verification: the
// 6-digit code from the authenticator app, or one of the recovery codes.
export function SecondFactorForm(props: {
  fields: FormFields<SignInField>;
  useRecovery: boolean;
  busy: boolean;
  locked: boolean;
  onInvalid: (errors: SignInErrors) => void;
  onToggleRecovery: () => void;
  onBack: () => void;
  onSubmit: (second: { totp?: string; recovery_code?: string }) => void;
}) {
  const { t } = useI18n();
  const { fields } = props;
  return (
    <Form
      class={styles.form}
      labelledBy="second-factor-title"
      busy={props.busy}
      onSubmit={() => {
        if (props.useRecovery) {
          const recovery = fields.values.recovery.trim();
          if (recovery === '') props.onInvalid({ recovery: t('signin.error.recovery_required') });
          else props.onSubmit({ recovery_code: recovery });
        } else {
          const totp = tidyTotpCode(fields.values.totp);
          if (!totp) props.onInvalid({ totp: t('signin.error.totp_format') });
          else props.onSubmit({ totp });
        }
      }}
    >
      <h2 id="second-factor-title">{t('signin.second.title')}</h2>
      {props.useRecovery ? (
        <>
          <p>{t('signin.second.recovery_lead')}</p>
          {/* Keyed: a reused <input> would keep the TOTP field's maxlength
              (Preact clears it to "", which the browser reads as 0). */}
          <TextField
            key="recovery"
            id="signin-recovery"
            label={t('signin.recovery.label')}
            {...fields.field('recovery')}
            autocomplete="off"
            autocapitalize="none"
            spellcheck={false}
            monospace
            required
          />
        </>
      ) : (
        <>
          <p>{t('signin.second.totp_lead')}</p>
          <TotpCodeField key="totp" id="signin-totp" label={t('signin.totp.label')} {...fields.field('totp')} />
        </>
      )}
      <SubmitButton extraClass={styles.submit} blocked={props.busy || props.locked}>
        {t('signin.second.submit')}
      </SubmitButton>
      <div class={styles.secondaryActions}>
        <Button variant="quiet" onClick={props.onToggleRecovery}>
          {props.useRecovery ? t('signin.second.use_totp') : t('signin.second.use_recovery')}
        </Button>
        <Button variant="quiet" onClick={props.onBack}>
          {t('signin.second.back')}
        </Button>
      </div>
    </Form>
  );
}
