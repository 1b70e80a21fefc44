// Personal codes: 8 characters of Crockford's base32 shown as "K7M4-QX2Z".
// The server checks the check character; here we only tidy what people
// type so that lower case, spaces, dashes and a Cyrillic keyboard layout
// do not count as mistakes.

const kCrockford = /^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{8}$/;

// Cyrillic letters that look like Latin ones, typed with a Bulgarian layout.
const kLookalikes: Record<string, string> = {
  А: 'A', В: 'B', С: 'C', Е: 'E', Н: 'H', К: 'K', М: 'M', О: 'O', Р: 'P', Т: 'T', Х: 'X', У: 'Y',
};

// Crockford decoding: I and L read as 1, O as 0.
const kAliases: Record<string, string> = { I: '1', L: '1', O: '0' };

export function normalizePersonalCode(input: string): string {
  let out = '';
  for (const ch of input.toUpperCase()) {
    if (/[\s\-‐‑‒–—―_.]/.test(ch)) continue;
    const latin = kLookalikes[ch] ?? ch;
    out += kAliases[latin] ?? latin;
  }
  return out;
}

export function isWellFormedPersonalCode(input: string): boolean {
  return kCrockford.test(normalizePersonalCode(input));
}

// "k7m4 qx2p" -> "K7M4-QX2Z"; anything that is not 8 valid characters is
// returned trimmed and unchanged, for the server to judge.
export function formatPersonalCode(input: string): string {
  const code = normalizePersonalCode(input);
  return kCrockford.test(code) ? `${code.slice(0, 4)}-${code.slice(4)}` : input.trim();
}
