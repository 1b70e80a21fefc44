import { useRef, useState } from 'preact/hooks';
import { useI18n } from '../i18n/I18nContext';
import { utf8Length } from '../state/utf8_length';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import dialogStyles from '../ui/Dialog.module.css';
import { TextAreaField } from '../ui/TextAreaField';
import { isStopping, kMaxReasonBytes, kReasonNeed, type Decision } from './integration_decisions';

// "Are you sure?" for a security officer's decision, with the reason where
// the decision asks for one (required to reject or revoke, optional to
// suspend). Focus starts on the reason, or else on the safe answer, which is
// also what Escape does.
export function DecisionDialog(props: {
  decision: Decision;
  name: string;
  busy: boolean;
  error: string | null;
  onConfirm: (reason: string) => void;
  onDismiss: () => void;
}) {
  const { t } = useI18n();
  const need = kReasonNeed[props.decision];
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const safe = useRef<HTMLButtonElement>(null);
  const fieldId = `decision-${props.decision}-reason`;

  const confirm = () => {
    if (props.busy) return;
    const text = reason.trim();
    let problem: string | null = null;
    if (need === 'required' && text === '') problem = t('integration.reason.missing');
    else if (utf8Length(text) > kMaxReasonBytes) {
      problem = t('integration.reason.too_long', { limit: kMaxReasonBytes, letters: kMaxReasonBytes / 2 });
    }
    setReasonError(problem);
    if (problem) {
      document.getElementById(fieldId)?.focus();
      return;
    }
    props.onConfirm(need === 'none' ? '' : text);
  };

  return (
    <Dialog
      role="alertdialog"
      title={t(`integration.confirm.${props.decision}.title`, { name: props.name })}
      text={<p>{t(`integration.confirm.${props.decision}.text`)}</p>}
      onEscape={props.onDismiss}
      initialFocus={need === 'none' ? safe : undefined}
      testId="decision-dialog"
    >
      {need !== 'none' ? (
        <TextAreaField
          id={fieldId}
          label={need === 'required' ? t('integration.reason') : t('integration.reason.optional')}
          value={reason}
          onValue={setReason}
          error={reasonError}
          rows={3}
        />
      ) : null}
      {props.error ? <Alert tone="error">{props.error}</Alert> : null}
      <div class={dialogStyles.actions}>
        <Button
          variant={isStopping(props.decision) ? 'danger' : 'primary'}
          aria-disabled={props.busy ? 'true' : undefined}
          onClick={confirm}
        >
          {t(`integration.confirm.${props.decision}.yes`)}
        </Button>
        <Button variant="secondary" buttonRef={safe} onClick={props.onDismiss}>
          {t('integration.confirm.no')}
        </Button>
      </div>
    </Dialog>
  );
}
