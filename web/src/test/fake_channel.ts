// A signaling channel stand-in for the meeting room's tests: records what
// the client sends and lets the test play the server's events. Not shipped.
import type { ClientMessage, ServerEvent } from '../api/realtime_types';
import type { SignalingChannel } from '../media/conference';

export interface FakeChannel {
  channel: SignalingChannel;
  // Every message sent, oldest first.
  sent: ClientMessage[];
  // Delivers `event` to the handlers registered for its type.
  emit: (event: ServerEvent) => void;
  // How many handlers are registered (0 once everything unsubscribed).
  listeners: () => number;
}

export function fakeChannel(): FakeChannel {
  const handlers = new Map<string, Set<(event: ServerEvent) => void>>();
  const sent: ClientMessage[] = [];
  const channel: SignalingChannel = {
    send: (message) => {
      sent.push(message);
      return true;
    },
    on: (type, handler) => {
      const set = handlers.get(type) ?? new Set();
      handlers.set(type, set);
      const stored = handler as (event: ServerEvent) => void;
      set.add(stored);
      return () => set.delete(stored);
    },
  };
  const emit = (event: ServerEvent) => {
    for (const handler of [...(handlers.get(event.type) ?? [])]) handler(event);
  };
  const listeners = () => [...handlers.values()].reduce((n, set) => n + set.size, 0);
  return { channel, sent, emit, listeners };
}
