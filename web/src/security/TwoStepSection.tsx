import { useEffect, useRef, useState } from 'preact/hooks';
import type { Me } from '../api/types';
import { useServices } from '../app/services';
import { useI18n } from '../i18n/I18nContext';
import { Alert } from '../ui/Alert';
import { Button, SubmitButton } from '../ui/Button';
import { Form } from '../ui/Form';
import { PasswordField } from '../ui/PasswordField';
import { errorText } from '../ui/problem_text';
import { useFormFields } from '../ui/use_form_fields';
import styles from './Security.module.css';
import { TotpEnrolment } from './TotpEnrolment';

// Roles for which the server requires a second factor.
const kMandatoryRoles = new Set(['administrator', 'security_officer']);
const kFields = ['password'] as const;

// Turning two-step verification on (the enrolment flow) or off (with the
// password), for those for whom it is optional.
export function TwoStepSection(props: { me: Me }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api, session } = useServices();
  const [enrolling, setEnrolling] = useState(false);
  const fields = useFormFields(kFields);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
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
    const { password } = fields.values;
    if (password === '') {
      fields.showErrors({ password: t('signin.error.password_required') });
      return;
    }
    setBusy(true);
    try {
      await api.disableTotp(password);
      fields.clear('password');
      fields.showErrors({});
      setStatus(t('security.two_step.disabled_now'));
      await session.reloadMe();
      setRefocus((n) => n + 1);
    } catch (caught) {
      fields.showErrors({ password: errorText(i18n, caught) });
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
            <Form class={styles.form} busy={busy} onSubmit={() => void disable()}>
              <p>{t('security.two_step.disable_text')}</p>
              <PasswordField
                id="two-step-password"
                label={t('security.two_step.password_label')}
                {...fields.field('password')}
                autocomplete="current-password"
              />
              <SubmitButton variant="danger" blocked={busy}>
                {t('security.two_step.disable')}
              </SubmitButton>
            </Form>
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
