import { Store } from '../state/store';

export type RouteName = 'room' | 'colleagues' | 'security' | 'signin' | 'not-found';

const kRoutes: Record<string, RouteName> = {
  '/': 'room',
  '/colleagues': 'colleagues',
  '/security': 'security',
  '/signin': 'signin',
};

export const kPaths: Record<Exclude<RouteName, 'not-found'>, string> = {
  room: '/',
  colleagues: '/colleagues',
  security: '/security',
  signin: '/signin',
};

export function routeOf(path: string): RouteName {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  return kRoutes[trimmed] ?? 'not-found';
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
