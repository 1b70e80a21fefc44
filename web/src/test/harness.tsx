// Test helpers: a fake API server behind a fetch function, and the app's
// services wired to it. Not shipped (only *.test.tsx import it).
import { render } from '@testing-library/preact';
import type { ComponentChildren } from 'preact';
import { ApiClient } from '../api/client';
import { EgovboxApi } from '../api/egovbox_api';
import type { Me } from '../api/types';
import { Router } from '../app/router';
import { ServicesContext, type Services } from '../app/services';
import { I18nProvider } from '../i18n/I18nContext';
import type { Lang } from '../i18n/i18n';
import { LanguageStore } from '../i18n/language';
import { bindLiveModels, createLiveModels } from '../state/live_models';
import type { BrowserNotifier, BrowserPermission } from '../state/notification_center';
import { SessionModel } from '../state/session_model';
import { fakeSockets } from './fake_socket';
import { fakeMediaEnvironment, type FakeDevicesOptions } from './fake_webrtc';
import { fakeXhrs } from './fake_xhr';

export interface FakeRequest {
  method: string;
  path: string; // without /api/v1 and query
  query: URLSearchParams;
  headers: Headers;
  body: unknown;
}

export interface FakeResponse {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type FakeRoute = FakeResponse | ((request: FakeRequest) => FakeResponse | Promise<FakeResponse>);

export function problem(slug: string, status: number, extra: Record<string, unknown> = {}): FakeResponse {
  return {
    status,
    headers: { 'Content-Type': 'application/problem+json' },
    body: { type: `urn:egovbox:problem:${slug}`, title: slug, status, detail: `detail:${slug}`, ...extra },
  };
}

// Routes are keyed "METHOD /path"; an unknown route answers 404.
export function fakeServer(routes: Record<string, FakeRoute>) {
  const calls: FakeRequest[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input), 'http://localhost');
    const request: FakeRequest = {
      method: init?.method ?? 'GET',
      path: url.pathname.replace(/^\/api\/v1/, ''),
      query: url.searchParams,
      headers: new Headers(init?.headers),
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    calls.push(request);
    if (init?.signal?.aborted) throw new DOMException('aborted', 'AbortError');
    const route = routes[`${request.method} ${request.path}`];
    const answer = route === undefined ? problem('not-found', 404) : typeof route === 'function' ? await route(request) : route;
    const status = answer.status ?? 200;
    const headers = new Headers({ 'Content-Type': 'application/json', ...answer.headers });
    const body = status === 204 || answer.body === undefined ? null : JSON.stringify(answer.body);
    return new Response(body, { status, headers });
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

export const kMe: Me = {
  id: 'u1',
  code: 'K7M4-QX2P',
  name: 'Мария Иванова',
  email: 'maria.ivanova@example.bg',
  department: { id: 'd1', name: 'Дирекция „Административно обслужване“' },
  position: 'Главен експерт',
  roles: ['employee'],
  status: 'active',
  totp_enabled: false,
  must_change_password: false,
  must_enroll_totp: false,
};

export const kSignedIn: FakeResponse = {
  body: { csrf_token: 'csrf-1', must_change_password: false, must_enroll_totp: false },
};

// Answers for the routes that the layout and the room ask for on their own,
// so that a test need not list them; a test's own routes win.
export const kQuietRoutes: Record<string, FakeRoute> = {
  'GET /notifications': { body: { notifications: [], unread: 0 } },
  'GET /meetings/upcoming': { body: { occurrences: [] } },
  'GET /integrations/catalogue': { body: { integrations: [] } },
  'GET /rooms': {
    body: {
      personal: { id: 'r-u1', kind: 'personal', name: 'Стаята на Мария Иванова', description: '', capacity: null, lobby: false, owner: { id: 'u1', name: 'Мария Иванова' } },
      halls: [],
    },
  },
};

// The browser's Notification API as a test sees it: `shown` collects what
// would have popped up.
export function fakeNotifier(initial: BrowserPermission = 'default') {
  let permission = initial;
  const shown: Array<{ title: string; body: string; tag: string; onClick: () => void }> = [];
  const requests: number[] = [];
  const notifier: BrowserNotifier = {
    permission: () => permission,
    request: async () => {
      requests.push(1);
      permission = 'granted';
      return permission;
    },
    show: (options) => shown.push(options),
  };
  return { notifier, shown, requests };
}

export function makeServices(
  routes: Record<string, FakeRoute>,
  options: { lang?: Lang; path?: string; live?: boolean; permission?: BrowserPermission; devices?: FakeDevicesOptions } = {},
) {
  window.localStorage.clear();
  if (options.lang) window.localStorage.setItem('egovbox.lang', options.lang);
  window.history.replaceState(null, '', options.path ?? '/');
  const server = fakeServer({ ...kQuietRoutes, ...routes });
  const language = new LanguageStore(window.localStorage, document.documentElement);
  // Uploads (XMLHttpRequest) are played by the test through `uploads`.
  const uploads = fakeXhrs();
  const client = new ApiClient({ language: () => language.get(), fetch: server.fetch, xhr: uploads.create });
  const api = new EgovboxApi(client);
  const router = new Router(window);
  const sockets = fakeSockets();
  const browser = fakeNotifier(options.permission);
  // Camera, microphone and peer connections: fakes the test can inspect.
  const webrtc = fakeMediaEnvironment(options.devices);
  const live = createLiveModels({
    api,
    language: () => language.get(),
    navigate: (path) => router.navigate(path),
    url: () => 'ws://localhost/api/v1/ws',
    createSocket: sockets.createSocket,
    browser: browser.notifier,
    media: webrtc.env,
  });
  const services: Services = { client, api, session: new SessionModel(api, client), router, ...live };
  // With `live`, the WebSocket opens when the session is ready, as in the
  // app; tests play the server through `sockets.last()`.
  if (options.live) bindLiveModels(services.session, live);
  const wrap = (children: ComponentChildren) => (
    <ServicesContext.Provider value={services}>
      <I18nProvider store={language}>{children}</I18nProvider>
    </ServicesContext.Provider>
  );
  return {
    services,
    language,
    calls: server.calls,
    uploads,
    sockets,
    browser,
    webrtc,
    render: (ui: ComponentChildren) => render(<>{wrap(ui)}</>),
  };
}
