import { describe, expect, it } from 'vitest';
import { formatPersonalCode, isWellFormedPersonalCode, normalizePersonalCode } from './personal_code';

describe('personal codes', () => {
  it('accept lower case, spaces and dashes', () => {
    expect(formatPersonalCode(' k7m4 qx2p ')).toBe('K7M4-QX2P');
    expect(formatPersonalCode('k7m4–qx2p')).toBe('K7M4-QX2P');
    expect(formatPersonalCode('K7M4QX2P')).toBe('K7M4-QX2P');
  });

  it('read Crockford aliases and Cyrillic look-alikes', () => {
    expect(normalizePersonalCode('oil')).toBe('011');
    // "К7М4-ХР2Т" typed on a Bulgarian layout.
    expect(formatPersonalCode('К7М4-ХР2Т')).toBe('K7M4-XP2T');
  });

  it('leave malformed input for the server to judge', () => {
    expect(isWellFormedPersonalCode('K7M4-QX2')).toBe(false);
    expect(isWellFormedPersonalCode('K7M4-QX2U')).toBe(false);
    expect(formatPersonalCode(' K7M4-QX2 ')).toBe('K7M4-QX2');
  });
});
