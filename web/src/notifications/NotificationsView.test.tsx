import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppNotification } from '../api/types';
import { App } from '../app/App';
import { kMe, kSignedIn, makeServices } from '../test/harness';

afterEach(cleanup);

const organiser = { id: 'e2', name: 'Иван Петров' };
const kItems: AppNotification[] = [
  {
    id: 'n2',
    kind: 'meeting.invited',
    payload: { meeting_id: 'm1', title: 'Бюджет', starts_at: '2026-12-01T08:00:00Z', ends_at: '2026-12-01T09:00:00Z', organiser },
    created_at: '2026-11-20T08:00:00Z',
    read: false,
  },
  {
    id: 'n1',
    kind: 'call.missed',
    payload: { call_id: 'c1', caller: organiser },
    created_at: '2026-11-19T08:00:00Z',
    read: true,
  },
];

async function setup(options: { permission?: 'default' | 'granted' | 'denied' } = {}) {
  const harness = makeServices(
    {
      'GET /session': kSignedIn,
      'GET /me': { body: kMe },
      'GET /notifications': { body: { notifications: kItems, unread: 1 } },
      'POST /notifications/n2/read': { status: 204 },
      'POST /notifications/read-all': { status: 204 },
    },
    { path: '/notifications', live: true, permission: options.permission },
  );
  harness.render(<App />);
  await harness.services.session.start();
  harness.sockets.last().accept('u1');
  await screen.findByRole('heading', { level: 1, name: 'Известия' });
  return harness;
}

describe('notification centre', () => {
  it('shows the bell with the unread count and the list, newest first, in Bulgarian', async () => {
    await setup();
    expect(await screen.findByRole('link', { name: 'Известия: 1 непрочетено' })).toBeTruthy();
    const items = await screen.findAllByTestId('notification');
    expect(items.map((item) => item.textContent)).toEqual([
      expect.stringContaining('Иван Петров ви покани на „Бюджет“'),
      expect.stringContaining('Пропуснато обаждане от Иван Петров.'),
    ]);
    expect(within(items[0]).getByRole('link').getAttribute('href')).toBe('/meetings/m1');
  });

  it('marks all as read', async () => {
    const { calls } = await setup();
    fireEvent.click(await screen.findByRole('button', { name: 'Отбелязване на всички като прочетени' }));
    await screen.findByText('Всички известия са прочетени.');
    expect(calls.some((c) => c.method === 'POST' && c.path === '/notifications/read-all')).toBe(true);
    expect(screen.queryByText('Ново')).toBeNull();
  });

  it('marks one as read', async () => {
    const { calls } = await setup();
    fireEvent.click(await screen.findByRole('button', { name: /^Отбелязване като прочетено: / }));
    await screen.findByRole('link', { name: 'Известия' });
    expect(calls.some((c) => c.method === 'POST' && c.path === '/notifications/n2/read')).toBe(true);
    expect(screen.getByText('Всички известия са прочетени.')).toBeTruthy();
  });

  it('puts a live notification on top, counts it and reads it out', async () => {
    const { sockets, browser } = await setup();
    await screen.findAllByTestId('notification');
    sockets.last().receive({
      type: 'notification',
      notification: {
        id: 'n3',
        kind: 'meeting.cancelled',
        payload: { meeting_id: 'm1', title: 'Бюджет', starts_at: '2026-12-01T08:00:00Z', occurrence: null, organiser },
        created_at: '2026-11-21T08:00:00Z',
        read: false,
      },
      unread: 2,
    });
    await screen.findByRole('link', { name: 'Известия: 2 непрочетени' });
    expect(screen.getAllByTestId('notification')[0].textContent).toContain('Иван Петров отмени „Бюджет“.');
    expect(screen.getByTestId('live-region').textContent).toBe('Ново известие: Иван Петров отмени „Бюджет“.');
    // Not allowed by the person: no browser notification.
    expect(browser.shown).toEqual([]);
  });

  it('asks for browser notifications only on the button, then shows new ones', async () => {
    const { sockets, browser } = await setup();
    expect(browser.requests).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Включване на известията в браузъра' }));
    await screen.findByText('Известията в браузъра са включени.');
    sockets.last().receive({
      type: 'notification',
      notification: { id: 'n4', kind: 'call.missed', payload: { caller: organiser }, created_at: '2026-11-21T08:00:00Z', read: false },
      unread: 2,
    });
    await waitFor(() => expect(browser.shown).toHaveLength(1));
    expect(browser.shown[0]).toMatchObject({
      title: 'eGov box',
      body: 'Пропуснато обаждане от Иван Петров.',
      tag: 'egovbox-notification-n4',
    });
  });

  it('reads the list over REST on each hello, a reconnection included', async () => {
    const { sockets, calls } = await setup();
    await screen.findAllByTestId('notification');
    const loads = () => calls.filter((c) => c.path === '/notifications').length;
    // Read on the hello of the first connection.
    await waitFor(() => expect(loads()).toBeGreaterThanOrEqual(1));
    const before = loads();
    sockets.last().drop();
    await screen.findByText('Връзката за новини в реално време е прекъсната. Свързване отново…');
    await waitFor(() => expect(sockets.sockets).toHaveLength(2), { timeout: 2500 });
    sockets.last().accept('u1');
    await waitFor(() => expect(loads()).toBe(before + 1));
    expect(screen.queryByText('Връзката за новини в реално време е прекъсната. Свързване отново…')).toBeNull();
  });
});
