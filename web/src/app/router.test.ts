import { describe, expect, it } from 'vitest';
import { cleanPath, Router, routeOf } from './router';

describe('routeOf', () => {
  it('maps paths to views, ignoring a trailing slash', () => {
    expect(routeOf('/')).toBe('room');
    expect(routeOf('/colleagues')).toBe('colleagues');
    expect(routeOf('/colleagues/')).toBe('colleagues');
    expect(routeOf('/security')).toBe('security');
    expect(routeOf('/signin')).toBe('signin');
    expect(routeOf('/nowhere')).toBe('not-found');
  });

  it('reads a path that starts with several slashes as one that starts with one', () => {
    expect(cleanPath('//')).toBe('/');
    expect(cleanPath('///colleagues')).toBe('/colleagues');
    expect(cleanPath('//evil.example/x')).toBe('/evil.example/x');
    expect(cleanPath('/a//b')).toBe('/a//b');
  });
});

describe('Router', () => {
  it('pushes history entries and follows the back button', () => {
    window.history.replaceState(null, '', '/');
    const router = new Router(window);
    router.navigate('/colleagues');
    expect(window.location.pathname).toBe('/colleagues');
    expect(router.path.get()).toBe('/colleagues');
    expect(router.navigated).toBe(true);
    window.history.replaceState(null, '', '/security');
    window.dispatchEvent(new PopStateEvent('popstate'));
    expect(router.path.get()).toBe('/security');
  });

  it('never hands the History API a path that would name another host', () => {
    window.history.replaceState(null, '', '/signin');
    const router = new Router(window);
    router.navigate('//', { replace: true });
    expect(window.location.pathname).toBe('/');
    expect(router.path.get()).toBe('/');
    // A page opened at https://host//x (no History API call can set that here).
    const opened = { location: { pathname: '//x' }, addEventListener: () => {} } as unknown as Window;
    expect(new Router(opened).path.get()).toBe('/x');
  });
});
