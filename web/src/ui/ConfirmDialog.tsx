import { useRef } from 'preact/hooks';
import { Alert } from './Alert';
import { Button } from './Button';
import { Dialog } from './Dialog';
import styles from './Dialog.module.css';

// "Are you sure?": an alertdialog whose safe answer has focus first and is
// also what Escape does.
export function ConfirmDialog(props: {
  title: string;
  text: string;
  confirm: string;
  dismiss: string;
  busy?: boolean;
  error?: string | null;
  onConfirm: () => void;
  onDismiss: () => void;
}) {
  const safe = useRef<HTMLButtonElement>(null);
  return (
    <Dialog role="alertdialog" title={props.title} text={<p>{props.text}</p>} onEscape={props.onDismiss} initialFocus={safe}>
      {props.error ? <Alert tone="error">{props.error}</Alert> : null}
      <div class={styles.actions}>
        <Button
          variant="danger"
          aria-disabled={props.busy ? 'true' : undefined}
          onClick={() => {
            if (!props.busy) props.onConfirm();
          }}
        >
          {props.confirm}
        </Button>
        <Button variant="secondary" buttonRef={safe} onClick={props.onDismiss}>
          {props.dismiss}
        </Button>
      </div>
    </Dialog>
  );
}
