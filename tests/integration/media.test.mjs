// The SFU at the signaling level, over the real WebSocket, with a real offer
// captured from Chromium (tests/data/sdp/): who gets media and who gets none,
// what an invalid message does (an error, and nothing changed), connectivity
// checks answered only for live credentials, and the engine's counts back to
// zero when everyone is gone. The media themselves are the browser tests' part.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { openSocket, repoRoot, request, serverTest, sleep, startServer, waitFor } from './harness.mjs';
import { API, createMeeting, joinedSocket, meetingBody, person } from './meetings_helpers.mjs';
import { checkConnectivity, udpSocket } from './stun_client.mjs';

const OFFER = fs.readFileSync(path.join(repoRoot, 'tests/data/sdp/publish_audio_video.offer.sdp'), 'utf8');
const OFFER_UFRAG = /^a=ice-ufrag:(.+)$/m.exec(OFFER)[1].trim();
const TRACKS = [
  { mid: '0', source: 'microphone', muted: false },
  { mid: '1', source: 'camera', muted: false },
];

// What the server's answer tells a browser: its ICE credentials and its candidate.
function transportOf(sdp) {
  const ufrag = /^a=ice-ufrag:(.+)$/m.exec(sdp)?.[1].trim();
  const pwd = /^a=ice-pwd:(.+)$/m.exec(sdp)?.[1].trim();
  const candidate = /^a=candidate:\S+ 1 udp \d+ (\S+) (\d+) typ host/m.exec(sdp);
  assert.ok(ufrag && pwd && candidate, `ICE credentials and a host candidate in:\n${sdp}`);
  return { ufrag, pwd, host: candidate[1], port: Number(candidate[2]) };
}

async function metricsText(server) {
  return (await request(server, 'GET', '/metrics')).text;
}

async function engineCounts(server) {
  const text = await metricsText(server);
  const value = (name) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1]);
  return {
    rooms: value('egovbox_media_rooms'),
    participants: value('egovbox_media_participants'),
    transports: value('egovbox_media_transports'),
    refused: value('egovbox_media_stun_refused_total'),
  };
}

