import { describe, expect, it } from 'vitest';
import {
  cleanPath,
  documentPath,
  integrationDetailsPath,
  integrationPath,
  matchRoute,
  meetingEditPath,
  meetingLivePath,
  meetingPath,
  roomPath,
  Router,
  routeOf,
} from './router';

describe('routeOf', () => {
  it('maps paths to views, ignoring a trailing slash', () => {
    expect(routeOf('/')).toBe('room');
    expect(routeOf('/colleagues')).toBe('colleagues');
    expect(routeOf('/colleagues/')).toBe('colleagues');
    expect(routeOf('/security')).toBe('security');
    expect(routeOf('/signin')).toBe('signin');
    expect(routeOf('/nowhere')).toBe('not-found');
  });

  it('reads the id of meeting and room paths', () => {
    expect(matchRoute('/meetings')).toEqual({ name: 'meetings', id: null });
    expect(matchRoute('/meetings/new')).toEqual({ name: 'meeting-new', id: null });
    expect(matchRoute('/meetings/m%2F1')).toEqual({ name: 'meeting', id: 'm/1' });
    expect(matchRoute('/meetings/42/edit/')).toEqual({ name: 'meeting-edit', id: '42' });
    expect(matchRoute('/rooms/r7')).toEqual({ name: 'room-page', id: 'r7' });
    expect(matchRoute('/rooms/%E0%A4%A')).toEqual({ name: 'not-found', id: null });
    expect(matchRoute('/meetings/1/2')).toEqual({ name: 'not-found', id: null });
    expect(meetingPath('m/1')).toBe('/meetings/m%2F1');
    expect(meetingEditPath(42)).toBe('/meetings/42/edit');
    expect(matchRoute('/meetings/m1/live')).toEqual({ name: 'meeting-live', id: 'm1' });
    expect(meetingLivePath('m/1')).toBe('/meetings/m%2F1/live');
    expect(roomPath('r7')).toBe('/rooms/r7');
  });

  it('reads the integrations paths', () => {
    expect(matchRoute('/integrations')).toEqual({ name: 'integrations', id: null });
    expect(matchRoute('/integrations/new')).toEqual({ name: 'integration-new', id: null });
    expect(matchRoute('/integrations/i7')).toEqual({ name: 'integration', id: 'i7' });
    expect(matchRoute('/integrations/i7/details')).toEqual({ name: 'integration-details', id: 'i7' });
    expect(integrationPath('a/b')).toBe('/integrations/a%2Fb');
    expect(integrationDetailsPath('i7')).toBe('/integrations/i7/details');
  });

  it('reads the documents paths', () => {
    expect(matchRoute('/documents')).toEqual({ name: 'documents', id: null });
    expect(matchRoute('/documents/new')).toEqual({ name: 'document-new', id: null });
    expect(matchRoute('/documents/d1/')).toEqual({ name: 'document', id: 'd1' });
    expect(matchRoute('/documents/d1/versions')).toEqual({ name: 'not-found', id: null });
    expect(documentPath('a b')).toBe('/documents/a%20b');
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
