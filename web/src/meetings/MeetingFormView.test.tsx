import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Employee, MeetingRequest } from '../api/types';
import { kMe, makeServices, problem, type FakeRequest, type FakeRoute } from '../test/harness';
import { kHall, kPersonalRoom, meetingAt } from '../test/meeting_fixtures';
import { MeetingFormView } from './MeetingFormView';

// The dates below are in March and December 2026: the clock (Date only; the
// search's timers run) is set before them, so that no start is in the past.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-03-01T10:00:00Z'));
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const kPeople: Employee[] = [
  { id: 'e2', code: 'AB12-CD34', name: 'Иван Петров', email: '', department: { id: 'd1', name: 'Финанси' }, position: 'Юрист' },
  { id: 'e3', code: 'EF56-GH78', name: 'Петя Иванова', email: '', department: null, position: 'Счетоводител' },
];

function setup(routes: Record<string, FakeRoute>, meetingId: string | null = null) {
  const harness = makeServices(
    {
      'GET /rooms': { body: { personal: kPersonalRoom, halls: [kHall] } },
      'GET /departments': { body: { items: [{ id: 'd1', name: 'Финанси', employee_count: 12 }] } },
      'GET /employees': (request: FakeRequest) => ({
        body: { items: kPeople.filter((p) => p.name.includes(request.query.get('q') ?? '')) },
      }),
      'POST /meetings/availability': { body: { busy: [], hall_busy: false } },
      ...routes,
    },
    { path: meetingId ? `/meetings/${meetingId}/edit` : '/meetings/new' },
  );
  harness.services.client.setCsrfToken('tok');
  harness.render(<MeetingFormView me={kMe} meetingId={meetingId} />);
  return harness;
}

async function fillBasics(title = 'Оперативка') {
  fireEvent.input(await screen.findByLabelText('Заглавие'), { target: { value: title } });
  fireEvent.input(screen.getByLabelText('Дата'), { target: { value: '2026-03-30' } });
  fireEvent.input(screen.getByLabelText('Начало'), { target: { value: '10:00' } });
  fireEvent.input(screen.getByLabelText('Край'), { target: { value: '11:00' } });
}

async function invite(name: string) {
  fireEvent.input(screen.getByLabelText('Търсене на служител за покана'), { target: { value: name } });
  fireEvent.click(await screen.findByRole('button', { name: `Добавяне на ${name}` }));
}

const created = (request: FakeRequest) => ({
  status: 201,
  body: meetingAt(60, { id: 'm9', title: (request.body as MeetingRequest).title }),
});

