import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { Employee } from '../api/types';
import { makeServices, type FakeRequest } from '../test/harness';
import { ColleaguesView } from './ColleaguesView';

afterEach(cleanup);

const kPeople: Employee[] = [
  {
    id: 'e1',
    code: 'AB12-CD34',
    name: 'Иван Петров',
    email: 'ivan.petrov@example.bg',
    department: { id: 'd1', name: 'Финанси' },
    position: 'Началник на отдел',
  },
  { id: 'e2', code: 'EF56-GH78', name: 'Петя Иванова', email: '', department: null, position: 'Юрисконсулт' },
];

function setup() {
  return makeServices({
    'GET /employees': (request: FakeRequest) => ({
      body: { items: kPeople.filter((p) => p.name.includes(request.query.get('q') ?? '')) },
    }),
    'GET /departments': { body: { items: [{ id: 'd1', name: 'Финанси', employee_count: 12 }] } },
  });
}

describe('ColleaguesView', () => {
  it('lists colleagues as cards and announces the count', async () => {
    const { render } = setup();
    render(<ColleaguesView />);
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Намерени са 2 служители.'));
    const items = screen.getAllByRole('listitem');
    expect(items).toHaveLength(2);
    const mail = screen.getByRole('link', { name: 'ivan.petrov@example.bg' });
    expect(mail.getAttribute('href')).toBe('mailto:ivan.petrov@example.bg');
    expect(screen.getByText('Без отдел')).toBeTruthy();
    expect(await screen.findByRole('option', { name: 'Финанси (12)' })).toBeTruthy();
  });

  it('searches by what is typed into the labelled search box', async () => {
    const { render, calls } = setup();
    render(<ColleaguesView />);
    await waitFor(() => expect(screen.getAllByRole('listitem')).toHaveLength(2));
    fireEvent.input(screen.getByLabelText('Търсене по име, длъжност или код'), { target: { value: 'Петя' } });
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Намерен е 1 служител.'));
    expect(calls.filter((c) => c.path === '/employees').at(-1)?.query.get('q')).toBe('Петя');
  });

  it('filters by department', async () => {
    const { render, calls } = setup();
    render(<ColleaguesView />);
    await screen.findByRole('option', { name: 'Финанси (12)' });
    fireEvent.change(screen.getByLabelText('Отдел'), { target: { value: 'd1' } });
    await waitFor(() =>
      expect(calls.filter((c) => c.path === '/employees').at(-1)?.query.get('department')).toBe('d1'),
    );
  });
});
