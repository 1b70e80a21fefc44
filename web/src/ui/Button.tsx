import type { ButtonHTMLAttributes, Ref } from 'preact';
import styles from './Button.module.css';
import { classes } from './classes';

export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'quiet';

export interface ButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'class' | 'className' | 'ref'> {
  variant?: ButtonVariant;
  extraClass?: string;
  buttonRef?: Ref<HTMLButtonElement>;
}

export function Button({ variant = 'primary', extraClass, type = 'button', buttonRef, ...rest }: ButtonProps) {
  return <button ref={buttonRef} type={type} class={classes(styles.button, styles[variant], extraClass)} {...rest} />;
}

// A form's submit button. While `blocked` (a request under way, a wait) it
// says so with aria-disabled and stays focusable, so that focus is not lost.
export function SubmitButton({ blocked, ...rest }: Omit<ButtonProps, 'type'> & { blocked: boolean }) {
  return <Button type="submit" aria-disabled={blocked ? 'true' : undefined} {...rest} />;
}

// The look of a button, for a link that acts as one ("Schedule a meeting").
export function buttonClass(variant: ButtonVariant = 'primary', extra?: string): string {
  return classes(styles.button, styles[variant], extra);
}
