import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';
import { classes } from './classes';
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
  const describedBy = [props.help ? `${id}-help` : null, props.error ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <div class={styles.field}>
      <label class={styles.label} for={id}>
        {props.label}
      </label>
      {props.help ? (
        <div id={`${id}-help`} class={styles.help}>
          {props.help}
        </div>
      ) : null}
      {props.error ? (
        <div id={`${id}-error`} class={styles.error} role="alert">
          {props.error}
        </div>
      ) : null}
      <textarea
        id={id}
        rows={props.rows ?? 4}
        maxLength={props.maxLength}
        class={classes(inputStyles.input, inputStyles.textarea, props.error ? inputStyles.invalid : null)}
        value={props.value}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy || undefined}
        onInput={(event) => props.onValue(event.currentTarget.value)}
      />
    </div>
  );
}
