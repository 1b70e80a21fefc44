import { describe, expect, it } from 'vitest';
import { canJoin, countdownParts, joinState } from './join_window';

const item = {
  starts_at: '2026-05-04T07:00:00Z',
  ends_at: '2026-05-04T08:00:00Z',
  join_opens_at: '2026-05-04T06:50:00Z',
};
const at = (iso: string) => Date.parse(iso);

describe('joinState', () => {
  it('is closed before join_opens_at and says how long until it opens', () => {
    expect(joinState(item, at('2026-05-04T06:49:00Z'))).toEqual({ kind: 'before', opensInMs: 60_000 });
    expect(canJoin(item, at('2026-05-04T06:49:59Z'))).toBe(false);
  });

  it('opens at join_opens_at, before the start', () => {
    expect(joinState(item, at('2026-05-04T06:50:00Z'))).toEqual({ kind: 'open', started: false });
    expect(joinState(item, at('2026-05-04T07:00:00Z'))).toEqual({ kind: 'open', started: true });
  });

  it('stays open until the end, not after', () => {
    expect(canJoin(item, at('2026-05-04T07:59:59Z'))).toBe(true);
    expect(joinState(item, at('2026-05-04T08:00:00Z'))).toEqual({ kind: 'ended' });
  });

  it('never opens for a cancelled occurrence', () => {
    expect(joinState({ ...item, status: 'cancelled' }, at('2026-05-04T07:10:00Z'))).toEqual({ kind: 'cancelled' });
  });

  it('opens at the start when the server gave no join_opens_at', () => {
    expect(canJoin({ ...item, join_opens_at: null }, at('2026-05-04T06:55:00Z'))).toBe(false);
    expect(canJoin({ ...item, join_opens_at: null }, at('2026-05-04T07:00:00Z'))).toBe(true);
  });
});

describe('countdownParts', () => {
  it('rounds up to whole minutes and splits into days, hours, minutes', () => {
    expect(countdownParts(1)).toEqual({ days: 0, hours: 0, minutes: 1 });
    expect(countdownParts(60_000 * 135)).toEqual({ days: 0, hours: 2, minutes: 15 });
    expect(countdownParts(86_400_000 + 60_000)).toEqual({ days: 1, hours: 0, minutes: 1 });
    expect(countdownParts(-5)).toEqual({ days: 0, hours: 0, minutes: 0 });
  });
});
