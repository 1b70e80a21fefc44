import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { Employee } from '../api/types';
import { App } from '../app/App';
import { kMe, kSignedIn, makeServices, problem, type FakeRoute } from '../test/harness';
import { meetingAt } from '../test/meeting_fixtures';

afterEach(cleanup);

const ivan = { id: 'e2', name: 'Иван Петров' };
const kPeople: Employee[] = [
  kMe,
  { id: 'e2', code: 'AB12-CD34', name: 'Иван Петров', email: '', department: null, position: 'Юрист' },
];
const kTicket = { meeting_id: 'm1', capability: 'v1.cap.mac', expires_at: '2099-01-01T00:00:00Z' };

async function setup(routes: Record<string, FakeRoute> = {}, lang: 'bg' | 'en' = 'bg') {
  const harness = makeServices(
    {
      'GET /session': kSignedIn,
      'GET /me': { body: kMe },
      'GET /presence': (request) => ({
        body: { presence: Object.fromEntries((request.query.get('ids') ?? 'u1').split(',').map((id) => [id, 'online'])) },
      }),
      'GET /employees': { body: { items: kPeople } },
      'GET /departments': { body: { items: [] } },
      'GET /meetings/m1': { body: meetingAt(0) },
      'POST /meetings/m1/join': { body: kTicket },
      ...routes,
    },
    { path: '/colleagues', live: true, lang },
  );
  harness.render(<App />);
  await harness.services.session.start();
  harness.sockets.last().accept();
  await screen.findByRole('heading', { level: 3, name: 'Иван Петров' });
  return harness;
}

