import { translate, translatePlural, type Lang } from './i18n';

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

// "09:30" in Sofia.
export function formatTime(lang: Lang, iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(localeFor(lang), { timeZone: kTimeZone, hour: '2-digit', minute: '2-digit' }).format(
    date,
  );
}

// "4 май 2026 г., 10:00 – 11:00" (or across days, both dates), in Sofia.
export function formatTimeRange(lang: Lang, startIso: string, endIso: string): string {
  const start = new Date(startIso);
  const end = new Date(endIso);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) return `${startIso} – ${endIso}`;
  const format = new Intl.DateTimeFormat(localeFor(lang), {
    timeZone: kTimeZone,
    dateStyle: 'medium',
    timeStyle: 'short',
  });
  return end.getTime() > start.getTime() ? format.formatRange(start, end) : format.format(start);
}

// A plain calendar date ("2026-05-04"), e.g. "понеделник, 4 май" or with
// the year: formatted in UTC so that no zone moves it to another day.
export function formatPlainDate(
  lang: Lang,
  date: string,
  style: 'weekday' | 'long' | 'short' = 'long',
): string {
  const [year, month, day] = date.split('-').map(Number);
  if (!year || !month || !day) return date;
  const value = new Date(Date.UTC(year, month - 1, day, 12));
  const options: Intl.DateTimeFormatOptions =
    style === 'weekday'
      ? { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' }
      : style === 'short'
        ? { timeZone: 'UTC', day: 'numeric', month: 'short' }
        : { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' };
  return new Intl.DateTimeFormat(localeFor(lang), options).format(value);
}

// "понеделник", "Monday" for 0 = Monday … 6 = Sunday.
export function weekdayName(lang: Lang, index: number): string {
  // 2024-01-01 was a Monday.
  const value = new Date(Date.UTC(2024, 0, 1 + index, 12));
  return new Intl.DateTimeFormat(localeFor(lang), { timeZone: 'UTC', weekday: 'long' }).format(value);
}

// "А, Б и В" / "A, B and C".
export function formatList(lang: Lang, items: string[]): string {
  return new Intl.ListFormat(localeFor(lang), { style: 'long', type: 'conjunction' }).format(items);
}

// "1 ден", "2 часа и 15 минути", "15 minutes": the non-zero parts.
export function formatDuration(lang: Lang, parts: { days: number; hours: number; minutes: number }): string {
  const words: string[] = [];
  if (parts.days > 0) words.push(translatePlural(lang, 'time.days', parts.days));
  if (parts.hours > 0) words.push(translatePlural(lang, 'time.hours', parts.hours));
  if (parts.minutes > 0 || words.length === 0) words.push(translatePlural(lang, 'time.minutes', parts.minutes));
  return formatList(lang, words);
}

// A reminder offset or any other whole span given in seconds.
export function formatSeconds(lang: Lang, seconds: number): string {
  if (seconds > 0 && seconds < 60) return translatePlural(lang, 'time.seconds', seconds);
  const minutes = Math.round(seconds / 60);
  return formatDuration(lang, {
    days: Math.floor(minutes / 1440),
    hours: Math.floor((minutes % 1440) / 60),
    minutes: minutes % 60,
  });
}

// Two plain dates as one span: "23 – 29 март 2026 г.", "30 March – 5 April 2026".
export function formatPlainDateRange(lang: Lang, start: string, end: string): string {
  const asDate = (date: string) => {
    const [year, month, day] = date.split('-').map(Number);
    return new Date(Date.UTC(year, month - 1, day, 12));
  };
  return new Intl.DateTimeFormat(localeFor(lang), {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).formatRange(asDate(start), asDate(end));
}

const kKiB = 1024;

// A file's size for people: "512 байта", "1,5 МБ", "15 MB" (binary
// multiples, as file managers show them; one decimal below 10).
export function formatFileSize(lang: Lang, bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < kKiB) {
    return translatePlural(lang, 'file_size.bytes', Math.max(0, Math.round(bytes || 0)));
  }
  const units = ['file_size.kb', 'file_size.mb', 'file_size.gb', 'file_size.tb'] as const;
  let value = bytes / kKiB;
  let unit = 0;
  while (value >= kKiB && unit < units.length - 1) {
    value /= kKiB;
    unit += 1;
  }
  // 1023.7 KiB would read "1024 KB" once rounded: say "1 MB" instead.
  if (value >= 1023.5 && unit < units.length - 1) {
    value /= kKiB;
    unit += 1;
  }
  const digits = value < 10 ? 1 : 0;
  const size = new Intl.NumberFormat(localeFor(lang), { maximumFractionDigits: digits }).format(value);
  return translate(lang, units[unit], { size });
}

// "45%": a whole percentage of `fraction` (0…1).
export function formatPercent(lang: Lang, fraction: number): string {
  return new Intl.NumberFormat(localeFor(lang), { style: 'percent', maximumFractionDigits: 0 }).format(fraction);
}
