import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { Meeting } from '../api/types';
import { kMe, makeServices, problem, type FakeRoute } from '../test/harness';
import { kDocument } from '../test/document_fixtures';
import { meetingAt } from '../test/meeting_fixtures';
import { MeetingView } from './MeetingView';

afterEach(cleanup);

function setup(meeting: Meeting | (() => Meeting), routes: Record<string, FakeRoute> = {}, lang: 'bg' | 'en' = 'bg') {
  const harness = makeServices(
    {
      'GET /meetings/m1': () => ({ body: typeof meeting === 'function' ? meeting() : meeting }),
      'GET /meetings/m1/documents': { body: { documents: [] } },
      ...routes,
    },
    { lang, path: '/meetings/m1' },
  );
  harness.services.client.setCsrfToken('tok');
  harness.services.realtime.start();
  harness.sockets.last().accept();
  harness.render(<MeetingView me={kMe} meetingId="m1" />);
  return harness;
}

describe('MeetingView', () => {
  it('shows the details, the recurrence in words, the invitees and their answers', async () => {
    setup(
      meetingAt(120, {
        recurrence: { frequency: 'weekly', interval: 1, weekdays: ['MO', 'WE'], until: null, count: null },
      }),
    );
    await screen.findByRole('heading', { level: 1, name: 'Оперативка' });
    expect(screen.getByText('Всяка седмица в понеделник и сряда')).toBeTruthy();
    expect(screen.getByText('Оперативна среща')).toBeTruthy();
    const invitees = screen.getAllByTestId('invitee').map((li) => li.textContent);
    expect(invitees[0]).toContain('Домакин, организатор');
    expect(invitees[1]).toContain('Под въпрос');
    expect(invitees[1]).toContain('Коментар: Ще закъснея');
    const ics = screen.getByRole('link', { name: 'Изтегляне за календар (.ics)' });
    expect(ics.getAttribute('href')).toBe('/api/v1/meetings/m1/calendar.ics');
    expect(screen.getByRole('link', { name: 'Редактиране на срещата' }).getAttribute('href')).toBe('/meetings/m1/edit');
    expect(screen.getByRole('link', { name: 'Стаята на Мария Иванова' }).getAttribute('href')).toBe('/rooms/r-u1');
  });

  it('lists the documents shared with the meeting, each linked to its page', async () => {
    setup(meetingAt(60), { 'GET /meetings/m1/documents': { body: { documents: [kDocument] } } });
    const item = await screen.findByTestId('meeting-document');
    expect(screen.getByRole('heading', { level: 2, name: 'Документи' })).toBeTruthy();
    expect(item.querySelector('a')?.getAttribute('href')).toBe('/documents/d1');
    expect(item.textContent).toContain('Годишен отчет');
    expect(item.textContent).toContain('Версия 2 · PDF · 1,5 МБ');
  });

  it('says when no document is shared with the meeting', async () => {
    setup(meetingAt(60));
    await screen.findByText('Няма документи, споделени със срещата.');
  });

  it('answers a meeting it may not see with "not found or not invited"', async () => {
    setup(meetingAt(60), { 'GET /meetings/m1': problem('meeting-not-found', 404) });
    await screen.findByRole('heading', { level: 1, name: 'Срещата не е намерена' });
    expect(screen.getByText('Тази среща не съществува или не сте поканени на нея.')).toBeTruthy();
  });

  it('keeps "Join" disabled until the door opens', async () => {
    setup(meetingAt(30));
    await screen.findByRole('heading', { level: 1, name: 'Оперативка' });
    expect(screen.queryByRole('button', { name: 'Влизане' })).toBeNull();
    expect(screen.getByText(/^Входът се отваря в \d\d:\d\d\.$/)).toBeTruthy();
  });

  it('"Join" goes to the pre-join screen of the meeting; joining happens there', async () => {
    const { calls } = setup(meetingAt(5));
    fireEvent.click(await screen.findByRole('button', { name: 'Влизане' }));
    await waitFor(() => expect(window.location.pathname).toBe('/meetings/m1/live'));
    expect(calls.some((c) => c.path === '/meetings/m1/join')).toBe(false);
  });

  it('while this tab is in the meeting, links back to its room', async () => {
    const { services, sockets } = setup(meetingAt(-5), {
      'POST /meetings/m1/join': { body: { meeting_id: 'm1', capability: 'c', expires_at: '2099-01-01T00:00:00Z' } },
    });
    await screen.findByRole('heading', { level: 1, name: 'Оперативка' });
    void services.media.joinMeeting('m1');
    await waitFor(() => expect(sockets.last().sent).toHaveLength(1));
    sockets.last().receive({ type: 'media.joined', meeting_id: 'm1', participant_id: 'p1', participants: [] });
    const box = await screen.findByTestId('in-meeting');
    expect(box.textContent).toContain('Вие сте в срещата.');
    expect(screen.getByRole('link', { name: 'Към срещата' }).getAttribute('href')).toBe('/meetings/m1/live');
    services.media.reset();
  });

  it('sends my answer with a comment', async () => {
    const meeting = meetingAt(60, { my_role: 'participant', my_response: 'needs-action', organiser: { id: 'e2', name: 'Иван Петров' } });
    const { calls } = setup(meeting, {
      'PUT /meetings/m1/rsvp': (request) => ({
        body: { ...meeting, my_response: (request.body as { response: string }).response },
      }),
    });
    await screen.findByRole('heading', { level: 1, name: 'Оперативка' });
    expect(screen.queryByRole('link', { name: 'Редактиране на срещата' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Отменяне на срещата' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Изпращане на отговора' }));
    await screen.findByText('Изберете отговор.');
    fireEvent.click(screen.getByRole('radio', { name: 'Отказвам' }));
    fireEvent.input(screen.getByLabelText('Коментар (по желание)'), { target: { value: ' В отпуск съм ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Изпращане на отговора' }));
    await screen.findByText('Отговорът ви е изпратен.');
    expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({ response: 'declined', comment: 'В отпуск съм' });
  });

  it('saves my reminders, or goes back to the defaults', async () => {
    const meeting = meetingAt(60);
    const { calls } = setup(meeting, { 'PUT /meetings/m1/reminders': { body: meeting } });
    await screen.findByRole('heading', { level: 1, name: 'Оперативка' });
    fireEvent.click(screen.getByRole('checkbox', { name: '5 минути преди' }));
    fireEvent.click(screen.getByRole('checkbox', { name: '1 ден преди' }));
    fireEvent.click(screen.getByRole('button', { name: 'Запазване на напомнянията' }));
    await screen.findByText('Напомнянията ви са запазени.');
    fireEvent.click(screen.getByRole('button', { name: 'Връщане към напомнянията на срещата' }));
    await waitFor(() => expect(calls.filter((c) => c.path === '/meetings/m1/reminders')).toHaveLength(2));
    const bodies = calls.filter((c) => c.path === '/meetings/m1/reminders').map((c) => c.body);
    expect(bodies).toEqual([{ offsets: [900, 300] }, { offsets: null }]);
  });

  it('reloads when the server says the meeting changed', async () => {
    let title = 'Оперативка';
    const { sockets, calls, services } = setup(() => meetingAt(60, { title }));
    const harnessLive = () => services.announcer.current.get()?.render('bg');
    await screen.findByRole('heading', { level: 1, name: 'Оперативка' });
    title = 'Оперативка (нов час)';
    sockets.last().receive({ type: 'meeting.changed', meeting_id: 'other' });
    sockets.last().receive({ type: 'meeting.changed', meeting_id: 'm1' });
    await screen.findByRole('heading', { level: 1, name: 'Оперативка (нов час)' });
    expect(calls.filter((c) => c.path === '/meetings/m1')).toHaveLength(2);
    await waitFor(() =>
      expect(harnessLive()).toBe('Срещата беше променена. Показани са новите данни.'),
    );
  });

  it('reloads on a notification about it (an invitee gets that instead of meeting.changed)', async () => {
    let title = 'Оперативка';
    const { sockets, calls } = setup(() => meetingAt(60, { title, my_role: 'participant' }));
    await screen.findByRole('heading', { level: 1, name: 'Оперативка' });
    title = 'Оперативка (нов час)';
    const notify = (id: string, kind: string, meetingId: string) =>
      sockets.last().receive({
        type: 'notification',
        notification: { id, kind, payload: { meeting_id: meetingId, title }, created_at: '2026-11-20T08:00:00Z', read: false },
        unread: 1,
      });
    notify('n1', 'meeting.rescheduled', 'other');
    notify('n2', 'meeting.reminder', 'm1');
    expect(calls.filter((c) => c.path === '/meetings/m1')).toHaveLength(1);
    notify('n3', 'meeting.rescheduled', 'm1');
    await screen.findByRole('heading', { level: 1, name: 'Оперативка (нов час)' });
    expect(calls.filter((c) => c.path === '/meetings/m1')).toHaveLength(2);
  });

  it('cancels after a confirmation in a dialog', async () => {
    let cancelled = false;
    const { calls } = setup(() => meetingAt(60, { status: cancelled ? 'cancelled' : 'scheduled' }), {
      'DELETE /meetings/m1': () => {
        cancelled = true;
        return { status: 204 };
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Отменяне на срещата' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Да се отмени ли срещата?' });
    // The safe answer has focus first.
    expect(document.activeElement?.textContent).toBe('Не, запазете я');
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: 'Да, отменете срещата' }));
    await screen.findByText('Срещата е отменена. Поканените ще получат известие.');
    expect(calls.some((c) => c.method === 'DELETE' && c.path === '/meetings/m1')).toBe(true);
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });
});
