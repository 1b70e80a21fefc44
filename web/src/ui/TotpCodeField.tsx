import { TextField, type TextFieldProps } from './TextField';

// The field for the 6-digit code of an authenticator app: digits keypad,
// one-time-code autofill, room for "123 456".
export function TotpCodeField(props: Pick<TextFieldProps, 'id' | 'label' | 'value' | 'onValue' | 'error' | 'inputRef'>) {
  return (
    <TextField {...props} inputMode="numeric" autocomplete="one-time-code" maxLength={7} monospace required />
  );
}
