import { beforeEach, describe, expect, it } from 'vitest';
import type { MediaParticipant, ServerEvent } from '../api/realtime_types';
import { translate } from '../i18n/i18n';
import { fakeChannel } from '../test/fake_channel';
import { fakeMediaEnvironment, fakeSdp, FakeTrack, type FakePeerConnection } from '../test/fake_webrtc';
import { Conference, kCameraEncodings, kLayoutDebounceMs, type LocalMediaChoice } from './conference';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

const kIvan: MediaParticipant = {
  participant_id: 'p2',
  employee_id: 'e2',
  name: 'Иван Петров',
  tracks: [
    { track_id: 't-mic', kind: 'audio', source: 'microphone', muted: false },
    { track_id: 't-cam', kind: 'video', source: 'camera', muted: false },
  ],
};

function setup(choice: Partial<LocalMediaChoice> = {}) {
  const media = fakeMediaEnvironment();
  const bus = fakeChannel();
  const said: string[] = [];
  const microphone = new FakeTrack('audio', 'mic-1');
  const camera = new FakeTrack('video', 'cam-1');
  const conference = new Conference(
    'm1',
    bus.channel,
    media.env,
    {
      microphone: microphone as unknown as MediaStreamTrack,
      camera: camera as unknown as MediaStreamTrack,
      microphoneOn: true,
      cameraOn: true,
      opened: true,
      ...choice,
    },
    (render) => said.push(render('bg')),
  );
  const publishes = () => bus.sent.filter((m) => m.type === 'media.publish');
  const publishPc = () => media.connections[0];
  return { media, bus, said, microphone, camera, conference, publishes, publishPc };
}

async function joined(harness: ReturnType<typeof setup>, participants: MediaParticipant[] = [kIvan]) {
  harness.conference.start({ type: 'media.joined', meeting_id: 'm1', participant_id: 'p1', participants });
  await flush();
}

async function answerPublish(harness: ReturnType<typeof setup>, sdp = 'answer-sdp') {
  harness.bus.emit({ type: 'media.publish.answer', meeting_id: 'm1', sdp });
  await flush();
}

function subscribeOffer(version: number, tracks: Array<{ mid: string; participant: string; source: 'microphone' | 'camera' | 'screen' }>): ServerEvent {
  const kinds = tracks.map((t) => ({ mid: t.mid, kind: t.source === 'microphone' ? ('audio' as const) : ('video' as const) }));
  return {
    type: 'media.subscribe.offer',
    meeting_id: 'm1',
    version,
    sdp: fakeSdp('server-offer', kinds),
    tracks: tracks.map((t, i) => ({
      mid: t.mid,
      participant_id: t.participant,
      track_id: `t${i}`,
      kind: kinds[i].kind,
      source: t.source,
    })),
  };
}

beforeEach(() => window.localStorage.clear());

