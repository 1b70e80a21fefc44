import { Store } from '../state/store';

export type RouteName =
  | 'room'
  | 'meetings'
  | 'meeting-new'
  | 'meeting'
  | 'meeting-edit'
  | 'meeting-live'
  | 'room-page'
  | 'documents'
  | 'document-new'
  | 'document'
  | 'halls'
  | 'integrations'
  | 'integration-new'
  | 'integration'
  | 'integration-details'
  | 'notifications'
  | 'colleagues'
  | 'security'
  | 'signin'
  | 'oidc-consent'
  | 'not-found';

const kRoutes: Record<string, RouteName> = {
  '/': 'room',
  '/meetings': 'meetings',
  '/meetings/new': 'meeting-new',
  '/documents': 'documents',
  '/documents/new': 'document-new',
  '/halls': 'halls',
  '/integrations': 'integrations',
  '/integrations/new': 'integration-new',
  '/notifications': 'notifications',
  '/colleagues': 'colleagues',
  '/security': 'security',
  '/signin': 'signin',
};

// Paths with an id: /meetings/{id}, /meetings/{id}/edit, /meetings/{id}/live
// (the pre-join screen and the room), /rooms/{id}, /documents/{id},
// /integrations/{id} (an embedded portal) and /integrations/{id}/details
// (the request, its decisions).
const kParamRoutes: Array<[RegExp, RouteName]> = [
  [/^\/meetings\/([^/]+)$/, 'meeting'],
  [/^\/meetings\/([^/]+)\/edit$/, 'meeting-edit'],
  [/^\/meetings\/([^/]+)\/live$/, 'meeting-live'],
  [/^\/rooms\/([^/]+)$/, 'room-page'],
  [/^\/documents\/([^/]+)$/, 'document'],
  // A portal's sign-in request waiting for consent (docs/integrations.md).
  [/^\/oauth2\/consent\/([^/]+)$/, 'oidc-consent'],
  [/^\/integrations\/([^/]+)$/, 'integration'],
  [/^\/integrations\/([^/]+)\/details$/, 'integration-details'],
];

export const kPaths = {
  room: '/',
  meetings: '/meetings',
  meetingNew: '/meetings/new',
  documents: '/documents',
  documentNew: '/documents/new',
  halls: '/halls',
  integrations: '/integrations',
  integrationNew: '/integrations/new',
  notifications: '/notifications',
  colleagues: '/colleagues',
  security: '/security',
  signin: '/signin',
} as const;

export interface Route {
  name: RouteName;
  // The {id} of a path that has one, decoded.
  id: string | null;
}

export function matchRoute(path: string): Route {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const fixed = kRoutes[trimmed];
  if (fixed) return { name: fixed, id: null };
  for (const [pattern, name] of kParamRoutes) {
    const match = pattern.exec(trimmed);
    if (!match) continue;
    try {
      return { name, id: decodeURIComponent(match[1]) };
    } catch {
      return { name: 'not-found', id: null };
    }
  }
  return { name: 'not-found', id: null };
}

export function routeOf(path: string): RouteName {
  return matchRoute(path).name;
}

export function meetingPath(id: string | number): string {
  return `/meetings/${encodeURIComponent(String(id))}`;
}

export function meetingEditPath(id: string | number): string {
  return `${meetingPath(id)}/edit`;
}

// The meeting's room: the pre-join screen, then the video.
export function meetingLivePath(id: string | number): string {
  return `${meetingPath(id)}/live`;
}

export function roomPath(id: string | number): string {
  return `/rooms/${encodeURIComponent(String(id))}`;
}

export function documentPath(id: string | number): string {
  return `/documents/${encodeURIComponent(String(id))}`;
}

// An embedded portal's page (the sandboxed frame).
export function integrationPath(id: string | number): string {
  return `/integrations/${encodeURIComponent(String(id))}`;
}

// An integration's request, state and decisions (administrators, security
// officers).
export function integrationDetailsPath(id: string | number): string {
  return `${integrationPath(id)}/details`;
}

// One leading slash: a path that starts with "//" (https://host//x) would
// read as another host when handed back to the History API, which throws.
export function cleanPath(path: string): string {
  return path.replace(/^\/{2,}/, '/');
}

// Client-side routing on the History API. The server answers every
// non-/api path with index.html, so every path here is also a real URL.
export class Router {
  readonly path: Store<string>;
  // False until the first navigation inside the app; views move focus to
  // their heading only after that, not on the first page load.
  navigated = false;

  constructor(private readonly window_: Window) {
    this.path = new Store(cleanPath(window_.location.pathname));
    window_.addEventListener('popstate', () => {
      this.navigated = true;
      this.path.set(cleanPath(this.window_.location.pathname));
    });
  }

  navigate(to: string, options: { replace?: boolean } = {}): void {
    const path = cleanPath(to);
    if (path === this.window_.location.pathname) return;
    if (options.replace) {
      this.window_.history.replaceState(null, '', path);
    } else {
      this.navigated = true;
      this.window_.history.pushState(null, '', path);
      this.window_.scrollTo(0, 0);
    }
    this.path.set(path);
  }
}
