import type { Ref } from 'preact';
import { useI18n } from '../i18n/I18nContext';
import { Button } from '../ui/Button';
import { TextField } from '../ui/TextField';
import type { SignInErrors } from './SignInView';
import styles from './SignInView.module.css';

// Step two of signing in, when the account has two-step verification: the
// 6-digit code from the authenticator app, or one of the recovery codes.
export function SecondFactorForm(props: {
  useRecovery: boolean;
  totp: string;
  recovery: string;
  errors: SignInErrors;
  busy: boolean;
  locked: boolean;
  totpRef: Ref<HTMLInputElement>;
  recoveryRef: Ref<HTMLInputElement>;
  onTotp: (value: string) => void;
  onRecovery: (value: string) => void;
  onInvalid: (errors: SignInErrors) => void;
  onToggleRecovery: () => void;
  onBack: () => void;
  onSubmit: (second: { totp?: string; recovery_code?: string }) => void;
}) {
  const { t } = useI18n();
  return (
    <form
      class={styles.form}
      noValidate
      aria-labelledby="second-factor-title"
      aria-busy={props.busy ? 'true' : undefined}
      onSubmit={(event) => {
        event.preventDefault();
        if (props.useRecovery) {
          const recovery = props.recovery.trim();
          if (recovery === '') props.onInvalid({ recovery: t('signin.error.recovery_required') });
          else props.onSubmit({ recovery_code: recovery });
        } else {
          const totp = props.totp.replace(/\s+/g, '');
          if (!/^\d{6}$/.test(totp)) props.onInvalid({ totp: t('signin.error.totp_format') });
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
            value={props.recovery}
            onValue={props.onRecovery}
            error={props.errors.recovery}
            inputRef={props.recoveryRef}
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
          <TextField
            key="totp"
            id="signin-totp"
            label={t('signin.totp.label')}
            value={props.totp}
            onValue={props.onTotp}
            error={props.errors.totp}
            inputRef={props.totpRef}
            inputMode="numeric"
            autocomplete="one-time-code"
            maxLength={7}
            monospace
            required
          />
        </>
      )}
      <Button type="submit" extraClass={styles.submit} aria-disabled={props.busy || props.locked ? 'true' : undefined}>
        {t('signin.second.submit')}
      </Button>
      <div class={styles.secondaryActions}>
        <Button variant="quiet" onClick={props.onToggleRecovery}>
          {props.useRecovery ? t('signin.second.use_totp') : t('signin.second.use_recovery')}
        </Button>
        <Button variant="quiet" onClick={props.onBack}>
          {t('signin.second.back')}
        </Button>
      </div>
    </form>
  );
}
