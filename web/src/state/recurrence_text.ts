import { kWeekdays, type Recurrence } from '../api/types';
import { formatList, formatPlainDate, weekdayName } from '../i18n/format';
import { translate, translatePlural, type Lang } from '../i18n/i18n';
import { dayOfMonth, utcToSofiaWall, weekdayIndex } from './sofia_time';

// A meeting's recurrence in words, in the reader's language: "Всяка седмица
// в понеделник и сряда, до 30 юни 2026 г. включително". `startsAt` (the
// first occurrence) gives the day of a monthly rule and the day of a weekly
// rule that names none.
export function recurrenceText(lang: Lang, recurrence: Recurrence | null, startsAt: string): string {
  if (!recurrence) return translate(lang, 'recurrence.none');
  const interval = Math.max(1, Math.floor(recurrence.interval || 1));
  const start = utcToSofiaWall(startsAt).date;
  let rule: string;
  switch (recurrence.frequency) {
    case 'daily':
      rule = translatePlural(lang, 'recurrence.daily', interval);
      break;
    case 'weekly':
      rule = translatePlural(lang, 'recurrence.weekly', interval, { days: weekdaysPhrase(lang, recurrence, start) });
      break;
    case 'monthly':
      rule = translatePlural(lang, 'recurrence.monthly', interval, { day: dayOfMonth(start) });
      break;
    default:
      return translate(lang, 'recurrence.none');
  }
  if (recurrence.until) {
    return translate(lang, 'recurrence.until', { rule, date: formatPlainDate(lang, recurrence.until) });
  }
  if (recurrence.count && recurrence.count > 0) {
    return translatePlural(lang, 'recurrence.times', recurrence.count, { rule });
  }
  return rule;
}

// "в понеделник и сряда"; Bulgarian says "във" before в/ф ("във вторник").
function weekdaysPhrase(lang: Lang, recurrence: Recurrence, startDate: string): string {
  const chosen = kWeekdays.filter((day) => recurrence.weekdays?.includes(day));
  const indexes = chosen.length > 0 ? chosen.map((day) => kWeekdays.indexOf(day)) : [weekdayIndex(startDate)];
  const days = formatList(
    lang,
    indexes.map((index) => weekdayName(lang, index)),
  );
  const key = /^[вфВФ]/.test(days) ? 'recurrence.on_days_v' : 'recurrence.on_days';
  return translate(lang, key, { days });
}
