import { useMemo, useState } from 'preact/hooks';
import type { Occurrence } from '../api/types';
import { Link } from '../app/Link';
import { meetingPath } from '../app/router';
import { formatPlainDateRange } from '../i18n/format';
import { useI18n } from '../i18n/I18nContext';
import { addDays, mondayOf, sofiaDayStartUtc, utcToSofiaWall } from '../state/sofia_time';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { classes } from '../ui/classes';
import listStyles from '../ui/ItemList.module.css';
import pageStyles from '../ui/Page.module.css';
import { errorText } from '../ui/problem_text';
import styles from './Meetings.module.css';
import { useUpcoming } from './use_upcoming';

// A week, Monday to Sunday, in Europe/Sofia: seven columns on a wide
// screen, a list of days on a phone (the same markup: an ordered list of
// days, each a heading and its meetings).
export function WeekCalendar(props: { today: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [monday, setMonday] = useState(() => mondayOf(props.today));
  const from = useMemo(() => sofiaDayStartUtc(monday), [monday]);
  const to = useMemo(() => sofiaDayStartUtc(addDays(monday, 7)), [monday]);
  const { load } = useUpcoming(from, to);
  const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  const byDay = new Map<string, Occurrence[]>(days.map((day) => [day, []]));
  for (const occurrence of load.occurrences) {
    byDay.get(utcToSofiaWall(occurrence.starts_at).date)?.push(occurrence);
  }
  const range = formatPlainDateRange(i18n.lang, days[0], days[6]);
  const thisWeek = mondayOf(props.today) === monday;

  return (
    <section class={styles.calendar} aria-labelledby="week-calendar-title">
      <div class={styles.calendarHead}>
        <h2 id="week-calendar-title">{t('meetings.calendar')}</h2>
        <div class={styles.calendarNav}>
          <Button variant="secondary" onClick={() => setMonday(addDays(monday, -7))}>
            {t('meetings.calendar.prev')}
          </Button>
          <Button variant="secondary" disabled={thisWeek} onClick={() => setMonday(mondayOf(props.today))}>
            {t('meetings.calendar.current')}
          </Button>
          <Button variant="secondary" onClick={() => setMonday(addDays(monday, 7))}>
            {t('meetings.calendar.next')}
          </Button>
        </div>
      </div>
      <p class={styles.calendarRange} role="status" aria-live="polite">
        {t('meetings.calendar.shown', { range })}
      </p>
      {load.status === 'failed' ? <Alert tone="error">{errorText(i18n, load.error)}</Alert> : null}
      <ol class={styles.week} aria-busy={load.status === 'loading' ? 'true' : 'false'} data-testid="week-calendar">
        {days.map((day) => {
          const items = byDay.get(day) ?? [];
          const isToday = day === props.today;
          return (
            <li key={day} class={classes(styles.day, isToday && styles.today)}>
              <h3 class={styles.dayTitle}>
                {i18n.date(day, 'weekday')}
                {isToday ? <span class={classes(listStyles.pill, styles.todayMark)}>{t('meetings.calendar.today')}</span> : null}
              </h3>
              {items.length === 0 ? (
                <p class={pageStyles.muted}>{t('meetings.calendar.day_empty')}</p>
              ) : (
                <ul class={styles.dayItems}>
                  {items.map((occurrence) => (
                    <li
                      key={`${String(occurrence.meeting_id)}|${occurrence.occurrence}`}
                      class={classes(styles.slot, occurrence.status === 'cancelled' && styles.cancelledItem)}
                    >
                      <span class={styles.slotTime}>
                        {t('meetings.time_range', {
                          start: i18n.time(occurrence.starts_at),
                          end: i18n.time(occurrence.ends_at),
                        })}
                      </span>
                      <Link href={meetingPath(occurrence.meeting_id)}>{occurrence.title}</Link>
                      {occurrence.status === 'cancelled' ? (
                        <span class={listStyles.badgeDanger}>{t('meetings.cancelled')}</span>
                      ) : null}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
