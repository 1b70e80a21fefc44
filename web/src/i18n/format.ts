import { translatePlural, type Lang } from './i18n';

// Server times are RFC 3339 UTC; people read them in the municipality's
// time zone whatever their device says.
export const kTimeZone = 'Europe/Sofia';

export function localeFor(lang: Lang): string {
  return lang === 'bg' ? 'bg-BG' : 'en-GB';
}

export function formatDateTime(lang: Lang, iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(localeFor(lang), {
    timeZone: kTimeZone,
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(date);
}

// "45 seconds", "3 minutes": rounded up so that nobody retries too early.
export function formatWait(lang: Lang, seconds: number): string {
  const whole = Math.max(1, Math.ceil(seconds));
  if (whole < 60) return translatePlural(lang, 'time.seconds', whole);
  return translatePlural(lang, 'time.minutes', Math.ceil(whole / 60));
}
