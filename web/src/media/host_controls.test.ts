import { describe, expect, it } from 'vitest';
import type { EgovboxApi } from '../api/egovbox_api';
import { ApiError } from '../api/problem';
import type { RaisedHand } from '../api/realtime_types';
import { fakeChannel } from '../test/fake_channel';
import { handQueue, isHostRole, MeetingControls, participantRows, type ControlledConference } from './host_controls';

const kConference = {
  participantId: 'p1',
  microphoneOn: true,
  cameraOn: false,
  participants: [
    {
      participantId: 'p2',
      employeeId: 'e2',
      name: 'Иван Петров',
      role: 'participant',
      tracks: [
        { track_id: 'a', kind: 'audio' as const, source: 'microphone' as const, muted: true },
        { track_id: 'v', kind: 'video' as const, source: 'camera' as const, muted: false },
      ],
    },
    { participantId: 'p3', employeeId: 'e3', name: 'Мария Димитрова', role: 'co-host', tracks: [] },
  ],
};

const hand = (participantId: string): RaisedHand => ({ participant_id: participantId, employee_id: `e-${participantId}`, raised_at: '2026-11-28T10:00:00Z' });

function fakeConference() {
  const calls: string[] = [];
  const conference: ControlledConference = {
    setMicrophone: async (on) => void calls.push(`microphone:${on}`),
    setCamera: async (on) => void calls.push(`camera:${on}`),
    state: { get: () => kConference },
  };
  return { conference, calls };
}

function fakeApi(overrides: Partial<Record<keyof EgovboxApi, (...args: never[]) => Promise<unknown>>> = {}) {
  const calls: string[] = [];
  const record =
    (name: string, answer: unknown = undefined) =>
    async (...args: unknown[]) => {
      calls.push(`${name}(${args.join(',')})`);
      return answer;
    };
  const api = {
    meetingControls: record('controls', { on: true, locked: true, ended: false, host: true, removed: [] }),
    meetingLobby: record('lobby', { room_id: 'r1', waiting: [{ knock_id: 'k1', employee: { id: 'e9', name: 'Гост' }, since: '' }] }),
    muteParticipant: record('mute'),
    muteAll: record('muteAll', { muted: 2 }),
    removeFromMeeting: record('remove'),
    setMeetingLocked: async (id: string, locked: boolean) => {
      calls.push(`lock(${id},${locked})`);
      return { locked };
    },
    endMeetingForAll: record('end'),
    lowerHandOf: record('lowerHand'),
    admitKnock: record('admit', {}),
    declineKnock: record('decline', {}),
    ...overrides,
  } as unknown as EgovboxApi;
  return { api, calls };
}

function setup(isHost = true, apiOverrides = {}) {
  const bus = fakeChannel();
  const { api, calls } = fakeApi(apiOverrides);
  const { conference, calls: local } = fakeConference();
  const said: string[] = [];
  const controls = new MeetingControls(api, bus.channel, 'm1', 'r1', isHost, conference, (render) => said.push(render('bg')));
  return { controls, bus, calls, local, said };
}

describe('participantRows', () => {
  it('lists this tab first, then the others, with microphone, camera, host, hand position and speaking', () => {
    const rows = participantRows(kConference, [hand('p3'), hand('p1')], { id: 'e1', name: 'Аз', host: true }, 'p2');
    expect(rows.map((row) => [row.name, row.self, row.host, row.microphoneOff, row.cameraOff, row.handPosition, row.speaking])).toEqual([
      ['Аз', true, true, false, true, 2, false],
      ['Иван Петров', false, false, true, false, null, true],
      ['Мария Димитрова', false, true, true, true, 1, false],
    ]);
  });

  it('orders the hand queue by the server\'s list and leaves out those who left', () => {
    const rows = participantRows(kConference, [], { id: 'e1', name: 'Аз', host: false });
    expect(handQueue([hand('p2'), hand('gone'), hand('p1')], rows).map((row) => row.name)).toEqual(['Иван Петров', 'Аз']);
  });

  it('knows the roles that run a meeting', () => {
    expect([isHostRole('host'), isHostRole('co-host'), isHostRole('participant'), isHostRole(undefined)]).toEqual([true, true, false, false]);
  });
});

