import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { kMe, kSignedIn, makeServices, problem } from '../test/harness';
import { App } from './App';

afterEach(cleanup);

describe('App', () => {
  it('sends a signed-out visitor to /signin and back where they were after signing in', async () => {
    const { services, render } = makeServices(
      { 'GET /session': problem('unauthenticated', 401), 'POST /session': kSignedIn, 'GET /me': { body: kMe } },
      { path: '/security' },
    );
    render(<App />);
    await services.session.start();
    await waitFor(() => expect(window.location.pathname).toBe('/signin'));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Вход');
    await services.session.signIn({ code: 'K7M4-QX2P', password: 'x' });
    await waitFor(() => expect(window.location.pathname).toBe('/security'));
  });

  it('shows the room with landmarks, navigation and a greeting', async () => {
    const { services, render } = makeServices({
      'GET /session': kSignedIn,
      'GET /me': { body: kMe },
      'GET /me/sessions': { body: { items: [] } },
    });
    render(<App />);
    await services.session.start();
    await screen.findByRole('heading', { level: 1, name: 'Моята стая' });
    expect(screen.getByText('Здравейте, Мария Иванова!')).toBeTruthy();
    expect(screen.getByRole('banner')).toBeTruthy();
    expect(screen.getByRole('main')).toBeTruthy();
    const nav = screen.getByRole('navigation', { name: 'Основна навигация' });
    expect(nav.querySelector('[aria-current="page"]')?.textContent).toBe('Моята стая');
    expect(screen.getByRole('link', { name: 'Към основното съдържание' })).toBeTruthy();
    expect(await screen.findByText('Нямате предстоящи срещи.')).toBeTruthy();
    fireEvent.click(screen.getByRole('link', { name: 'Сигурност' }));
    await screen.findByRole('heading', { level: 1, name: 'Сигурност' });
    expect(window.location.pathname).toBe('/security');
  });

  it('opens the documents from the navigation', async () => {
    const { services, render } = makeServices({
      'GET /session': kSignedIn,
      'GET /me': { body: kMe },
      'GET /documents': { body: { documents: [] } },
    });
    render(<App />);
    await services.session.start();
    await screen.findByRole('heading', { level: 1, name: 'Моята стая' });
    fireEvent.click(screen.getByRole('link', { name: 'Документи' }));
    await screen.findByRole('heading', { level: 1, name: 'Документи' });
    expect(window.location.pathname).toBe('/documents');
    const nav = screen.getByRole('navigation', { name: 'Основна навигация' });
    expect(nav.querySelector('[aria-current="page"]')?.textContent).toBe('Документи');
    fireEvent.click(screen.getByRole('link', { name: 'Качване на документ' }));
    await screen.findByRole('heading', { level: 1, name: 'Качване на документ' });
    expect(nav.querySelector('[aria-current="page"]')?.textContent).toBe('Документи');
  });

  it('switches language with one button and says so on <html lang>', async () => {
    const { services, render, calls } = makeServices({ 'GET /session': kSignedIn, 'GET /me': { body: kMe } });
    render(<App />);
    await services.session.start();
    await screen.findByRole('heading', { level: 1, name: 'Моята стая' });
    fireEvent.click(screen.getByRole('button', { name: 'Език / Language: English' }));
    await screen.findByRole('heading', { level: 1, name: 'My room' });
    expect(document.documentElement.lang).toBe('en');
    expect(window.localStorage.getItem('egovbox.lang')).toBe('en');
    expect(screen.getByRole('button', { name: 'Език / Language: Български' })).toBeTruthy();
    await services.api.listDepartments().catch(() => undefined);
    expect(calls.at(-1)?.headers.get('Accept-Language')).toBe('en');
  });

  it('shows only the password change while the server requires it', async () => {
    const { services, render } = makeServices(
      { 'GET /session': { body: { csrf_token: 'c', must_change_password: true, must_enroll_totp: false } } },
      { lang: 'en' },
    );
    render(<App />);
    await services.session.start();
    await screen.findByRole('heading', { level: 1, name: 'Change your one-time password' });
    expect(screen.queryByRole('navigation')).toBeNull();
    expect(screen.getByLabelText('Current (one-time) password')).toBeTruthy();
  });

  it('answers an unknown path with the not-found view', async () => {
    const { services, render } = makeServices(
      { 'GET /session': kSignedIn, 'GET /me': { body: kMe } },
      { lang: 'en', path: '/no-such-page' },
    );
    render(<App />);
    await services.session.start();
    await screen.findByRole('heading', { level: 1, name: 'Page not found' });
  });

  it('tells the person when the session has expired', async () => {
    const { services, render } = makeServices(
      { 'GET /session': kSignedIn, 'GET /me': { body: kMe }, 'GET /departments': problem('session-expired', 401) },
      { lang: 'en', path: '/' },
    );
    render(<App />);
    await services.session.start();
    await screen.findByRole('heading', { level: 1, name: 'My room' });
    await services.api.listDepartments().catch(() => undefined);
    await screen.findByText('Your session has expired. Sign in again.');
    await waitFor(() => expect(window.location.pathname).toBe('/signin'));
  });
});
