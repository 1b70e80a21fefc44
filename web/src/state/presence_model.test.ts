import { describe, expect, it } from 'vitest';
import type { Presence } from '../api/types';
import { makeServices, type FakeRequest } from '../test/harness';

// GET /presence as the server answers it: every id asked for, here "online".
const everyoneOnline = (request: FakeRequest) => ({
  body: {
    presence: Object.fromEntries(
      (request.query.get('ids') ?? 'u1')
        .split(',')
        .filter(Boolean)
        .map((id) => [id, 'online' as Presence]),
    ),
  },
});

describe('PresenceModel', () => {
  it('asks for the people watched in batches of at most 200 ids', async () => {
    const { services, calls } = makeServices({ 'GET /presence': everyoneOnline });
    const ids = Array.from({ length: 450 }, (_, i) => `e${i}`);
    await services.presence.watch([...ids, 'e0']);
    const batches = calls.filter((c) => c.path === '/presence').map((c) => (c.query.get('ids') ?? '').split(','));
    expect(batches.map((batch) => batch.length)).toEqual([200, 200, 50]);
    expect(batches.flat()).toEqual(ids);
    expect(services.presence.of('e449')).toBe('online');
    expect(services.presence.of('nobody')).toBeNull();
  });

  it('keeps a live event heard after the request was sent', async () => {
    let answer: (value: unknown) => void = () => undefined;
    const { services, sockets } = makeServices({
      'GET /presence': () =>
        new Promise((resolve) => {
          answer = () => resolve({ body: { presence: { e2: 'offline', e3: 'offline' } } });
        }),
    });
    services.realtime.start();
    sockets.last().open();
    const asked = services.presence.watch(['e2', 'e3']);
    sockets.last().receive({ type: 'presence', employee_id: 'e2', presence: 'in-meeting' });
    answer(undefined);
    await asked;
    expect(services.presence.of('e2')).toBe('in-meeting');
    expect(services.presence.of('e3')).toBe('offline');
  });

  it('asks again for oneself and the people watched on every hello', async () => {
    const { services, sockets, calls } = makeServices({ 'GET /presence': everyoneOnline });
    await services.presence.watch(['e2']);
    services.presence.setMe('u1');
    services.realtime.start();
    sockets.last().accept('u1');
    await Promise.resolve();
    const asked = () => calls.filter((c) => c.path === '/presence').map((c) => c.query.get('ids'));
    expect(asked()).toEqual(['e2', 'u1,e2']);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(services.presence.mine.get()).toBe('online');
  });

  it('shows nobody\'s presence when the server cannot tell', async () => {
    const { services } = makeServices({});
    await services.presence.watch(['e2']);
    expect(services.presence.of('e2')).toBeNull();
  });
});
