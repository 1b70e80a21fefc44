import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeChannel } from '../test/fake_channel';
import { makeServices } from '../test/harness';
import { MeetingControls, participantRows, type ControlledConference } from './host_controls';
import { ParticipantsPanel } from './ParticipantsPanel';

afterEach(cleanup);

const kConference = {
  participantId: 'p1',
  microphoneOn: false,
  cameraOn: true,
  participants: [
    {
      participantId: 'p2',
      employeeId: 'e2',
      name: 'Иван Петров',
      role: 'participant',
      tracks: [{ track_id: 'a', kind: 'audio' as const, source: 'microphone' as const, muted: false }],
    },
    { participantId: 'p3', employeeId: 'e3', name: 'Мария Димитрова', role: 'co-host', tracks: [] },
  ],
};

function setup(isHost: boolean) {
  const harness = makeServices({
    'POST /knocks/k1/admit': { body: { id: 'k1', room_id: 'r1', status: 'admitted', meeting_id: 'm1' } },
    'POST /meetings/m1/removals': { status: 204 },
    'POST /meetings/m1/end': { status: 204 },
    'POST /meetings/m1/participants/p2/mute': { status: 204 },
  });
  const bus = fakeChannel();
  const conference: ControlledConference = { setMicrophone: async () => undefined, setCamera: async () => undefined, state: { get: () => kConference } };
  const controls = new MeetingControls(harness.services.api, bus.channel, 'm1', 'r1', isHost, conference);
  bus.emit({ type: 'media.hands', meeting_id: 'm1', hands: [{ participant_id: 'p2', employee_id: 'e2', raised_at: '2026-11-28T10:00:00Z' }] });
  const rows = participantRows(kConference, controls.state.get().hands, { id: 'e1', name: 'Ана Иванова', host: isHost });
  let closed = 0;
  harness.render(<ParticipantsPanel id="people" controls={controls} rows={rows} onClose={() => (closed += 1)} />);
  return { ...harness, bus, controls, closed: () => closed };
}

describe('ParticipantsPanel', () => {
  it('lists everyone with their state for a participant, without host buttons or a lobby', () => {
    const { closed } = setup(false);
    expect(screen.getByRole('heading', { level: 2, name: 'Участници (3)' })).toBeTruthy();
    const items = screen.getAllByTestId('participant').map((item) => item.textContent);
    expect(items[0]).toContain('Ана Иванова (вие)');
    expect(items[0]).toContain('микрофонът е изключен');
    expect(items[1]).toContain('Иван Петров');
    expect(items[1]).toContain('вдигната ръка, 1. по ред');
    expect(items[1]).toContain('камерата е изключена');
    expect(items[2]).toContain('домакин');
    expect(screen.getByTestId('hand-queue').textContent).toContain('Иван Петров');
    expect(screen.queryByRole('button', { name: 'Заглушаване на Иван Петров' })).toBeNull();
    expect(screen.queryByTestId('lobby')).toBeNull();
    fireEvent.keyDown(screen.getByRole('complementary'), { key: 'Escape' });
    expect(closed()).toBe(1);
  });

  it('gives a host the lobby, per-person buttons, and asks before removing or ending', async () => {
    const { calls, bus } = setup(true);
    bus.emit({ type: 'knock', knock: { id: 'k1', room_id: 'r1', meeting_id: 'm1', employee: { id: 'e9', name: 'Гост Гостев' } } });
    fireEvent.click(await screen.findByRole('button', { name: 'Допускане на Гост Гостев' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.path === '/knocks/k1/admit')).toBe(true));
    await screen.findByText('Никой не чака.');

    fireEvent.click(screen.getByRole('button', { name: 'Заглушаване на Иван Петров' }));
    await waitFor(() => expect(calls.some((c) => c.path === '/meetings/m1/participants/p2/mute')).toBe(true));
    expect(calls.find((c) => c.path === '/meetings/m1/participants/p2/mute')?.body).toEqual({ source: 'microphone' });

    fireEvent.click(screen.getByRole('button', { name: 'Отстраняване на Иван Петров' }));
    const question = screen.getByRole('alertdialog');
    expect(question.textContent).toContain('Да бъде ли отстранен(а) Иван Петров от срещата?');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('host-confirm')));
    expect(calls.some((c) => c.path === '/meetings/m1/removals')).toBe(false);
    fireEvent.click(screen.getByTestId('host-confirm'));
    await waitFor(() => expect(calls.find((c) => c.path === '/meetings/m1/removals')?.body).toEqual({ employee_id: 'e2' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());

    fireEvent.click(screen.getByRole('button', { name: 'Край на срещата за всички' }));
    fireEvent.keyDown(screen.getByRole('alertdialog'), { key: 'Escape' });
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(calls.some((c) => c.path === '/meetings/m1/end')).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Край на срещата за всички' }));
    fireEvent.click(screen.getByTestId('host-confirm'));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.path === '/meetings/m1/end')).toBe(true));
  });
});