describe('MeetingFormView', () => {
  it('schedules: Sofia time to UTC (summer), invitees with roles, departments, reminders', async () => {
    const { calls } = setup({ 'POST /meetings': created });
    await fillBasics();
    fireEvent.input(screen.getByLabelText('Дневен ред'), { target: { value: '1. Бюджет' } });
    await invite('Иван Петров');
    expect(screen.getByTestId('invitee-chip').textContent).toContain('Иван Петров');
    fireEvent.change(screen.getByLabelText('Роля на Иван Петров'), { target: { value: 'co-host' } });
    fireEvent.change(await screen.findByLabelText('Покана за цял отдел'), { target: { value: 'Финанси' } });
    fireEvent.click(screen.getByRole('button', { name: 'Добавяне на отдела' }));
    fireEvent.click(screen.getByRole('checkbox', { name: '5 минути преди' }));
    fireEvent.click(screen.getByRole('button', { name: 'Насрочване' }));
    await waitFor(() => expect(window.location.pathname).toBe('/meetings/m9'));
    const availability = calls.find((c) => c.path === '/meetings/availability');
    expect(availability?.body).toMatchObject({
      starts_at: '2026-03-30T07:00:00Z',
      ends_at: '2026-03-30T08:00:00Z',
      invitees: [{ employee_id: 'e2' }],
      departments: ['Финанси'],
    });
    const post = calls.find((c) => c.method === 'POST' && c.path === '/meetings');
    expect(post?.headers.get('X-CSRF-Token')).toBe('tok');
    expect(post?.body).toEqual({
      title: 'Оперативка',
      agenda: '1. Бюджет',
      kind: 'operational',
      starts_at: '2026-03-30T07:00:00Z',
      ends_at: '2026-03-30T08:00:00Z',
      recurrence: null,
      invitees: [{ employee_id: 'e2', role: 'co-host' }],
      departments: ['Финанси'],
      reminder_offsets: [86_400, 900, 300],
    });
  });

  it('names busy invitees before saving and saves anyway on request', async () => {
    const { calls } = setup({
      'POST /meetings/availability': { body: { busy: [{ id: 'e2', name: 'Иван Петров' }], hall_busy: false } },
      'POST /meetings': created,
    });
    await fillBasics();
    await invite('Иван Петров');
    fireEvent.click(screen.getByRole('button', { name: 'Насрочване' }));
    const warning = await screen.findByTestId('busy-warning');
    expect(warning.textContent).toContain('Вече имат друга среща: Иван Петров.');
    expect(calls.some((c) => c.method === 'POST' && c.path === '/meetings')).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Запазване въпреки това' }));
    await waitFor(() => expect(window.location.pathname).toBe('/meetings/m9'));
    expect((calls.find((c) => c.path === '/meetings')?.body as MeetingRequest).allow_conflicts).toBe(true);
  });

  it('handles 409 invitees-busy from the save itself the same way', async () => {
    let attempts = 0;
    setup({
      'POST /meetings': (request) => {
        attempts += 1;
        return (request.body as MeetingRequest).allow_conflicts
          ? created(request)
          : problem('invitees-busy', 409, { busy: [{ id: 'e3', name: 'Петя Иванова' }] });
      },
    });
    await fillBasics();
    fireEvent.click(screen.getByRole('button', { name: 'Насрочване' }));
    expect((await screen.findByTestId('busy-warning')).textContent).toContain('Петя Иванова');
    fireEvent.click(screen.getByRole('button', { name: 'Запазване въпреки това' }));
    await waitFor(() => expect(window.location.pathname).toBe('/meetings/m9'));
    expect(attempts).toBe(2);
  });

  it('shows a booked hall as an error beside the hall, with no "save anyway"', async () => {
    setup({ 'POST /meetings/availability': { body: { busy: [], hall_busy: true } } });
    await fillBasics();
    fireEvent.click(screen.getByRole('radio', { name: 'Зала' }));
    fireEvent.change(await screen.findByLabelText('Коя зала'), { target: { value: 'h1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Насрочване' }));
    await screen.findByText('Залата вече е заета по това време. Изберете друг час или друга зала.');
    expect(screen.queryByRole('button', { name: 'Запазване въпреки това' })).toBeNull();
    await waitFor(() => expect(document.activeElement?.id).toBe('meeting-hall'));
  });

  it('checks the form before asking the server, and moves focus to the first problem', async () => {
    const { calls } = setup({});
    await screen.findByLabelText('Заглавие');
    fireEvent.input(screen.getByLabelText('Край'), { target: { value: '08:00' } });
    fireEvent.input(screen.getByLabelText('Начало'), { target: { value: '09:00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Насрочване' }));
    await screen.findByText('Въведете заглавие.');
    expect(screen.getByText('Краят трябва да е след началото.')).toBeTruthy();
    await waitFor(() => expect(document.activeElement?.id).toBe('meeting-title'));
    expect(screen.getByLabelText('Заглавие').getAttribute('aria-describedby')).toBe('meeting-title-error');
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('refuses a start in the past (more than the server\'s 5 minutes)', async () => {
    const { calls } = setup({});
    await fillBasics();
    fireEvent.input(screen.getByLabelText('Дата'), { target: { value: '2026-03-01' } });
    fireEvent.input(screen.getByLabelText('Начало'), { target: { value: '11:50' } });
    fireEvent.click(screen.getByRole('button', { name: 'Насрочване' }));
    await screen.findByText('Началото е в миналото. Изберете бъдещ час.');
    await waitFor(() => expect(document.activeElement?.id).toBe('meeting-start'));
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('puts a field problem from the server beside its field', async () => {
    setup({
      'POST /meetings': problem('invalid-field', 400, { field: 'recurrence.interval', detail: 'Полето „recurrence.interval“ е невалидно.' }),
    });
    await fillBasics();
    fireEvent.change(screen.getByLabelText('Повторение'), { target: { value: 'weekly' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'вторник' }));
    fireEvent.click(screen.getByRole('button', { name: 'Насрочване' }));
    await screen.findByText('Полето „recurrence.interval“ е невалидно.');
    await waitFor(() => expect(document.activeElement?.id).toBe('meeting-interval'));
  });

  it('edits an existing meeting with PUT, in Sofia winter time', async () => {
    const meeting = meetingAt(60, {
      starts_at: '2026-12-01T08:00:00Z',
      ends_at: '2026-12-01T09:00:00Z',
      recurrence: { frequency: 'weekly', interval: 1, weekdays: ['TU'], until: '2027-01-31', count: null },
    });
    const { calls } = setup(
      { 'GET /meetings/m1': { body: meeting }, 'PUT /meetings/m1': { body: meeting } },
      'm1',
    );
    await screen.findByRole('heading', { level: 1, name: 'Промяна на срещата' });
    expect((screen.getByLabelText('Начало') as HTMLInputElement).value).toBe('10:00');
    expect((screen.getByRole('checkbox', { name: 'вторник' }) as HTMLInputElement).checked).toBe(true);
    expect(screen.getAllByTestId('invitee-chip').map((chip) => chip.textContent)).toEqual([
      expect.stringContaining('Иван Петров'),
    ]);
    fireEvent.input(screen.getByLabelText('Начало'), { target: { value: '09:30' } });
    fireEvent.click(screen.getByRole('button', { name: 'Запазване на промените' }));
    await waitFor(() => expect(window.location.pathname).toBe('/meetings/m1'));
    expect(calls.find((c) => c.path === '/meetings/availability')?.body).toMatchObject({ meeting_id: 'm1' });
    expect(calls.find((c) => c.method === 'PUT')?.body).toMatchObject({
      starts_at: '2026-12-01T07:30:00Z',
      ends_at: '2026-12-01T09:00:00Z',
      room_id: 'r-u1',
      recurrence: { frequency: 'weekly', interval: 1, weekdays: ['TU'], until: '2027-01-31', count: null },
    });
  });
});
