import { describe, expect, it } from 'vitest';
import type { ConferenceState, RemoteParticipant } from './conference';
import { roomTiles } from './tiles';

const stream = (name: string) => ({ name }) as unknown as MediaStream;

function state(fields: Partial<ConferenceState>): ConferenceState {
  return {
    participantId: 'p1',
    participants: [],
    remote: [],
    microphoneOn: true,
    cameraOn: true,
    sharing: 'off',
    canShare: true,
    selfStream: stream('self'),
    connection: 'connected',
    serverError: null,
    deviceProblem: null,
    ...fields,
  };
}

const person = (id: string, name: string, cameraMuted = false, microphoneMuted = false): RemoteParticipant => ({
  participantId: id,
  employeeId: `e-${id}`,
  name,
  tracks: [
    { track_id: `${id}-a`, kind: 'audio', source: 'microphone', muted: microphoneMuted },
    { track_id: `${id}-v`, kind: 'video', source: 'camera', muted: cameraMuted },
  ],
});

describe('roomTiles', () => {
  it('puts one\'s own tile first, then one per person with their camera and microphone state', () => {
    const tiles = roomTiles(
      state({
        microphoneOn: false,
        participants: [person('p2', 'Иван Петров'), person('p3', 'Гергана Стоянова', true, true)],
        remote: [
          { mid: '0', participantId: 'p2', trackId: 'x', kind: 'video', source: 'camera', stream: stream('p2') },
          { mid: '1', participantId: 'p2', trackId: 'y', kind: 'audio', source: 'microphone', stream: stream('p2a') },
          { mid: '2', participantId: 'p3', trackId: 'z', kind: 'video', source: 'camera', stream: stream('p3') },
        ],
      }),
      'Мария Иванова',
    );
    expect(tiles.stage).toBeNull();
    expect(tiles.tiles.map((t) => [t.key, t.videoOn, t.microphoneOff])).toEqual([
      ['self', true, true],
      ['p2-camera', true, false],
      // A muted camera shows the initials even while its m-section is there.
      ['p3-camera', false, true],
    ]);
    expect(tiles.audio.map((a) => a.mid)).toEqual(['1']);
  });

  it('shows the first shared screen large and the rest of the tiles in the strip', () => {
    const tiles = roomTiles(
      state({
        participants: [person('p2', 'Иван Петров')],
        remote: [{ mid: '5', participantId: 'p2', trackId: 's', kind: 'video', source: 'screen', stream: stream('screen') }],
        sharing: 'on',
      }),
      'Мария Иванова',
    );
    expect(tiles.stage).toMatchObject({ participantId: 'p2', source: 'screen', videoOn: true });
    expect(tiles.tiles.map((t) => t.key)).toEqual(['self', 'self-screen', 'p2-camera']);
  });

  it('shows at most 16 tiles and counts the others', () => {
    const participants = Array.from({ length: 20 }, (_, i) => person(`p${i + 2}`, `Служител ${i + 2}`));
    const tiles = roomTiles(state({ participants }), 'Мария Иванова');
    expect(tiles.tiles).toHaveLength(16);
    expect(tiles.hidden).toBe(5);
  });
});
