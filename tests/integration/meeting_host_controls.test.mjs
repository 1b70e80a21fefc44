// Host controls over HTTPS and the WebSocket (docs/media.md "Host controls"): who
// may do what (host, co-host, participant, someone not invited), muting one or
// everyone, raised hands in order, removing someone (their old capability is
// refused, no new one is issued until a host lets them back), locking, ending for
// everyone, and the lobby of a hall (admit, decline) with co-hosts answering.
// The media themselves (packets stopping) are the browser test's part.
import assert from 'node:assert/strict';

import { assertProblem, countRows, serverTest, startServer } from './harness.mjs';
import { API, createMeeting, helloSocket, meetingBody, mediaJoin, person, put } from './meetings_helpers.mjs';

const socketOf = (someone) => helloSocket(someone.client);

async function passOf(someone, meetingId) {
  const pass = await someone.client.post(`${API}/meetings/${meetingId}/join`, {});
  assert.equal(pass.status, 200, pass.text);
  return pass.json.capability;
}

// A tab in the meeting's media: {socket, participantId, capability}.
async function inMedia(someone, meetingId) {
  const socket = await socketOf(someone);
  const capability = await passOf(someone, meetingId);
  socket.send({ type: 'media.join', meeting_id: meetingId, capability });
  const joined = await socket.next('media.joined', (m) => m.meeting_id === meetingId);
  return { socket, participantId: joined.participant_id, capability };
}

const handsOf = (message) => message.hands.map((hand) => hand.participant_id);

serverTest('host controls: host and co-host mute, take hands down and remove; a participant and an outsider may not', async () => {
  const server = await startServer();
  const host = await person(server);
  const cohost = await person(server);
  const alice = await person(server);
  const bob = await person(server);
  const outsider = await person(server);
  const meeting = await createMeeting(
    host.client,
    meetingBody({
      title: 'Оперативка с домакин',
      start: 1,
      invitees: [{ employee_id: cohost.employee.id, role: 'co-host' }, alice.employee.id, bob.employee.id],
    }),
  );
  const url = `${API}/meetings/${meeting.id}`;
  const hostTab = await inMedia(host, meeting.id);
  const aliceTab = await inMedia(alice, meeting.id);
  const bobTab = await inMedia(bob, meeting.id);
  // The others see who is a host (the role comes from the capability).
  const roles = bobTab.socket.messages.find((m) => m.type === 'media.joined').participants.map((p) => [p.employee_id, p.role]);
  assert.deepEqual(Object.fromEntries(roles), { [host.employee.id]: 'host', [alice.employee.id]: 'participant' });
  const bobSeen = await hostTab.socket.next('media.participant.joined', (m) => m.participant.employee_id === bob.employee.id);
  assert.equal(bobSeen.participant.role, 'participant');

  // The state: anyone invited sees it; only hosts see removals.
  const state = await alice.client.get(`${url}/controls`);
  assert.equal(state.status, 200, state.text);
  assert.deepEqual(state.json, { on: true, locked: false, ended: false, host: false, removed: [] });
  assert.equal((await cohost.client.get(`${url}/controls`)).json.host, true);
  assertProblem(await outsider.client.get(`${url}/controls`), 404, 'meeting-not-found');

  // Who may: not an outsider (404, as for every meeting route), not a participant (403).
  assertProblem(await outsider.client.post(`${url}/mute-all`, {}), 404, 'meeting-not-found');
  assertProblem(await alice.client.post(`${url}/mute-all`, {}), 403, 'not-meeting-host');
  assertProblem(await alice.client.post(`${url}/participants/${bobTab.participantId}/mute`, { source: 'microphone' }), 403, 'not-meeting-host');
  assertProblem(await alice.client.get(`${url}/lobby`), 403, 'not-meeting-host');

  // Mute everyone but the hosts: both participants are told, the host is not.
  const all = await cohost.client.post(`${url}/mute-all`, {});
  assert.equal(all.status, 200, all.text);
  assert.deepEqual(all.json, { muted: 2 });
  for (const tab of [aliceTab, bobTab]) {
    const told = await tab.socket.next('media.muted.by.host');
    assert.equal(told.source, 'microphone');
    assert.equal(told.meeting_id, meeting.id);
  }
  await hostTab.socket.expectNone('media.muted.by.host', 300);

  // One participant's camera.
  const camera = await host.client.post(`${url}/participants/${aliceTab.participantId}/mute`, { source: 'camera' });
  assert.equal(camera.status, 204, camera.text);
  assert.equal((await aliceTab.socket.next('media.muted.by.host')).source, 'camera');
  assertProblem(await host.client.post(`${url}/participants/${aliceTab.participantId}/mute`, { source: 'screen' }), 400, 'invalid-field');
  assertProblem(await host.client.post(`${url}/participants/pNobody/mute`, { source: 'camera' }), 404, 'participant-not-found');
  assert.equal(countRows(server.dataDir, 'audit_log', "WHERE action = 'meeting.mute'"), 1);
  assert.equal(countRows(server.dataDir, 'audit_log', "WHERE action = 'meeting.mute_all'"), 1);

  // Hands: in the order raised, for everyone; a host takes anyone's down.
  aliceTab.socket.send({ type: 'media.hand', meeting_id: meeting.id, raised: true });
  assert.deepEqual(handsOf(await hostTab.socket.next('media.hands')), [aliceTab.participantId]);
  bobTab.socket.send({ type: 'media.hand', meeting_id: meeting.id, raised: true });
  assert.deepEqual(handsOf(await hostTab.socket.next('media.hands')), [aliceTab.participantId, bobTab.participantId]);
  assert.deepEqual(handsOf(await bobTab.socket.next('media.hands', (m) => m.hands.length === 2)), [aliceTab.participantId, bobTab.participantId]);
  assertProblem(await alice.client.delete(`${url}/hands/${bobTab.participantId}`), 403, 'not-meeting-host');
  assert.equal((await host.client.delete(`${url}/hands/${aliceTab.participantId}`)).status, 204);
  await aliceTab.socket.next('media.hands', (m) => m.hands.length === 1 && m.hands[0].participant_id === bobTab.participantId);
  assertProblem(await host.client.delete(`${url}/hands/pNobody`), 404, 'participant-not-found');
  assert.equal(countRows(server.dataDir, 'audit_log', "WHERE action = 'meeting.lower_hand'"), 1);
  aliceTab.socket.send({ type: 'media.hand', meeting_id: meeting.id, raised: 'yes' });
  assert.equal((await aliceTab.socket.next('media.error', (m) => m.request === 'media.hand')).code, 'invalid-message');

  // Remove: not the organiser; the removed tab leaves with "removed"; the others see it go.
  assertProblem(await alice.client.post(`${url}/removals`, { employee_id: bob.employee.id }), 403, 'not-meeting-host');
  assertProblem(await cohost.client.post(`${url}/removals`, { employee_id: host.employee.id }), 403, 'cannot-remove-organiser');
  const removed = await cohost.client.post(`${url}/removals`, { employee_id: bob.employee.id });
  assert.equal(removed.status, 204, removed.text);
  const left = await bobTab.socket.next('media.left');
  assert.equal(left.reason, 'removed');
  await hostTab.socket.next('media.participant.left', (m) => m.participant_id === bobTab.participantId);
  // Bob's hand went with him.
  assert.deepEqual(handsOf(await hostTab.socket.next('media.hands', (m) => m.hands.length === 0)), []);

  // The capability Bob held is refused now, and no new one is issued.
  assert.equal(await mediaJoin(bobTab.socket, meeting.id, bobTab.capability), 'removed');
  assertProblem(await bob.client.post(`${url}/join`, {}), 403, 'removed-from-meeting');
  const hostState = await host.client.get(`${url}/controls`);
  assert.deepEqual(hostState.json.removed.map((r) => r.employee_id), [bob.employee.id]);

  // Let back: he may join again.
  assert.equal((await host.client.delete(`${url}/removals/${bob.employee.id}`)).status, 204);
  assertProblem(await host.client.delete(`${url}/removals/${bob.employee.id}`), 404, 'removal-not-found');
  assert.equal(await mediaJoin(bobTab.socket, meeting.id, await passOf(bob, meeting.id)), 'joined');
  assert.equal(countRows(server.dataDir, 'audit_log', "WHERE action IN ('meeting.remove', 'meeting.let_back')"), 2);
});

