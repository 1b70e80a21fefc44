import { Link } from '../app/Link';
import { kPaths } from '../app/router';
import { useNow } from '../app/use_now';
import { useI18n } from '../i18n/I18nContext';
import { countdownParts, joinState, kJoinRecheckMs } from '../state/join_window';
import { Alert } from '../ui/Alert';
import { buttonClass } from '../ui/Button';
import { Card } from '../ui/Card';
import listStyles from '../ui/ItemList.module.css';
import { errorText } from '../ui/problem_text';
import { OccurrenceItem } from '../meetings/OccurrenceItem';
import { useUpcoming } from '../meetings/use_upcoming';
import styles from './RoomView.module.css';

const kShown = 3;

// The room's "Upcoming meetings": a countdown to the next meeting, the next
// few with their join buttons, and the way to schedule one.
export function UpcomingMeetingsCard() {
  const i18n = useI18n();
  const { t } = i18n;
  const now = useNow(kJoinRecheckMs);
  const { load } = useUpcoming();
  const coming = load.occurrences.filter((o) => o.status !== 'cancelled' && Date.parse(o.ends_at) > now);
  const next = coming[0];
  const state = next ? joinState(next, now) : null;
  const untilStart = next ? Date.parse(next.starts_at) - now : 0;

  return (
    <Card
      title={t('room.meetings.title')}
      actions={
        <Link href={kPaths.meetingNew} class={buttonClass('secondary')}>
          {t('meetings.schedule')}
        </Link>
      }
    >
      {load.status === 'failed' ? <Alert tone="error">{errorText(i18n, load.error)}</Alert> : null}
      {coming.length === 0 ? (
        load.status === 'loading' ? (
          <p role="status">{t('common.loading')}</p>
        ) : (
          <p class={styles.empty}>{t('room.meetings.empty')}</p>
        )
      ) : (
        <>
          <p class={styles.countdown} data-testid="next-meeting-countdown">
            {untilStart <= 0 || state?.kind === 'ended'
              ? t('room.meetings.now')
              : untilStart < 60_000
                ? t('room.meetings.next_soon')
                : t('room.meetings.next', { time: i18n.seconds(countdownSeconds(untilStart)) })}
          </p>
          <ul class={listStyles.list}>
            {coming.slice(0, kShown).map((occurrence) => (
              <OccurrenceItem
                key={`${String(occurrence.meeting_id)}|${occurrence.occurrence}`}
                occurrence={occurrence}
                showDate
              />
            ))}
          </ul>
        </>
      )}
      <p class={styles.more}>
        <Link href={kPaths.meetings}>{t('room.meetings.all')}</Link>
      </p>
    </Card>
  );
}

// Whole minutes, rounded up, as seconds for formatSeconds.
function countdownSeconds(ms: number): number {
  const { days, hours, minutes } = countdownParts(ms);
  return ((days * 24 + hours) * 60 + minutes) * 60;
}
