import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { kMe, makeServices } from '../test/harness';
import { meetingAt, occurrenceOf } from '../test/meeting_fixtures';
import { RoomView } from './RoomView';

afterEach(cleanup);

describe('RoomView', () => {
  it('counts down to the next meeting and offers its join button', async () => {
    const soon = occurrenceOf(meetingAt(135, { id: 'm1', title: 'Оперативка' }));
    const later = occurrenceOf(meetingAt(60 * 26, { id: 'm2', title: 'Общо събрание' }));
    const { render } = makeServices({ 'GET /meetings/upcoming': { body: { occurrences: [soon, later] } } }, { lang: 'bg' });
    render(<RoomView me={kMe} />);
    const card = (await screen.findByRole('heading', { level: 2, name: 'Предстоящи срещи' })).closest('section')!;
    await within(card).findByText('Оперативка');
    expect(within(card).getByTestId('next-meeting-countdown').textContent).toBe(
      'Следващата ви среща започва след 2 часа и 15 минути.',
    );
    expect(within(card).getAllByRole('button', { name: 'Влизане' })).toHaveLength(2);
    expect(within(card).getByRole('link', { name: 'Насрочване на среща' }).getAttribute('href')).toBe('/meetings/new');
    expect(within(card).getByRole('link', { name: 'Всички мои срещи' }).getAttribute('href')).toBe('/meetings');
  });

  it('lets one join a meeting that is about to start: its pre-join screen', async () => {
    const now = occurrenceOf(meetingAt(5, { id: 'm1' }));
    const { render, services } = makeServices({
      'GET /meetings/upcoming': { body: { occurrences: [now] } },
      'POST /meetings/m1/join': { body: { meeting_id: 'm1', capability: 'c', expires_at: '2099-01-01T00:00:00Z' } },
    });
    render(<RoomView me={kMe} />);
    expect(await screen.findByText('Следващата ви среща започва след 5 минути.')).toBeTruthy();
    const join = screen.getByRole('button', { name: 'Влизане' }) as HTMLButtonElement;
    expect(join.disabled).toBe(false);
    fireEvent.click(join);
    await waitFor(() => expect(window.location.pathname).toBe('/meetings/m1/live'));
    // Nothing is joined before the pre-join screen's "Join the meeting".
    expect(services.media.state.get().phase).toBe('idle');
  });

  it('shows the newest unread notifications', async () => {
    const { render, services } = makeServices({
      'GET /notifications': {
        body: {
          notifications: [
            { id: 'n1', kind: 'call.missed', payload: { caller: { id: 'e2', name: 'Иван Петров' } }, created_at: '2026-01-01T08:00:00Z', read: false },
          ],
          unread: 1,
        },
      },
    });
    await services.notifications.load();
    render(<RoomView me={kMe} />);
    expect(screen.getByText('Пропуснато обаждане от Иван Петров.')).toBeTruthy();
    expect(screen.queryByText('Нямате нови известия.')).toBeNull();
  });
});
