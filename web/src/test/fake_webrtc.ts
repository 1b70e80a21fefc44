// Stand-ins for the browser's media objects (tracks, streams, peer
// connections, devices, AudioContext), as much as the meeting room uses.
// Not shipped.
import type { MediaDevicesLike, MediaEnvironment } from '../media/media_env';

let nextId = 1;

export class FakeTrack {
  readonly id = `track-${nextId++}`;
  enabled = true;
  readyState: 'live' | 'ended' = 'live';
  contentHint = '';
  private readonly listeners_ = new Set<() => void>();

  constructor(
    readonly kind: 'audio' | 'video',
    readonly deviceId = '',
    readonly label = '',
  ) {}

  stop(): void {
    this.readyState = 'ended';
  }

  getSettings(): { deviceId: string } {
    return { deviceId: this.deviceId };
  }

  addEventListener(type: string, listener: () => void): void {
    if (type === 'ended') this.listeners_.add(listener);
  }

  removeEventListener(type: string, listener: () => void): void {
    if (type === 'ended') this.listeners_.delete(listener);
  }

  // The browser ended it (e.g. its own "Stop sharing" bar).
  end(): void {
    this.readyState = 'ended';
    for (const listener of [...this.listeners_]) listener();
  }
}

export class FakeStream {
  readonly id = `stream-${nextId++}`;
  constructor(readonly tracks: FakeTrack[] = []) {}
  getTracks(): FakeTrack[] {
    return [...this.tracks];
  }
  getAudioTracks(): FakeTrack[] {
    return this.tracks.filter((t) => t.kind === 'audio');
  }
  getVideoTracks(): FakeTrack[] {
    return this.tracks.filter((t) => t.kind === 'video');
  }
}

export class FakeSender {
  constructor(public track: FakeTrack | null) {}
  replaced: Array<FakeTrack | null> = [];
  async replaceTrack(track: FakeTrack | null): Promise<void> {
    this.replaced.push(track);
    this.track = track;
  }
}

export class FakeTransceiver {
  mid: string | null = null;
  stopped = false;
  readonly sender: FakeSender;
  readonly receiver: { track: FakeTrack };

  constructor(
    readonly kind: 'audio' | 'video',
    track: FakeTrack | null,
    public direction: string,
  ) {
    this.sender = new FakeSender(track);
    this.receiver = { track: new FakeTrack(kind) };
  }

  stop(): void {
    this.stopped = true;
    this.direction = 'stopped';
  }
}

// An SDP the fake understands: one "m=<kind>" line per section, followed by
// "a=mid:<mid>".
export function fakeSdp(type: string, sections: Array<{ mid: string; kind: 'audio' | 'video' }>): string {
  return [`v=0 ${type}`, ...sections.flatMap((s) => [`m=${s.kind} 9 UDP/TLS/RTP/SAVPF 96`, `a=mid:${s.mid}`])].join('\r\n');
}

function sectionsOf(sdp: string): Array<{ mid: string; kind: 'audio' | 'video' }> {
  const sections: Array<{ mid: string; kind: 'audio' | 'video' }> = [];
  let kind: 'audio' | 'video' = 'audio';
  for (const line of sdp.split(/\r?\n/)) {
    const m = /^m=(audio|video) /.exec(line);
    if (m) kind = m[1] as 'audio' | 'video';
    const mid = /^a=mid:(\S+)/.exec(line);
    if (mid) sections.push({ mid: mid[1], kind });
  }
  return sections;
}

type Description = { type: string; sdp?: string };

export class FakePeerConnection {
  readonly transceivers: FakeTransceiver[] = [];
  readonly log: string[] = [];
  connectionState = 'new';
  localDescription: Description | null = null;
  remoteDescription: Description | null = null;
  closed = false;
  onconnectionstatechange: (() => void) | null = null;
  ontrack: ((event: { track: FakeTrack; transceiver: FakeTransceiver; streams: FakeStream[] }) => void) | null = null;
  private offers_ = 0;
  private nextMid_ = 0;

  constructor(readonly config: RTCConfiguration) {}

  addTransceiver(trackOrKind: FakeTrack | 'audio' | 'video', init: { direction: string }): FakeTransceiver {
    const track = typeof trackOrKind === 'string' ? null : trackOrKind;
    const kind = typeof trackOrKind === 'string' ? trackOrKind : trackOrKind.kind;
    const transceiver = new FakeTransceiver(kind, track, init.direction);
    this.transceivers.push(transceiver);
    this.log.push(`addTransceiver:${kind}:${init.direction}`);
    return transceiver;
  }

  getTransceivers(): FakeTransceiver[] {
    return [...this.transceivers];
  }

  async createOffer(): Promise<Description> {
    this.offers_ += 1;
    this.log.push('createOffer');
    const sections = this.transceivers.map((t, i) => ({ mid: t.mid ?? `new${i}`, kind: t.kind }));
    return { type: 'offer', sdp: fakeSdp(`offer-${this.offers_}`, sections) };
  }

  async createAnswer(): Promise<Description> {
    this.log.push('createAnswer');
    return { type: 'answer', sdp: fakeSdp('answer', sectionsOf(this.remoteDescription?.sdp ?? '')) };
  }

