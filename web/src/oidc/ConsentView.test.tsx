import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../app/App';
import { kMe, kSignedIn, makeServices, problem, type FakeRequest } from '../test/harness';
import { ConsentView } from './ConsentView';
import type { ConsentRequest } from './consent_api';

afterEach(cleanup);

const kRequest: ConsentRequest = {
  id: 'req-1',
  client: {
    name: 'Е-услуги',
    owner: 'Община Пример, дирекция ИТ',
    purpose: 'Заявления и справки онлайн',
    launch_url: 'https://e-uslugi.example.bg/',
  },
  scopes: ['openid', 'profile', 'email'],
  new_scopes: ['openid', 'profile', 'email'],
  consent_required: true,
};

function setUp(request: ConsentRequest | ReturnType<typeof problem>, lang: 'bg' | 'en' = 'bg') {
  const left: string[] = [];
  const decisions: unknown[] = [];
  const harness = makeServices(
    {
      'GET /oauth2/requests/req-1': 'status' in request ? request : { body: request },
      'POST /oauth2/requests/req-1': (call: FakeRequest) => {
        decisions.push(call.body);
        const decision = (call.body as { decision: string }).decision;
        return {
          body: {
            redirect_to:
              decision === 'allow'
                ? 'https://e-uslugi.example.bg/cb?code=c1&state=s1'
                : 'https://e-uslugi.example.bg/cb?error=access_denied&state=s1',
          },
        };
      },
    },
    { lang },
  );
  harness.services.client.setCsrfToken('csrf-1');
  harness.render(<ConsentView requestId="req-1" me={kMe} leave={(url) => left.push(url)} />);
  return { ...harness, left, decisions };
}

describe('ConsentView', () => {
  it('shows the portal, its owner and purpose, and what it will receive, in Bulgarian', async () => {
    setUp(kRequest);
    await screen.findByRole('heading', { level: 1, name: 'Вход в „Е-услуги“ с eGov box' });
    expect(screen.getByText('Вписани сте като Мария Иванова.')).toBeTruthy();
    expect(screen.getByText('Община Пример, дирекция ИТ')).toBeTruthy();
    expect(screen.getByText('Заявления и справки онлайн')).toBeTruthy();
    const items = screen.getByRole('list', { name: '„Е-услуги“ ще получи' }).querySelectorAll('li');
    expect([...items].map((item) => item.textContent)).toEqual([
      'знак, по който порталът ви разпознава (различен за всеки портал)',
      'вашето име',
      'вашия адрес на електронна поща',
    ]);
    expect(screen.getByRole('button', { name: 'Разрешаване' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Отказ' })).toBeTruthy();
  });

  it('speaks English too, and marks the scopes not consented to before', async () => {
    setUp({ ...kRequest, new_scopes: ['email'] }, 'en');
    await screen.findByRole('heading', { level: 1, name: 'Sign in to “Е-услуги” with eGov box' });
    const items = screen.getByRole('list', { name: '“Е-услуги” will receive' }).querySelectorAll('li');
    expect([...items].map((item) => item.textContent)).toEqual([
      'an identifier by which the portal recognises you (different for every portal)',
      'your name',
      'your e-mail address(new)',
    ]);
    expect(screen.getByRole('button', { name: 'Allow' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Deny' })).toBeTruthy();
  });

  it('Allow sends the decision with the CSRF token and goes to the portal', async () => {
    const { left, decisions, calls } = setUp(kRequest);
    fireEvent.click(await screen.findByRole('button', { name: 'Разрешаване' }));
    await waitFor(() => expect(left).toEqual(['https://e-uslugi.example.bg/cb?code=c1&state=s1']));
    expect(decisions).toEqual([{ decision: 'allow' }]);
    const post = calls.find((call) => call.method === 'POST');
    expect(post?.headers.get('X-CSRF-Token')).toBe('csrf-1');
    expect(screen.getByRole('status').textContent).toBe('Връщане към портала…');
  });

  it('Deny goes back to the portal with access_denied', async () => {
    const { left, decisions } = setUp(kRequest);
    fireEvent.click(await screen.findByRole('button', { name: 'Отказ' }));
    await waitFor(() => expect(left).toEqual(['https://e-uslugi.example.bg/cb?error=access_denied&state=s1']));
    expect(decisions).toEqual([{ decision: 'deny' }]);
  });

  it('goes straight on when the person consented before', async () => {
    const { left, decisions } = setUp({ ...kRequest, new_scopes: [], consent_required: false });
    await waitFor(() => expect(left).toEqual(['https://e-uslugi.example.bg/cb?code=c1&state=s1']));
    expect(decisions).toEqual([{ decision: 'allow' }]);
    expect(screen.queryByRole('button', { name: 'Разрешаване' })).toBeNull();
  });

  it('says so when the request expired or the portal is no longer approved', async () => {
    setUp(problem('oidc-request-not-found', 404));
    await screen.findByRole('heading', { level: 1, name: 'Заявката за вход не е намерена' });
    expect(screen.getByRole('link', { name: 'Към моята стая' }).getAttribute('href')).toBe('/');
    cleanup();
    setUp(problem('oidc-client-not-approved', 403));
    await screen.findByRole('heading', { level: 1, name: 'Порталът не е одобрен' });
    expect(screen.getByText('detail:oidc-client-not-approved')).toBeTruthy();
  });

  it("is the app's page at /oauth2/consent/{id}, outside the workspace, and comes back to it after sign-in", async () => {
    const { services, render } = makeServices(
      {
        'GET /session': problem('unauthenticated', 401),
        'POST /session': kSignedIn,
        'GET /me': { body: kMe },
        'GET /oauth2/requests/req-1': { body: kRequest },
      },
      { path: '/oauth2/consent/req-1' },
    );
    render(<App />);
    await services.session.start();
    await waitFor(() => expect(window.location.pathname).toBe('/signin'));
    await services.session.signIn({ code: 'K7M4-QX2P', password: 'x' });
    await screen.findByRole('heading', { level: 1, name: 'Вход в „Е-услуги“ с eGov box' });
    expect(window.location.pathname).toBe('/oauth2/consent/req-1');
    expect(screen.queryByRole('navigation', { name: 'Основна навигация' })).toBeNull();
  });
});
