import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionItem } from '../api/types';
import { kMe, kSignedIn, makeServices } from '../test/harness';
import { SessionsList } from './SessionsList';

afterEach(cleanup);

const kSessions: SessionItem[] = [
  {
    id: 's-other',
    created_at: '2026-03-02T08:00:00Z',
    last_seen_at: '2026-03-02T09:00:00Z',
    expires_at: '2026-03-03T08:00:00Z',
    user_agent: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
    client_address: '192.0.2.10',
    current: false,
  },
  {
    id: 's-here',
    created_at: '2026-03-01T07:30:00Z',
    last_seen_at: '2026-03-01T08:00:00Z',
    expires_at: '2026-03-02T07:30:00Z',
    user_agent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36',
    client_address: '192.0.2.20',
    current: true,
  },
];

async function setup() {
  const harness = makeServices(
    {
      'GET /session': kSignedIn,
      'GET /me': { body: kMe },
      'GET /me/sessions': { body: { items: kSessions } },
      'DELETE /me/sessions/s-other': { status: 204 },
      'DELETE /me/sessions/s-here': { status: 204 },
    },
    { lang: 'en' },
  );
  await harness.services.session.start();
  harness.render(<SessionsList reloadKey={0} />);
  await screen.findAllByRole('listitem');
  return harness;
}

describe('SessionsList', () => {
  it('lists the current session first, with buttons that name their session', async () => {
    await setup();
    const titles = screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent);
    expect(titles).toEqual(['Chrome on Windows', 'Firefox on Linux']);
    expect(screen.getByText('This session')).toBeTruthy();
    // 07:30 UTC on 1 March is 09:30 in Sofia.
    expect(screen.getByRole('button', { name: /^Sign out of this session Chrome on Windows, started .*09:30/ })).toBeTruthy();
    expect(screen.getByRole('button', { name: /^Revoke the session Firefox on Linux, started / })).toBeTruthy();
  });

  it('revokes another session and says so', async () => {
    const { calls } = await setup();
    fireEvent.click(screen.getByRole('button', { name: /^Revoke the session Firefox/ }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('The session “Firefox on Linux” has been revoked.'));
    expect(calls.at(-1)?.method).toBe('DELETE');
    expect(screen.getAllByRole('listitem')).toHaveLength(1);
  });

  it('signs this browser out when the current session is revoked', async () => {
    const { services } = await setup();
    fireEvent.click(screen.getByRole('button', { name: /^Sign out of this session/ }));
    await waitFor(() => expect(services.session.state.get().notice).toBe('signed-out'));
  });
});
