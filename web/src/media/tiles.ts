import type { Id } from '../api/types';
import type { ConferenceState, RemoteMedia } from './conference';
import { kMaxTiles } from './room_layout';

// One tile of the room: a person's camera (or their initials when it is
// off), or a shared screen.
export interface TileModel {
  key: string;
  // Null for one's own tiles.
  participantId: Id | null;
  name: string;
  source: 'camera' | 'screen';
  stream: MediaStream | null;
  videoOn: boolean;
  microphoneOff: boolean;
  self: boolean;
  // The subscribe m-section of a received video (its size is reported for simulcast).
  mid?: string;
}

export interface RoomTiles {
  // A screen shared by someone else, shown large.
  stage: TileModel | null;
  // The grid (or, with a stage, the strip), one's own first; at most 16.
  tiles: TileModel[];
  // Tiles left out beyond 16.
  hidden: number;
  // The others' microphones, each played by an <audio>.
  audio: RemoteMedia[];
}

export function roomTiles(state: ConferenceState, myName: string): RoomTiles {
  const tiles: TileModel[] = [
    {
      key: 'self',
      participantId: null,
      name: myName,
      source: 'camera',
      stream: state.selfStream,
      videoOn: state.cameraOn && state.selfStream !== null,
      microphoneOff: !state.microphoneOn,
      self: true,
    },
  ];
  if (state.sharing === 'on') {
    tiles.push({ key: 'self-screen', participantId: null, name: myName, source: 'screen', stream: null, videoOn: false, microphoneOff: false, self: true });
  }
  const screens: TileModel[] = [];
  for (const person of state.participants) {
    const id = String(person.participantId);
    const mine = state.remote.filter((media) => String(media.participantId) === id);
    const camera = mine.find((media) => media.source === 'camera' && media.kind === 'video');
    const cameraInfo = person.tracks.find((track) => track.source === 'camera');
    const microphoneInfo = person.tracks.find((track) => track.source === 'microphone');
    tiles.push({
      key: `${id}-camera`,
      participantId: person.participantId,
      name: person.name,
      source: 'camera',
      stream: camera?.stream ?? null,
      videoOn: Boolean(camera?.stream) && !(cameraInfo?.muted ?? false),
      microphoneOff: !microphoneInfo || microphoneInfo.muted,
      self: false,
      mid: camera?.mid,
    });
    for (const screen of mine.filter((media) => media.source === 'screen' && media.kind === 'video')) {
      screens.push({
        key: `${id}-screen-${screen.mid}`,
        participantId: person.participantId,
        name: person.name,
        source: 'screen',
        stream: screen.stream,
        videoOn: screen.stream !== null,
        microphoneOff: false,
        self: false,
        mid: screen.mid,
      });
    }
  }
  const stage = screens.shift() ?? null;
  const all = [...tiles, ...screens];
  return {
    stage,
    tiles: all.slice(0, kMaxTiles),
    hidden: Math.max(0, all.length - kMaxTiles),
    audio: state.remote.filter((media) => media.kind === 'audio' && media.stream !== null),
  };
}