describe('calls', () => {
  it('offers "Call" beside each colleague but not oneself, with live presence', async () => {
    const { sockets } = await setup();
    expect(screen.getAllByRole('button', { name: 'Обаждане' })).toHaveLength(1);
    // The directory carries no presence: it is asked for the people found.
    await waitFor(() => expect(screen.getAllByTestId('presence').map((p) => p.textContent)).toEqual(['На линия', 'На линия']));
    sockets.last().receive({ type: 'presence', employee_id: 'e2', presence: 'in-meeting' });
    await waitFor(() => expect(screen.getAllByTestId('presence')[1].textContent).toBe('В среща'));
  });

  it('asks for the presence of the people found, in one request', async () => {
    const { calls } = await setup();
    await screen.findAllByTestId('presence');
    const asked = calls.filter((c) => c.path === '/presence').map((c) => c.query.get('ids'));
    expect(asked).toContain('u1,e2');
  });

  it('"Room" leads to the colleague\'s personal room', async () => {
    const { calls } = await setup({
      'GET /employees/e2/room': {
        body: { id: 'r-e2', kind: 'personal', name: 'Иван Петров', description: '', capacity: null, lobby: false, owner: ivan },
      },
      'GET /rooms/r-e2': {
        body: { id: 'r-e2', kind: 'personal', name: 'Иван Петров', description: '', capacity: null, lobby: false, owner: ivan },
      },
    });
    expect(screen.getAllByRole('button', { name: 'Стая' })).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: 'Стая' }));
    await waitFor(() => expect(window.location.pathname).toBe('/rooms/r-e2'));
    await screen.findByRole('heading', { level: 1, name: 'Иван Петров' });
    expect(calls.some((c) => c.path === '/employees/e2/room')).toBe(true);
  });

  it('says so on the card when the room cannot be found', async () => {
    await setup({ 'GET /employees/e2/room': problem('employee-not-found', 404) });
    fireEvent.click(screen.getByRole('button', { name: 'Стая' }));
    expect((await screen.findByRole('alert')).textContent).toBe('detail:employee-not-found');
    expect(window.location.pathname).toBe('/colleagues');
  });

  it('rings, and hangs up with DELETE /calls/{id}', async () => {
    const { calls } = await setup({
      'POST /calls': { status: 201, body: { id: 'c1', status: 'ringing', caller: { id: 'u1', name: kMe.name }, callee: ivan } },
      'DELETE /calls/c1': { status: 204 },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Обаждане' }));
    const dialog = await screen.findByRole('dialog', { name: 'Обаждане до Иван Петров' });
    expect(dialog.textContent).toContain('Звъни…');
    expect(calls.find((c) => c.path === '/calls')?.body).toEqual({ callee_id: 'e2' });
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Прекратяване'));
    fireEvent.click(screen.getByRole('button', { name: 'Прекратяване' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await waitFor(() => expect(calls.some((c) => c.method === 'DELETE' && c.path === '/calls/c1')).toBe(true));
  });

  it('says the colleague is busy on 409 callee-busy', async () => {
    await setup({ 'POST /calls': problem('callee-busy', 409) }, 'en');
    fireEvent.click(screen.getByRole('button', { name: 'Call' }));
    await screen.findByText('Иван Петров cannot take a call right now: in a meeting or on do not disturb.');
    fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('goes straight into the meeting room and joins it when the callee accepts', async () => {
    const { sockets, webrtc } = await setup({
      'POST /calls': { status: 201, body: { id: 'c1', status: 'ringing', caller: { id: 'u1', name: kMe.name }, callee: ivan } },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Обаждане' }));
    await screen.findByText('Звъни…');
    sockets.last().receive({ type: 'call.accepted', call: { id: 'c1', meeting_id: 'm1' } });
    await waitFor(() => expect(window.location.pathname).toBe('/meetings/m1/live'));
    await waitFor(() => expect(sockets.last().sent).toContainEqual({ type: 'media.join', meeting_id: 'm1', capability: 'v1.cap.mac' }));
    sockets.last().receive({ type: 'media.joined', meeting_id: 'm1', participant_id: 'p1', participants: [] });
    // No pre-join screen: the remembered camera and microphone are opened.
    const microphone = await screen.findByRole('button', { name: 'Микрофон' });
    await waitFor(() => expect(microphone.getAttribute('aria-pressed')).toBe('true'));
    expect(webrtc.requests[0]).toMatchObject({ audio: expect.anything(), video: expect.anything() });
    await waitFor(() => expect(sockets.last().sent.some((m) => (m as { type: string }).type === 'media.publish')).toBe(true));
  });

  it('rings in: Accept joins the meeting of the call', async () => {
    const { sockets, calls } = await setup({
      'POST /calls/c7/accept': { body: { id: 'c7', status: 'accepted', caller: ivan, callee: { id: 'u1', name: kMe.name }, meeting_id: 'm1' } },
    });
    sockets.last().receive({ type: 'call.ringing', call: { id: 'c7', caller: ivan, callee: { id: 'u1', name: kMe.name } } });
    const dialog = await screen.findByRole('dialog', { name: 'Входящо обаждане' });
    expect(dialog.textContent).toContain('Иван Петров ви търси.');
    // Focus starts on "Accept" and stays in the dialog; the page behind is inert.
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Приемане'));
    expect(document.querySelector('main')?.hasAttribute('inert')).toBe(true);
    fireEvent.keyDown(screen.getByRole('button', { name: 'Отказване' }), { key: 'Tab' });
    expect(document.activeElement?.textContent).toBe('Приемане');
    fireEvent.click(screen.getByRole('button', { name: 'Приемане' }));
    await waitFor(() => expect(window.location.pathname).toBe('/meetings/m1/live'));
    expect(calls.some((c) => c.path === '/calls/c7/accept')).toBe(true);
    await waitFor(() => expect(calls.some((c) => c.path === '/meetings/m1/join')).toBe(true));
    await waitFor(() => expect(document.querySelector('main')?.hasAttribute('inert')).toBe(false));
  });

  it('closes the incoming call when the caller hangs up or another tab answers', async () => {
    const { sockets, calls } = await setup({ 'POST /calls/c8/decline': { body: { id: 'c8', status: 'declined' } } });
    const ring = (id: string) =>
      sockets.last().receive({ type: 'call.ringing', call: { id, caller: ivan, callee: { id: 'u1', name: kMe.name } } });
    ring('c7');
    await screen.findByRole('dialog', { name: 'Входящо обаждане' });
    sockets.last().receive({ type: 'call.cancelled', call: { id: 'c7' } });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(screen.getByTestId('live-region').textContent).toBe('Обаждането е прекратено.');
    ring('c9');
    await screen.findByRole('dialog');
    sockets.last().receive({ type: 'call.accepted', call: { id: 'c9', meeting_id: 'm1' } });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(window.location.pathname).toBe('/colleagues');
    ring('c8');
    fireEvent.click(await screen.findByRole('button', { name: 'Отказване' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(calls.some((c) => c.path === '/calls/c8/decline')).toBe(true);
  });

  it('switches "do not disturb" from the header menu', async () => {
    const { calls } = await setup({ 'PUT /me/presence': { body: { presence: 'do-not-disturb' } } });
    const toggle = screen.getByRole('button', { name: 'Не безпокойте' });
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(toggle);
    await waitFor(() => expect(toggle.getAttribute('aria-pressed')).toBe('true'));
    expect(calls.find((c) => c.path === '/me/presence')?.body).toEqual({ do_not_disturb: true });
    expect(screen.getByTestId('live-region').textContent).toBe('Режимът „Не безпокойте“ е включен: няма да получавате обаждания.');
  });
});
