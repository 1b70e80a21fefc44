import { useEffect, useRef, useState } from 'preact/hooks';
import type { TotpEnrolment as Enrolment } from '../api/types';
import { useServices } from '../app/services';
import { useI18n } from '../i18n/I18nContext';
import { tidyTotpCode } from '../state/totp_code';
import { Alert } from '../ui/Alert';
import { Button, SubmitButton } from '../ui/Button';
import { Form } from '../ui/Form';
import { errorText } from '../ui/problem_text';
import { TotpCodeField } from '../ui/TotpCodeField';
import { useFormFields } from '../ui/use_form_fields';
import { RecoveryCodesPanel } from './RecoveryCodesPanel';
import styles from './Security.module.css';
import { svgDataUrl } from './svg_data_url';

const kFields = ['code'] as const;

type Stage =
  | { kind: 'starting' }
  | { kind: 'failed'; message: string }
  | { kind: 'scan'; enrolment: Enrolment }
  | { kind: 'codes'; codes: string[] };

// Setting up the authenticator app: asks the server for a secret as soon as
// it is shown, lets the person scan it (or type it), checks one code, then
// shows the recovery codes once.
export function TotpEnrolment(props: {
  headingLevel: 2 | 3;
  // Move focus to the first step once it shows (when the button that
  // started the enrolment has gone away).
  focusOnStart?: boolean;
  onDone: () => void | Promise<void>;
  onCancel?: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api } = useServices();
  const [stage, setStage] = useState<Stage>({ kind: 'starting' });
  const fields = useFormFields(kFields);
  const [busy, setBusy] = useState(false);
  const stepsRef = useRef<HTMLOListElement>(null);
  const Heading = props.headingLevel === 2 ? 'h2' : 'h3';

  const start = async () => {
    setStage({ kind: 'starting' });
    try {
      setStage({ kind: 'scan', enrolment: await api.startTotp() });
    } catch (caught) {
      setStage({ kind: 'failed', message: errorText(i18n, caught) });
    }
  };

  useEffect(() => {
    void start();
  }, []);

  useEffect(() => {
    if (stage.kind === 'scan' && props.focusOnStart) stepsRef.current?.focus();
  }, [stage.kind]);

  const confirm = async () => {
    if (busy) return;
    const totp = tidyTotpCode(fields.values.code);
    if (!totp) {
      fields.showErrors({ code: t('signin.error.totp_format') });
      return;
    }
    setBusy(true);
    try {
      const answer = await api.confirmTotp(totp);
      setStage({ kind: 'codes', codes: answer.recovery_codes });
    } catch (caught) {
      fields.showErrors({ code: errorText(i18n, caught) });
    } finally {
      setBusy(false);
    }
  };

  if (stage.kind === 'starting') return <p role="status">{t('common.loading')}</p>;
  if (stage.kind === 'failed') {
    return (
      <>
        <Alert tone="error">{stage.message}</Alert>
        <div class={styles.actions}>
          <Button variant="secondary" onClick={() => void start()}>
            {t('common.retry')}
          </Button>
          {props.onCancel ? (
            <Button variant="quiet" onClick={props.onCancel}>
              {t('common.cancel')}
            </Button>
          ) : null}
        </div>
      </>
    );
  }
  if (stage.kind === 'codes') {
    return <RecoveryCodesPanel codes={stage.codes} headingLevel={props.headingLevel} onDone={props.onDone} />;
  }

  const { enrolment } = stage;
  return (
    <ol ref={stepsRef} tabIndex={-1} class={styles.steps}>
      <li>
        <Heading class={styles.stepTitle}>{t('totp.step1.title')}</Heading>
        <p>{t('totp.step1.text')}</p>
      </li>
      <li>
        <Heading class={styles.stepTitle}>{t('totp.step2.title')}</Heading>
        <p>{t('totp.step2.text')}</p>
        <img class={styles.qr} src={svgDataUrl(enrolment.qr_svg)} alt={t('totp.qr_alt')} width={200} height={200} />
        <p>{t('totp.manual')}</p>
        <p>
          <code class={styles.secret}>
            {groupSecret(enrolment.secret)}
          </code>
        </p>
        <p>
          <a href={enrolment.otpauth_uri}>{t('totp.open_app')}</a>
        </p>
      </li>
      <li>
        <Heading class={styles.stepTitle}>{t('totp.step3.title')}</Heading>
        <Form class={styles.form} busy={busy} onSubmit={() => void confirm()}>
          <TotpCodeField id="totp-enrol-code" label={t('totp.code.label')} {...fields.field('code')} />
          <div class={styles.actions}>
            <SubmitButton blocked={busy}>{t('totp.confirm')}</SubmitButton>
            {props.onCancel ? (
              <Button variant="secondary" onClick={props.onCancel}>
                {t('common.cancel')}
              </Button>
            ) : null}
          </div>
        </Form>
      </li>
    </ol>
  );
}

// "JBSWY3DPEHPK3PXP" -> "JBSW Y3DP EHPK 3PXP", easier to copy by hand.
export function groupSecret(secret: string): string {
  return secret.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
}
