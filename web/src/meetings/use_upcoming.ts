import { useEffect, useRef, useState } from 'preact/hooks';
import type { Occurrence } from '../api/types';
import { isAbort } from '../api/client';
import { useServices } from '../app/services';
import { useReloadOnReconnect, useRealtimeEvent } from '../app/use_realtime';

export type UpcomingLoad =
  | { status: 'loading'; occurrences: Occurrence[] }
  | { status: 'loaded'; occurrences: Occurrence[] }
  | { status: 'failed'; occurrences: Occurrence[]; error: unknown };

// The person's occurrences between two instants (RFC 3339; both undefined:
// the server's default, the next 7 days), kept fresh: loaded again when a
// meeting changes (meeting.changed, a meeting notification) and after a
// reconnection of the WebSocket.
export function useUpcoming(from?: string, to?: string): { load: UpcomingLoad; reload: () => void } {
  const { api } = useServices();
  const [load, setLoad] = useState<UpcomingLoad>({ status: 'loading', occurrences: [] });
  const controller = useRef<AbortController | null>(null);

  const reload = () => {
    controller.current?.abort();
    const mine = new AbortController();
    controller.current = mine;
    setLoad((old) => ({ status: 'loading', occurrences: old.occurrences }));
    api.upcomingMeetings({ from, to }, mine.signal).then(
      (answer) => {
        if (controller.current === mine) setLoad({ status: 'loaded', occurrences: answer.occurrences });
      },
      (error: unknown) => {
        if (isAbort(error) || controller.current !== mine) return;
        setLoad((old) => ({ status: 'failed', occurrences: old.occurrences, error }));
      },
    );
  };

  useEffect(() => {
    reload();
    return () => controller.current?.abort();
  }, [from, to]);
  useRealtimeEvent('meeting.changed', () => reload());
  useRealtimeEvent('notification', (event) => {
    if (event.notification.kind.startsWith('meeting.') && event.notification.kind !== 'meeting.reminder') reload();
  });
  useReloadOnReconnect(reload);
  return { load, reload };
}
