import type { PasswordViolation } from '../api/types';

// The server's password policy, checked again here only for what needs no
// secrets: length. Everything else is the server's word (weak-password).
export const kPasswordMinLength = 12;
export const kPasswordMaxLength = 128;

export function lengthViolation(password: string): PasswordViolation | null {
  // Code points, not UTF-16 units: "ъ" and an emoji count as one character each.
  const length = [...password].length;
  if (length < kPasswordMinLength) return 'too-short';
  if (length > kPasswordMaxLength) return 'too-long';
  return null;
}
