import { describe, expect, it } from 'vitest';
import { Router, routeOf } from './router';

describe('routeOf', () => {
  it('maps paths to views, ignoring a trailing slash', () => {
    expect(routeOf('/')).toBe('room');
    expect(routeOf('/colleagues')).toBe('colleagues');
    expect(routeOf('/colleagues/')).toBe('colleagues');
    expect(routeOf('/security')).toBe('security');
    expect(routeOf('/signin')).toBe('signin');
    expect(routeOf('/nowhere')).toBe('not-found');
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
});
