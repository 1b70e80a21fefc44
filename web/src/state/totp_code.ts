// A code from an authenticator app as people type it ("123 456") made into
// what the server wants ("123456"); null when it is not 6 digits.
export function tidyTotpCode(input: string): string | null {
  const code = input.replace(/\s+/g, '');
  return /^\d{6}$/.test(code) ? code : null;
}
