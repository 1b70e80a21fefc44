// Message catalogs and the translate functions. Plain TypeScript: the views
// reach these through I18nContext, the API client through Language.
import bg from './bg.json';
import en from './en.json';

export type Lang = 'bg' | 'en';
export const kLanguages: readonly Lang[] = ['bg', 'en'];
export const kDefaultLang: Lang = 'bg';

export type MessageKey = keyof typeof bg;
export type Params = Record<string, string | number>;

// Keys ending in ".one"/".other" form a plural message; this is the part
// before the suffix.
export type PluralKey = MessageKey extends infer K
  ? K extends `${infer Base}.other`
    ? Base
    : never
  : never;

const kCatalogs: Record<Lang, Record<string, string>> = { bg, en };

export function isLang(value: unknown): value is Lang {
  return value === 'bg' || value === 'en';
}

// Replaces each {name} with params.name; unknown placeholders stay as they
// are so that a missing parameter is visible instead of silently empty.
export function interpolate(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  const template = kCatalogs[lang][key] ?? kCatalogs[kDefaultLang][key] ?? key;
  return interpolate(template, params);
}

// Intl.PluralRules gives "one"/"other" for both Bulgarian and English.
export function translatePlural(
  lang: Lang,
  key: PluralKey,
  count: number,
  params?: Params,
): string {
  const category = new Intl.PluralRules(lang).select(count);
  const candidate = `${key}.${category}`;
  const full = (candidate in kCatalogs[lang] ? candidate : `${key}.other`) as MessageKey;
  return translate(lang, full, { count, ...params });
}

// For strings from outside the typed catalog (e.g. a violation slug sent by
// the server): returns null when the catalog has no such key.
export function translateDynamic(lang: Lang, key: string, params?: Params): string | null {
  const template = kCatalogs[lang][key];
  return template === undefined ? null : interpolate(template, params);
}