serverTest('host controls: a locked meeting admits nobody new but hosts; ended, it disconnects everyone and stays shut', async () => {
  const server = await startServer();
  const host = await person(server);
  const alice = await person(server);
  const late = await person(server);
  const meeting = await createMeeting(
    host.client,
    meetingBody({ title: 'Заключена среща', start: 1, invitees: [alice.employee.id, late.employee.id] }),
  );
  const url = `${API}/meetings/${meeting.id}`;
  const hostTab = await inMedia(host, meeting.id);
  const aliceTab = await inMedia(alice, meeting.id);
  const lateSocket = await socketOf(late);
  const lateEarlyPass = await passOf(late, meeting.id);

  assertProblem(await put(alice.client, `${url}/lock`, { locked: true }), 403, 'not-meeting-host');
  assertProblem(await put(host.client, `${url}/lock`, { locked: 'yes' }), 400, 'invalid-field');
  const locked = await put(host.client, `${url}/lock`, { locked: true });
  assert.equal(locked.status, 200, locked.text);
  assert.deepEqual(locked.json, { locked: true });
  assert.equal((await aliceTab.socket.next('media.meeting.state')).locked, true);

  // Nobody new, invited or not; a pass from before the lock is refused too.
  assertProblem(await late.client.post(`${url}/join`, {}), 409, 'meeting-locked');
  assert.equal(await mediaJoin(lateSocket, meeting.id, lateEarlyPass), 'locked');
  // Those inside stay; the host still gets in.
  assert.equal((await host.client.post(`${url}/join`, {})).status, 200);
  await aliceTab.socket.expectNone('media.left', 200);
  assert.equal((await late.client.get(`${url}/controls`)).json.locked, true);

  assert.equal((await put(host.client, `${url}/lock`, { locked: false })).status, 200);
  assert.equal(await mediaJoin(lateSocket, meeting.id, await passOf(late, meeting.id)), 'joined');

  // End for everyone.
  assertProblem(await alice.client.post(`${url}/end`, {}), 403, 'not-meeting-host');
  const ended = await host.client.post(`${url}/end`, {});
  assert.equal(ended.status, 204, ended.text);
  for (const socket of [hostTab.socket, aliceTab.socket, lateSocket]) {
    assert.equal((await socket.next('media.left', (m) => m.meeting_id === meeting.id)).reason, 'ended');
  }
  assertProblem(await alice.client.post(`${url}/join`, {}), 409, 'meeting-ended');
  assertProblem(await host.client.post(`${url}/join`, {}), 409, 'meeting-ended');
  assertProblem(await host.client.post(`${url}/mute-all`, {}), 409, 'meeting-ended');
  assert.equal(await mediaJoin(aliceTab.socket, meeting.id, aliceTab.capability), 'ended');
  assert.equal((await alice.client.get(`${url}/controls`)).json.ended, true);
  assert.equal(countRows(server.dataDir, 'audit_log', "WHERE action IN ('meeting.lock', 'meeting.unlock', 'meeting.end')"), 3);
});