  async setLocalDescription(description: Description): Promise<void> {
    this.log.push(`setLocalDescription:${description.type}`);
    if (description.type === 'rollback') {
      this.localDescription = null;
      return;
    }
    if (description.type === 'offer') {
      // Mids are given to new transceivers here, as in a browser.
      for (const transceiver of this.transceivers) {
        if (transceiver.mid === null && !transceiver.stopped) transceiver.mid = String(this.nextMid_++);
      }
      this.localDescription = {
        type: 'offer',
        sdp: fakeSdp(description.sdp ?? '', this.transceivers.filter((t) => t.mid !== null).map((t) => ({ mid: t.mid!, kind: t.kind }))),
      };
      return;
    }
    this.localDescription = description;
  }

  async setRemoteDescription(description: Description): Promise<void> {
    this.log.push(`setRemoteDescription:${description.type}`);
    this.remoteDescription = description;
    if (description.type !== 'offer') return;
    for (const section of sectionsOf(description.sdp ?? '')) {
      if (this.transceivers.some((t) => t.mid === section.mid)) continue;
      const transceiver = new FakeTransceiver(section.kind, null, 'recvonly');
      transceiver.mid = section.mid;
      this.transceivers.push(transceiver);
      this.ontrack?.({ track: transceiver.receiver.track, transceiver, streams: [] });
    }
  }

  restartIce(): void {
    this.log.push('restartIce');
  }

  setConnectionState(state: string): void {
    this.connectionState = state;
    this.onconnectionstatechange?.();
  }

  close(): void {
    this.closed = true;
    this.connectionState = 'closed';
  }
}

export interface FakeDevicesOptions {
  // getUserMedia fails with this DOMException name.
  fail?: string;
  cameras?: number;
  microphones?: number;
}

export function fakeMediaDevices(options: FakeDevicesOptions = {}) {
  const requests: MediaStreamConstraints[] = [];
  const opened: FakeTrack[] = [];
  const state = { fail: options.fail ?? null, displayFail: null as string | null };
  const cameras = options.cameras ?? 2;
  const microphones = options.microphones ?? 1;
  const deviceIdOf = (constraint: unknown, fallback: string) => {
    const exact = (constraint as { deviceId?: { exact?: string } } | undefined)?.deviceId?.exact;
    return typeof exact === 'string' ? exact : fallback;
  };
  const devices: MediaDevicesLike = {
    getUserMedia: async (constraints) => {
      requests.push(constraints);
      if (state.fail) throw new DOMException('refused', state.fail);
      const tracks: FakeTrack[] = [];
      if (constraints.audio) tracks.push(new FakeTrack('audio', deviceIdOf(constraints.audio, 'mic-1'), 'Микрофон'));
      if (constraints.video) tracks.push(new FakeTrack('video', deviceIdOf(constraints.video, 'cam-1'), 'Камера'));
      opened.push(...tracks);
      return new FakeStream(tracks) as unknown as MediaStream;
    },
    enumerateDevices: async () =>
      [
        ...Array.from({ length: cameras }, (_, i) => ({ kind: 'videoinput', deviceId: `cam-${i + 1}`, label: `Камера ${String.fromCharCode(65 + i)}`, groupId: '' })),
        ...Array.from({ length: microphones }, (_, i) => ({ kind: 'audioinput', deviceId: `mic-${i + 1}`, label: `Микрофон ${String.fromCharCode(65 + i)}`, groupId: '' })),
      ] as unknown as MediaDeviceInfo[],
    getDisplayMedia: async () => {
      if (state.displayFail) throw new DOMException('no', state.displayFail);
      const track = new FakeTrack('video', 'screen', 'Screen');
      opened.push(track);
      return new FakeStream([track]) as unknown as MediaStream;
    },
  };
  return { devices, requests, opened, state };
}

export class FakeAudioContext {
  state = 'running';
  closed = false;
  // What the analyser reads: a constant sample value.
  static sample = 0;
  createMediaStreamSource() {
    return { connect: () => undefined };
  }
  createAnalyser() {
    return {
      fftSize: 2048,
      getFloatTimeDomainData: (buffer: Float32Array) => buffer.fill(FakeAudioContext.sample),
    };
  }
  async resume() {
    this.state = 'running';
  }
  async close() {
    this.closed = true;
  }
}

export function fakeMediaEnvironment(options: FakeDevicesOptions = {}) {
  const media = fakeMediaDevices(options);
  const connections: FakePeerConnection[] = [];
  const env: MediaEnvironment = {
    devices: media.devices,
    // Short, so that tests see the restarts and the giving up with real timers.
    reconnect: { firstRestartMs: 5, retryMs: 20, giveUpMs: 80 },
    createPeerConnection: (config) => {
      const pc = new FakePeerConnection(config);
      connections.push(pc);
      return pc as unknown as RTCPeerConnection;
    },
    // happy-dom's MediaStream (a <video> takes no other srcObject).
    createStream: (tracks) =>
      typeof MediaStream === 'function'
        ? new MediaStream(tracks)
        : (new FakeStream(tracks as unknown as FakeTrack[]) as unknown as MediaStream),
    createAudioContext: () => new FakeAudioContext() as unknown as AudioContext,
    storage: window.localStorage,
  };
  return { env, connections, ...media };
}
