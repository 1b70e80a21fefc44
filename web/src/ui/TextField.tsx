import type { ComponentChildren, Ref } from 'preact';
import { useId } from 'preact/hooks';
import { classes } from './classes';
import { describedByOf, FieldNotes } from './FieldNotes';
import inputStyles from './input.module.css';
import styles from './TextField.module.css';

export interface TextFieldProps {
  label: string;
  value: string;
  onValue: (value: string) => void;
  // Shown under the label, before the input: hints and rules.
  help?: ComponentChildren;
  // Text, or a list of problems (weak password).
  error?: ComponentChildren;
  inputRef?: Ref<HTMLInputElement>;
  id?: string;
  monospace?: boolean;
  type?: 'text' | 'password' | 'search' | 'email' | 'date' | 'time' | 'number' | 'url';
  autocomplete?: string;
  autocapitalize?: 'none' | 'characters' | 'words' | 'sentences';
  autocorrect?: 'on' | 'off';
  spellcheck?: boolean;
  inputMode?: 'numeric' | 'text';
  maxLength?: number;
  required?: boolean;
  readOnly?: boolean;
  min?: string | number;
  max?: string | number;
  step?: string | number;
  onBlur?: () => void;
  onFocus?: (event: FocusEvent) => void;
}

// A labelled input whose help text and error are tied to it with
// aria-describedby; the error is also a role="alert" so that it is read out
// when it appears.
export function TextField(props: TextFieldProps) {
  const { label, value, onValue, help, error, inputRef, id, monospace, type = 'text', ...rest } = props;
  const generated = useId();
  const inputId = id ?? `field-${generated}`;
  const describedBy = describedByOf(inputId, help, error);
  return (
    <div class={styles.field}>
      <label class={styles.label} for={inputId}>
        {label}
      </label>
      <FieldNotes id={inputId} help={help} error={error} />
      <input
        {...rest}
        ref={inputRef}
        id={inputId}
        // Preact types <input> as a union keyed on `type`; the attributes
        // used here are valid for every type this component accepts.
        type={type as 'text'}
        value={value}
        class={classes(inputStyles.input, monospace && styles.monospace, error ? inputStyles.invalid : null)}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy}
        onInput={(event) => onValue(event.currentTarget.value)}
      />
    </div>
  );
}
