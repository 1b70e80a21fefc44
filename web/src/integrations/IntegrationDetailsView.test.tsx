import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { Integration, Me } from '../api/types';
import { makeServices, problem, type FakeRequest } from '../test/harness';
import { integrationOf, kAdministrator, kOfficer } from '../test/integration_fixtures';
import { IntegrationDetailsView } from './IntegrationDetailsView';

afterEach(cleanup);

const kNext: Record<string, string> = {
  approve: 'approved',
  reject: 'rejected',
  suspend: 'suspended',
  reinstate: 'approved',
  revoke: 'revoked',
};

// A server holding one integration; decisions change it and are recorded.
function setup(start: Integration, me: Me = kOfficer, credentials: Record<string, string> = {}) {
  let current = start;
  const decide = (action: string) => (request: FakeRequest) => {
    const reason = (request.body as { reason?: string } | undefined)?.reason ?? '';
    current = {
      ...current,
      status: kNext[action],
      decisions: [
        ...(current.decisions ?? []),
        { action: action === 'reinstate' ? 'reinstated' : kNext[action], actor: { id: me.id, name: me.name }, reason, at: '2026-03-03T09:00:00Z' },
      ],
    };
    return { body: action === 'approve' && Object.keys(credentials).length > 0 ? { ...current, credentials } : current };
  };
  const routes = Object.fromEntries(Object.keys(kNext).map((action) => [`POST /integrations/i1/${action}`, decide(action)]));
  const harness = makeServices(
    {
      'GET /integrations/i1': () => ({ body: current }),
      'GET /departments': { body: { items: [{ id: 'd2', name: 'Дирекция „Финанси“', employee_count: 3 }] } },
      ...routes,
    },
    { lang: 'bg' },
  );
  harness.services.client.setCsrfToken('tok');
  harness.render(<IntegrationDetailsView me={me} integrationId="i1" />);
  return harness;
}

const decisionCard = () => screen.getByRole('heading', { level: 2, name: 'Решение' }).closest('section')!;
const decisionButtons = () => within(decisionCard()).queryAllByRole('button').map((button) => button.textContent);