serverTest('host controls: a hall with a lobby keeps invitees waiting until a host or co-host admits them; declined stays out', async () => {
  const server = await startServer();
  const clerk = await person(server, { roles: ['clerk'] });
  const host = await person(server);
  const cohost = await person(server);
  const alice = await person(server);
  const bob = await person(server);
  const outsider = await person(server);
  const hall = await clerk.client.post(`${API}/rooms`, { name: 'Зала с преддверие', lobby: true });
  assert.equal(hall.status, 201, hall.text);
  const meeting = await createMeeting(
    host.client,
    meetingBody({
      title: 'Комисия',
      start: 1,
      room_id: hall.json.id,
      invitees: [{ employee_id: cohost.employee.id, role: 'co-host' }, alice.employee.id, bob.employee.id],
    }),
  );
  const url = `${API}/meetings/${meeting.id}`;
  const hostSocket = await socketOf(host);
  const cohostSocket = await socketOf(cohost);
  const aliceSocket = await socketOf(alice);
  const bobSocket = await socketOf(bob);

  // Invitees wait; hosts walk in.
  assertProblem(await alice.client.post(`${url}/join`, {}), 403, 'knock-required');
  assertProblem(await alice.client.post(`${API}/rooms/${hall.json.id}/join`, {}), 403, 'knock-required');
  assert.equal((await cohost.client.post(`${url}/join`, {})).status, 200);
  assertProblem(await host.client.post(`${API}/rooms/${hall.json.id}/knocks`, {}), 409, 'knock-not-needed');
  assertProblem(await outsider.client.post(`${API}/rooms/${hall.json.id}/knocks`, {}), 403, 'not-invited');

  const knocked = await alice.client.post(`${API}/rooms/${hall.json.id}/knocks`, {});
  assert.equal(knocked.status, 201, knocked.text);
  assert.equal(knocked.json.meeting_id, meeting.id);
  for (const socket of [hostSocket, cohostSocket]) {
    const heard = await socket.next('knock');
    assert.equal(heard.knock.id, knocked.json.id);
    assert.equal(heard.knock.meeting_id, meeting.id);
  }
  const lobby = await host.client.get(`${url}/lobby`);
  assert.equal(lobby.status, 200, lobby.text);
  assert.deepEqual(lobby.json.waiting.map((w) => w.employee.id), [alice.employee.id]);
  assertProblem(await bob.client.get(`${url}/lobby`), 403, 'not-meeting-host');
  assertProblem(await bob.client.post(`${API}/knocks/${knocked.json.id}/admit`, {}), 404, 'knock-not-found');

  const admitted = await host.client.post(`${API}/knocks/${knocked.json.id}/admit`, {});
  assert.equal(admitted.status, 200, admitted.text);
  assert.equal((await aliceSocket.next('knock.answered')).knock.status, 'admitted');
  await cohostSocket.next('knock.closed', (m) => m.knock_id === knocked.json.id);
  assert.equal((await alice.client.post(`${url}/join`, {})).status, 200);
  assert.equal((await alice.client.post(`${API}/rooms/${hall.json.id}/join`, {})).status, 200);

  const bobKnock = await bob.client.post(`${API}/rooms/${hall.json.id}/knocks`, {});
  assert.equal(bobKnock.status, 201, bobKnock.text);
  const declined = await cohost.client.post(`${API}/knocks/${bobKnock.json.id}/decline`, {});
  assert.equal(declined.status, 200, declined.text);
  assert.equal((await bobSocket.next('knock.answered')).knock.status, 'declined');
  await hostSocket.next('knock.closed', (m) => m.knock_id === bobKnock.json.id);
  assertProblem(await bob.client.post(`${url}/join`, {}), 403, 'knock-required');
  assert.deepEqual((await host.client.get(`${url}/lobby`)).json.waiting, []);
});
