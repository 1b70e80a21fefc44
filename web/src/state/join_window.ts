// Whether an occurrence can be joined now. The server opens the door at
// join_opens_at (10 minutes before the start) and closes it at the end; the
// views ask again every kJoinRecheckMs so that the button wakes up on time.

export const kJoinRecheckMs = 15_000;

export type JoinState =
  | { kind: 'before'; opensInMs: number }
  | { kind: 'open'; started: boolean }
  | { kind: 'ended' }
  | { kind: 'cancelled' };

export interface Joinable {
  starts_at: string;
  ends_at: string;
  join_opens_at: string | null;
  status?: 'scheduled' | 'cancelled';
}

export function joinState(item: Joinable, nowMs: number): JoinState {
  if (item.status === 'cancelled') return { kind: 'cancelled' };
  const ends = Date.parse(item.ends_at);
  const starts = Date.parse(item.starts_at);
  // Without join_opens_at (none sent), the door opens at the start.
  const opens = item.join_opens_at ? Date.parse(item.join_opens_at) : starts;
  if (nowMs >= ends) return { kind: 'ended' };
  if (nowMs < opens) return { kind: 'before', opensInMs: opens - nowMs };
  return { kind: 'open', started: nowMs >= starts };
}

export function canJoin(item: Joinable, nowMs: number): boolean {
  return joinState(item, nowMs).kind === 'open';
}

// The parts of a countdown, rounded up to the minute (a meeting "in 0
// minutes" has started): days, hours and minutes.
export function countdownParts(ms: number): { days: number; hours: number; minutes: number } {
  const totalMinutes = Math.max(0, Math.ceil(ms / 60_000));
  return {
    days: Math.floor(totalMinutes / 1440),
    hours: Math.floor((totalMinutes % 1440) / 60),
    minutes: totalMinutes % 60,
  };
}
