import type {
  ClientMessage,
  EventOf,
  MediaKind,
  MediaParticipant,
  MediaSourceKind,
  MediaTrackInfo,
  PublishedTrack,
  ServerEventType,
  SubscribedTrack,
} from '../api/realtime_types';
import { sameId, type Id } from '../api/types';
import { translate, type Lang } from '../i18n/i18n';
import { Store } from '../state/store';
import { deviceProblemOf, openLocalMedia, readDevicePrefs, type DeviceProblem } from './devices';
import type { MediaEnvironment } from './media_env';

// What the conference needs of the WebSocket (RealtimeClient has it).
export interface SignalingChannel {
  send(message: ClientMessage): boolean;
  on<T extends ServerEventType>(type: T, handler: (event: EventOf<T>) => void): () => void;
}

export type Announce = (render: (lang: Lang) => string) => void;

// Simulcast (docs/media.md): the camera is sent as three encodings, a quarter,
// half and full size (from a 1280x720 camera: 320x180, 640x360, 1280x720); the
// server forwards each subscriber the one that fits its bandwidth and the tile.
export const kCameraEncodings: RTCRtpEncodingParameters[] = [
  { rid: 'l', scaleResolutionDownBy: 4, maxBitrate: 150_000 },
  { rid: 'm', scaleResolutionDownBy: 2, maxBitrate: 500_000 },
  { rid: 'h', scaleResolutionDownBy: 1, maxBitrate: 1_500_000 },
];
// media.layout is sent this long after the last change of a tile's size.
export const kLayoutDebounceMs = 300;

// The microphone and camera to start with. Tracks opened on the pre-join
// screen are handed over (the conference stops them at the end). With
// `opened` false nothing was tried yet: what is on is opened here, from the
// remembered devices (a call accepted goes straight into the room).
export interface LocalMediaChoice {
  microphone: MediaStreamTrack | null;
  camera: MediaStreamTrack | null;
  microphoneOn: boolean;
  cameraOn: boolean;
  opened: boolean;
}

export interface RemoteParticipant {
  participantId: Id;
  employeeId: Id;
  name: string;
  // 'host', 'co-host' or 'participant' (host_controls.ts); absent: participant.
  role?: string;
  tracks: MediaTrackInfo[];
}

// A track received on the subscribe connection, with whose it is.
export interface RemoteMedia {
  mid: string;
  participantId: Id;
  trackId: string;
  kind: MediaKind;
  source: MediaSourceKind;
  // Null until the browser has a track for the mid.
  stream: MediaStream | null;
}

//  starting     - opening devices, no connection yet
//  connecting   - the publish connection is being set up (ICE, DTLS)
//  connected    - media flow
//  reconnecting - a connection lost its path after it had worked: ICE restarts
//                 are under way (for at most reconnect.giveUpMs, then failed)
//  failed       - a peer connection failed: "connection lost", Rejoin
//  unsupported  - this browser has no RTCPeerConnection
//  closed       - left
export type ConnectionPhase = 'starting' | 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'unsupported' | 'closed';

export interface ConferenceState {
  participantId: Id | null;
  // The others, in the order they came.
  participants: RemoteParticipant[];
  remote: RemoteMedia[];
  microphoneOn: boolean;
  cameraOn: boolean;
  sharing: 'off' | 'starting' | 'on';
  canShare: boolean;
  // The camera alone, for the self view.
  selfStream: MediaStream | null;
  connection: ConnectionPhase;
  // The last media.error of the server.
  serverError: { request: string; code: string; detail: string } | null;
  // A device that could not be turned on.
  deviceProblem: { device: 'microphone' | 'camera' | 'screen'; problem: DeviceProblem } | null;
}

type Transceivers = Record<MediaSourceKind, RTCRtpTransceiver | null>;

