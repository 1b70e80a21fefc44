import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { IntegrationRequest } from '../api/types';
import { kMe, makeServices, problem, type FakeRoute } from '../test/harness';
import { integrationOf, kAdministrator, kOfficer } from '../test/integration_fixtures';
import { IntegrationRequestView } from './IntegrationRequestView';

afterEach(cleanup);

function setup(post: FakeRoute = (request) => ({ status: 201, body: integrationOf({ ...(request.body as IntegrationRequest), id: 'i9' }) })) {
  const harness = makeServices(
    {
      'GET /departments': {
        body: {
          items: [
            { id: 'd1', name: 'Дирекция „Административно обслужване“', employee_count: 5 },
            { id: 'd2', name: 'Дирекция „Финанси“', employee_count: 3 },
          ],
        },
      },
      'POST /integrations': post,
    },
    { lang: 'bg' },
  );
  harness.services.client.setCsrfToken('tok');
  harness.render(<IntegrationRequestView me={kAdministrator} />);
  return harness;
}

const type = (label: string, value: string) => fireEvent.input(screen.getByLabelText(label), { target: { value } });
const level = (name: string) => fireEvent.click(screen.getByRole('radio', { name }));
const submit = () => fireEvent.click(screen.getByRole('button', { name: 'Изпращане на заявката' }));
const fillCommon = () => {
  type('Име на портала', 'Регистър на решенията');
  type('Собственик (организация и лице за контакт)', 'Общински съвет, Иван Петров');
  type('Цел', 'Решенията на съвета в стаята.');
};

