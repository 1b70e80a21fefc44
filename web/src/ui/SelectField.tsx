import type { ComponentChildren, Ref } from 'preact';
import { useId } from 'preact/hooks';
import { classes } from './classes';
import inputStyles from './input.module.css';
import styles from './TextField.module.css';

export interface SelectOption {
  value: string;
  label: string;
  disabled?: boolean;
}

// A labelled <select>, with help and error tied to it like TextField.
export function SelectField(props: {
  label: string;
  value: string;
  onValue: (value: string) => void;
  options: SelectOption[];
  id?: string;
  help?: ComponentChildren;
  error?: ComponentChildren;
  selectRef?: Ref<HTMLSelectElement>;
  compact?: boolean;
}) {
  const generated = useId();
  const id = props.id ?? `select-${generated}`;
  const describedBy = [props.help ? `${id}-help` : null, props.error ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <div class={classes(styles.field, props.compact && styles.compact)}>
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
      <select
        ref={props.selectRef}
        id={id}
        class={classes(inputStyles.input, props.error ? inputStyles.invalid : null)}
        value={props.value}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy || undefined}
        onChange={(event) => props.onValue(event.currentTarget.value)}
      >
        {props.options.map((option) => (
          <option key={option.value} value={option.value} disabled={option.disabled}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}
