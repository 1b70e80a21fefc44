import { describe, expect, it, vi } from 'vitest';
import { problem, fakeServer } from '../test/harness';
import { ApiClient } from './client';
import { ApiError } from './problem';

function makeClient(routes: Parameters<typeof fakeServer>[0], lang: 'bg' | 'en' = 'bg') {
  const server = fakeServer(routes);
  let current = lang;
  const client = new ApiClient({ language: () => current, fetch: server.fetch });
  return { client, calls: server.calls, setLang: (next: 'bg' | 'en') => (current = next) };
}

describe('ApiClient', () => {
  it('sends Accept-Language in the current language', async () => {
    const { client, calls, setLang } = makeClient({ 'GET /me': { body: {} } });
    await client.request('GET', '/me');
    setLang('en');
    await client.request('GET', '/me');
    expect(calls.map((c) => c.headers.get('Accept-Language'))).toEqual(['bg', 'en']);
  });

  it('adds the CSRF token to state-changing requests except signing in', async () => {
    const { client, calls } = makeClient({
      'POST /session': { body: {} },
      'GET /me': { body: {} },
      'POST /me/password': { status: 204 },
      'DELETE /me/sessions/s1': { status: 204 },
    });
    client.setCsrfToken('tok');
    await client.request('POST', '/session', { body: {} });
    await client.request('GET', '/me');
    await client.request('POST', '/me/password', { body: {} });
    await client.request('DELETE', '/me/sessions/s1');
    expect(calls.map((c) => c.headers.get('X-CSRF-Token'))).toEqual([null, null, 'tok', 'tok']);
  });

  it('sends JSON and builds the query string', async () => {
    const { client, calls } = makeClient({ 'GET /employees': { body: { items: [] } } });
    await client.request('GET', '/employees', { query: { q: 'Иван', department: '' } });
    expect(calls[0].query.get('q')).toBe('Иван');
    expect(calls[0].query.has('department')).toBe(false);
  });

  it('returns undefined for 204', async () => {
    const { client } = makeClient({ 'DELETE /session': { status: 204 } });
    await expect(client.request('DELETE', '/session')).resolves.toBeUndefined();
  });

  it('turns problem+json into an ApiError with slug, detail and extras', async () => {
    const { client } = makeClient({
      'POST /me/password': problem('weak-password', 400, { violations: ['too-short', 'too-common'] }),
    });
    const error = await client.request('POST', '/me/password', { body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.slug).toBe('weak-password');
    expect(apiError.status).toBe(400);
    expect(apiError.detail).toBe('detail:weak-password');
    expect(apiError.stringList('violations')).toEqual(['too-short', 'too-common']);
  });

  it('reads retry_after, falling back to the Retry-After header', async () => {
    const { client } = makeClient({
      'POST /session': problem('too-many-attempts', 429, { retry_after: 90 }),
      'POST /other': { ...problem('too-many-attempts', 429), headers: { 'Content-Type': 'application/problem+json', 'Retry-After': '30' } },
    });
    const first = (await client.request('POST', '/session').catch((e: unknown) => e)) as ApiError;
    const second = (await client.request('POST', '/other').catch((e: unknown) => e)) as ApiError;
    expect(first.retryAfter).toBe(90);
    expect(second.retryAfter).toBe(30);
  });

  it('copes with an error body that is not a problem document', async () => {
    const { client } = makeClient({ 'GET /me': { status: 502, headers: { 'Content-Type': 'text/html' }, body: '<html>' } });
    const error = (await client.request('GET', '/me').catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(502);
    expect(error.slug).toBe('');
    expect(error.detail).toBeNull();
  });

  it('reports a failed fetch as network-error', async () => {
    const client = new ApiClient({ language: () => 'bg', fetch: () => Promise.reject(new TypeError('offline')) });
    const error = (await client.request('GET', '/me').catch((e: unknown) => e)) as ApiError;
    expect(error.is('network-error')).toBe(true);
  });

  it('tells listeners about errors unless the request is quiet', async () => {
    const { client } = makeClient({ 'GET /me': problem('session-expired', 401) });
    const listener = vi.fn();
    client.onError(listener);
    await client.request('GET', '/me').catch(() => undefined);
    await client.request('GET', '/me', { quiet: true }).catch(() => undefined);
    expect(listener).toHaveBeenCalledTimes(1);
    expect((listener.mock.calls[0][0] as ApiError).slug).toBe('session-expired');
  });
});