describe('IntegrationDetailsView', () => {
  it('shows the full request and its history', async () => {
    setup(
      integrationOf({
        visible_roles: ['clerk'],
        visible_departments: ['d2'],
        decisions: [
          { action: 'requested', actor: { id: 'u-admin', name: 'Димитър Николов' }, reason: '', at: '2026-03-02T08:00:00Z' },
          { action: 'rejected', actor_id: 'u-x', actor_name: 'Петър Петров', reason: 'Няма договор.', at: '2026-03-02T09:00:00Z' },
        ],
        status: 'rejected',
      }),
    );
    await screen.findByRole('heading', { level: 1, name: 'Регистър на решенията' });
    const request = screen.getByRole('heading', { level: 2, name: 'Заявка' }).closest('section')!;
    expect(within(request).getByText('Вграден портал')).toBeTruthy();
    expect(within(request).getByText('https://register.example.bg/')).toBeTruthy();
    expect(within(request).getByText('https://register.example.bg')).toBeTruthy();
    expect(within(request).getByText('деловодство')).toBeTruthy();
    await within(request).findByText('Дирекция „Финанси“');
    const history = screen.getAllByTestId('integration-decision').map((item) => item.textContent);
    expect(history[0]).toMatch(/^Заявена — Димитър Николов, /);
    expect(history[1]).toMatch(/^Отхвърлена — Петър Петров, .*Причина: Няма договор\.$/);
    // Rejected is final.
    expect(decisionButtons()).toEqual([]);
    expect(within(decisionCard()).getByText(/отхвърлена окончателно/)).toBeTruthy();
  });

  it('offers an officer the decisions of each state', async () => {
    const cases: Array<[string, string[]]> = [
      ['pending', ['Одобряване', 'Отхвърляне']],
      ['approved', ['Временно спиране', 'Окончателна отмяна']],
      ['suspended', ['Възстановяване', 'Окончателна отмяна']],
      ['revoked', []],
    ];
    for (const [status, buttons] of cases) {
      setup(integrationOf({ status }));
      await screen.findByRole('heading', { level: 1, name: 'Регистър на решенията' });
      expect(decisionButtons(), status).toEqual(buttons);
      cleanup();
    }
  });

  it('gives an administrator no decisions', async () => {
    setup(integrationOf(), kAdministrator);
    await screen.findByRole('heading', { level: 1, name: 'Регистър на решенията' });
    expect(decisionButtons()).toEqual([]);
    expect(within(decisionCard()).getByText(/Решенията по интеграциите взема служител по сигурността/)).toBeTruthy();
  });

  it('gives an officer no decisions on their own request, and says why', async () => {
    const both: Me = { ...kOfficer, roles: ['employee', 'administrator', 'security_officer'] };
    setup(integrationOf({ requested_by: { id: both.id, name: both.name } }), both);
    await screen.findByRole('heading', { level: 1, name: 'Регистър на решенията' });
    expect(decisionButtons()).toEqual([]);
    expect(screen.getByTestId('own-request').textContent).toMatch(/решението по нея е на друг служител по сигурността/);
  });

  it('rejects only with a reason, after a confirmation', async () => {
    const { calls } = setup(integrationOf());
    fireEvent.click(await screen.findByRole('button', { name: 'Отхвърляне' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Да се отхвърли ли „Регистър на решенията“?' });
    const reason = within(dialog).getByLabelText('Причина');
    expect(document.activeElement).toBe(reason);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Да, отхвърлете' }));
    expect(within(dialog).getByRole('alert').textContent).toBe('Напишете причината.');
    expect(calls.some((call) => call.method === 'POST')).toBe(false);
    fireEvent.input(reason, { target: { value: '  Няма договор за обработка на данни.  ' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Да, отхвърлете' }));
    await screen.findByText('„Регистър на решенията“ е отхвърлена.');
    expect(calls.find((call) => call.method === 'POST')?.body).toEqual({ reason: 'Няма договор за обработка на данни.' });
    expect(screen.queryByRole('alertdialog')).toBeNull();
    await waitFor(() => expect(screen.getAllByTestId('integration-status')[0].textContent).toBe('Отхвърлена'));
    // Focus goes to the top of the page, where the outcome is read.
    await waitFor(() => expect(document.activeElement?.contains(screen.getByText('„Регистър на решенията“ е отхвърлена.'))).toBe(true));
  });

  it('revokes with a reason and suspends with or without one; Escape keeps things as they are', async () => {
    const { calls } = setup(integrationOf({ status: 'approved' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Временно спиране' }));
    let dialog = screen.getByRole('alertdialog');
    expect(within(dialog).getByLabelText('Причина (по желание)')).toBeTruthy();
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('alertdialog')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Временно спиране' }));
    fireEvent.click(screen.getByRole('button', { name: 'Да, спрете я' }));
    await screen.findByText('„Регистър на решенията“ е спряна временно.');
    expect(calls.filter((call) => call.method === 'POST').map((call) => [call.path, call.body])).toEqual([['/integrations/i1/suspend', {}]]);

    fireEvent.click(screen.getByRole('button', { name: 'Окончателна отмяна' }));
    dialog = screen.getByRole('alertdialog', { name: 'Да се отмени ли окончателно „Регистър на решенията“?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Да, отменете я' }));
    expect(within(dialog).getByText('Напишете причината.')).toBeTruthy();
    fireEvent.input(within(dialog).getByLabelText('Причина'), { target: { value: 'Изтекъл договор.' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Да, отменете я' }));
    await screen.findByText('„Регистър на решенията“ е отменена окончателно.');
    expect(decisionButtons()).toEqual([]);
  });

  it('shows the server’s refusal inside the dialog', async () => {
    const harness = makeServices(
      {
        'GET /integrations/i1': { body: integrationOf() },
        'POST /integrations/i1/approve': problem('integration-own-request', 403, { detail: 'Не можете да одобрите собствената си заявка.' }),
      },
      { lang: 'bg' },
    );
    harness.render(<IntegrationDetailsView me={kOfficer} integrationId="i1" />);
    fireEvent.click(await screen.findByRole('button', { name: 'Одобряване' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Да се одобри ли „Регистър на решенията“?' });
    // No reason to type: the safe answer has focus.
    expect(document.activeElement?.textContent).toBe('Не, върнете се');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Да, одобрете' }));
    expect(await within(dialog).findByText('Не можете да одобрите собствената си заявка.')).toBeTruthy();
  });

  it('shows an sso client’s secret once, after the approval', async () => {
    setup(
      integrationOf({ level: 'sso', redirect_uris: ['https://register.example.bg/cb'], scopes: ['openid', 'email'], client_id: 'cl-1' }),
      kOfficer,
      { client_id: 'cl-1', client_secret: 'very-secret-value' },
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Одобряване' }));
    fireEvent.click(screen.getByRole('button', { name: 'Да, одобрете' }));
    const heading = await screen.findByRole('heading', { level: 2, name: 'Клиентска тайна' });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    const panel = screen.getByTestId('integration-secret');
    expect((within(panel).getByLabelText('Клиентска тайна') as HTMLInputElement).value).toBe('very-secret-value');
    expect(within(panel).getByText(/показва се само веднъж/)).toBeTruthy();
    expect(screen.getByText('„Регистър на решенията“ е одобрена.')).toBeTruthy();
    expect(screen.getByText('cl-1')).toBeTruthy();
    expect(screen.getAllByTestId('integration-status')[0].textContent).toBe('Одобрена');

    let copied = '';
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async (text: string) => void (copied = text) } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Копиране' }));
    await within(panel).findByText('Копирано.');
    expect(copied).toBe('very-secret-value');

    fireEvent.click(within(panel).getByRole('button', { name: 'Запазих го — скриване' }));
    expect(screen.queryByTestId('integration-secret')).toBeNull();
    expect(document.body.textContent).not.toContain('very-secret-value');
  });

  it('shows an api integration’s token once: not after the page is opened again', async () => {
    setup(integrationOf({ level: 'api', launch_url: '', origins: [], scopes: ['directory:read'] }), kOfficer, {
      api_token: 'egbx_token',
      expires_at: '2026-06-01T09:00:00Z',
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Одобряване' }));
    fireEvent.click(screen.getByRole('button', { name: 'Да, одобрете' }));
    expect(((await screen.findByRole('textbox', { name: 'API ключ' })) as HTMLInputElement).value).toBe('egbx_token');
    expect(screen.getByText('Валиден до 1.06.2026 г., 12:00.')).toBeTruthy();
    cleanup();
    // The same integration, opened again: the server sends no token, nor does the page show one.
    const token = { id: 't1', created_at: '2026-03-03T09:00:00Z', expires_at: '2026-06-01T09:00:00Z', revoked_at: null };
    makeServices({ 'GET /integrations/i1': { body: integrationOf({ level: 'api', status: 'approved', launch_url: '', api_tokens: [token] }) } }).render(
      <IntegrationDetailsView me={kOfficer} integrationId="i1" />,
    );
    await screen.findByRole('heading', { level: 1, name: 'Регистър на решенията' });
    expect(screen.queryByTestId('integration-secret')).toBeNull();
    expect(document.body.textContent).not.toContain('egbx_token');
    expect(screen.getByTestId('integration-token').textContent).toBe('Създаден на 3.03.2026 г., 11:00, валиден до 1.06.2026 г., 12:00');
  });

  it('says when there is no such integration', async () => {
    makeServices({ 'GET /integrations/i1': problem('integration-not-found', 404) }, { lang: 'bg' }).render(
      <IntegrationDetailsView me={kOfficer} integrationId="i1" />,
    );
    await screen.findByRole('heading', { level: 1, name: 'Интеграцията не е намерена' });
  });
});
