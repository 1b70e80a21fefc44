import type { ComponentChildren } from 'preact';
import defaultStyles from './TextField.module.css';

// The ids a control names in aria-describedby for its help and its error.
export function describedByOf(id: string, help?: ComponentChildren, error?: ComponentChildren): string | undefined {
  return [help ? `${id}-help` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
}

// A field's help (before the control: hints and rules) and its error (a
// role="alert", read out when it appears), with the ids of describedByOf.
export function FieldNotes(props: {
  id: string;
  help?: ComponentChildren;
  error?: ComponentChildren;
  styles?: { help?: string; error?: string };
}) {
  const styles = props.styles ?? defaultStyles;
  return (
    <>
      {props.help ? (
        <div id={`${props.id}-help`} class={styles.help}>
          {props.help}
        </div>
      ) : null}
      {props.error ? (
        <div id={`${props.id}-error`} class={styles.error} role="alert">
          {props.error}
        </div>
      ) : null}
    </>
  );
}
