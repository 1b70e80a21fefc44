import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/problem';
import type { Me } from '../api/types';
import { useServices } from '../app/services';
import { useI18n } from '../i18n/I18nContext';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { problemText } from '../ui/problem_text';
import { TextField } from '../ui/TextField';
import styles from './Security.module.css';
import { TotpEnrolment } from './TotpEnrolment';

// Roles for which the server requires a second factor.
const kMandatoryRoles = new Set(['administrator', 'security_officer']);

// Turning two-step verification on (the enrolment flow) or off (with the
// password), for those for whom it is optional.
export function TwoStepSection(props: { me: Me }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api, session } = useServices();
  const [enrolling, setEnrolling] = useState(false);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const passwordRef = useRef<HTMLInputElement>(null);
  const sectionRef = useRef<HTMLDivElement>(null);
  // After enrolment or switching off, the control that was used is gone;
  // focus goes to the start of the section, whose status is read out.
  const [refocus, setRefocus] = useState(0);
  useEffect(() => {
    if (refocus > 0) sectionRef.current?.focus();
  }, [refocus]);
  const mandatory = props.me.roles.some((role) => kMandatoryRoles.has(role));

  const disable = async () => {
    if (busy) return;
    if (password === '') {
      setError(t('signin.error.password_required'));
      passwordRef.current?.focus();
      return;
    }
    setBusy(true);
    try {
      await api.disableTotp(password);
      setPassword('');
      setError(null);
      setStatus(t('security.two_step.disabled_now'));
      await session.reloadMe();
      setRefocus((n) => n + 1);
    } catch (caught) {
      setError(caught instanceof ApiError ? problemText(i18n, caught) : t('error.unexpected'));
      passwordRef.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  if (enrolling) {
    return (
      <TotpEnrolment
        headingLevel={3}
        focusOnStart
        onCancel={() => {
          setEnrolling(false);
          setRefocus((n) => n + 1);
        }}
        onDone={async () => {
          setEnrolling(false);
          setStatus(t('security.two_step.enabled_now'));
          await session.reloadMe();
          setRefocus((n) => n + 1);
        }}
      />
    );
  }

  return (
    <div ref={sectionRef} tabIndex={-1}>
      {status ? <Alert tone="success">{status}</Alert> : null}
      {props.me.totp_enabled ? (
        <>
          <p>
            <span class={styles.badgeOn}>{t('security.two_step.on')}</span>
          </p>
          {mandatory ? (
            <p>{t('security.two_step.mandatory')}</p>
          ) : (
            <form
              noValidate
              class={styles.form}
              aria-busy={busy ? 'true' : undefined}
              onSubmit={(event) => {
                event.preventDefault();
                void disable();
              }}
            >
              <p>{t('security.two_step.disable_text')}</p>
              <TextField
                id="two-step-password"
                type="password"
                label={t('security.two_step.password_label')}
                value={password}
                onValue={setPassword}
                error={error}
                inputRef={passwordRef}
                autocomplete="current-password"
                required
              />
              <Button type="submit" variant="danger" aria-disabled={busy ? 'true' : undefined}>
                {t('security.two_step.disable')}
              </Button>
            </form>
          )}
        </>
      ) : (
        <>
          <p>
            <span class={styles.badgeOff}>{t('security.two_step.off')}</span>
          </p>
          <p>{t('security.two_step.explain')}</p>
          <Button onClick={() => setEnrolling(true)}>
            {t('security.two_step.enable')}
          </Button>
        </>
      )}
    </div>
  );
}
