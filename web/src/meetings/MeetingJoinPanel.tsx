import { useEffect, useRef } from 'preact/hooks';
import { sameId, type Meeting } from '../api/types';
import { Link } from '../app/Link';
import { meetingLivePath } from '../app/router';
import { useServices } from '../app/services';
import { useNow } from '../app/use_now';
import { useStore } from '../app/use_store';
import { useI18n } from '../i18n/I18nContext';
import { joinState, kJoinRecheckMs } from '../state/join_window';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import pageStyles from '../ui/Page.module.css';
import { problemText } from '../ui/problem_text';
import styles from './Meetings.module.css';

// Joining the meeting from its page: "Join" while the door is open
// (join_opens_at … end of the next occurrence, checked every 15 s) goes to
// the pre-join screen (/meetings/{id}/live). While this tab is in the
// meeting, a link back to its room.
export function MeetingJoinPanel(props: { meeting: Meeting }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { media, router } = useServices();
  const state = useStore(media.state);
  const now = useNow(kJoinRecheckMs);
  const panel = useRef<HTMLDivElement>(null);
  const { meeting } = props;
  const mine = state.phase !== 'idle' && sameId(state.meetingId, meeting.id) ? state : null;
  const phase = mine?.phase ?? 'idle';

  // The button pressed is replaced by the next state: keep focus in here.
  useEffect(() => {
    const active = document.activeElement;
    if (!active || active === document.body) panel.current?.focus();
  }, [phase]);

  const next = meeting.next_occurrence;
  const door = next
    ? joinState({ ...next, join_opens_at: meeting.join_opens_at, status: meeting.status }, now)
    : null;

  const joinButton =
    door && door.kind === 'open' ? (
      <Button onClick={() => router.navigate(meetingLivePath(meeting.id))}>{t('meetings.join')}</Button>
    ) : null;

  let body;
  if (mine?.phase === 'joining' || mine?.phase === 'connecting' || mine?.phase === 'in') {
    body = (
      <div class={styles.inMeeting} data-testid="in-meeting">
        <p role="status">{mine.phase === 'in' ? t('media.in') : t('media.joining')}</p>
        <Link href={meetingLivePath(meeting.id)}>{t('live.go')}</Link>
      </div>
    );
  } else {
    const notice =
      mine?.phase === 'refused' ? (
        <Alert tone="error">{i18n.td(`media.refused.${mine.reason}`) ?? t('media.refused.invalid')}</Alert>
      ) : mine?.phase === 'failed' ? (
        <Alert tone="error">{problemText(i18n, mine.error)}</Alert>
      ) : mine?.phase === 'left' ? (
        <p role="status">{t('media.left')}</p>
      ) : null;
    body = (
      <>
        {notice}
        {meeting.status === 'cancelled' ? null : next === null || door === null ? (
          <p>{t('meeting.join.none')}</p>
        ) : (
          <>
            <p>{t('meeting.join.next', { when: i18n.timeRange(next.starts_at, next.ends_at) })}</p>
            {door.kind === 'before' ? (
              <p class={pageStyles.muted}>
                {t('meeting.join.not_yet', { time: i18n.time(meeting.join_opens_at ?? next.starts_at) })}
              </p>
            ) : door.kind === 'ended' ? (
              <p class={pageStyles.muted}>{t('meeting.join.ended')}</p>
            ) : null}
            {joinButton}
          </>
        )}
      </>
    );
  }
  return (
    <div ref={panel} tabIndex={-1} data-testid="join-panel">
      {body}
    </div>
  );
}