// Both peer connections: one setting, no ICE servers (the server is ICE-lite
// and puts its host candidates into its SDP) unless media.joined names a TURN
// server for networks that let only TLS out (docs/turn.md).
const kPeerConfig: RTCConfiguration = { bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require', iceServers: [] };

const kSources: readonly MediaSourceKind[] = ['microphone', 'camera', 'screen'];

// One meeting's media for this tab (docs/media.md): the *publish* peer
// connection (this tab offers: microphone, camera and, while shared, the
// screen; one transceiver per source, kept for the life of the connection),
// the *subscribe* connection (the server offers the others' tracks, this tab
// answers), and who is in the room. Driven by the WebSocket messages of its
// meeting; MediaSession makes it on media.joined and calls start().
//
// Camera off replaces the sent track by none and stops the camera (its light
// goes out) without renegotiating; microphone off disables the track. Both
// tell the server with media.mute. Screen sharing adds a transceiver and
// renegotiates; publish negotiations run one at a time (a request made while
// one is under way is run once it is answered).
//
// After start(), restart() builds new connections with the same local tracks
// (a new media.joined after the WebSocket came back, or Rejoin); close()
// stops everything.
export class Conference {
  readonly state: Store<ConferenceState>;
  private readonly unsubscribe_: Array<() => void> = [];
  private generation_ = 0;
  private closed_ = false;
  private startedOnce_ = false;

  private publishPc_: RTCPeerConnection | null = null;
  private subscribePc_: RTCPeerConnection | null = null;
  private transceivers_: Transceivers = { microphone: null, camera: null, screen: null };
  private published_ = false;

  private microphone_: MediaStreamTrack | null;
  private camera_: MediaStreamTrack | null;
  private screen_: MediaStreamTrack | null = null;
  private microphoneOn_: boolean;
  private cameraOn_: boolean;
  private choiceOpened_: boolean;
  private busy_ = { microphone: false, camera: false };
  private selfStream_: MediaStream | null = null;

  // Publish negotiation: one at a time.
  private negotiating_ = false;
  private negotiationWanted_ = false;
  private pendingAnswer_: { resolve: (sdp: string) => void; reject: (error: Error) => void } | null = null;

  // ICE restarts after a lost path (docs/media.md, Reconnecting).
  private connectedOnce_ = false;
  private lostSince_: number | null = null;
  // Each connection that lost its path: since when, and its last restart.
  private lost_ = new Map<RTCPeerConnection, { since: number; restartedAt: number | null }>();
  private restartTimer_: ReturnType<typeof setTimeout> | null = null;
  // Simulcast: the size each received video is shown at, by mid (media.layout).
  private readonly tileSizes_ = new Map<string, { width: number; height: number }>();
  private layoutTimer_: ReturnType<typeof setTimeout> | null = null;

  // Subscribe side: offers are applied in order.
  private offers_: Promise<void> = Promise.resolve();
  private offered_: SubscribedTrack[] = [];
  private receivedTracks_ = new Map<string, MediaStreamTrack>();
  private remoteStreams_ = new Map<string, { track: MediaStreamTrack; stream: MediaStream }>();

  private participantId_: Id | null = null;
  private peerConfig_: RTCConfiguration = kPeerConfig;
  private participants_: RemoteParticipant[] = [];

  constructor(
    readonly meetingId: Id,
    private readonly channel: SignalingChannel,
    private readonly env: MediaEnvironment,
    choice: LocalMediaChoice,
    private readonly announce: Announce = () => undefined,
  ) {
    this.microphone_ = choice.microphone;
    this.camera_ = choice.camera;
    this.choiceOpened_ = choice.opened;
    // What was opened is all there is; otherwise openMissing() opens it.
    this.microphoneOn_ = choice.microphoneOn && (!choice.opened || choice.microphone !== null);
    this.cameraOn_ = choice.cameraOn && (!choice.opened || choice.camera !== null);
    if (this.microphone_) this.microphone_.enabled = this.microphoneOn_;
    if (this.camera_ && !this.cameraOn_) {
      this.camera_.stop();
      this.camera_ = null;
    }
    this.state = new Store<ConferenceState>(this.snapshot('starting'));
    this.listen();
  }

  get closed(): boolean {
    return this.closed_;
  }

  // media.joined: who this tab is, who else is there; then publish.
  start(joined: EventOf<'media.joined'>): void {
    if (this.closed_) return;
    this.detach();
    const generation = this.generation_;
    this.participantId_ = joined.participant_id ?? null;
    this.participants_ = (joined.participants ?? []).map(toParticipant);
    this.peerConfig_ = { ...kPeerConfig, iceServers: joined.ice_servers ?? [] };
    this.update({ connection: 'starting' });
    void this.begin(generation);
  }

  // The same after the server forgot this tab (a new WebSocket, Rejoin).
  restart(joined: EventOf<'media.joined'>): void {
    this.start(joined);
  }

  // Closes both connections and forgets the remote side; the local tracks
  // stay (for restart()).
  detach(): void {
    this.generation_ += 1;
    this.stopReconnecting();
    this.connectedOnce_ = false;
    this.pendingAnswer_?.reject(new Error('detached'));
    this.pendingAnswer_ = null;
    this.negotiationWanted_ = false;
    this.negotiating_ = false;
    this.published_ = false;
    for (const pc of [this.publishPc_, this.subscribePc_]) {
      if (!pc) continue;
      pc.onconnectionstatechange = null;
      pc.ontrack = null;
      try {
        pc.close();
      } catch {
        // Already closed.
      }
    }
    this.publishPc_ = null;
    this.subscribePc_ = null;
    this.transceivers_ = { microphone: null, camera: null, screen: null };
    this.offers_ = Promise.resolve();
    this.offered_ = [];
    this.receivedTracks_.clear();
    this.remoteStreams_.clear();
  }

  // Leaving: both connections closed, every local track stopped, no more
  // events. media.leave is MediaSession's to send.
  close(): void {
    if (this.closed_) return;
    this.detach();
    this.closed_ = true;
    if (this.layoutTimer_ !== null) clearTimeout(this.layoutTimer_);
    this.layoutTimer_ = null;
    for (const off of this.unsubscribe_.splice(0)) off();
    for (const track of [this.microphone_, this.camera_, this.screen_]) track?.stop();
    this.microphone_ = null;
    this.camera_ = null;
    this.screen_ = null;
    this.selfStream_ = null;
    this.participants_ = [];
    this.update({ connection: 'closed', sharing: 'off' });
  }

  // The size (device pixels, VideoView's devicePixelSize) at which the received video of `mid` is shown, or
  // null when it is no longer shown; media.layout goes out debounced.
  reportTile(mid: string, size: { width: number; height: number } | null): void {
    const known = this.tileSizes_.get(mid);
    if (size === null) {
      if (!known) return;
      this.tileSizes_.delete(mid);
    } else {
      const rounded = { width: Math.max(0, Math.round(size.width)), height: Math.max(0, Math.round(size.height)) };
      if (known && known.width === rounded.width && known.height === rounded.height) return;
      this.tileSizes_.set(mid, rounded);
    }
    this.scheduleLayout();
  }

  private scheduleLayout(): void {
    if (this.closed_) return;
    if (this.layoutTimer_ !== null) clearTimeout(this.layoutTimer_);
    this.layoutTimer_ = setTimeout(() => {
      this.layoutTimer_ = null;
      if (this.closed_) return;
      const tiles = [...this.tileSizes_].slice(0, 64).map(([mid, size]) => ({ mid, ...size }));
      this.channel.send({ type: 'media.layout', meeting_id: this.meetingId, tiles });
    }, kLayoutDebounceMs);
  }

  toggleMicrophone(): Promise<void> {
    return this.setMicrophone(!this.microphoneOn_);
  }

  toggleCamera(): Promise<void> {
    return this.setCamera(!this.cameraOn_);
  }

  // Off: the track is disabled (silence is sent), media.mute. On: the same
  // track enabled again, or a microphone opened now if there was none.
  async setMicrophone(on: boolean): Promise<void> {
    if (this.closed_ || this.busy_.microphone || on === this.microphoneOn_) return;
    if (on && !this.microphone_) {
      this.busy_.microphone = true;
      const prefs = readDevicePrefs(this.env.storage);
      const opened = await openLocalMedia(this.env.devices, { audio: true, video: false }, prefs);
      this.busy_.microphone = false;
      if (this.closed_) {
        opened.audio?.stop();
        return;
      }
      if (!opened.audio) {
        this.update({ deviceProblem: { device: 'microphone', problem: opened.problem ?? 'failed' } });
        return;
      }
      this.microphone_ = opened.audio;
      await this.replaceTrack('microphone', opened.audio);
    }
    if (this.microphone_) this.microphone_.enabled = on;
    this.microphoneOn_ = on;
    this.sendMute('microphone', !on);
    this.announce((lang) => translate(lang, on ? 'live.announce.microphone_on' : 'live.announce.microphone_off'));
    this.update({ deviceProblem: null });
  }

  // Off: nothing is sent on the camera's transceiver and the camera is
  // stopped. On: the camera (the remembered one) is opened again.
  async setCamera(on: boolean): Promise<void> {
    if (this.closed_ || this.busy_.camera || on === this.cameraOn_) return;
    if (on) {
      this.busy_.camera = true;
      const prefs = readDevicePrefs(this.env.storage);
      const opened = await openLocalMedia(this.env.devices, { audio: false, video: true }, prefs);
      this.busy_.camera = false;
      if (this.closed_) {
        opened.video?.stop();
        return;
      }
      if (!opened.video) {
        this.update({ deviceProblem: { device: 'camera', problem: opened.problem ?? 'failed' } });
        return;
      }
      this.camera_?.stop();
      this.camera_ = opened.video;
      this.selfStream_ = null;
      await this.replaceTrack('camera', opened.video);
    } else {
      await this.replaceTrack('camera', null);
      this.camera_?.stop();
      this.camera_ = null;
      this.selfStream_ = null;
    }
    this.cameraOn_ = on;
    this.sendMute('camera', !on);
    this.announce((lang) => translate(lang, on ? 'live.announce.camera_on' : 'live.announce.camera_off'));
    this.update({ deviceProblem: null });
  }

  // getDisplayMedia, then a transceiver of its own and a renegotiation. The
  // browser's own "Stop sharing" ends the track: that stops it here too.
  async startScreenShare(): Promise<void> {
    const devices = this.env.devices;
    if (this.closed_ || this.screen_ || this.state.get().sharing !== 'off') return;
    if (!devices?.getDisplayMedia) {
      this.update({ deviceProblem: { device: 'screen', problem: 'unsupported' } });
      return;
    }
    this.update({ sharing: 'starting', deviceProblem: null });
    let stream: MediaStream;
    try {
      stream = await devices.getDisplayMedia({ video: true, audio: false });
    } catch (error) {
      const problem = deviceProblemOf(error);
      // Cancelling the browser's picker is a refusal: nothing to explain.
      this.update({ sharing: 'off', deviceProblem: problem === 'denied' ? null : { device: 'screen', problem } });
      return;
    }
    const track = stream.getVideoTracks()[0];
    if (!track || this.closed_) {
      for (const each of stream.getTracks()) each.stop();
      this.update({ sharing: 'off' });
      return;
    }
    try {
      // Text on slides stays sharp at the cost of motion.
      track.contentHint = 'detail';
    } catch {
      // Not supported.
    }
    track.addEventListener('ended', () => {
      if (this.screen_ === track) this.stopScreenShare();
    });
    this.screen_ = track;
    if (this.publishPc_) {
      this.transceivers_.screen = this.publishPc_.addTransceiver(track, { direction: 'sendonly' });
      this.requestNegotiation();
    }
    this.announce((lang) => translate(lang, 'live.announce.share_on'));
    this.update({ sharing: 'on' });
  }

  stopScreenShare(): void {
    const track = this.screen_;
    if (!track) return;
    this.screen_ = null;
    track.stop();
    const transceiver = this.transceivers_.screen;
    this.transceivers_.screen = null;
    if (transceiver) {
      try {
        transceiver.stop();
      } catch {
        // The connection is closed already.
      }
      this.requestNegotiation();
    }
    if (!this.closed_) this.announce((lang) => translate(lang, 'live.announce.share_off'));
    this.update({ sharing: 'off' });
  }

  // --- Signaling ------------------------------------------------------------

  private listen(): void {
    const mine = (event: { meeting_id: Id }) => !this.closed_ && sameId(event.meeting_id, this.meetingId);
    this.unsubscribe_.push(
      this.channel.on('media.participant.joined', (event) => {
        if (!mine(event) || !event.participant) return;
        const participant = toParticipant(event.participant);
        if (sameId(participant.participantId, this.participantId_)) return;
        const known = this.participants_.some((p) => sameId(p.participantId, participant.participantId));
        this.participants_ = known
          ? this.participants_.map((p) => (sameId(p.participantId, participant.participantId) ? participant : p))
          : [...this.participants_, participant];
        if (!known) this.announce((lang) => translate(lang, 'live.announce.joined', { name: participant.name }));
        this.update({});
      }),
      this.channel.on('media.participant.left', (event) => {
        if (!mine(event)) return;
        const gone = this.participants_.find((p) => sameId(p.participantId, event.participant_id));
        this.participants_ = this.participants_.filter((p) => !sameId(p.participantId, event.participant_id));
        this.offered_ = this.offered_.filter((track) => !sameId(track.participant_id, event.participant_id));
        if (gone) this.announce((lang) => translate(lang, 'live.announce.left', { name: gone.name }));
        this.update({});
      }),
      this.channel.on('media.tracks', (event) => {
        if (!mine(event) || sameId(event.participant_id, this.participantId_)) return;
        const before = this.participants_.find((p) => sameId(p.participantId, event.participant_id));
        if (!before) return;
        const tracks = event.tracks ?? [];
        const wasSharing = before.tracks.some((t) => t.source === 'screen');
        const sharing = tracks.some((t) => t.source === 'screen');
        this.participants_ = this.participants_.map((p) => (p === before ? { ...p, tracks } : p));
        if (sharing && !wasSharing) {
          this.announce((lang) => translate(lang, 'live.announce.sharing', { name: before.name }));
        }
        this.update({});
      }),
      this.channel.on('media.publish.answer', (event) => {
        if (!mine(event)) return;
        const pending = this.pendingAnswer_;
        this.pendingAnswer_ = null;
        pending?.resolve(event.sdp);
      }),
      this.channel.on('media.subscribe.offer', (event) => {
        if (!mine(event)) return;
        const generation = this.generation_;
        this.offers_ = this.offers_.then(() => this.answerOffer(generation, event));
      }),
      this.channel.on('media.error', (event) => {
        if (!mine(event)) return;
        if (event.request === 'media.publish' && this.pendingAnswer_) {
          const pending = this.pendingAnswer_;
          this.pendingAnswer_ = null;
          pending.reject(new Error(event.code));
        }
        this.update({ serverError: { request: event.request, code: event.code, detail: event.detail } });
      }),
    );
  }

  private sendMute(source: MediaSourceKind, muted: boolean): void {
    // Before the first media.publish the tracks list carries the state.
    if (!this.published_) return;
    this.channel.send({ type: 'media.mute', meeting_id: this.meetingId, source, muted });
  }

  // --- Publish --------------------------------------------------------------

  private async begin(generation: number): Promise<void> {
    if (!this.startedOnce_) {
      this.startedOnce_ = true;
      await this.openMissing();
      if (generation !== this.generation_ || this.closed_) return;
    }
    const create = this.env.createPeerConnection;
    let pc: RTCPeerConnection;
    try {
      if (!create) throw new Error('no RTCPeerConnection');
      pc = create(this.peerConfig_);
    } catch {
      this.update({ connection: 'unsupported' });
      return;
    }
    this.publishPc_ = pc;
    pc.onconnectionstatechange = () => this.connectionChanged();
    this.transceivers_.microphone = this.microphone_
      ? pc.addTransceiver(this.microphone_, { direction: 'sendonly' })
      : pc.addTransceiver('audio', { direction: 'sendonly' });
    // The camera in three encodings (kCameraEncodings); the screen stays one.
    const camera: RTCRtpTransceiverInit = { direction: 'sendonly', sendEncodings: kCameraEncodings.map((e) => ({ ...e })) };
    this.transceivers_.camera =
      this.camera_ && this.cameraOn_ ? pc.addTransceiver(this.camera_, camera) : pc.addTransceiver('video', camera);
    if (this.screen_) this.transceivers_.screen = pc.addTransceiver(this.screen_, { direction: 'sendonly' });
    this.update({ connection: 'connecting' });
    this.requestNegotiation();
  }

  // A call accepted: open what the remembered choice has on.
  private async openMissing(): Promise<void> {
    if (this.choiceOpened_) return;
    const want = { audio: this.microphoneOn_ && !this.microphone_, video: this.cameraOn_ && !this.camera_ };
    if (!want.audio && !want.video) return;
    // The buttons wait for this.
    this.busy_ = { microphone: want.audio, camera: want.video };
    const opened = await openLocalMedia(this.env.devices, want, readDevicePrefs(this.env.storage));
    this.busy_ = { microphone: false, camera: false };
    if (this.closed_) {
      opened.audio?.stop();
      opened.video?.stop();
      return;
    }
    if (opened.audio) this.microphone_ = opened.audio;
    if (opened.video) this.camera_ = opened.video;
    if (want.audio && !opened.audio) this.microphoneOn_ = false;
    if (want.video && !opened.video) this.cameraOn_ = false;
    if (this.microphone_) this.microphone_.enabled = this.microphoneOn_;
    this.selfStream_ = null;
    if (opened.problem) {
      this.update({ deviceProblem: { device: want.video && !opened.video ? 'camera' : 'microphone', problem: opened.problem } });
    } else {
      this.update({});
    }
  }

  private async replaceTrack(source: 'microphone' | 'camera', track: MediaStreamTrack | null): Promise<void> {
    const transceiver = this.transceivers_[source];
    if (!transceiver) return;
    try {
      await transceiver.sender.replaceTrack(track);
    } catch {
      // The connection went away meanwhile; restart() adds the track anew.
    }
  }

  private requestNegotiation(): void {
    this.negotiationWanted_ = true;
    if (!this.negotiating_) void this.negotiate(this.generation_);
  }

  private async negotiate(generation: number): Promise<void> {
    this.negotiating_ = true;
    try {
      while (this.negotiationWanted_ && generation === this.generation_ && !this.closed_) {
        this.negotiationWanted_ = false;
        await this.negotiateOnce(generation);
      }
    } finally {
      if (generation === this.generation_) this.negotiating_ = false;
    }
  }

  // createOffer → setLocalDescription → media.publish (the mids are known
  // now) → the answer → setRemoteDescription. A media.error instead of the
  // answer rolls the offer back.
  private async negotiateOnce(generation: number): Promise<void> {
    const pc = this.publishPc_;
    if (!pc) return;
    const stale = () => generation !== this.generation_ || this.closed_;
    try {
      const offer = await pc.createOffer();
      if (stale()) return;
      await pc.setLocalDescription(offer);
      if (stale()) return;
      const sdp = pc.localDescription?.sdp ?? offer.sdp ?? '';
      const answered = new Promise<string>((resolve, reject) => {
        this.pendingAnswer_ = { resolve, reject };
      });
      const sent = this.channel.send({ type: 'media.publish', meeting_id: this.meetingId, sdp, tracks: this.publishedTracks() });
      if (!sent) {
        // No socket: the reconnection starts everything again.
        this.pendingAnswer_ = null;
        return;
      }
      this.published_ = true;
      let answer: string;
      try {
        answer = await answered;
      } catch {
        if (!stale()) await pc.setLocalDescription({ type: 'rollback' }).catch(() => undefined);
        return;
      }
      if (stale()) return;
      await pc.setRemoteDescription({ type: 'answer', sdp: answer });
    } catch {
      if (!stale()) this.update({ connection: 'failed' });
    }
  }

  private publishedTracks(): PublishedTrack[] {
    const muted: Record<MediaSourceKind, boolean> = {
      microphone: !this.microphone_ || !this.microphoneOn_,
      camera: !this.camera_ || !this.cameraOn_,
      screen: false,
    };
    const tracks: PublishedTrack[] = [];
    for (const source of kSources) {
      const transceiver = this.transceivers_[source];
      if (transceiver?.mid) tracks.push({ mid: transceiver.mid, source, muted: muted[source] });
    }
    return tracks;
  }

  // --- Subscribe ------------------------------------------------------------

  private async answerOffer(generation: number, offer: EventOf<'media.subscribe.offer'>): Promise<void> {
    if (generation !== this.generation_ || this.closed_) return;
    const pc = this.subscribeConnection();
    if (!pc) return;
    try {
      await pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp });
      if (generation !== this.generation_) return;
      // The offer's list is the truth: a mid not in it carries nothing now.
      this.offered_ = offer.tracks ?? [];
      for (const transceiver of pc.getTransceivers()) {
        if (transceiver.mid) this.receivedTracks_.set(transceiver.mid, transceiver.receiver.track);
      }
      const answer = await pc.createAnswer();
      if (generation !== this.generation_) return;
      await pc.setLocalDescription(answer);
      if (generation !== this.generation_) return;
      this.channel.send({
        type: 'media.subscribe.answer',
        meeting_id: this.meetingId,
        version: offer.version,
        sdp: pc.localDescription?.sdp ?? answer.sdp ?? '',
      });
      // A section may carry another track now (its size starts over on the server).
      if (this.tileSizes_.size > 0) this.scheduleLayout();
      this.update({});
    } catch {
      if (generation === this.generation_ && !this.closed_) this.update({ connection: 'failed' });
    }
  }

  private subscribeConnection(): RTCPeerConnection | null {
    if (this.subscribePc_) return this.subscribePc_;
    const create = this.env.createPeerConnection;
    if (!create) return null;
    const pc = create(this.peerConfig_);
    pc.ontrack = (event) => {
      const mid = event.transceiver?.mid;
      if (!mid) return;
      this.receivedTracks_.set(mid, event.track);
      this.update({});
    };
    pc.onconnectionstatechange = () => this.connectionChanged();
    this.subscribePc_ = pc;
    return pc;
  }

  private connectionChanged(): void {
    if (this.closed_) return;
    const connections = [this.publishPc_, this.subscribePc_].filter((pc): pc is RTCPeerConnection => pc !== null);
    const broken = connections.filter((pc) => pc.connectionState === 'disconnected' || pc.connectionState === 'failed');
    // A connection that found its way back is not restarted again.
    for (const pc of this.lost_.keys()) if (!broken.includes(pc)) this.lost_.delete(pc);
    if (broken.length > 0 && this.connectedOnce_) {
      this.reconnect(broken);
    } else if (broken.length > 0) {
      this.update({ connection: 'failed' });
    } else if (this.publishPc_?.connectionState === 'connected') {
      this.connectedOnce_ = true;
      if (this.lostSince_ !== null) {
        this.stopReconnecting();
        this.announce((lang) => translate(lang, 'live.announce.reconnected'));
      }
      this.update({ connection: 'connected' });
    } else if (this.lostSince_ === null && this.state.get().connection !== 'failed') {
      this.update({ connection: 'connecting' });
    }
  }

  // A path that worked was lost (a network change, an outage): the connections
  // stay, and ICE restarts over the WebSocket try to find a new path. Each lost
  // connection is restarted after a short wait (ICE often recovers by itself),
  // then again every retryMs, until reconnect.giveUpMs have passed.
  private reconnect(broken: RTCPeerConnection[]): void {
    const now = Date.now();
    for (const pc of broken) if (!this.lost_.has(pc)) this.lost_.set(pc, { since: now, restartedAt: null });
    if (this.lostSince_ === null) {
      this.lostSince_ = now;
      this.update({ connection: 'reconnecting' });  // the room shows it in a status region
    }
    this.scheduleRestarts();
  }

  private scheduleRestarts(): void {
    const { firstRestartMs, retryMs, giveUpMs } = this.env.reconnect;
    if (this.restartTimer_ !== null) clearTimeout(this.restartTimer_);
    this.restartTimer_ = null;
    if (this.lostSince_ === null) return;
    const dueAt = (lost: { since: number; restartedAt: number | null }) =>
      lost.restartedAt === null ? lost.since + firstRestartMs : lost.restartedAt + retryMs;
    const next = Math.min(this.lostSince_ + giveUpMs, ...[...this.lost_.values()].map(dueAt));
    this.restartTimer_ = setTimeout(() => {
      this.restartTimer_ = null;
      if (this.closed_ || this.lostSince_ === null) return;
      const now = Date.now();
      if (now - this.lostSince_ >= giveUpMs) {
        this.stopReconnecting();
        this.update({ connection: 'failed' });
        return;
      }
      for (const [pc, lost] of this.lost_) {
        if (dueAt(lost) > now) continue;
        lost.restartedAt = now;
        this.restartIce(pc);
      }
      this.scheduleRestarts();
    }, Math.max(0, next - Date.now()));
  }

  private restartIce(pc: RTCPeerConnection): void {
    if (pc === this.publishPc_) {
      // The next offer carries new ICE credentials; the server answers with new ones.
      pc.restartIce();
      this.requestNegotiation();
    } else if (pc === this.subscribePc_) {
      // The server offers on this connection: it sends an offer with new credentials.
      this.channel.send({ type: 'media.subscribe.restart', meeting_id: this.meetingId });
    }
  }

  private stopReconnecting(): void {
    if (this.restartTimer_ !== null) clearTimeout(this.restartTimer_);
    this.restartTimer_ = null;
    this.lostSince_ = null;
    this.lost_.clear();
  }

  // --- State ----------------------------------------------------------------

  private remoteMedia(): RemoteMedia[] {
    const media: RemoteMedia[] = [];
    const live = new Set<string>();
    for (const track of this.offered_) {
      // A track of someone who has left (or is not announced yet) is not shown.
      if (!this.participants_.some((p) => sameId(p.participantId, track.participant_id))) continue;
      const received = this.receivedTracks_.get(track.mid) ?? null;
      let stream: MediaStream | null = null;
      if (received) {
        live.add(track.mid);
        const cached = this.remoteStreams_.get(track.mid);
        if (cached && cached.track === received) {
          stream = cached.stream;
        } else {
          stream = this.makeStream([received]);
          if (stream) this.remoteStreams_.set(track.mid, { track: received, stream });
        }
      }
      media.push({
        mid: track.mid,
        participantId: track.participant_id,
        trackId: track.track_id,
        kind: track.kind,
        source: track.source,
        stream,
      });
    }
    for (const mid of [...this.remoteStreams_.keys()]) if (!live.has(mid)) this.remoteStreams_.delete(mid);
    return media;
  }

  private selfStream(): MediaStream | null {
    if (!this.camera_ || !this.cameraOn_) return null;
    this.selfStream_ ??= this.makeStream([this.camera_]);
    return this.selfStream_;
  }

  private makeStream(tracks: MediaStreamTrack[]): MediaStream | null {
    try {
      return this.env.createStream(tracks);
    } catch {
      return null;
    }
  }

  private snapshot(connection: ConnectionPhase): ConferenceState {
    return {
      participantId: this.participantId_,
      participants: this.participants_,
      remote: this.remoteMedia(),
      microphoneOn: this.microphoneOn_ && this.microphone_ !== null,
      cameraOn: this.cameraOn_ && this.camera_ !== null,
      sharing: this.screen_ ? 'on' : 'off',
      canShare: typeof this.env.devices?.getDisplayMedia === 'function',
      selfStream: this.selfStream(),
      connection,
      serverError: null,
      deviceProblem: null,
    };
  }

  private update(changes: Partial<ConferenceState>): void {
    const previous = this.state.get();
    const next = this.snapshot(changes.connection ?? previous.connection);
    this.state.set({
      ...next,
      sharing: changes.sharing ?? (next.sharing === 'on' ? 'on' : previous.sharing === 'starting' ? 'starting' : 'off'),
      serverError: changes.serverError !== undefined ? changes.serverError : previous.serverError,
      deviceProblem: changes.deviceProblem !== undefined ? changes.deviceProblem : previous.deviceProblem,
    });
  }
}

function toParticipant(participant: MediaParticipant): RemoteParticipant {
  return {
    participantId: participant.participant_id,
    employeeId: participant.employee_id,
    name: participant.name,
    role: participant.role ?? 'participant',
    tracks: participant.tracks ?? [],
  };
}
