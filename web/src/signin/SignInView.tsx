import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/problem';
import { PanelLayout } from '../app/PanelLayout';
import { useServices } from '../app/services';
import { useI18n } from '../i18n/I18nContext';
import { formatPersonalCode } from '../state/personal_code';
import type { SessionNotice } from '../state/session_model';
import { Alert } from '../ui/Alert';
import { problemText } from '../ui/problem_text';
import { useFormFields, type FieldErrors } from '../ui/use_form_fields';
import { CredentialsForm } from './CredentialsForm';
import { SecondFactorForm } from './SecondFactorForm';

const kFields = ['code', 'password', 'totp', 'recovery'] as const;
export type SignInField = (typeof kFields)[number];
export type SignInErrors = FieldErrors<SignInField>;

// Sign-in: personal code and password, then (when the server answers
// totp-required) the 6-digit code from the authenticator app or a recovery
// code. The password is kept in memory between the two steps only.
export function SignInView(props: { notice: SessionNotice }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { session } = useServices();
  const [step, setStep] = useState<'credentials' | 'second-factor'>('credentials');
  const fields = useFormFields(kFields);
  const [useRecovery, setUseRecovery] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [showNotice, setShowNotice] = useState(true);
  const [busy, setBusy] = useState(false);
  const [lockedUntil, setLockedUntil] = useState<number | null>(null);

  // The lock of a 429 lifts by itself when the wait is over.
  useEffect(() => {
    if (lockedUntil === null) return;
    const timer = setTimeout(() => setLockedUntil(null), Math.max(0, lockedUntil - Date.now()));
    return () => clearTimeout(timer);
  }, [lockedUntil]);

  const fail = (next: SignInErrors, message: string | null = null) => {
    fields.showErrors(next);
    setFormError(message);
  };

  const handleError = (error: unknown) => {
    if (!(error instanceof ApiError)) {
      fail({}, t('error.unexpected'));
      return;
    }
    const detail = problemText(i18n, error);
    switch (error.slug) {
      case 'invalid-personal-code':
      case 'personal-code-typo':
        setStep('credentials');
        fail({ code: detail });
        break;
      case 'totp-required':
        fail({});
        setStep('second-factor');
        fields.focus(useRecovery ? 'recovery' : 'totp');
        break;
      case 'invalid-totp':
        fail(useRecovery ? { recovery: detail } : { totp: detail });
        break;
      case 'invalid-credentials':
        setStep('credentials');
        fields.clear('password');
        fail({}, detail);
        fields.focus('password');
        break;
      case 'too-many-attempts': {
        const wait = error.retryAfter ?? 60;
        setLockedUntil(Date.now() + wait * 1000);
        fail({}, `${detail} ${t('signin.retry_after', { time: i18n.wait(wait) })}`);
        break;
      }
      default:
        fail({}, detail);
    }
  };

  const submit = async (request: { totp?: string; recovery_code?: string }) => {
    if (busy) return;
    if (lockedUntil !== null && lockedUntil > Date.now()) {
      const seconds = (lockedUntil - Date.now()) / 1000;
      fail({}, t('signin.locked', { time: i18n.wait(seconds) }));
      return;
    }
    setBusy(true);
    setShowNotice(false);
    try {
      const { code, password } = fields.values;
      await session.signIn({ code: formatPersonalCode(code), password, ...request });
    } catch (error) {
      handleError(error);
    } finally {
      setBusy(false);
    }
  };

  const notice = showNotice && props.notice ? props.notice : null;
  return (
    <PanelLayout title={t('signin.title')} lead={step === 'credentials' ? t('signin.lead') : undefined}>
      {notice === 'session-expired' ? <Alert tone="info">{t('signin.notice.expired')}</Alert> : null}
      {notice === 'signed-out' ? <Alert tone="success">{t('signin.notice.signed_out')}</Alert> : null}
      {formError ? <Alert tone="error">{formError}</Alert> : null}
      {step === 'credentials' ? (
        <CredentialsForm
          fields={fields}
          busy={busy}
          locked={lockedUntil !== null}
          onInvalid={fail}
          onSubmit={() => void submit({})}
        />
      ) : (
        <SecondFactorForm
          fields={fields}
          useRecovery={useRecovery}
          busy={busy}
          locked={lockedUntil !== null}
          onInvalid={fail}
          onToggleRecovery={() => {
            const next = !useRecovery;
            setUseRecovery(next);
            fields.showErrors({});
            fields.focus(next ? 'recovery' : 'totp');
          }}
          onBack={() => {
            setStep('credentials');
            fields.clear('password', 'totp', 'recovery');
            fail({});
            fields.focus('password');
          }}
          onSubmit={(second) => void submit(second)}
        />
      )}
    </PanelLayout>
  );
}
