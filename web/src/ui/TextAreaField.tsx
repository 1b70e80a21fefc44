import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';
import { classes } from './classes';
import { describedByOf, FieldNotes } from './FieldNotes';
import inputStyles from './input.module.css';
import styles from './TextField.module.css';

// A labelled multi-line input, with help and error tied to it like TextField.
export function TextAreaField(props: {
  label: string;
  value: string;
  onValue: (value: string) => void;
  id?: string;
  help?: ComponentChildren;
  error?: ComponentChildren;
  rows?: number;
  maxLength?: number;
}) {
  const generated = useId();
  const id = props.id ?? `area-${generated}`;
  const describedBy = describedByOf(id, props.help, props.error);
  return (
    <div class={styles.field}>
      <label class={styles.label} for={id}>
        {props.label}
      </label>
      <FieldNotes id={id} help={props.help} error={props.error} />
      <textarea
        id={id}
        rows={props.rows ?? 4}
        maxLength={props.maxLength}
        class={classes(inputStyles.input, inputStyles.textarea, props.error ? inputStyles.invalid : null)}
        value={props.value}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy}
        onInput={(event) => props.onValue(event.currentTarget.value)}
      />
    </div>
  );
}
