// What the meeting room needs of the browser's media APIs, behind one object
// so that tests can hand in fakes (web/src/test/fake_webrtc.ts). A member is
// null where the browser (or the page: camera and microphone need a secure
// context) does not offer it.
export interface MediaDevicesLike {
  getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream>;
  enumerateDevices(): Promise<MediaDeviceInfo[]>;
  // Absent on phones.
  getDisplayMedia?: (options?: DisplayMediaStreamOptions) => Promise<MediaStream>;
  addEventListener?: (type: 'devicechange', listener: () => void) => void;
  removeEventListener?: (type: 'devicechange', listener: () => void) => void;
}

// How the page tries to get a lost connection back (ICE restarts).
export interface ReconnectTiming {
  firstRestartMs: number;
  retryMs: number;
  // After this long without a path, the connection counts as lost; the server
  // has by then let the participant go (30 s without a connectivity check).
  giveUpMs: number;
}

export const kReconnectTiming: ReconnectTiming = { firstRestartMs: 2000, retryMs: 5000, giveUpMs: 30000 };

export interface MediaEnvironment {
  devices: MediaDevicesLike | null;
  reconnect: ReconnectTiming;
  createPeerConnection: ((config: RTCConfiguration) => RTCPeerConnection) | null;
  createStream: (tracks: MediaStreamTrack[]) => MediaStream;
  createAudioContext: (() => AudioContext) | null;
  storage: Storage | null;
}

// Nothing available: WebRTC is missing (or the test gave no fakes).
export function noMediaEnvironment(storage: Storage | null = null): MediaEnvironment {
  return {
    devices: null,
    reconnect: kReconnectTiming,
    createPeerConnection: null,
    createStream: () => {
      throw new Error('no MediaStream in this environment');
    },
    createAudioContext: null,
    storage,
  };
}

export function browserMediaEnvironment(win: Window & typeof globalThis, storage: Storage | null): MediaEnvironment {
  const mediaDevices = win.navigator.mediaDevices as MediaDevices | undefined;
  const devices: MediaDevicesLike | null = mediaDevices
    ? {
        getUserMedia: (constraints) => mediaDevices.getUserMedia(constraints),
        enumerateDevices: () => mediaDevices.enumerateDevices(),
        getDisplayMedia:
          typeof mediaDevices.getDisplayMedia === 'function'
            ? (options) => mediaDevices.getDisplayMedia(options)
            : undefined,
        addEventListener: (type, listener) => mediaDevices.addEventListener(type, listener),
        removeEventListener: (type, listener) => mediaDevices.removeEventListener(type, listener),
      }
    : null;
  const AudioContextClass = win.AudioContext as (new () => AudioContext) | undefined;
  return {
    devices,
    reconnect: kReconnectTiming,
    createPeerConnection:
      typeof win.RTCPeerConnection === 'function' ? (config) => new win.RTCPeerConnection(config) : null,
    createStream: (tracks) => new win.MediaStream(tracks),
    createAudioContext: AudioContextClass ? () => new AudioContextClass() : null,
    storage,
  };
}
