import { describe, expect, it } from 'vitest';
import bg from './bg.json';
import en from './en.json';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogs', () => {
  it('have exactly the same keys', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(bg).sort());
  });

  it('have no empty values', () => {
    for (const catalog of [bg, en] as Array<Record<string, string>>) {
      for (const [key, value] of Object.entries(catalog)) {
        expect(value.trim(), key).not.toBe('');
      }
    }
  });

  it('use the same placeholders in both languages', () => {
    const english = en as Record<string, string>;
    for (const [key, value] of Object.entries(bg as Record<string, string>)) {
      expect(placeholders(english[key] ?? ''), key).toEqual(placeholders(value));
    }
  });

  it('give every plural message an "other" form', () => {
    for (const key of Object.keys(bg)) {
      if (key.endsWith('.one')) expect(Object.keys(bg)).toContain(key.replace(/\.one$/, '.other'));
    }
  });

  it('name every password violation the server may send', () => {
    const violations = [
      'too-short',
      'too-long',
      'contains-code',
      'contains-name',
      'same-as-current',
      'too-common',
      'too-few-character-kinds',
    ];
    for (const slug of violations) expect(Object.keys(bg)).toContain(`password.violation.${slug}`);
  });
});
