import { useEffect, useRef } from 'preact/hooks';
import type { EventOf, ServerEventType } from '../api/realtime_types';
import { useServices } from './services';

// Calls `handler` for each WebSocket event of `type` while mounted (always
// the latest handler, so it may read current props and state).
export function useRealtimeEvent<T extends ServerEventType>(type: T, handler: (event: EventOf<T>) => void): void {
  const { realtime } = useServices();
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => realtime.on(type, (event) => latest.current(event)), [realtime, type]);
}

// Calls `reload` after each reconnection of the WebSocket: whatever was
// pushed while it was down is fetched again over REST.
export function useReloadOnReconnect(reload: () => void): void {
  const { realtime } = useServices();
  const latest = useRef(reload);
  latest.current = reload;
  useEffect(() => realtime.reconnections.subscribe(() => latest.current()), [realtime]);
}
