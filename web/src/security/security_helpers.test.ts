import { describe, expect, it } from 'vitest';
import { lengthViolation } from './password_policy';
import { svgDataUrl } from './svg_data_url';
import { groupSecret } from './TotpEnrolment';

describe('svgDataUrl', () => {
  it('base64-encodes UTF-8 text', () => {
    const url = svgDataUrl('<svg><title>Код</title></svg>');
    expect(url.startsWith('data:image/svg+xml;base64,')).toBe(true);
    const decoded = new TextDecoder().decode(
      Uint8Array.from(atob(url.split(',')[1]), (c) => c.charCodeAt(0)),
    );
    expect(decoded).toBe('<svg><title>Код</title></svg>');
  });

  it('handles large documents', () => {
    expect(() => svgDataUrl(`<svg>${'<rect/>'.repeat(50000)}</svg>`)).not.toThrow();
  });
});

describe('groupSecret', () => {
  it('groups the key by four for typing by hand', () => {
    expect(groupSecret('JBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP');
    expect(groupSecret('ABCDEF')).toBe('ABCD EF');
  });
});

describe('lengthViolation', () => {
  it('counts characters, not UTF-16 units', () => {
    expect(lengthViolation('кратка')).toBe('too-short');
    expect(lengthViolation('дълга-парола-1')).toBeNull();
    expect(lengthViolation('x'.repeat(129))).toBe('too-long');
  });
});