describe('MeetingControls', () => {
  it('turns the microphone or camera off when a host did, says so, and keeps the notice until dismissed', () => {
    const { controls, bus, local, said } = setup(false);
    bus.emit({ type: 'media.muted.by.host', meeting_id: 'm1', source: 'microphone' });
    bus.emit({ type: 'media.muted.by.host', meeting_id: 'other', source: 'camera' });
    expect(local).toEqual(['microphone:false']);
    expect(controls.state.get().mutedByHost).toBe('microphone');
    expect(said).toEqual(['Домакинът изключи микрофона ви.']);
    bus.emit({ type: 'media.muted.by.host', meeting_id: 'm1', source: 'camera' });
    expect(local).toEqual(['microphone:false', 'camera:false']);
    controls.dismissMuted();
    expect(controls.state.get().mutedByHost).toBeNull();
  });

  it('keeps the hands in the server\'s order, announces new ones, and raises its own over the WebSocket', () => {
    const { controls, bus, said } = setup(false);
    bus.emit({ type: 'media.hands', meeting_id: 'm1', hands: [hand('p2')] });
    bus.emit({ type: 'media.hands', meeting_id: 'm1', hands: [hand('p2'), hand('p1')] });
    expect(controls.state.get().hands.map((h) => h.participant_id)).toEqual(['p2', 'p1']);
    expect(controls.handRaised()).toBe(true);
    // Someone else's hand is read out; one's own is said by setHand.
    expect(said).toEqual(['Иван Петров вдигна ръка.']);
    controls.setHand(false);
    expect(bus.sent).toEqual([{ type: 'media.hand', meeting_id: 'm1', raised: false }]);
  });

  it('follows the lock', () => {
    const { controls, bus, said } = setup(false);
    bus.emit({ type: 'media.meeting.state', meeting_id: 'm1', locked: true });
    expect(controls.state.get().locked).toBe(true);
    expect(said).toEqual(['Срещата е заключена.']);
  });

  it('loads the lobby for a host and keeps it current from knock events; admitting takes one out', async () => {
    const { controls, bus, calls, said } = setup(true);
    await controls.load();
    expect(controls.state.get().locked).toBe(true);
    expect(controls.state.get().lobby.map((entry) => entry.knock_id)).toEqual(['k1']);
    bus.emit({ type: 'knock', knock: { id: 'k2', room_id: 'r-other', meeting_id: 'm1', employee: { id: 'e8', name: 'Петя' } } });
    bus.emit({ type: 'knock', knock: { id: 'k3', room_id: 'r-other', meeting_id: null, employee: { id: 'e7', name: 'Чужд' } } });
    expect(controls.state.get().lobby.map((entry) => entry.knock_id)).toEqual(['k1', 'k2']);
    expect(said).toContain('Петя чака да влезе.');
    bus.emit({ type: 'knock.closed', knock_id: 'k2' });
    expect(await controls.admit(controls.state.get().lobby[0])).toBe(true);
    expect(calls).toContain('admit(k1)');
    expect(controls.state.get().lobby).toEqual([]);
  });

  it('keeps the events that came while loading over the snapshot: a knock answered meanwhile stays answered', async () => {
    const pending = <T,>() => {
      let resolve!: (value: T) => void;
      const promise = new Promise<T>((r) => (resolve = r));
      return { promise, resolve };
    };
    const controlsAnswer = pending<unknown>();
    const lobbyAnswer = pending<unknown>();
    const { controls, bus, calls } = setup(true, {
      meetingControls: () => controlsAnswer.promise,
      meetingLobby: () => lobbyAnswer.promise,
    });
    const loading = controls.load();
    // Unlocked by a co-host before the state's answer (which says locked) arrives.
    bus.emit({ type: 'media.meeting.state', meeting_id: 'm1', locked: false });
    controlsAnswer.resolve({ on: true, locked: true, ended: false, host: true, removed: [] });
    await Promise.resolve();
    // A co-host admits k1, and k3 knocks, while the lobby is being fetched.
    bus.emit({ type: 'knock.closed', knock_id: 'k1' });
    bus.emit({ type: 'knock', knock: { id: 'k3', room_id: 'r1', meeting_id: 'm1', employee: { id: 'e7', name: 'Петя' } } });
    lobbyAnswer.resolve({
      room_id: 'r1',
      waiting: [
        { knock_id: 'k1', employee: { id: 'e9', name: 'Гост' }, since: '' },
        { knock_id: 'k2', employee: { id: 'e8', name: 'Иво' }, since: '' },
      ],
    });
    await loading;
    expect(controls.state.get().locked).toBe(false);
    expect(controls.state.get().lobby.map((entry) => entry.knock_id)).toEqual(['k2', 'k3']);
    // After the load, events apply as usual.
    bus.emit({ type: 'media.meeting.state', meeting_id: 'm1', locked: true });
    expect(controls.state.get().locked).toBe(true);
    expect(calls).toEqual([]);
  });

  it('does not load or show a lobby for a participant', async () => {
    const { controls, bus, calls } = setup(false);
    await controls.load();
    bus.emit({ type: 'knock', knock: { id: 'k2', room_id: 'r1', employee: { id: 'e8', name: 'Петя' } } });
    expect(calls).toEqual(['controls(m1)']);
    expect(controls.state.get().lobby).toEqual([]);
  });

  it('runs the host actions through the API, one at a time, and keeps a failure to show', async () => {
    const failing = async () => {
      throw new ApiError({ type: 'urn:egovbox:problem:not-meeting-host', title: 'Нямате право', status: 403, detail: 'Само домакините.' });
    };
    const { controls, calls } = setup(true, { endMeetingForAll: failing });
    expect(await controls.mute('p2', 'camera')).toBe(true);
    expect(await controls.muteAll()).toBe(true);
    expect(await controls.remove('e2', 'Иван Петров')).toBe(true);
    expect(await controls.setLocked(true)).toBe(true);
    expect(await controls.lowerHand('p2')).toBe(true);
    expect(calls).toEqual(['mute(m1,p2,camera)', 'muteAll(m1)', 'remove(m1,e2)', 'lock(m1,true)', 'lowerHand(m1,p2)']);
    expect(controls.state.get().locked).toBe(true);
    expect(await controls.endForAll()).toBe(false);
    expect(controls.state.get().error?.slug).toBe('not-meeting-host');
  });

  it('stops listening when disposed', () => {
    const { controls, bus } = setup(true);
    expect(bus.listeners()).toBeGreaterThan(0);
    controls.dispose();
    expect(bus.listeners()).toBe(0);
  });
});