describe('Conference, publishing', () => {
  it('gives both peer connections the TURN server of media.joined', async () => {
    const harness = setup();
    const turn = { urls: ['turns:turn.example.bg:443?transport=tcp'], username: '1700043200:p1', credential: 'c2VjcmV0' };
    harness.conference.start({ type: 'media.joined', meeting_id: 'm1', participant_id: 'p1', participants: [kIvan], ice_servers: [turn] });
    await flush();
    expect(harness.publishPc().config).toEqual({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require', iceServers: [turn] });
    harness.bus.emit(subscribeOffer(1, [{ mid: '0', participant: 'p2', source: 'microphone' }]));
    await flush();
    expect(harness.media.connections[1].config).toEqual({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require', iceServers: [turn] });
  });

  it('offers sendonly microphone and camera and sends media.publish with their mids and sources', async () => {
    const harness = setup();
    await joined(harness);
    const pc = harness.publishPc();
    expect(pc.config).toEqual({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require', iceServers: [] });
    expect(pc.log.slice(0, 4)).toEqual([
      'addTransceiver:audio:sendonly',
      'addTransceiver:video:sendonly',
      'createOffer',
      'setLocalDescription:offer',
    ]);
    expect(pc.transceivers[0].sender.track).toBe(harness.microphone);
    expect(pc.transceivers[1].sender.track).toBe(harness.camera);
    const [publish] = harness.publishes();
    expect(publish).toEqual({
      type: 'media.publish',
      meeting_id: 'm1',
      sdp: pc.localDescription?.sdp,
      tracks: [
        { mid: '0', source: 'microphone', muted: false },
        { mid: '1', source: 'camera', muted: false },
      ],
    });
    expect(publish.type === 'media.publish' && publish.sdp).toContain('a=mid:1');
    expect(harness.conference.state.get().connection).toBe('connecting');
  });

  it('applies the answer as the remote description', async () => {
    const harness = setup();
    await joined(harness);
    await answerPublish(harness, 'v=0 server-answer');
    const pc = harness.publishPc();
    expect(pc.remoteDescription).toEqual({ type: 'answer', sdp: 'v=0 server-answer' });
    pc.setConnectionState('connected');
    expect(harness.conference.state.get().connection).toBe('connected');
  });

  it('publishes a missing or switched-off device as a muted track of its transceiver', async () => {
    const harness = setup({ camera: null, cameraOn: false, microphoneOn: false });
    await joined(harness);
    expect(harness.microphone.enabled).toBe(false);
    expect(harness.publishPc().transceivers[1].sender.track).toBeNull();
    const [publish] = harness.publishes();
    expect(publish.type === 'media.publish' && publish.tracks).toEqual([
      { mid: '0', source: 'microphone', muted: true },
      { mid: '1', source: 'camera', muted: true },
    ]);
  });

  it('mutes the microphone by disabling the track and says so with media.mute', async () => {
    const harness = setup();
    await joined(harness);
    await answerPublish(harness);
    await harness.conference.toggleMicrophone();
    expect(harness.microphone.enabled).toBe(false);
    expect(harness.bus.sent.at(-1)).toEqual({ type: 'media.mute', meeting_id: 'm1', source: 'microphone', muted: true });
    expect(harness.said.at(-1)).toBe(translate('bg', 'live.announce.microphone_off'));
    await harness.conference.toggleMicrophone();
    expect(harness.microphone.enabled).toBe(true);
    expect(harness.bus.sent.at(-1)).toEqual({ type: 'media.mute', meeting_id: 'm1', source: 'microphone', muted: false });
    // No renegotiation for either.
    expect(harness.publishes()).toHaveLength(1);
  });

  it('turns the camera off with replaceTrack(null) and stops it; on again opens it anew', async () => {
    const harness = setup();
    await joined(harness);
    await answerPublish(harness);
    const sender = harness.publishPc().transceivers[1].sender;
    await harness.conference.setCamera(false);
    expect(sender.track).toBeNull();
    expect(harness.camera.readyState).toBe('ended');
    expect(harness.bus.sent.at(-1)).toEqual({ type: 'media.mute', meeting_id: 'm1', source: 'camera', muted: true });
    expect(harness.conference.state.get().selfStream).toBeNull();
    expect(harness.said.at(-1)).toBe('Камерата е изключена.');
    await harness.conference.setCamera(true);
    const reopened = harness.media.opened.at(-1)!;
    expect(reopened.kind).toBe('video');
    expect(sender.track).toBe(reopened);
    expect(harness.bus.sent.at(-1)).toEqual({ type: 'media.mute', meeting_id: 'm1', source: 'camera', muted: false });
    expect(harness.conference.state.get().cameraOn).toBe(true);
    expect(harness.publishes()).toHaveLength(1);
  });

  it('sends no media.mute before the first media.publish (the tracks list carries it)', async () => {
    const harness = setup();
    await harness.conference.toggleMicrophone();
    expect(harness.bus.sent).toEqual([]);
    await joined(harness);
    const [publish] = harness.publishes();
    expect(publish.type === 'media.publish' && publish.tracks[0]).toEqual({ mid: '0', source: 'microphone', muted: true });
  });

  it('runs one negotiation at a time: screen sharing waits for the pending answer', async () => {
    const harness = setup();
    await joined(harness);
    await harness.conference.startScreenShare();
    await flush();
    // The first offer is not answered yet: no second media.publish.
    expect(harness.publishes()).toHaveLength(1);
    expect(harness.conference.state.get().sharing).toBe('on');
    await answerPublish(harness, 'answer-1');
    expect(harness.publishes()).toHaveLength(2);
    const second = harness.publishes()[1];
    expect(second.type === 'media.publish' && second.tracks).toEqual([
      { mid: '0', source: 'microphone', muted: false },
      { mid: '1', source: 'camera', muted: false },
      { mid: '2', source: 'screen', muted: false },
    ]);
    // Stopping while the second is outstanding: again one after the other.
    harness.conference.stopScreenShare();
    await flush();
    expect(harness.publishes()).toHaveLength(2);
    const pc = harness.publishPc();
    expect(pc.transceivers[2].stopped).toBe(true);
    await answerPublish(harness, 'answer-2');
    expect(harness.publishes()).toHaveLength(3);
    const third = harness.publishes()[2];
    expect(third.type === 'media.publish' && third.tracks.map((t) => t.source)).toEqual(['microphone', 'camera']);
    await answerPublish(harness, 'answer-3');
    expect(pc.log.filter((entry) => entry === 'setRemoteDescription:answer')).toHaveLength(3);
  });

  it('stops sharing when the browser ends the screen track', async () => {
    const harness = setup();
    await joined(harness);
    await answerPublish(harness);
    await harness.conference.startScreenShare();
    await flush();
    const screen = harness.media.opened.find((t) => t.deviceId === 'screen')!;
    screen.end();
    await flush();
    expect(harness.conference.state.get().sharing).toBe('off');
    expect(harness.said.at(-1)).toBe('Споделянето на екрана спря.');
  });

  it('rolls the offer back and shows the error when the server answers media.error', async () => {
    const harness = setup();
    await joined(harness);
    harness.bus.emit({ type: 'media.error', meeting_id: 'm1', request: 'media.publish', code: 'bad-sdp', detail: 'no codec' });
    await flush();
    expect(harness.publishPc().log.at(-1)).toBe('setLocalDescription:rollback');
    expect(harness.conference.state.get().serverError).toEqual({ request: 'media.publish', code: 'bad-sdp', detail: 'no codec' });
  });
});

describe('Conference, subscribing', () => {
  it('answers a subscribe offer with its version and maps mids to participants and sources', async () => {
    const harness = setup();
    await joined(harness);
    harness.bus.emit(
      subscribeOffer(3, [
        { mid: '0', participant: 'p2', source: 'microphone' },
        { mid: '1', participant: 'p2', source: 'camera' },
      ]),
    );
    await flush();
    const sub = harness.media.connections[1];
    expect(sub.config.bundlePolicy).toBe('max-bundle');
    expect(sub.log).toEqual(['setRemoteDescription:offer', 'createAnswer', 'setLocalDescription:answer']);
    const answer = harness.bus.sent.find((m) => m.type === 'media.subscribe.answer');
    expect(answer).toEqual({ type: 'media.subscribe.answer', meeting_id: 'm1', version: 3, sdp: sub.localDescription?.sdp });
    const remote = harness.conference.state.get().remote;
    expect(remote.map((r) => [r.mid, r.participantId, r.source, r.kind])).toEqual([
      ['0', 'p2', 'microphone', 'audio'],
      ['1', 'p2', 'camera', 'video'],
    ]);
    const camera = sub.transceivers.find((t) => t.mid === '1')!;
    expect(remote[1].stream!.getVideoTracks()).toEqual([camera.receiver.track]);
  });

  it('drops a track whose mid the next offer no longer lists, and keeps the stream of one that stays', async () => {
    const harness = setup();
    await joined(harness);
    harness.bus.emit(
      subscribeOffer(1, [
        { mid: '0', participant: 'p2', source: 'camera' },
        { mid: '1', participant: 'p2', source: 'screen' },
      ]),
    );
    await flush();
    const before = harness.conference.state.get().remote[0].stream;
    harness.bus.emit(subscribeOffer(2, [{ mid: '0', participant: 'p2', source: 'camera' }]));
    await flush();
    const remote = harness.conference.state.get().remote;
    expect(remote.map((r) => r.source)).toEqual(['camera']);
    expect(remote[0].stream).toBe(before);
    const answers = harness.bus.sent.filter((m) => m.type === 'media.subscribe.answer');
    expect(answers.map((m) => (m.type === 'media.subscribe.answer' ? m.version : 0))).toEqual([1, 2]);
  });

  it('adds and removes participants; one leaving takes their tracks along, both announced', async () => {
    const harness = setup();
    await joined(harness, []);
    harness.bus.emit({ type: 'media.participant.joined', meeting_id: 'm1', participant: kIvan });
    expect(harness.said.at(-1)).toBe('Иван Петров влезе в срещата.');
    harness.bus.emit(subscribeOffer(1, [{ mid: '0', participant: 'p2', source: 'camera' }]));
    await flush();
    expect(harness.conference.state.get().remote).toHaveLength(1);
    harness.bus.emit({ type: 'media.participant.left', meeting_id: 'm1', participant_id: 'p2' });
    const state = harness.conference.state.get();
    expect(state.participants).toEqual([]);
    expect(state.remote).toEqual([]);
    expect(harness.said.at(-1)).toBe('Иван Петров излезе от срещата.');
  });

  it('follows media.tracks (mute states) and ignores other meetings', async () => {
    const harness = setup();
    await joined(harness);
    harness.bus.emit({
      type: 'media.tracks',
      meeting_id: 'm1',
      participant_id: 'p2',
      tracks: [{ track_id: 't-mic', kind: 'audio', source: 'microphone', muted: true }],
    });
    harness.bus.emit({ type: 'media.participant.left', meeting_id: 'other', participant_id: 'p2' });
    const [ivan] = harness.conference.state.get().participants;
    expect(ivan.tracks).toEqual([{ track_id: 't-mic', kind: 'audio', source: 'microphone', muted: true }]);
  });

  it('shows "connection lost" when a peer connection fails', async () => {
    const harness = setup();
    await joined(harness);
    harness.publishPc().setConnectionState('failed');
    expect(harness.conference.state.get().connection).toBe('failed');
  });
});

describe('Conference, simulcast', () => {
  it('sends the camera as three encodings, a quarter, half and full size', () => {
    expect(kCameraEncodings.map((e) => [e.rid, e.scaleResolutionDownBy])).toEqual([
      ['l', 4],
      ['m', 2],
      ['h', 1],
    ]);
    const rates = kCameraEncodings.map((e) => e.maxBitrate ?? 0);
    expect(rates).toEqual([...rates].sort((a, b) => a - b));
  });

  it('reports the size of each received video in one debounced media.layout', async () => {
    const harness = setup();
    await joined(harness);
    const layouts = () => harness.bus.sent.filter((m) => m.type === 'media.layout');
    harness.conference.reportTile('1', { width: 640.4, height: 360 });
    harness.conference.reportTile('3', { width: 160, height: 90 });
    harness.conference.reportTile('1', { width: 320, height: 180 });
    expect(layouts()).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, kLayoutDebounceMs + 50));
    expect(layouts()).toEqual([
      {
        type: 'media.layout',
        meeting_id: 'm1',
        tiles: [
          { mid: '1', width: 320, height: 180 },
          { mid: '3', width: 160, height: 90 },
        ],
      },
    ]);
    // The same size again says nothing; a tile that goes is left out of the next one.
    harness.conference.reportTile('3', { width: 160, height: 90 });
    harness.conference.reportTile('1', null);
    await new Promise((resolve) => setTimeout(resolve, kLayoutDebounceMs + 50));
    expect(layouts().at(-1)).toEqual({ type: 'media.layout', meeting_id: 'm1', tiles: [{ mid: '3', width: 160, height: 90 }] });
    expect(layouts()).toHaveLength(2);
  });
});

describe('Conference, reconnecting', () => {
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  async function connected(harness: ReturnType<typeof setup>) {
    await joined(harness);
    await answerPublish(harness);
    harness.publishPc().setConnectionState('connected');
    expect(harness.conference.state.get().connection).toBe('connected');
  }

  // connected(), and the subscribe connection carries Ivan's camera and is up.
  async function subscribed(harness: ReturnType<typeof setup>) {
    await connected(harness);
    harness.bus.emit(subscribeOffer(1, [{ mid: '0', participant: 'p2', source: 'camera' }]));
    await flush();
    const subscribePc = harness.media.connections[1];
    subscribePc.setConnectionState('connected');
    return subscribePc;
  }

  const subscribeRestarts = (harness: ReturnType<typeof setup>) =>
    harness.bus.sent.filter((m) => m.type === 'media.subscribe.restart').length;

  it('restarts ICE on the publish connection when its path is lost, and stays in the meeting', async () => {
    const harness = setup();
    await connected(harness);
    const pc = harness.publishPc();
    pc.setConnectionState('disconnected');
    expect(harness.conference.state.get().connection).toBe('reconnecting');
    expect(pc.log).not.toContain('restartIce');  // ICE gets a moment to recover by itself

    await wait(15);
    expect(pc.log).toContain('restartIce');
    expect(harness.publishes()).toHaveLength(2);  // the offer with new credentials
    expect(harness.bus.sent.some((m) => m.type === 'media.leave')).toBe(false);
    await answerPublish(harness, 'restarted-answer');
    expect(pc.remoteDescription?.sdp).toBe('restarted-answer');

    pc.setConnectionState('connected');
    expect(harness.conference.state.get().connection).toBe('connected');
    expect(harness.said.at(-1)).toBe('Връзката е възстановена.');
    expect(harness.media.connections).toHaveLength(1);  // the same connection throughout
  });

  it('asks the server for a new subscribe offer when the subscribe connection loses its path', async () => {
    const harness = setup();
    const subscribePc = await subscribed(harness);
    subscribePc.setConnectionState('failed');
    expect(harness.conference.state.get().connection).toBe('reconnecting');
    await wait(15);
    expect(harness.bus.sent.filter((m) => m.type === 'media.subscribe.restart')).toEqual([
      { type: 'media.subscribe.restart', meeting_id: 'm1' },
    ]);
    expect(harness.publishPc().log).not.toContain('restartIce');  // the publish side is fine
  });

  it('gives ICE a moment: a path back within it needs no restart', async () => {
    const harness = setup();
    await connected(harness);
    harness.publishPc().setConnectionState('disconnected');
    harness.publishPc().setConnectionState('connected');
    await wait(15);
    expect(harness.publishPc().log).not.toContain('restartIce');
    expect(harness.conference.state.get().connection).toBe('connected');
  });

  it('restarts each connection a moment after it itself lost its path', async () => {
    const harness = setup();
    harness.media.env.reconnect = { firstRestartMs: 5, retryMs: 10_000, giveUpMs: 30_000 };
    const subscribePc = await subscribed(harness);
    subscribePc.setConnectionState('disconnected');
    await wait(15);
    expect(subscribeRestarts(harness)).toBe(1);
    expect(harness.publishPc().log).not.toContain('restartIce');
    // The publish connection goes later: its own restart follows soon, not at the next retry.
    harness.publishPc().setConnectionState('disconnected');
    await wait(12);
    expect(harness.publishPc().log).toContain('restartIce');
    expect(subscribeRestarts(harness)).toBe(1);
  });

  it('stops restarting a connection once it is back, while the other still restarts', async () => {
    const harness = setup();
    harness.media.env.reconnect = { firstRestartMs: 5, retryMs: 10, giveUpMs: 30_000 };
    const subscribePc = await subscribed(harness);
    subscribePc.setConnectionState('disconnected');
    harness.publishPc().setConnectionState('disconnected');
    await wait(8);
    // The subscribe connection is back; the publish one is still restarting.
    subscribePc.setConnectionState('connected');
    harness.publishPc().setConnectionState('connecting');
    const before = subscribeRestarts(harness);
    await wait(40);
    expect(subscribeRestarts(harness)).toBe(before);
    expect(harness.conference.state.get().connection).toBe('reconnecting');
  });

  it('keeps trying and then says the connection is lost', async () => {
    const harness = setup();
    await connected(harness);
    harness.publishPc().setConnectionState('disconnected');
    await wait(120);
    expect(harness.publishPc().log.filter((entry) => entry === 'restartIce').length).toBeGreaterThan(1);
    expect(harness.conference.state.get().connection).toBe('failed');
  });

  it('a connection that never worked fails at once', async () => {
    const harness = setup();
    await joined(harness);
    harness.publishPc().setConnectionState('failed');
    expect(harness.conference.state.get().connection).toBe('failed');
    await wait(15);
    expect(harness.publishPc().log).not.toContain('restartIce');
  });
});

describe('Conference, lifetime', () => {
  it('restart builds new connections with the same local tracks', async () => {
    const harness = setup();
    await joined(harness);
    const first = harness.publishPc();
    harness.conference.restart({ type: 'media.joined', meeting_id: 'm1', participant_id: 'p9', participants: [] });
    await flush();
    expect(first.closed).toBe(true);
    const second = harness.media.connections.at(-1) as FakePeerConnection;
    expect(second).not.toBe(first);
    expect(second.transceivers[0].sender.track).toBe(harness.microphone);
    expect(harness.microphone.readyState).toBe('live');
    expect(harness.publishes()).toHaveLength(2);
  });

  it('close stops every local track, closes both connections and stops listening', async () => {
    const harness = setup();
    await joined(harness);
    harness.bus.emit(subscribeOffer(1, [{ mid: '0', participant: 'p2', source: 'camera' }]));
    await flush();
    await harness.conference.startScreenShare();
    harness.conference.close();
    expect(harness.media.connections.every((pc) => pc.closed)).toBe(true);
    expect(harness.microphone.readyState).toBe('ended');
    expect(harness.camera.readyState).toBe('ended');
    expect(harness.media.opened.every((t) => t.readyState === 'ended')).toBe(true);
    expect(harness.bus.listeners()).toBe(0);
    expect(harness.conference.state.get().connection).toBe('closed');
  });

  it('opens the remembered devices itself when nothing was opened before (a call)', async () => {
    const harness = setup({ microphone: null, camera: null, opened: false });
    await joined(harness);
    expect(harness.media.requests).toHaveLength(1);
    const [publish] = harness.publishes();
    expect(publish.type === 'media.publish' && publish.tracks.map((t) => t.muted)).toEqual([false, false]);
  });

  it('says the browser cannot do it without RTCPeerConnection', async () => {
    const harness = setup();
    harness.media.env.createPeerConnection = null;
    await joined(harness);
    expect(harness.conference.state.get().connection).toBe('unsupported');
  });
});
