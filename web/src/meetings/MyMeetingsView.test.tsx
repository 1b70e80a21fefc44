import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Occurrence } from '../api/types';
import { makeServices, type FakeRequest } from '../test/harness';
import { meetingAt, occurrenceOf } from '../test/meeting_fixtures';
import { MyMeetingsView } from './MyMeetingsView';

afterEach(cleanup);

const at = (startsAt: string, endsAt: string, fields: Partial<Occurrence> = {}): Occurrence =>
  occurrenceOf(meetingAt(0), {
    occurrence: startsAt,
    starts_at: startsAt,
    ends_at: endsAt,
    join_opens_at: new Date(Date.parse(startsAt) - 600_000).toISOString(),
    ...fields,
  });

// Wednesday 25 March 2026, 12:00 in Sofia (EET); summer time starts on
// Sunday the 29th.
const kNow = Date.parse('2026-03-25T10:00:00Z');
const kAll: Occurrence[] = [
  at('2026-03-25T12:00:00Z', '2026-03-25T13:00:00Z', { meeting_id: 'm1', title: 'Днешна оперативка' }),
  at('2026-03-28T08:00:00Z', '2026-03-28T09:00:00Z', { meeting_id: 'm2', title: 'Съботно дежурство', status: 'cancelled' }),
  at('2026-03-30T07:00:00Z', '2026-03-30T08:00:00Z', { meeting_id: 'm3', title: 'Планиране', recurring: true }),
];

function setup() {
  const harness = makeServices(
    {
      'GET /meetings/upcoming': (request: FakeRequest) => {
        const from = Date.parse(request.query.get('from') ?? '');
        const to = Date.parse(request.query.get('to') ?? '');
        return { body: { occurrences: kAll.filter((o) => Date.parse(o.starts_at) >= from && Date.parse(o.starts_at) < to) } };
      },
    },
    { path: '/meetings' },
  );
  harness.render(<MyMeetingsView />);
  return harness;
}

describe('MyMeetingsView', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(kNow);
  });
  afterEach(() => vi.useRealTimers());

  it('lists today and the next 7 days in Sofia time, with join buttons', async () => {
    const { calls } = setup();
    const today = (await screen.findByRole('heading', { level: 2, name: 'Днес' })).closest('section')!;
    await within(today).findByText('Днешна оперативка');
    // 12:00 UTC is 14:00 in Sofia.
    expect(within(today).getByText('14:00 – 15:00')).toBeTruthy();
    const join = within(today).getByRole('button', { name: 'Влизане' }) as HTMLButtonElement;
    expect(join.disabled).toBe(true);
    expect(within(today).getByText('Входът се отваря в 13:50')).toBeTruthy();
    const week = screen.getByRole('heading', { level: 2, name: 'Следващите 7 дни' }).closest('section')!;
    expect(within(week).getAllByTestId('occurrence').map((o) => o.querySelector('h3')?.textContent)).toEqual([
      'Съботно дежурство',
      'Планиране',
    ]);
    expect(within(week).getByText('Отменена')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Насрочване на среща' }).getAttribute('href')).toBe('/meetings/new');
    const first = calls.find((c) => c.path === '/meetings/upcoming' && c.query.get('from') === '2026-03-24T22:00:00Z');
    expect(first?.query.get('from')).toBe('2026-03-24T22:00:00Z');
    // Eight days on, across the change to summer time: midnight is 21:00 UTC.
    expect(first?.query.get('to')).toBe('2026-04-01T21:00:00Z');
  });

  it('shows a week Monday to Sunday and moves between weeks', async () => {
    const { calls } = setup();
    const calendar = await screen.findByTestId('week-calendar');
    const days = () => [...calendar.querySelectorAll('h3')].map((h) => h.textContent);
    expect(days()).toHaveLength(7);
    expect(days()[0]).toBe('понеделник, 23 март');
    expect(days()[6]).toBe('неделя, 29 март');
    expect(days()[2]).toContain('днес');
    await waitFor(() => expect(within(calendar).getByText('Днешна оперативка')).toBeTruthy());
    fireEvent.click(screen.getByRole('button', { name: 'Следваща седмица' }));
    await waitFor(() => expect(within(calendar).getByText('Планиране')).toBeTruthy());
    expect(days()[0]).toBe('понеделник, 30 март');
    const weekCalls = calls.filter((c) => c.path === '/meetings/upcoming').map((c) => [c.query.get('from'), c.query.get('to')]);
    expect(weekCalls).toContainEqual(['2026-03-22T22:00:00Z', '2026-03-29T21:00:00Z']);
    expect(weekCalls).toContainEqual(['2026-03-29T21:00:00Z', '2026-04-05T21:00:00Z']);
    expect(screen.getByText(/^Показана седмица: /).textContent).toMatch(/^Показана седмица: 30\s+март\s+–\s+5\s+април\s+2026\s+г\.$/);
    fireEvent.click(screen.getByRole('button', { name: 'Тази седмица' }));
    await waitFor(() => expect(days()[0]).toBe('понеделник, 23 март'));
  });
});
