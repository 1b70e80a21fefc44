import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/problem';
import { PlainLayout } from '../app/PlainLayout';
import { useServices } from '../app/services';
import { useI18n } from '../i18n/I18nContext';
import { formatPersonalCode } from '../state/personal_code';
import type { SessionNotice } from '../state/session_model';
import { Alert } from '../ui/Alert';
import { PageHeading } from '../ui/PageHeading';
import { problemText } from '../ui/problem_text';
import { CredentialsForm } from './CredentialsForm';
import { SecondFactorForm } from './SecondFactorForm';
import styles from './SignInView.module.css';

export interface SignInErrors {
  code?: string;
  password?: string;
  totp?: string;
  recovery?: string;
}

export type SignInField = keyof SignInErrors;

// Sign-in: personal code and password, then (when the server answers
// totp-required) the 6-digit code from the authenticator app or a recovery
// code. The password is kept in memory between the two steps only.
export function SignInView(props: { notice: SessionNotice }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { session } = useServices();
  const [step, setStep] = useState<'credentials' | 'second-factor'>('credentials');
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [recovery, setRecovery] = useState('');
  const [useRecovery, setUseRecovery] = useState(false);
  const [errors, setErrors] = useState<SignInErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [showNotice, setShowNotice] = useState(true);
  const [busy, setBusy] = useState(false);
  const [lockedUntil, setLockedUntil] = useState<number | null>(null);
  const [focusTarget, setFocusTarget] = useState<{ field: SignInField } | null>(null);

  const fields = {
    code: useRef<HTMLInputElement>(null),
    password: useRef<HTMLInputElement>(null),
    totp: useRef<HTMLInputElement>(null),
    recovery: useRef<HTMLInputElement>(null),
  };

  // Focus moves after the render that shows the field (and its error).
  useEffect(() => {
    if (focusTarget) fields[focusTarget.field].current?.focus();
  }, [focusTarget]);

  // The lock of a 429 lifts by itself when the wait is over.
  useEffect(() => {
    if (lockedUntil === null) return;
    const timer = setTimeout(() => setLockedUntil(null), Math.max(0, lockedUntil - Date.now()));
    return () => clearTimeout(timer);
  }, [lockedUntil]);

  const focus = (field: SignInField) => setFocusTarget({ field });

  const fail = (next: SignInErrors, message: string | null = null) => {
    setErrors(next);
    setFormError(message);
    const first = (['code', 'password', 'totp', 'recovery'] as const).find((f) => next[f]);
    if (first) focus(first);
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
        setErrors({});
        setFormError(null);
        setStep('second-factor');
        focus(useRecovery ? 'recovery' : 'totp');
        break;
      case 'invalid-totp':
        fail(useRecovery ? { recovery: detail } : { totp: detail });
        break;
      case 'invalid-credentials':
        setStep('credentials');
        setPassword('');
        fail({}, detail);
        focus('password');
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
      await session.signIn({ code: formatPersonalCode(code), password, ...request });
    } catch (error) {
      handleError(error);
    } finally {
      setBusy(false);
    }
  };

  const notice = showNotice && props.notice ? props.notice : null;
  return (
    <PlainLayout>
      <div class={styles.panel}>
        <PageHeading>{t('signin.title')}</PageHeading>
        {step === 'credentials' ? <p class={styles.lead}>{t('signin.lead')}</p> : null}
        {notice === 'session-expired' ? <Alert tone="info">{t('signin.notice.expired')}</Alert> : null}
        {notice === 'signed-out' ? <Alert tone="success">{t('signin.notice.signed_out')}</Alert> : null}
        {formError ? <Alert tone="error">{formError}</Alert> : null}
        {step === 'credentials' ? (
          <CredentialsForm
            code={code}
            password={password}
            errors={errors}
            busy={busy}
            locked={lockedUntil !== null}
            codeRef={fields.code}
            passwordRef={fields.password}
            onCode={setCode}
            onPassword={setPassword}
            onInvalid={fail}
            onSubmit={() => void submit({})}
          />
        ) : (
          <SecondFactorForm
            useRecovery={useRecovery}
            totp={totp}
            recovery={recovery}
            errors={errors}
            busy={busy}
            locked={lockedUntil !== null}
            totpRef={fields.totp}
            recoveryRef={fields.recovery}
            onTotp={setTotp}
            onRecovery={setRecovery}
            onInvalid={fail}
            onToggleRecovery={() => {
              const next = !useRecovery;
              setUseRecovery(next);
              setErrors({});
              focus(next ? 'recovery' : 'totp');
            }}
            onBack={() => {
              setStep('credentials');
              setPassword('');
              setTotp('');
              setRecovery('');
              setErrors({});
              setFormError(null);
              focus('password');
            }}
            onSubmit={(second) => void submit(second)}
          />
        )}
      </div>
    </PlainLayout>
  );
}