serverTest('media signaling: only a joined tab publishes, invalid messages change nothing, STUN only for live credentials', async () => {
  const server = await startServer();
  const host = await person(server);
  const guest = await person(server);
  const outsider = await person(server);
  const meeting = await createMeeting(host.client, meetingBody({ title: 'Медийна среща', start: 1, invitees: [guest.employee.id] }));

  // Not joined: an error, no answer.
  const stranger = await openSocket(outsider.client);
  await stranger.next('hello');
  stranger.send({ type: 'media.publish', meeting_id: meeting.id, sdp: OFFER, tracks: TRACKS });
  const notJoined = await stranger.next('media.error');
  assert.equal(notJoined.code, 'not-joined');
  await stranger.expectNone('media.publish.answer', 300);

  const { socket: hostSocket, joined } = await joinedSocket(host, meeting.id);
  assert.match(joined.participant_id, /^p[A-Za-z0-9_-]+$/);
  assert.deepEqual(joined.participants, []);

  // Someone else's capability (and a forged one) is refused, and the tab stays without media.
  const hostPass = await host.client.post(`${API}/meetings/${meeting.id}/join`, {});
  stranger.send({ type: 'media.join', meeting_id: meeting.id, capability: hostPass.json.capability });
  assert.equal((await stranger.next('media.refused')).reason, 'other-employee');
  stranger.send({ type: 'media.join', meeting_id: meeting.id, capability: `${hostPass.json.capability}x` });
  assert.equal((await stranger.next('media.refused')).reason, 'invalid');
  stranger.send({ type: 'media.publish', meeting_id: meeting.id, sdp: OFFER, tracks: TRACKS });
  assert.equal((await stranger.next('media.error')).code, 'not-joined');
  await stranger.expectNone('media.publish.answer', 200);
  await stranger.expectNone('media.subscribe.offer', 0);

  // Invalid publishes: each answered with media.error, none with an answer.
  const invalid = [
    [{ sdp: 'v=0\r\nthis is not an offer', tracks: TRACKS }, null],
    [{ sdp: OFFER }, 'invalid-message'], // no tracks
    [{ sdp: OFFER, tracks: [{ mid: '0', source: 'camera' }, TRACKS[1]] }, 'invalid-message'], // audio called a camera
    [{ sdp: OFFER, tracks: [{ mid: '0', source: 'telescope' }] }, 'invalid-message'],
    [{ sdp: OFFER.replace(/^a=group:BUNDLE.*\r?\n/m, ''), tracks: TRACKS }, null],
  ];
  for (const [fields, code] of invalid) {
    hostSocket.send({ type: 'media.publish', meeting_id: meeting.id, ...fields });
    const error = await hostSocket.next('media.error', (m) => m.request === 'media.publish');
    if (code) assert.equal(error.code, code, JSON.stringify(error));
    assert.ok(error.detail, 'a detail for people');
  }
  await hostSocket.expectNone('media.publish.answer', 200);
  let counts = await engineCounts(server);
  assert.deepEqual([counts.rooms, counts.participants, counts.transports], [1, 1, 0], 'no connection made by invalid offers');

  // A valid publish: an ICE-lite answer with the server's candidate.
  hostSocket.send({ type: 'media.publish', meeting_id: meeting.id, sdp: OFFER, tracks: TRACKS });
  const answer = await hostSocket.next('media.publish.answer');
  assert.equal(answer.meeting_id, meeting.id);
  assert.match(answer.sdp, /^a=ice-lite/m);
  assert.match(answer.sdp, /^a=setup:passive/m);
  const transport = transportOf(answer.sdp);
  assert.equal(transport.host, '127.0.0.1');

  // Connectivity checks: answered with the right credentials, with the checker's
  // own address; ignored with a wrong password or an unknown ufrag.
  const udp = await udpSocket();
  try {
    const username = `${transport.ufrag}:${OFFER_UFRAG}`;
    const refusedBefore = (await engineCounts(server)).refused;
    assert.equal(await checkConnectivity(udp, { ...transport, username, password: 'wrong-password-of-22-chars' }), null);
    assert.equal(await checkConnectivity(udp, { ...transport, username: `zzzz:${OFFER_UFRAG}`, password: transport.pwd }), null);
    assert.equal(await checkConnectivity(udp, { ...transport, username, password: transport.pwd, fingerprint: false }), null);
    await waitFor(async () => (await engineCounts(server)).refused >= refusedBefore + 3, { message: 'refused checks counted' });
    const mapped = await checkConnectivity(udp, { ...transport, username, password: transport.pwd });
    assert.deepEqual(mapped, { address: '127.0.0.1', port: udp.address().port });

    // The guest joins: sees the host and the host's two tracks, and gets an offer for them.
    const { socket: guestSocket, joined: guestJoined } = await joinedSocket(guest, meeting.id);
    assert.equal(guestJoined.participants.length, 1);
    const [seen] = guestJoined.participants;
    assert.equal(seen.participant_id, joined.participant_id);
    assert.equal(seen.employee_id, host.employee.id);
    assert.equal(seen.name, host.employee.name);
    assert.deepEqual(seen.tracks.map((t) => [t.kind, t.source]).sort(), [['audio', 'microphone'], ['video', 'camera']]);
    const arrived = await hostSocket.next('media.participant.joined');
    assert.equal(arrived.participant.employee_id, guest.employee.id);
    const offer = await guestSocket.next('media.subscribe.offer');
    assert.equal(offer.version, 1);
    assert.deepEqual(offer.tracks.map((t) => t.participant_id), [joined.participant_id, joined.participant_id]);
    assert.match(offer.sdp, /^a=setup:actpass/m);

    // Answers that do not fit: a stale version, garbage. Errors, nothing changed.
    guestSocket.send({ type: 'media.subscribe.answer', meeting_id: meeting.id, version: 7, sdp: 'v=0' });
    assert.equal((await guestSocket.next('media.error')).code, 'stale-answer');
    guestSocket.send({ type: 'media.subscribe.answer', meeting_id: meeting.id, version: 1, sdp: 'v=0\r\n' });
    assert.ok((await guestSocket.next('media.error', (m) => m.request === 'media.subscribe.answer')).code);
    // A message for another meeting: not joined there.
    guestSocket.send({ type: 'media.mute', meeting_id: 'another-meeting', source: 'microphone', muted: true });
    assert.equal((await guestSocket.next('media.error')).code, 'not-joined');
    // media.layout (simulcast): the tiles' sizes by mid; a malformed list is refused.
    guestSocket.send({ type: 'media.layout', meeting_id: meeting.id, tiles: [{ mid: offer.tracks[1].mid, width: -5, height: 90 }] });
    const badLayout = await guestSocket.next('media.error', (m) => m.request === 'media.layout');
    assert.equal(badLayout.code, 'invalid-message');
    guestSocket.send({ type: 'media.layout', meeting_id: meeting.id, tiles: [{ mid: offer.tracks[1].mid, width: 160, height: 90 }] });

    // Mute: everyone hears of it.
    hostSocket.send({ type: 'media.mute', meeting_id: meeting.id, source: 'microphone', muted: true });
    const muted = await guestSocket.next('media.tracks', (m) => m.tracks.some((t) => t.source === 'microphone' && t.muted));
    assert.equal(muted.participant_id, joined.participant_id);

    // The host leaves: the guest sees it, the old credentials are dead.
    hostSocket.send({ type: 'media.leave', meeting_id: meeting.id });
    const left = await guestSocket.next('media.participant.left');
    assert.equal(left.participant_id, joined.participant_id);
    await sleep(100);
    assert.equal(await checkConnectivity(udp, { ...transport, username, password: transport.pwd }), null, 'a stale ufrag gets nothing');

    // The guest's tab is killed: the engine forgets everything.
    guestSocket.terminate();
    await waitFor(async () => {
      counts = await engineCounts(server);
      return counts.rooms === 0 && counts.participants === 0 && counts.transports === 0;
    }, { message: 'rooms, participants and transports back to zero' });
  } finally {
    udp.close();
  }

  // Attendance: both visits, each with a start and an end.
  const attendance = await waitFor(async () => {
    const response = await host.client.get(`${API}/meetings/${meeting.id}/attendance`);
    assert.equal(response.status, 200, response.text);
    return response.json.attendance.every((v) => v.left_at) && response.json.attendance.length === 2 ? response.json.attendance : null;
  }, { message: 'attendance of both, closed' });
  assert.deepEqual(attendance.map((v) => v.employee_id), [host.employee.id, guest.employee.id]);
  assert.deepEqual(attendance.map((v) => v.left_reason), ['left', 'left']);
  assert.equal((await outsider.client.get(`${API}/meetings/${meeting.id}/attendance`)).status, 404);
});
