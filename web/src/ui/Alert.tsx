import type { ComponentChildren } from 'preact';
import styles from './Alert.module.css';
import { classes } from './classes';

export type AlertTone = 'error' | 'success' | 'info';

// A message box. Errors are role="alert" (read out at once), the others
// role="status" (read out politely).
export function Alert(props: {
  tone: AlertTone;
  title?: string;
  children?: ComponentChildren;
  id?: string;
}) {
  const { tone, title, children, id } = props;
  return (
    <div id={id} role={tone === 'error' ? 'alert' : 'status'} class={classes(styles.alert, styles[tone])}>
      {title ? <p class={styles.title}>{title}</p> : null}
      {children}
    </div>
  );
}
