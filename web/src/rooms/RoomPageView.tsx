import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/problem';
import { sameId, type Me, type Room } from '../api/types';
import { Link } from '../app/Link';
import { meetingLivePath } from '../app/router';
import { useServices } from '../app/services';
import { useStore } from '../app/use_store';
import { useI18n } from '../i18n/I18nContext';
import { KnockRequest } from '../state/knock_request';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { PageHeading } from '../ui/PageHeading';
import { errorText, problemText } from '../ui/problem_text';
import styles from './Rooms.module.css';

type Load = { kind: 'loading' } | { kind: 'loaded'; room: Room } | { kind: 'not-found' } | { kind: 'failed'; message: string };

// Outcome of the last "Enter".
type Entry =
  | { kind: 'none' }
  | { kind: 'entering' }
  | { kind: 'knock-required' }
  | { kind: 'not-invited' }
  | { kind: 'failed'; message: string };

// A room's page (someone's personal room, or a hall): "Enter"; when the
// owner must let one in, "Knock" and wait for the answer (live, with a poll
// every 5 s as a fallback); once admitted, enter: the meeting's pre-join
// screen, with the pass already at hand.
export function RoomPageView(props: { me: Me; roomId: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api, media, router, realtime } = useServices();
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [entry, setEntry] = useState<Entry>({ kind: 'none' });
  const knock = useMemo(() => new KnockRequest(api, realtime, props.roomId), [api, realtime, props.roomId]);
  const knockState = useStore(knock.state);
  const status = useRef<HTMLDivElement>(null);

  useEffect(() => () => knock.dispose(), [knock]);
  useEffect(() => {
    setLoad({ kind: 'loading' });
    api.getRoom(props.roomId).then(
      (room) => setLoad({ kind: 'loaded', room }),
      (error: unknown) => {
        if (error instanceof ApiError && error.status === 404) setLoad({ kind: 'not-found' });
        else setLoad({ kind: 'failed', message: errorText(i18n, error) });
      },
    );
  }, [api, props.roomId]);

  const enter = async () => {
    if (entry.kind === 'entering') return;
    setEntry({ kind: 'entering' });
    try {
      const meetingId = await media.joinRoom(props.roomId);
      router.navigate(meetingLivePath(meetingId));
    } catch (error) {
      if (error instanceof ApiError && error.slug === 'knock-required') setEntry({ kind: 'knock-required' });
      else if (error instanceof ApiError && error.slug === 'not-invited') setEntry({ kind: 'not-invited' });
      else setEntry({ kind: 'failed', message: errorText(i18n, error) });
    }
  };

  // Admitted (or no knock needed after all): go in.
  useEffect(() => {
    if (knockState.kind === 'admitted' || knockState.kind === 'not-needed') void enter();
  }, [knockState.kind]);

  // The button pressed gives way to the next step; focus its message.
  useEffect(() => {
    const active = document.activeElement;
    if (!active || active === document.body) status.current?.focus();
  }, [entry.kind, knockState.kind]);

  if (load.kind === 'loading') return <p role="status">{t('common.loading')}</p>;
  if (load.kind === 'not-found') {
    return (
      <>
        <PageHeading>{t('rooms.not_found.title')}</PageHeading>
        <p>{t('rooms.not_found.text')}</p>
      </>
    );
  }
  if (load.kind === 'failed') return <Alert tone="error">{load.message}</Alert>;

  const { room } = load;
  const ownerName = room.owner?.name ?? t('rooms.the_owner');
  const mine = room.kind === 'personal' && sameId(room.owner?.id, props.me.id);
  const waiting = knockState.kind === 'waiting' || knockState.kind === 'knocking';
  // A hall's lobby is answered by the meeting's hosts, not by an owner.
  const hall = room.kind === 'hall';

  let step;
  if (waiting) {
    step = (
      <>
        <p role="status">{hall ? t('rooms.waiting_host') : t('rooms.waiting', { name: ownerName })}</p>
        <Button variant="secondary" onClick={() => void knock.withdraw()}>
          {t('rooms.withdraw')}
        </Button>
      </>
    );
  } else if (knockState.kind === 'admitted' && entry.kind !== 'failed' && entry.kind !== 'knock-required') {
    step = <p role="status">{hall ? t('rooms.admitted_host') : t('rooms.admitted', { name: ownerName })}</p>;
  } else if (knockState.kind === 'declined' || knockState.kind === 'withdrawn') {
    step = (
      <>
        <Alert tone={knockState.kind === 'declined' ? 'error' : 'info'}>
          {knockState.kind === 'declined'
            ? hall
              ? t('rooms.declined_host')
              : t('rooms.declined', { name: ownerName })
            : t('rooms.withdrawn')}
        </Alert>
        <Button onClick={() => void knock.knock()}>{t('rooms.knock')}</Button>
      </>
    );
  } else if (knockState.kind === 'failed') {
    step = (
      <>
        <Alert tone="error">{problemText(i18n, knockState.error)}</Alert>
        <Button onClick={() => void knock.knock()}>{t('rooms.knock')}</Button>
      </>
    );
  } else if (entry.kind === 'knock-required') {
    step = (
      <>
        <p>{hall ? t('rooms.knock_required_host') : t('rooms.knock_required', { name: ownerName })}</p>
        <Button onClick={() => void knock.knock()}>{t('rooms.knock')}</Button>
      </>
    );
  } else if (entry.kind === 'not-invited') {
    step = <Alert tone="error">{t('rooms.not_invited')}</Alert>;
  } else {
    step = (
      <>
        {entry.kind === 'failed' ? <Alert tone="error">{entry.message}</Alert> : null}
        {entry.kind === 'entering' ? <p role="status">{t('media.joining')}</p> : null}
        <Button aria-disabled={entry.kind === 'entering' ? 'true' : undefined} onClick={() => void enter()}>
          {mine ? t('room.enter') : t('rooms.enter')}
        </Button>
      </>
    );
  }

  return (
    <>
      <PageHeading>{room.name}</PageHeading>
      <p class={styles.lead}>
        {room.kind === 'personal'
          ? mine
            ? t('rooms.your_room')
            : t('rooms.personal_of', { name: ownerName })
          : t('rooms.hall')}
      </p>
      {room.description ? <p>{room.description}</p> : null}
      {room.kind === 'hall' ? (
        <p class={styles.facts}>
          {room.capacity ? <span>{t('rooms.capacity', { count: room.capacity })}</span> : null}
          {room.lobby ? <span>{t('rooms.lobby')}</span> : null}
        </p>
      ) : null}
      <div ref={status} tabIndex={-1} class={styles.step} data-testid="room-entry">
        {step}
      </div>
      {mine ? null : (
        <p>
          <Link href="/">{t('not_found.home')}</Link>
        </p>
      )}
    </>
  );
}
