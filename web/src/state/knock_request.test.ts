import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeServices, problem } from '../test/harness';
import { KnockRequest } from './knock_request';

describe('KnockRequest', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('polls GET /knocks/{id} every 5 s when no event comes', async () => {
    let status = 'pending';
    const { services, calls } = makeServices({
      'POST /rooms/r1/knocks': { status: 201, body: { id: 'k1', room_id: 'r1', status: 'pending' } },
      'GET /knocks/k1': () => ({ body: { id: 'k1', room_id: 'r1', status, meeting_id: status === 'admitted' ? 'm1' : null } }),
    });
    const knock = new KnockRequest(services.api, services.realtime, 'r1');
    await knock.knock();
    expect(knock.state.get()).toEqual({ kind: 'waiting', knockId: 'k1' });
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls.filter((c) => c.path === '/knocks/k1')).toHaveLength(1);
    status = 'admitted';
    await vi.advanceTimersByTimeAsync(5000);
    expect(knock.state.get()).toEqual({ kind: 'admitted', meetingId: 'm1' });
    await vi.advanceTimersByTimeAsync(20_000);
    expect(calls.filter((c) => c.path === '/knocks/k1')).toHaveLength(2);
    knock.dispose();
  });

  it('goes straight in when no knock is needed', async () => {
    const { services } = makeServices({ 'POST /rooms/r1/knocks': problem('knock-not-needed', 409) });
    const knock = new KnockRequest(services.api, services.realtime, 'r1');
    await knock.knock();
    expect(knock.state.get()).toEqual({ kind: 'not-needed' });
  });

  it('ignores answers about other knocks and stops polling when disposed', async () => {
    const { services, calls, sockets } = makeServices({
      'POST /rooms/r1/knocks': { status: 201, body: { id: 'k1', room_id: 'r1', status: 'pending' } },
      'GET /knocks/k1': { body: { id: 'k1', room_id: 'r1', status: 'pending', meeting_id: null } },
    });
    services.realtime.start();
    sockets.last().accept();
    const knock = new KnockRequest(services.api, services.realtime, 'r1');
    await knock.knock();
    sockets.last().receive({ type: 'knock.answered', knock: { id: 'k2', room_id: 'r1', status: 'declined', meeting_id: null } });
    expect(knock.state.get().kind).toBe('waiting');
    knock.dispose();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(calls.filter((c) => c.path === '/knocks/k1')).toHaveLength(0);
  });
});
