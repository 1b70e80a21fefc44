import { useEffect, useRef, useState } from 'preact/hooks';
import { sameId, type Me, type Meeting } from '../api/types';
import { Link } from '../app/Link';
import { meetingPath, roomPath } from '../app/router';
import { useServices } from '../app/services';
import { useStore } from '../app/use_store';
import { useNow } from '../app/use_now';
import { useI18n, type I18n } from '../i18n/I18nContext';
import { MeetingNotFound } from '../meetings/MeetingNotFound';
import { joinState, kJoinRecheckMs } from '../state/join_window';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { afterLoadError, LoadFailed } from '../ui/LoadFailed';
import { PageHeading } from '../ui/PageHeading';
import { problemText } from '../ui/problem_text';
import styles from './Live.module.css';
import { MeetingRoom } from './MeetingRoom';
import { PreJoin } from './PreJoin';

type Load =
  | { kind: 'loading' }
  | { kind: 'loaded'; meeting: Meeting }
  | { kind: 'not-found' }
  | { kind: 'failed'; message: string };

// /meetings/{id}/live: the pre-join screen, then the room, then "you have
// left". Leaving this view (another page, the tab closing) leaves the
// meeting.
export function MeetingLiveView(props: { me: Me; meetingId: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api, media, realtime } = useServices();
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const now = useNow(kJoinRecheckMs);
  const state = useStore(media.state);
  const conference = useStore(media.conference);
  const status = useStore(realtime.status);
  const top = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let current = true;
    api.getMeeting(props.meetingId).then(
      (meeting) => current && setLoad({ kind: 'loaded', meeting }),
      (error: unknown) => current && setLoad(afterLoadError<Load>(i18n, error)),
    );
    return () => {
      current = false;
    };
  }, [api, props.meetingId, attempt]);

  // Out of the meeting when this view goes away, or the tab does.
  useEffect(() => {
    const leave = () => void media.leave(props.meetingId);
    window.addEventListener('pagehide', leave);
    return () => {
      window.removeEventListener('pagehide', leave);
      leave();
    };
  }, [media, props.meetingId]);

  const mine = state.phase !== 'idle' && sameId(state.meetingId, props.meetingId) ? state : null;
  const myConference = conference && sameId(conference.meetingId, props.meetingId) ? conference : null;
  const inRoom = mine?.phase === 'joining' || mine?.phase === 'connecting' || mine?.phase === 'in';
  const mode = inRoom ? (myConference ? 'room' : 'entering') : mine?.phase === 'left' ? 'left' : 'prejoin';

  // The button pressed gives way to the next screen: focus its top.
  useEffect(() => {
    const active = document.activeElement;
    if (!active || active === document.body) top.current?.focus();
  }, [mode]);

  if (load.kind === 'loading') return <p role="status">{t('common.loading')}</p>;
  if (load.kind === 'not-found') return <MeetingNotFound />;
  if (load.kind === 'failed') return <LoadFailed message={load.message} onRetry={() => setAttempt((n) => n + 1)} />;
  const { meeting } = load;

  let body;
  if (mode === 'room' && myConference) {
    body = <MeetingRoom meeting={meeting} me={props.me} conference={myConference} reconnecting={mine?.phase !== 'in'} />;
  } else if (mode === 'entering') {
    body = (
      <div class={styles.actions}>
        <p role="status">{t('media.joining')}</p>
        {mine?.phase === 'connecting' && status !== 'open' ? <p class={styles.help}>{t('media.waiting_connection')}</p> : null}
        <Button variant="danger" onClick={() => void media.leave(meeting.id)}>
          {t('media.leave')}
        </Button>
      </div>
    );
  } else if (mode === 'left') {
    body = (
      <div class={styles.actions}>
        <p role="status">{leftText(i18n, mine?.phase === 'left' ? mine.reason : undefined)}</p>
        <Button onClick={() => media.reset()}>{t('live.left.back')}</Button>
        <Link href={meetingPath(meeting.id)}>{t('live.back')}</Link>
      </div>
    );
  } else {
    const notice =
      mine?.phase === 'refused' ? (
        <Alert tone="error">{i18n.td(`media.refused.${mine.reason}`) ?? t('media.refused.invalid')}</Alert>
      ) : mine?.phase === 'failed' && mine.error.slug === 'knock-required' ? (
        // A hall with a lobby: knock on its page and wait for a host there.
        <Alert tone="info">
          <p>{t('rooms.knock_required_host')}</p>
          <Link href={roomPath(meeting.room.id)}>{t('rooms.knock')}</Link>
        </Alert>
      ) : mine?.phase === 'failed' ? (
        <Alert tone="error">{problemText(i18n, mine.error)}</Alert>
      ) : null;
    body = <PreJoin meeting={meeting} myName={props.me.name} notice={notice} closedNote={closedNote(i18n, meeting, mine?.phase === 'prejoin', now)} />;
  }

  return (
    <div ref={top} tabIndex={-1}>
      <PageHeading>{meeting.title}</PageHeading>
      {body}
    </div>
  );
}

// "You have left", or what a host did: removed you, ended the meeting.
function leftText(i18n: I18n, reason: string | undefined): string {
  if (reason === 'removed') return i18n.t('media.left.removed');
  if (reason === 'ended') return i18n.t('media.left.ended');
  return i18n.t('media.left');
}

// Why "Join" is not possible yet (or any more); null when it is. A room just
// entered has its pass already: always possible.
function closedNote(i18n: I18n, meeting: Meeting, hasPass: boolean, now: number): string | null {
  if (hasPass) return null;
  if (meeting.status === 'cancelled') return i18n.t('meeting.is_cancelled');
  const next = meeting.next_occurrence;
  if (!next) return null;
  const door = joinState({ ...next, join_opens_at: meeting.join_opens_at, status: meeting.status }, now);
  if (door.kind === 'before') return i18n.t('meeting.join.not_yet', { time: i18n.time(meeting.join_opens_at ?? next.starts_at) });
  if (door.kind === 'ended') return i18n.t('meeting.join.ended');
  return null;
}
