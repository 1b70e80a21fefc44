import { kTimeZone } from '../i18n/format';

// Wall-clock dates and times in Europe/Sofia, whatever zone the browser is
// in. Dates are "YYYY-MM-DD", times "HH:MM" (24-hour), instants RFC 3339
// UTC. Offsets come from Intl (the browser's copy of the tz database), never
// from the browser's own zone.

export interface WallTime {
  date: string; // YYYY-MM-DD
  time: string; // HH:MM
}

const kMinuteMs = 60_000;
const kDayMs = 86_400_000;

// formatToParts in a fixed numeric shape: en-US with h23 gives plain digits.
const kPartsFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: kTimeZone,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function sofiaFields(utcMs: number): Fields {
  const fields: Record<string, number> = {};
  for (const part of kPartsFormat.formatToParts(new Date(utcMs))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return {
    year: fields.year,
    month: fields.month,
    day: fields.day,
    // Some engines write midnight as 24 even with h23.
    hour: fields.hour === 24 ? 0 : fields.hour,
    minute: fields.minute,
    second: fields.second,
  };
}

// Sofia's offset from UTC at an instant, in minutes (120 in winter, 180 in
// summer).
export function sofiaOffsetMinutes(utcMs: number): number {
  const f = sofiaFields(utcMs);
  const asUtc = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  const truncated = Math.floor(utcMs / 1000) * 1000;
  return Math.round((asUtc - truncated) / kMinuteMs);
}

const kDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const kTimePattern = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function isValidDate(date: string): boolean {
  const match = kDatePattern.exec(date);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  return check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day;
}

export function isValidTime(time: string): boolean {
  return kTimePattern.test(time);
}

// The wall time read as if it were UTC: the starting point of the search for
// the real instant.
function naiveUtcMs(wall: WallTime): number {
  const [year, month, day] = wall.date.split('-').map(Number);
  const [hour, minute] = wall.time.split(':').map(Number);
  return Date.UTC(year, month - 1, day, hour, minute);
}

// The instant at which Sofia's clocks show `wall`. A time that does not
// exist (the hour skipped when summer time starts) is read with the offset
// from before the change, i.e. it lands an hour later on the clock, as a
// clock that was not changed would show it; a time that happens twice (the
// hour repeated when summer time ends) gives the first of the two.
export function sofiaWallToUtcMs(wall: WallTime): number {
  const naive = naiveUtcMs(wall);
  // Sofia is UTC+2 or UTC+3; the offset an hour before and after covers
  // both sides of any change near this wall time.
  const candidates = [sofiaOffsetMinutes(naive - 3 * 3_600_000), sofiaOffsetMinutes(naive)];
  const matches: number[] = [];
  for (const offset of new Set(candidates)) {
    const instant = naive - offset * kMinuteMs;
    if (sofiaOffsetMinutes(instant) === offset) matches.push(instant);
  }
  if (matches.length > 0) return Math.min(...matches);
  // In the gap: keep the offset in force before it.
  return naive - candidates[0] * kMinuteMs;
}

export function sofiaWallToUtc(wall: WallTime): string {
  return toRfc3339(sofiaWallToUtcMs(wall));
}

// "2026-12-01T08:00:00Z": whole seconds, the form the server sends.
export function toRfc3339(utcMs: number): string {
  return new Date(utcMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function utcToSofiaWall(iso: string | number): WallTime {
  const ms = typeof iso === 'number' ? iso : Date.parse(iso);
  const f = sofiaFields(ms);
  return { date: dateString(f.year, f.month, f.day), time: `${pad(f.hour)}:${pad(f.minute)}` };
}

// Today's date in Sofia.
export function sofiaToday(nowMs: number): string {
  return utcToSofiaWall(nowMs).date;
}

// Calendar arithmetic on plain dates (no zone involved).
export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number);
  const next = new Date(Date.UTC(year, month - 1, day) + days * kDayMs);
  return dateString(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate());
}

// 0 = Monday … 6 = Sunday.
export function weekdayIndex(date: string): number {
  const [year, month, day] = date.split('-').map(Number);
  return (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
}

// The Monday of the week that contains `date`.
export function mondayOf(date: string): string {
  return addDays(date, -weekdayIndex(date));
}

export function dayOfMonth(date: string): number {
  return Number(date.slice(8, 10));
}

// The instant a Sofia day starts (midnight never falls in a DST gap there:
// the changes happen at 03:00 and 04:00).
export function sofiaDayStartUtc(date: string): string {
  return sofiaWallToUtc({ date, time: '00:00' });
}

// A Date whose UTC fields are the plain date: for Intl formatting of a date
// with timeZone "UTC", so that no zone can move it to another day.
export function plainDateAsUtc(date: string): Date {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day, 12));
}

function dateString(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
