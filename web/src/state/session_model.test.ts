import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/problem';
import { kMe, kSignedIn, makeServices, problem } from '../test/harness';

describe('SessionModel', () => {
  it('is signed out when GET /session answers 401', async () => {
    const { services } = makeServices({ 'GET /session': problem('unauthenticated', 401) });
    await services.session.start();
    expect(services.session.state.get()).toEqual({ phase: 'signed-out', me: null, notice: null });
  });

  it('loads the person when the session is good', async () => {
    const { services, calls } = makeServices({ 'GET /session': kSignedIn, 'GET /me': { body: kMe } });
    await services.session.start();
    expect(services.session.phase).toBe('ready');
    expect(services.session.state.get().me?.name).toBe('Мария Иванова');
    expect(services.client.hasCsrfToken()).toBe(true);
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /session', 'GET /me']);
  });

  it('shows only the forced views while the server asks for them', async () => {
    const { services, calls } = makeServices({
      'POST /session': { body: { csrf_token: 'c', must_change_password: true, must_enroll_totp: true } },
    });
    await services.session.start().catch(() => undefined);
    await services.session.signIn({ code: 'K7M4-QX2P', password: 'x' });
    expect(services.session.phase).toBe('password-change');
    // No GET /me while the password must change: the server would refuse it.
    expect(calls.some((c) => c.path === '/me')).toBe(false);
  });

  it('goes to TOTP enrolment after the password is changed', async () => {
    let changed = false;
    const { services } = makeServices({
      'POST /session': { body: { csrf_token: 'c', must_change_password: true, must_enroll_totp: true } },
      'GET /session': () => ({ body: { csrf_token: 'c2', must_change_password: !changed, must_enroll_totp: true } }),
    });
    await services.session.signIn({ code: 'K7M4-QX2P', password: 'x' });
    changed = true;
    await services.session.refresh();
    expect(services.session.phase).toBe('totp-enrollment');
  });

  it('passes sign-in problems to the caller', async () => {
    const { services } = makeServices({ 'POST /session': problem('totp-required', 401) });
    services.session.state.set({ phase: 'signed-out', me: null, notice: null });
    const error = await services.session.signIn({ code: 'K7M4-QX2P', password: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).slug).toBe('totp-required');
    expect(services.session.phase).toBe('signed-out');
  });

  it('signs out with a notice when any request finds the session expired', async () => {
    const { services } = makeServices({
      'GET /session': kSignedIn,
      'GET /me': { body: kMe },
      'GET /employees': problem('session-expired', 401),
    });
    await services.session.start();
    await services.api.searchEmployees({}).catch(() => undefined);
    expect(services.session.state.get()).toEqual({ phase: 'signed-out', me: null, notice: 'session-expired' });
    expect(services.client.hasCsrfToken()).toBe(false);
  });

  it('switches to the forced view when the server demands it later', async () => {
    const { services } = makeServices({
      'GET /session': kSignedIn,
      'GET /me': { body: kMe },
      'GET /departments': problem('password-change-required', 403),
    });
    await services.session.start();
    await services.api.listDepartments().catch(() => undefined);
    expect(services.session.phase).toBe('password-change');
  });

  it('is unavailable when the server cannot be reached', async () => {
    const { services } = makeServices({ 'GET /session': { status: 503 } });
    await services.session.start();
    expect(services.session.phase).toBe('unavailable');
  });

  it('signs out even if the server call fails', async () => {
    const { services, calls } = makeServices({
      'GET /session': kSignedIn,
      'GET /me': { body: kMe },
      'DELETE /session': { status: 500 },
    });
    await services.session.start();
    await services.session.signOut();
    expect(services.session.state.get().notice).toBe('signed-out');
    expect(calls.at(-1)?.headers.get('X-CSRF-Token')).toBe('csrf-1');
  });

  it('knows whose session it is, from the sign-in until the workspace and no longer', async () => {
    const { services } = makeServices({
      'POST /session': { body: { csrf_token: 'c', must_change_password: true, must_enroll_totp: false } },
      'GET /session': kSignedIn,
      'GET /me': { body: kMe },
    });
    expect(services.session.personalCode).toBeNull();
    await services.session.signIn({ code: 'K7M4-QX2P', password: 'x' });
    expect(services.session.personalCode).toBe('K7M4-QX2P');
    await services.session.refresh();
    expect(services.session.phase).toBe('ready');
    expect(services.session.personalCode).toBe(kMe.code);
    await services.session.signOut();
    expect(services.session.personalCode).toBeNull();
  });
});
