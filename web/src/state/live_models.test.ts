import { waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { kMe, kSignedIn, makeServices, problem } from '../test/harness';

describe('bindLiveModels', () => {
  it('opens the WebSocket only in the workspace and closes it on sign-out', async () => {
    const { services, sockets } = makeServices(
      {
        'GET /session': { body: { csrf_token: 'c', must_change_password: true, must_enroll_totp: false } },
        'DELETE /session': { status: 204 },
        'GET /presence': { body: { presence: { u1: 'do-not-disturb' } } },
      },
      { live: true },
    );
    await services.session.start();
    // A forced step is pending: no socket.
    expect(sockets.sockets).toHaveLength(0);
    services.session.state.set({ phase: 'ready', me: kMe, notice: null });
    expect(sockets.sockets).toHaveLength(1);
    expect(sockets.last().url).toBe('ws://localhost/api/v1/ws');
    sockets.last().accept();
    // One's own presence (do not disturb is kept across sign-ins) is asked
    // for on the hello.
    await waitFor(() => expect(services.presence.mine.get()).toBe('do-not-disturb'));
    expect(services.presence.doNotDisturb.get()).toBe(true);
    await services.session.signOut();
    expect(sockets.last().closed).toBe(true);
    expect(services.realtime.status.get()).toBe('stopped');
    expect(services.presence.mine.get()).toBeNull();
  });

  it('loads the notifications on each hello (the hello has no count)', async () => {
    const { services, calls, sockets } = makeServices(
      {
        'GET /session': kSignedIn,
        'GET /me': { body: kMe },
        'GET /notifications': { body: { notifications: [], unread: 3 } },
      },
      { live: true },
    );
    await services.session.start();
    expect(calls.map((c) => c.path)).not.toContain('/notifications');
    sockets.last().accept();
    await waitFor(() => expect(services.notifications.state.get().unread).toBe(3));
    expect(calls.filter((c) => c.path === '/notifications')).toHaveLength(1);
  });

  it('still loads the notifications when the socket cannot connect', async () => {
    const { services, calls, sockets } = makeServices(
      { 'GET /session': kSignedIn, 'GET /me': { body: kMe }, 'GET /notifications': problem('server-error', 500) },
      { live: true },
    );
    await services.session.start();
    sockets.last().drop();
    expect(calls.map((c) => c.path)).toContain('/notifications');
    await waitFor(() => expect(services.notifications.state.get().status).toBe('error'));
  });
});
