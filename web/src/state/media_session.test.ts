import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeServices } from '../test/harness';
import { FakeTrack } from '../test/fake_webrtc';

afterEach(() => vi.useRealTimers());

const kTicket = { meeting_id: 'm1', capability: 'v1.cap.mac', expires_at: '2099-01-01T00:00:00Z' };
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function setup() {
  const harness = makeServices({
    'POST /meetings/m1/join': { body: kTicket },
    'POST /meetings/m1/leave': { status: 204 },
    'POST /rooms/r1/join': { body: kTicket },
  });
  harness.services.client.setCsrfToken('tok');
  harness.services.realtime.start();
  harness.sockets.last().accept();
  const sent = () => harness.sockets.last().sent as Array<{ type: string }>;
  return { ...harness, media: harness.services.media, sent };
}

describe('MediaSession', () => {
  it('keeps the pass of a room entered for the pre-join screen and joins with it', async () => {
    const { media, sent, calls } = setup();
    expect(await media.joinRoom('r1')).toBe('m1');
    expect(media.state.get().phase).toBe('prejoin');
    expect(sent().filter((m) => m.type === 'media.join')).toHaveLength(0);
    await media.joinMeeting('m1');
    expect(sent()).toContainEqual({ type: 'media.join', meeting_id: 'm1', capability: 'v1.cap.mac' });
    expect(calls.some((c) => c.path === '/meetings/m1/join')).toBe(false);
  });

  it('asks for a fresh pass when the kept one is about to expire', async () => {
    const { media, services, calls } = setup();
    vi.spyOn(services.api, 'joinRoom').mockResolvedValue({ ...kTicket, expires_at: new Date(Date.now() + 5000).toISOString() });
    await media.joinRoom('r1');
    await media.joinMeeting('m1');
    expect(calls.some((c) => c.path === '/meetings/m1/join')).toBe(true);
  });

  it('starts the conference on media.joined with the devices handed over, and ends it on leave', async () => {
    const { media, sockets, webrtc, sent } = setup();
    const microphone = new FakeTrack('audio');
    await media.joinMeeting('m1', {
      microphone: microphone as unknown as MediaStreamTrack,
      camera: null,
      microphoneOn: true,
      cameraOn: false,
      opened: true,
    });
    sockets.last().receive({ type: 'media.joined', meeting_id: 'm1', participant_id: 'p1', participants: [] });
    expect(media.state.get().phase).toBe('in');
    const conference = media.conference.get();
    expect(conference?.meetingId).toBe('m1');
    await flush();
    expect(webrtc.connections[0].transceivers[0].sender.track).toBe(microphone);
    await media.leave('other');
    expect(media.state.get().phase).toBe('in');
    await media.leave('m1');
    expect(sent().filter((m) => m.type === 'media.leave')).toHaveLength(1);
    expect(media.conference.get()).toBeNull();
    expect(conference?.closed).toBe(true);
    expect(microphone.readyState).toBe('ended');
  });

  it('stops the handed-over devices when joining fails', async () => {
    const { media } = setup();
    const camera = new FakeTrack('video');
    await media.joinMeeting('other', { microphone: null, camera: camera as unknown as MediaStreamTrack, microphoneOn: false, cameraOn: true, opened: true });
    expect(media.state.get().phase).toBe('failed');
    expect(camera.readyState).toBe('ended');
  });

  it('after the WebSocket comes back, joins again and restarts the same conference', async () => {
    const { media, sockets, sent, webrtc } = setup();
    await media.joinMeeting('m1');
    sockets.last().receive({ type: 'media.joined', meeting_id: 'm1', participant_id: 'p1', participants: [] });
    const conference = media.conference.get();
    await flush();
    const first = webrtc.connections[0];
    sockets.last().drop();
    await vi.waitFor(() => expect(sockets.sockets.length).toBe(2), { timeout: 3000 });
    sockets.last().accept();
    await vi.waitFor(() => expect(sent().some((m) => m.type === 'media.join')).toBe(true));
    expect(first.closed).toBe(true);
    sockets.last().receive({ type: 'media.joined', meeting_id: 'm1', participant_id: 'p7', participants: [] });
    expect(media.conference.get()).toBe(conference);
    await flush();
    expect(webrtc.connections.length).toBeGreaterThan(1);
    expect(webrtc.connections.at(-1)!.closed).toBe(false);
  });

  it('closes the conference when the server refuses the pass', async () => {
    const { media, sockets } = setup();
    await media.joinMeeting('m1');
    sockets.last().receive({ type: 'media.joined', meeting_id: 'm1', participant_id: 'p1', participants: [] });
    const conference = media.conference.get();
    sockets.last().receive({ type: 'media.refused', meeting_id: 'm1', reason: 'bad-signature' });
    expect(media.state.get()).toEqual({ phase: 'refused', meetingId: 'm1', reason: 'bad-signature' });
    expect(conference?.closed).toBe(true);
  });

  it('leaves when the server ends the participation, and not for another meeting', async () => {
    const { media, sockets } = setup();
    await media.joinMeeting('m1');
    sockets.last().receive({ type: 'media.joined', meeting_id: 'm1', participant_id: 'p1', participants: [] });
    const conference = media.conference.get();
    sockets.last().receive({ type: 'media.left', meeting_id: 'm2', reason: 'timeout' });
    expect(media.state.get().phase).toBe('in');
    sockets.last().receive({ type: 'media.left', meeting_id: 'm1', reason: 'timeout' });
    expect(media.state.get()).toEqual({ phase: 'left', meetingId: 'm1', reason: 'timeout' });
    expect(conference?.closed).toBe(true);
  });

  it('keeps why a host ended the participation (removed, ended) for the page to say', async () => {
    const { media, sockets } = setup();
    await media.joinMeeting('m1');
    sockets.last().receive({ type: 'media.joined', meeting_id: 'm1', participant_id: 'p1', participants: [] });
    sockets.last().receive({ type: 'media.left', meeting_id: 'm1', reason: 'removed' });
    expect(media.state.get()).toEqual({ phase: 'left', meetingId: 'm1', reason: 'removed' });
  });
});
