import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../app/App';
import { kMe, kSignedIn, makeServices, problem, type FakeRoute } from '../test/harness';
import { kColleagueRoom, meetingAt } from '../test/meeting_fixtures';

afterEach(cleanup);

const kTicket = { meeting_id: 'm5', capability: 'v1.cap.mac', expires_at: '2099-01-01T00:00:00Z' };

async function setup(routes: Record<string, FakeRoute>, path = '/rooms/r-e2') {
  const harness = makeServices(
    {
      'GET /session': kSignedIn,
      'GET /me': { body: kMe },
      'GET /rooms/r-e2': { body: kColleagueRoom },
      'GET /meetings/m5': { body: meetingAt(0, { id: 'm5', title: 'Среща в стаята на Иван' }) },
      ...routes,
    },
    { path, live: true },
  );
  harness.render(<App />);
  await harness.services.session.start();
  harness.sockets.last().accept();
  return harness;
}

describe("a colleague's room", () => {
  it('knocks when the owner must let one in, waits, and enters once admitted', async () => {
    let admitted = false;
    const { sockets, calls } = await setup({
      'POST /rooms/r-e2/join': () => (admitted ? { body: kTicket } : problem('knock-required', 403)),
      'POST /rooms/r-e2/knocks': { status: 201, body: { id: 'k1', room_id: 'r-e2', status: 'pending' } },
    });
    await screen.findByRole('heading', { level: 1, name: 'Стаята на Иван Петров' });
    expect(screen.getByText('Личната стая на Иван Петров')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Влизане' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Почукване' }));
    await screen.findByText('Почукахте. Изчаквате Иван Петров да ви пусне…');
    expect(screen.getByRole('button', { name: 'Отказ от почукването' })).toBeTruthy();
    admitted = true;
    sockets.last().receive({ type: 'knock.answered', knock: { id: 'k1', room_id: 'r-e2', status: 'admitted', meeting_id: 'm5' } });
    await waitFor(() => expect(window.location.pathname).toBe('/meetings/m5/live'));
    expect(calls.filter((c) => c.path === '/rooms/r-e2/join')).toHaveLength(2);
    // The pre-join screen, then in with the pass the room gave (no POST …/join).
    fireEvent.click(await screen.findByRole('button', { name: 'Влизане в срещата' }));
    await waitFor(() => expect(sockets.last().sent).toContainEqual({ type: 'media.join', meeting_id: 'm5', capability: 'v1.cap.mac' }));
    expect(calls.some((c) => c.path === '/meetings/m5/join')).toBe(false);
  });

  it('says so when the owner declines', async () => {
    const { sockets } = await setup({
      'POST /rooms/r-e2/join': problem('knock-required', 403),
      'POST /rooms/r-e2/knocks': { status: 201, body: { id: 'k1', room_id: 'r-e2', status: 'pending' } },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Влизане' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Почукване' }));
    await screen.findByText('Почукахте. Изчаквате Иван Петров да ви пусне…');
    sockets.last().receive({ type: 'knock.answered', knock: { id: 'k1', room_id: 'r-e2', status: 'declined', meeting_id: null } });
    await screen.findByText('Иван Петров не ви пусна в стаята.');
  });

  it('withdraws a knock', async () => {
    const { calls } = await setup({
      'POST /rooms/r-e2/join': problem('knock-required', 403),
      'POST /rooms/r-e2/knocks': { status: 201, body: { id: 'k1', room_id: 'r-e2', status: 'pending' } },
      'DELETE /knocks/k1': { status: 204 },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Влизане' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Почукване' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Отказ от почукването' }));
    await screen.findByText('Отказахте се от почукването.');
    await waitFor(() => expect(calls.some((c) => c.method === 'DELETE' && c.path === '/knocks/k1')).toBe(true));
  });

  it('enters my own room from the room dashboard', async () => {
    const { calls } = await setup(
      {
        'POST /rooms/r-u1/join': { body: kTicket },
      },
      '/',
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Влизане в моята стая' }));
    await waitFor(() => expect(window.location.pathname).toBe('/meetings/m5/live'));
    expect(calls.some((c) => c.method === 'POST' && c.path === '/rooms/r-u1/join')).toBe(true);
  });

  it('answers an unknown room with "not found"', async () => {
    await setup({}, '/rooms/nope');
    await screen.findByRole('heading', { level: 1, name: 'Стаята не е намерена' });
  });
});

describe('knocks on my room', () => {
  it('asks me in a modal dialog, focus on "Admit", admits, and takes me into the meeting', async () => {
    const { sockets, calls } = await setup(
      { 'POST /knocks/k3/admit': { body: { id: 'k3', room_id: 'r-u1', status: 'admitted', meeting_id: 'm5' } } },
      '/',
    );
    await screen.findByRole('heading', { level: 1, name: 'Моята стая' });
    sockets.last().receive({ type: 'knock', knock: { id: 'k3', room_id: 'r-u1', employee: { id: 'e2', name: 'Иван Петров' } } });
    const dialog = await screen.findByRole('dialog', { name: 'Иван Петров чука' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Пускане'));
    // Shift+Tab from the first control wraps to the last.
    fireEvent.keyDown(document.activeElement!, { key: 'Tab', shiftKey: true });
    expect(document.activeElement?.textContent).toBe('Отказване');
    fireEvent.click(screen.getByRole('button', { name: 'Пускане' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(calls.some((c) => c.method === 'POST' && c.path === '/knocks/k3/admit')).toBe(true);
    expect(screen.getByTestId('live-region').textContent).toBe('Пуснахте Иван Петров.');
    await waitFor(() => expect(window.location.pathname).toBe('/meetings/m5/live'));
  });

  it('closes when the knock is answered in another tab or withdrawn', async () => {
    const { sockets } = await setup({}, '/');
    await screen.findByRole('heading', { level: 1, name: 'Моята стая' });
    sockets.last().receive({ type: 'knock', knock: { id: 'k3', room_id: 'r-u1', employee: { id: 'e2', name: 'Иван Петров' } } });
    await screen.findByRole('dialog', { name: 'Иван Петров чука' });
    sockets.last().receive({ type: 'knock.closed', knock_id: 'k3' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });
});
