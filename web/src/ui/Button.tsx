import type { ButtonHTMLAttributes } from 'preact';
import styles from './Button.module.css';
import { classes } from './classes';

export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'quiet';

export interface ButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'class' | 'className'> {
  variant?: ButtonVariant;
  extraClass?: string;
}

export function Button({ variant = 'primary', extraClass, type = 'button', ...rest }: ButtonProps) {
  return <button type={type} class={classes(styles.button, styles[variant], extraClass)} {...rest} />;
}

// A form's submit button. While `blocked` (a request under way, a wait) it
// says so with aria-disabled and stays focusable, so that focus is not lost.
export function SubmitButton({ blocked, ...rest }: Omit<ButtonProps, 'type'> & { blocked: boolean }) {
  return <Button type="submit" aria-disabled={blocked ? 'true' : undefined} {...rest} />;
}
