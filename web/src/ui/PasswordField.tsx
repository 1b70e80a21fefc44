import { TextField, type TextFieldProps } from './TextField';

// A password input, always required. `autocomplete` tells password managers
// which password it is: the one they know, or a new one to remember.
export function PasswordField(
  props: Omit<TextFieldProps, 'type' | 'required' | 'autocomplete'> & {
    autocomplete: 'current-password' | 'new-password';
  },
) {
  return <TextField {...props} type="password" required />;
}