describe('IntegrationRequestView', () => {
  it('is only for administrators', () => {
    for (const me of [kMe, kOfficer]) {
      makeServices({}, { lang: 'bg' }).render(<IntegrationRequestView me={me} />);
      expect(screen.getByText('Само администратор може да заявява интеграции.')).toBeTruthy();
      expect(screen.queryByRole('button', { name: 'Изпращане на заявката' })).toBeNull();
      cleanup();
    }
  });

  it('shows the fields of the level chosen', async () => {
    setup();
    await screen.findByRole('group', { name: 'Видима за отдели' });
    const shown = () => ({
      launch: screen.queryByLabelText('Адрес на портала') !== null,
      origins: screen.queryByLabelText('Произход (origin), по един на ред') !== null,
      redirects: screen.queryByLabelText('Адреси за връщане (redirect URI), по един на ред') !== null,
      scopes: screen.queryByRole('group', { name: 'Права (scopes)' }) !== null,
    });
    expect((screen.getByRole('radio', { name: 'Връзка' }) as HTMLInputElement).checked).toBe(true);
    expect(shown()).toEqual({ launch: true, origins: false, redirects: false, scopes: false });
    level('Вграден портал');
    expect(shown()).toEqual({ launch: true, origins: true, redirects: false, scopes: false });
    expect(screen.getByText(/само докато интеграцията е одобрена/)).toBeTruthy();
    level('Единен вход (OpenID Connect)');
    expect(shown()).toEqual({ launch: true, origins: true, redirects: true, scopes: true });
    const scopes = within(screen.getByRole('group', { name: 'Права (scopes)' })).getAllByRole('checkbox') as HTMLInputElement[];
    expect(scopes.map((box) => box.value)).toEqual(['profile', 'email', 'department', 'roles']);
    expect(screen.getByText('Входът (openid) се иска винаги; изберете какво още да научава порталът.')).toBeTruthy();
    level('Достъп до API');
    expect(shown()).toEqual({ launch: false, origins: false, redirects: false, scopes: true });
    const apiScopes = within(screen.getByRole('group', { name: 'Права (scopes)' })).getAllByRole('checkbox') as HTMLInputElement[];
    expect(apiScopes.map((box) => box.value)).toEqual(['directory:read', 'meetings:read', 'meetings:write']);
    expect(screen.getAllByRole('checkbox', { name: /^Дирекция/ })).toHaveLength(2);
  });

  it('checks the form as the server does, and puts focus on the first problem', async () => {
    const { calls } = setup();
    await screen.findByRole('group', { name: 'Видима за отдели' });
    submit();
    const name = screen.getByLabelText('Име на портала');
    await waitFor(() => expect(document.activeElement).toBe(name));
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Въведете името на портала.')).toBeTruthy();
    expect(screen.getByText('Въведете адреса на портала.')).toBeTruthy();

    fillCommon();
    level('Вграден портал');
    type('Адрес на портала', 'https://register.example.bg/app');
    type('Произход (origin), по един на ред', 'https://other.example.bg/');
    submit();
    const origins = screen.getByLabelText('Произход (origin), по един на ред');
    await waitFor(() => expect(document.activeElement).toBe(origins));
    expect(screen.getByText(/„https:\/\/other.example.bg\/“ не е точен произход/)).toBeTruthy();
    type('Произход (origin), по един на ред', 'https://other.example.bg');
    submit();
    expect(await screen.findByText(/Вграденият портал се показва от https:\/\/register.example.bg;/)).toBeTruthy();
    expect(calls.some((call) => call.method === 'POST')).toBe(false);

    level('Достъп до API');
    submit();
    expect(await screen.findByText('Изберете поне едно право.')).toBeTruthy();
    await waitFor(() => expect((document.activeElement as HTMLInputElement).value).toBe('directory:read'));
  });

  it('sends the request of the level chosen and links to it', async () => {
    const { calls } = setup();
    await screen.findByRole('group', { name: 'Видима за отдели' });
    fillCommon();
    level('Единен вход (OpenID Connect)');
    type('Адрес на портала', 'https://register.example.bg/');
    type('Адреси за връщане (redirect URI), по един на ред', 'https://register.example.bg/cb\n\nhttps://register.example.bg/cb2\n');
    fireEvent.click(screen.getByRole('checkbox', { name: 'email — електронна поща' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'деловодство' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Дирекция „Финанси“' }));
    submit();
    const sent = await screen.findByText('Заявката за „Регистър на решенията“ е изпратена и чака одобрение от служител по сигурността.');
    expect(calls.find((call) => call.method === 'POST')?.body).toEqual({
      name: 'Регистър на решенията',
      level: 'sso',
      owner: 'Общински съвет, Иван Петров',
      purpose: 'Решенията на съвета в стаята.',
      launch_url: 'https://register.example.bg/',
      origins: [],
      redirect_uris: ['https://register.example.bg/cb', 'https://register.example.bg/cb2'],
      scopes: ['openid', 'email'],
      visible_roles: ['clerk'],
      visible_departments: ['d2'],
    });
    expect(screen.getByRole('link', { name: 'Към заявката' }).getAttribute('href')).toBe('/integrations/i9/details');
    await waitFor(() => expect(document.activeElement?.contains(sent)).toBe(true));
    // The form is empty again.
    expect((screen.getByLabelText('Име на портала') as HTMLInputElement).value).toBe('');
  });

  it('shows the server’s problem at its field', async () => {
    setup(
      problem('integration-origin-invalid', 400, {
        field: 'origins',
        detail: '„https://x.example.bg“ не е точен произход.',
      }),
    );
    await screen.findByRole('group', { name: 'Видима за отдели' });
    fillCommon();
    level('Вграден портал');
    type('Адрес на портала', 'https://x.example.bg/');
    type('Произход (origin), по един на ред', 'https://x.example.bg');
    submit();
    const origins = screen.getByLabelText('Произход (origin), по един на ред');
    await waitFor(() => expect(document.activeElement).toBe(origins));
    expect(origins.getAttribute('aria-describedby')).toContain('integration-origins-error');
    expect(document.getElementById('integration-origins-error')?.textContent).toBe('„https://x.example.bg“ не е точен произход.');
  });

  it('shows a problem without a field above the form', async () => {
    setup(problem('forbidden', 403, { detail: 'Нямате право.' }));
    await screen.findByRole('group', { name: 'Видима за отдели' });
    fillCommon();
    type('Адрес на портала', 'https://x.example.bg/');
    submit();
    expect((await screen.findByRole('alert')).textContent).toBe('Нямате право.');
  });
});
