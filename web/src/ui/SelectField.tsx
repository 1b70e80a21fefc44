import type { ComponentChildren, Ref } from 'preact';
import { useId } from 'preact/hooks';
import { classes } from './classes';
import { describedByOf, FieldNotes } from './FieldNotes';
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
  const describedBy = describedByOf(id, props.help, props.error);
  return (
    <div class={classes(styles.field, props.compact && styles.compact)}>
      <label class={styles.label} for={id}>
        {props.label}
      </label>
      <FieldNotes id={id} help={props.help} error={props.error} />
      <select
        ref={props.selectRef}
        id={id}
        class={classes(inputStyles.input, props.error ? inputStyles.invalid : null)}
        value={props.value}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy}
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
