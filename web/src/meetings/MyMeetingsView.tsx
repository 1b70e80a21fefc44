import { useMemo } from 'preact/hooks';
import type { Occurrence } from '../api/types';
import { Link } from '../app/Link';
import { kPaths } from '../app/router';
import { useNow } from '../app/use_now';
import { useI18n } from '../i18n/I18nContext';
import { addDays, sofiaDayStartUtc, sofiaToday, utcToSofiaWall } from '../state/sofia_time';
import { Alert } from '../ui/Alert';
import { buttonClass } from '../ui/Button';
import { Card } from '../ui/Card';
import { classes } from '../ui/classes';
import listStyles from '../ui/ItemList.module.css';
import pageStyles from '../ui/Page.module.css';
import { PageHeading } from '../ui/PageHeading';
import { errorText } from '../ui/problem_text';
import styles from './Meetings.module.css';
import { OccurrenceItem } from './OccurrenceItem';
import { useUpcoming } from './use_upcoming';
import { WeekCalendar } from './WeekCalendar';

// "My meetings": today, the next 7 days, and a week calendar; all times in
// Europe/Sofia.
export function MyMeetingsView() {
  const i18n = useI18n();
  const { t } = i18n;
  // The day changes at midnight in Sofia; a minute's precision is plenty.
  const today = sofiaToday(useNow(60_000));
  const from = useMemo(() => sofiaDayStartUtc(today), [today]);
  const to = useMemo(() => sofiaDayStartUtc(addDays(today, 8)), [today]);
  const { load } = useUpcoming(from, to);
  const dayOf = (occurrence: Occurrence) => utcToSofiaWall(occurrence.starts_at).date;
  const todays = load.occurrences.filter((o) => dayOf(o) === today);
  const later = load.occurrences.filter((o) => dayOf(o) > today);

  return (
    <>
      <div class={classes(pageStyles.headingRow, styles.headingRow)}>
        <PageHeading>{t('meetings.title')}</PageHeading>
        <Link href={kPaths.meetingNew} class={buttonClass()}>
          {t('meetings.schedule')}
        </Link>
      </div>
      {load.status === 'failed' ? <Alert tone="error">{errorText(i18n, load.error)}</Alert> : null}
      <div class={styles.columns}>
        <Card title={t('meetings.today')}>
          <OccurrenceList loading={load.status === 'loading'} items={todays} empty={t('meetings.today_empty')} />
        </Card>
        <Card title={t('meetings.week')}>
          <OccurrenceList
            loading={load.status === 'loading'}
            items={later}
            empty={t('meetings.week_empty')}
            showDate
          />
        </Card>
      </div>
      <WeekCalendar today={today} />
    </>
  );
}

function OccurrenceList(props: { loading: boolean; items: Occurrence[]; empty: string; showDate?: boolean }) {
  const { t } = useI18n();
  if (props.items.length === 0) {
    return props.loading ? <p role="status">{t('common.loading')}</p> : <p class={pageStyles.muted}>{props.empty}</p>;
  }
  return (
    <ul class={listStyles.list}>
      {props.items.map((occurrence) => (
        <OccurrenceItem
          key={`${String(occurrence.meeting_id)}|${occurrence.occurrence}`}
          occurrence={occurrence}
          showDate={props.showDate}
        />
      ))}
    </ul>
  );
}
