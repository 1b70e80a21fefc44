import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';
import styles from './ChoiceGroup.module.css';
import { classes } from './classes';
import { describedByOf, FieldNotes } from './FieldNotes';

export interface Choice {
  value: string;
  label: string;
}

// A <fieldset> of checkboxes (any number chosen) or radio buttons (one),
// with its legend, help and error. The error is a role="alert" tied to the
// group by aria-describedby.
export function ChoiceGroup(props: {
  legend: string;
  type: 'checkbox' | 'radio';
  choices: Choice[];
  selected: readonly string[];
  onChange: (selected: string[]) => void;
  id?: string;
  name?: string;
  help?: ComponentChildren;
  error?: ComponentChildren;
  inline?: boolean;
  legendHidden?: boolean;
}) {
  const generated = useId();
  const id = props.id ?? `choices-${generated}`;
  const name = props.name ?? id;
  const describedBy = describedByOf(id, props.help, props.error);
  const toggle = (value: string, checked: boolean) => {
    if (props.type === 'radio') props.onChange([value]);
    else if (checked) props.onChange([...props.selected.filter((v) => v !== value), value]);
    else props.onChange(props.selected.filter((v) => v !== value));
  };
  return (
    <fieldset id={id} class={styles.group} aria-describedby={describedBy}>
      <legend class={props.legendHidden ? 'visually-hidden' : styles.legend}>{props.legend}</legend>
      <FieldNotes id={id} help={props.help} error={props.error} styles={styles} />
      <div class={classes(styles.choices, props.inline && styles.inline)}>
        {props.choices.map((choice, index) => (
          <label key={choice.value} class={styles.choice}>
            <input
              id={index === 0 ? `${id}-first` : undefined}
              type={props.type}
              name={name}
              value={choice.value}
              checked={props.selected.includes(choice.value)}
              aria-invalid={props.error ? 'true' : undefined}
              onChange={(event) => toggle(choice.value, event.currentTarget.checked)}
            />
            <span>{choice.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
