import { describe, expect, it } from 'vitest';
import { formatDateTime, formatWait } from './format';
import { interpolate, translate, translateDynamic, translatePlural } from './i18n';
import { kLanguageStorageKey, LanguageStore } from './language';

describe('interpolate', () => {
  it('replaces named placeholders and keeps unknown ones visible', () => {
    expect(interpolate('Здравейте, {name}! {missing}', { name: 'Иван' })).toBe('Здравейте, Иван! {missing}');
  });
});

describe('translate', () => {
  it('reads the catalog of the language', () => {
    expect(translate('bg', 'room.title')).toBe('Моята стая');
    expect(translate('en', 'room.title')).toBe('My room');
  });

  it('chooses the plural form', () => {
    expect(translatePlural('bg', 'colleagues.count', 1)).toBe('Намерен е 1 служител.');
    expect(translatePlural('bg', 'colleagues.count', 5)).toBe('Намерени са 5 служители.');
    expect(translatePlural('en', 'colleagues.count', 1)).toBe('1 employee found.');
  });

  it('answers null for a dynamic key it does not know', () => {
    expect(translateDynamic('en', 'password.violation.nonsense')).toBeNull();
    expect(translateDynamic('en', 'role.clerk')).toBe("clerk's office");
  });
});

describe('formatting', () => {
  it('shows times in Europe/Sofia', () => {
    // 10:00 UTC in summer is 13:00 in Sofia (EEST, UTC+3).
    expect(formatDateTime('en', '2026-07-01T10:00:00Z')).toContain('13:00');
    // In winter (EET, UTC+2) it is 12:00.
    expect(formatDateTime('bg', '2026-01-15T10:00:00Z')).toContain('12:00');
  });

  it('rounds waiting times up', () => {
    expect(formatWait('bg', 1)).toBe('1 секунда');
    expect(formatWait('en', 42.2)).toBe('43 seconds');
    expect(formatWait('en', 61)).toBe('2 minutes');
    expect(formatWait('bg', 300)).toBe('5 минути');
  });
});

describe('LanguageStore', () => {
  it('defaults to Bulgarian and remembers the choice on <html lang>', () => {
    window.localStorage.clear();
    const store = new LanguageStore(window.localStorage, document.documentElement);
    expect(store.get()).toBe('bg');
    expect(document.documentElement.lang).toBe('bg');
    store.set('en');
    expect(window.localStorage.getItem(kLanguageStorageKey)).toBe('en');
    expect(document.documentElement.lang).toBe('en');
    expect(new LanguageStore(window.localStorage, null).get()).toBe('en');
  });

  it('ignores a stored value that is not a language', () => {
    window.localStorage.setItem(kLanguageStorageKey, 'de');
    expect(new LanguageStore(window.localStorage, null).get()).toBe('bg');
  });
});
