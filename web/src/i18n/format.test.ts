import { describe, expect, it } from 'vitest';
import { formatFileSize, formatPercent } from './format';

describe('formatFileSize', () => {
  it('says bytes in words below a kilobyte', () => {
    expect(formatFileSize('bg', 0)).toBe('0 байта');
    expect(formatFileSize('bg', 1)).toBe('1 байт');
    expect(formatFileSize('bg', 512)).toBe('512 байта');
    expect(formatFileSize('en', 1)).toBe('1 byte');
    expect(formatFileSize('en', 1023)).toBe('1023 bytes');
  });

  it('uses binary multiples with one decimal below 10', () => {
    expect(formatFileSize('bg', 1024)).toBe('1 КБ');
    expect(formatFileSize('bg', 1536)).toBe('1,5 КБ');
    expect(formatFileSize('en', 1536)).toBe('1.5 KB');
    expect(formatFileSize('bg', 1_572_864)).toBe('1,5 МБ');
    expect(formatFileSize('en', 15 * 1024 * 1024 + 300_000)).toBe('15 MB');
    expect(formatFileSize('en', 200 * 1024 * 1024)).toBe('200 MB');
    expect(formatFileSize('bg', 3 * 1024 ** 3)).toBe('3 ГБ');
  });

  it('never shows "1024 KB": it moves up a unit', () => {
    expect(formatFileSize('en', 1024 * 1024 - 100)).toBe('1 MB');
  });

  it('copes with what is not a size', () => {
    expect(formatFileSize('en', Number.NaN)).toBe('0 bytes');
    expect(formatFileSize('en', -5)).toBe('0 bytes');
  });
});

describe('formatPercent', () => {
  it('gives whole percentages', () => {
    expect(formatPercent('en', 0.456)).toBe('46%');
    expect(formatPercent('bg', 1)).toMatch(/^100\s?%$/);
  });
});
