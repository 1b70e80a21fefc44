import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { HallRequest, Room } from '../api/types';
import { kMe, makeServices, problem } from '../test/harness';
import { kHall, kPersonalRoom } from '../test/meeting_fixtures';
import { HallsView } from './HallsView';

afterEach(cleanup);

const kClerk = { ...kMe, roles: ['employee', 'clerk'] };

function setup() {
  let halls: Room[] = [kHall];
  const harness = makeServices(
    {
      'GET /rooms': () => ({ body: { personal: kPersonalRoom, halls } }),
      'POST /rooms': (request) => {
        const body = request.body as HallRequest;
        const hall: Room = { ...kHall, id: 'h2', name: body.name, capacity: body.capacity ?? null, lobby: !!body.lobby };
        halls = [...halls, hall];
        return { status: 201, body: hall };
      },
      'PUT /rooms/h1': (request) => {
        const hall = { ...kHall, ...(request.body as HallRequest) } as Room;
        halls = [hall];
        return { body: hall };
      },
      'DELETE /rooms/h1': problem('room-in-use', 409, { detail: 'Залата има предстоящи срещи.' }),
    },
    { lang: 'bg' },
  );
  harness.services.client.setCsrfToken('tok');
  harness.render(<HallsView me={kClerk} />);
  return harness;
}

describe('HallsView', () => {
  it('is only for administrators and the clerk’s office', () => {
    makeServices({}).render(<HallsView me={kMe} />);
    expect(screen.getByText('Залите се управляват само от администратори и деловодството.')).toBeTruthy();
  });

  it('lists, creates and edits halls', async () => {
    const { calls } = setup();
    await screen.findByRole('heading', { level: 3, name: 'Заседателна зала' });
    fireEvent.click(screen.getByRole('button', { name: 'Създаване на залата' }));
    await screen.findByText('Въведете име на залата.');
    fireEvent.input(screen.getByLabelText('Име на залата'), { target: { value: 'Малка зала' } });
    fireEvent.input(screen.getByLabelText('Брой места (по желание)'), { target: { value: '12' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'С чакалня (домакинът пуска влизащите)' }));
    fireEvent.click(screen.getByRole('button', { name: 'Създаване на залата' }));
    await screen.findByText('Залата „Малка зала“ е създадена.');
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ name: 'Малка зала', description: '', capacity: 12, lobby: true });
    await screen.findByRole('heading', { level: 3, name: 'Малка зала' });

    fireEvent.click(screen.getByRole('button', { name: 'Промяна на Заседателна зала' }));
    const names = screen.getAllByLabelText('Име на залата');
    fireEvent.input(names[0], { target: { value: 'Голяма зала' } });
    fireEvent.click(screen.getByRole('button', { name: 'Запазване на промените' }));
    await screen.findByText('Промените в „Голяма зала“ са запазени.');
    expect(calls.find((c) => c.method === 'PUT')?.path).toBe('/rooms/h1');
  });

  it('checks the server\'s limits first: 120 bytes of name, 1 to 10 000 seats', async () => {
    const { calls } = setup();
    await screen.findByRole('heading', { level: 3, name: 'Заседателна зала' });
    fireEvent.input(screen.getByLabelText('Име на залата'), { target: { value: 'Ж'.repeat(61) } });
    fireEvent.input(screen.getByLabelText('Брой места (по желание)'), { target: { value: '10001' } });
    fireEvent.click(screen.getByRole('button', { name: 'Създаване на залата' }));
    await screen.findByText('Името е твърде дълго: до 120 байта, т.е. около 60 букви на кирилица.');
    expect(screen.getByText('Въведете цяло число от 1 до 10 000 или оставете полето празно.')).toBeTruthy();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('archives after a confirmation and shows why it could not', async () => {
    setup();
    fireEvent.click(await screen.findByRole('button', { name: 'Архивиране на Заседателна зала' }));
    await screen.findByRole('alertdialog', { name: 'Да се архивира ли „Заседателна зала“?' });
    fireEvent.click(screen.getByRole('button', { name: 'Да, архивирайте' }));
    await screen.findByText('Залата има предстоящи срещи.');
    fireEvent.keyDown(screen.getByRole('alertdialog'), { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
  });
});
