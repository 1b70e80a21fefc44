import { describe, expect, it, vi } from 'vitest';
import { fakeXhrs } from '../test/fake_xhr';
import { problem, fakeServer } from '../test/harness';
import { ApiClient, isAbort } from './client';
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

describe('ApiClient.upload', () => {
  function makeUploader(lang: 'bg' | 'en' = 'bg') {
    const xhrs = fakeXhrs();
    const client = new ApiClient({ language: () => lang, fetch: fakeServer({}).fetch, xhr: xhrs.create });
    client.setCsrfToken('tok');
    return { client, xhrs };
  }
  const file = new Blob(['%PDF-1.7 …'], { type: 'application/pdf' });

  it('POSTs the raw file with the query, the CSRF token and the language, and reports progress', async () => {
    const { client, xhrs } = makeUploader('en');
    const progress: Array<[number, number]> = [];
    const answer = client.upload<{ id: string }>('/documents', file, {
      query: { title: 'Отчет 2026', file_name: 'a&b.pdf', description: '' },
      onProgress: (loaded, total) => progress.push([loaded, total]),
    });
    const xhr = xhrs.last();
    expect(xhr.method).toBe('POST');
    expect(xhr.path).toBe('/documents');
    expect(xhr.query.get('title')).toBe('Отчет 2026');
    expect(xhr.query.get('file_name')).toBe('a&b.pdf');
    expect(xhr.query.has('description')).toBe(false);
    expect(xhr.headers).toMatchObject({
      'Content-Type': 'application/octet-stream',
      'X-CSRF-Token': 'tok',
      'Accept-Language': 'en',
    });
    expect(xhr.body).toBe(file);
    xhr.progress(4, 10);
    xhr.progress(7, 0, false);
    xhr.respond(202, { id: 'd1' });
    await expect(answer).resolves.toEqual({ status: 202, body: { id: 'd1' } });
    expect(progress).toEqual([
      [4, 10],
      [7, file.size],
    ]);
  });

  it('turns a problem answer into an ApiError and tells the listeners', async () => {
    const { client, xhrs } = makeUploader();
    const listener = vi.fn();
    client.onError(listener);
    const answer = client.upload('/documents', file).catch((e: unknown) => e);
    xhrs.last().fail('document-type-not-allowed', 415, 'Файлове от вида application/x-msdownload не се приемат.');
    const error = (await answer) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.slug).toBe('document-type-not-allowed');
    expect(error.status).toBe(415);
    expect(error.detail).toBe('Файлове от вида application/x-msdownload не се приемат.');
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('aborts the request when the signal aborts, rejecting with an AbortError', async () => {
    const { client, xhrs } = makeUploader();
    const controller = new AbortController();
    const answer = client.upload('/documents', file, { signal: controller.signal }).catch((e: unknown) => e);
    controller.abort();
    expect(xhrs.last().aborted).toBe(true);
    const error = await answer;
    expect(isAbort(error)).toBe(true);
  });

  it('reports a connection that failed as network-error', async () => {
    const { client, xhrs } = makeUploader();
    const answer = client.upload('/documents', file).catch((e: unknown) => e);
    xhrs.last().networkError();
    expect(((await answer) as ApiError).is('network-error')).toBe(true);
  });
});

describe('ApiClient.bytes', () => {
  it('answers the body as bytes, and an error as an ApiError', async () => {
    const fetch = async (input: RequestInfo | URL) =>
      String(input).endsWith('/ok')
        ? new Response(new Uint8Array([37, 80, 68, 70]), { status: 200, headers: { 'Content-Type': 'application/pdf' } })
        : new Response(JSON.stringify({ type: 'urn:egovbox:problem:document-not-found', status: 404 }), {
            status: 404,
            headers: { 'Content-Type': 'application/problem+json' },
          });
    const client = new ApiClient({ language: () => 'bg', fetch: fetch as typeof globalThis.fetch });
    expect([...(await client.bytes('/ok'))]).toEqual([37, 80, 68, 70]);
    const error = (await client.bytes('/missing').catch((e: unknown) => e)) as ApiError;
    expect(error.slug).toBe('document-not-found');
  });
});
