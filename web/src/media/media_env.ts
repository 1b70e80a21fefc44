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

export interface MediaEnvironment {
  devices: MediaDevicesLike | null;
  createPeerConnection: ((config: RTCConfiguration) => RTCPeerConnection) | null;
  createStream: (tracks: MediaStreamTrack[]) => MediaStream;
  createAudioContext: (() => AudioContext) | null;
  storage: Storage | null;
}

// Nothing available: WebRTC is missing (or the test gave no fakes).
export function noMediaEnvironment(storage: Storage | null = null): MediaEnvironment {
  return {
    devices: null,
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
    createPeerConnection:
      typeof win.RTCPeerConnection === 'function' ? (config) => new win.RTCPeerConnection(config) : null,
    createStream: (tracks) => new win.MediaStream(tracks),
    createAudioContext: AudioContextClass ? () => new AudioContextClass() : null,
    storage,
  };
}
