// The server limits text fields in bytes of UTF-8, where a Cyrillic letter
// counts two; a form checks the same before sending.
export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}
