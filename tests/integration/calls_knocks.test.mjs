// Knocking on a colleague's personal room (admit, decline, withdraw, owner away)
// and one-to-one calls (ringing on every tab, accept into one meeting both join,
// decline, hang-up, missed, busy callee), over HTTPS and the WebSocket.
import assert from 'node:assert/strict';

import { assertProblem, serverTest, startServer, waitFor } from './harness.mjs';
import { API, helloSocket, mediaJoin, nextNotification, notifications, person, put, received } from './meetings_helpers.mjs';

async function personalRoomOf(client) {
  const response = await client.get(`${API}/rooms`);
  assert.equal(response.status, 200, response.text);
  return response.json.personal;
}

const socketOf = helloSocket;

async function presenceOf(client, id) {
  return (await client.get(`${API}/presence?ids=${id}`)).json.presence[id];
}

serverTest('knock → admit: the owner hears the knock, admits, and the colleague enters the owner\'s room', async () => {
  const server = await startServer();
  const owner = await person(server);
  const knocker = await person(server);
  const third = await person(server);
  const ownerSocket = await socketOf(owner.client);
  const knockerSocket = await socketOf(knocker.client);
  const room = await personalRoomOf(owner.client);

  // Anyone may see the room's name (to knock), but not walk in.
  const seen = await knocker.client.get(`${API}/rooms/${room.id}`);
  assert.equal(seen.status, 200);
  assert.equal(seen.json.name, owner.name);
  assertProblem(await knocker.client.post(`${API}/rooms/${room.id}/join`, {}), 403, 'knock-required');

  const knocked = await knocker.client.post(`${API}/rooms/${room.id}/knocks`, {});
  assert.equal(knocked.status, 201, knocked.text);
  assert.equal(knocked.json.status, 'pending');
  assert.equal(knocked.json.meeting_id, null);
  const knockId = knocked.json.id;
  const heard = await ownerSocket.next('knock');
  assert.equal(heard.knock.id, knockId);
  assert.equal(heard.knock.room_id, room.id);
  assert.deepEqual(heard.knock.employee, { id: knocker.employee.id, name: knocker.name });
  assert.equal((await knocker.client.get(`${API}/knocks/${knockId}`)).json.status, 'pending');

  // Nobody but the owner answers it; nobody else even sees it.
  assertProblem(await third.client.post(`${API}/knocks/${knockId}/admit`, {}), 404, 'knock-not-found');
  assertProblem(await third.client.post(`${API}/knocks/${knockId}/decline`, {}), 404, 'knock-not-found');
  assertProblem(await third.client.get(`${API}/knocks/${knockId}`), 404, 'knock-not-found');
  assertProblem(await third.client.delete(`${API}/knocks/${knockId}`), 404, 'knock-not-found');
  assertProblem(await knocker.client.post(`${API}/knocks/${knockId}/admit`, {}), 404, 'knock-not-found');
  assertProblem(await knocker.client.post(`${API}/rooms/${room.id}/join`, {}), 403, 'knock-required');

  const admitted = await owner.client.post(`${API}/knocks/${knockId}/admit`, {});
  assert.equal(admitted.status, 200, admitted.text);
  assert.equal(admitted.json.status, 'admitted');
  const meetingId = admitted.json.meeting_id;
  assert.equal(typeof meetingId, 'string');
  const answered = await knockerSocket.next('knock.answered');
  assert.equal(answered.knock.id, knockId);
  assert.equal(answered.knock.status, 'admitted');
  assert.equal(answered.knock.meeting_id, meetingId);
  assert.equal((await ownerSocket.next('knock.closed')).knock_id, knockId);
  assertProblem(await owner.client.post(`${API}/knocks/${knockId}/admit`, {}), 409, 'knock-answered');
  assertProblem(await owner.client.post(`${API}/knocks/${knockId}/decline`, {}), 409, 'knock-answered');

  // The knocker walks in: a capability for that meeting, accepted by media.join.
  const entered = await knocker.client.post(`${API}/rooms/${room.id}/join`, {});
  assert.equal(entered.status, 200, entered.text);
  assert.equal(entered.json.meeting_id, meetingId);
  assert.equal(await mediaJoin(knockerSocket, meetingId, entered.json.capability), 'joined');
  // So does the owner, into the same meeting.
  const ownerIn = await owner.client.post(`${API}/rooms/${room.id}/join`, {});
  assert.equal(ownerIn.json.meeting_id, meetingId);
  const meeting = await knocker.client.get(`${API}/meetings/${meetingId}`);
  assert.equal(meeting.status, 200);
  assert.deepEqual(meeting.json.invitees.map((i) => i.employee_id).sort(), [owner.employee.id, knocker.employee.id].sort());
  assert.equal(meeting.json.room.id, room.id);

  // Knocking once in is not needed; the third person still has to knock.
  assertProblem(await knocker.client.post(`${API}/rooms/${room.id}/knocks`, {}), 409, 'knock-not-needed');
  assertProblem(await third.client.post(`${API}/rooms/${room.id}/join`, {}), 403, 'knock-required');
  assertProblem(await third.client.get(`${API}/meetings/${meetingId}`), 404, 'meeting-not-found');
});

serverTest('knock → decline keeps the door shut; withdrawn knocks close; nobody knocks while the owner is away', async () => {
  const server = await startServer();
  const owner = await person(server);
  const knocker = await person(server);
  const room = await personalRoomOf(owner.client);
  const knockerSocket = await socketOf(knocker.client);

  // The owner has no tab open: away.
  assertProblem(await knocker.client.post(`${API}/rooms/${room.id}/knocks`, {}), 409, 'room-owner-away');

  const ownerSocket = await socketOf(owner.client);
  const first = await knocker.client.post(`${API}/rooms/${room.id}/knocks`, {});
  assert.equal(first.status, 201, first.text);
  assert.equal((await ownerSocket.next('knock')).knock.id, first.json.id);
  const declined = await owner.client.post(`${API}/knocks/${first.json.id}/decline`, {});
  assert.equal(declined.status, 200, declined.text);
  assert.equal(declined.json.status, 'declined');
  const answered = await knockerSocket.next('knock.answered');
  assert.equal(answered.knock.status, 'declined');
  assert.equal(answered.knock.meeting_id, null);
  await ownerSocket.next('knock.closed', (m) => m.knock_id === first.json.id);
  assertProblem(await knocker.client.post(`${API}/rooms/${room.id}/join`, {}), 403, 'knock-required');
  assertProblem(await owner.client.post(`${API}/knocks/${first.json.id}/admit`, {}), 409, 'knock-answered');
  assertProblem(await knocker.client.post(`${API}/rooms/${room.id}/join`, {}), 403, 'knock-required');

  // A knock withdrawn: the owner's knock closes and it can no longer be admitted.
  const second = await knocker.client.post(`${API}/rooms/${room.id}/knocks`, {});
  assert.equal((await ownerSocket.next('knock')).knock.id, second.json.id);
  assert.equal((await knocker.client.delete(`${API}/knocks/${second.json.id}`)).status, 204);
  await ownerSocket.next('knock.closed', (m) => m.knock_id === second.json.id);
  assertProblem(await owner.client.post(`${API}/knocks/${second.json.id}/admit`, {}), 409, 'knock-answered');
  assertProblem(await knocker.client.post(`${API}/rooms/${room.id}/join`, {}), 403, 'knock-required');

  // A second knock replaces a pending one.
  const third = await knocker.client.post(`${API}/rooms/${room.id}/knocks`, {});
  const fourth = await knocker.client.post(`${API}/rooms/${room.id}/knocks`, {});
  assert.equal((await knocker.client.get(`${API}/knocks/${third.json.id}`)).json.status, 'withdrawn');
  assertProblem(await owner.client.post(`${API}/knocks/${third.json.id}/admit`, {}), 409, 'knock-answered');
  assert.equal((await owner.client.post(`${API}/knocks/${fourth.json.id}/decline`, {})).status, 200);

  // The owner does not knock on their own door.
  assertProblem(await owner.client.post(`${API}/rooms/${room.id}/knocks`, {}), 409, 'knock-not-needed');

  // The owner's last tab closes: away again.
  await ownerSocket.close();
  await waitFor(async () => (await presenceOf(knocker.client, owner.employee.id)) === 'offline', {
    message: 'the owner to be offline',
  });
  assertProblem(await knocker.client.post(`${API}/rooms/${room.id}/knocks`, {}), 409, 'room-owner-away');
});

serverTest('a call rings on every tab of the callee; accepting puts both in one meeting that both join', async () => {
  const server = await startServer();
  const caller = await person(server);
  const callee = await person(server);
  const other = await person(server);
  const callerSocket = await socketOf(caller.client);
  const calleeTabs = [await socketOf(callee.client), await socketOf(callee.client)];

  const started = await caller.client.post(`${API}/calls`, { callee_id: callee.employee.id });
  assert.equal(started.status, 201, started.text);
  const call = started.json;
  assert.equal(call.status, 'ringing');
  assert.deepEqual(call.caller, { id: caller.employee.id, name: caller.name });
  assert.deepEqual(call.callee, { id: callee.employee.id, name: callee.name });
  for (const tab of calleeTabs) {
    const ringing = await tab.next('call.ringing');
    assert.equal(ringing.call.id, call.id);
    assert.equal(ringing.call.caller.id, caller.employee.id);
  }

  // Only the callee answers; only the two see the call.
  assertProblem(await other.client.post(`${API}/calls/${call.id}/accept`, {}), 404, 'call-not-found');
  assertProblem(await caller.client.post(`${API}/calls/${call.id}/accept`, {}), 404, 'call-not-found');
  assertProblem(await other.client.get(`${API}/calls/${call.id}`), 404, 'call-not-found');
  assertProblem(await other.client.delete(`${API}/calls/${call.id}`), 404, 'call-not-found');
  assert.equal((await callee.client.get(`${API}/calls/${call.id}`)).json.status, 'ringing');
  // A second caller meanwhile: busy.
  assertProblem(await other.client.post(`${API}/calls`, { callee_id: callee.employee.id }), 409, 'callee-busy');

  const accepted = await callee.client.post(`${API}/calls/${call.id}/accept`, {});
  assert.equal(accepted.status, 200, accepted.text);
  assert.equal(accepted.json.status, 'accepted');
  const meetingId = accepted.json.meeting_id;
  assert.equal(typeof meetingId, 'string');
  for (const socket of [callerSocket, ...calleeTabs]) {
    const message = await socket.next('call.accepted');
    assert.equal(message.call.id, call.id);
    assert.equal(message.call.meeting_id, meetingId);
  }
  assertProblem(await callee.client.post(`${API}/calls/${call.id}/accept`, {}), 409, 'call-ended');
  assertProblem(await caller.client.delete(`${API}/calls/${call.id}`), 409, 'call-ended');

  // A one-to-one meeting in the caller's room, with both; both join its media.
  const meeting = await callee.client.get(`${API}/meetings/${meetingId}`);
  assert.equal(meeting.status, 200, meeting.text);
  assert.equal(meeting.json.kind, 'one-to-one');
  assert.equal(meeting.json.room.id, (await personalRoomOf(caller.client)).id);
  assert.deepEqual(meeting.json.invitees.map((i) => i.employee_id).sort(), [caller.employee.id, callee.employee.id].sort());
  const callerPass = await caller.client.post(`${API}/meetings/${meetingId}/join`, {});
  const calleePass = await callee.client.post(`${API}/meetings/${meetingId}/join`, {});
  assert.equal(callerPass.status, 200, callerPass.text);
  assert.equal(calleePass.status, 200, calleePass.text);
  assert.equal(callerPass.json.meeting_id, meetingId);
  assert.equal(await mediaJoin(callerSocket, meetingId, callerPass.json.capability), 'joined');
  assert.equal(await mediaJoin(calleeTabs[0], meetingId, calleePass.json.capability), 'joined');
  // Nobody else gets in.
  assertProblem(await other.client.post(`${API}/meetings/${meetingId}/join`, {}), 404, 'meeting-not-found');

  // Someone in a meeting's media is busy for calls.
  await waitFor(async () => (await presenceOf(other.client, callee.employee.id)) === 'in-meeting', {
    message: 'the callee to be in a meeting',
  });
  assertProblem(await other.client.post(`${API}/calls`, { callee_id: callee.employee.id }), 409, 'callee-busy');
  await calleeTabs[1].expectNone('call.ringing', 200);
});

serverTest('calls: declined, hung up by the caller, and refused at once when the callee is on do not disturb', async () => {
  const server = await startServer();
  const caller = await person(server);
  const callee = await person(server);
  const callerSocket = await socketOf(caller.client);
  const calleeSocket = await socketOf(callee.client);

  // Declined.
  const first = (await caller.client.post(`${API}/calls`, { callee_id: callee.employee.id })).json;
  await calleeSocket.next('call.ringing', (m) => m.call.id === first.id);
  assertProblem(await caller.client.post(`${API}/calls/${first.id}/decline`, {}), 404, 'call-not-found');
  const declined = await callee.client.post(`${API}/calls/${first.id}/decline`, {});
  assert.equal(declined.status, 200, declined.text);
  assert.equal(declined.json.status, 'declined');
  for (const socket of [callerSocket, calleeSocket]) {
    assert.equal((await socket.next('call.declined')).call.id, first.id);
  }
  assertProblem(await callee.client.post(`${API}/calls/${first.id}/accept`, {}), 409, 'call-ended');
  assert.equal((await caller.client.get(`${API}/calls/${first.id}`)).json.status, 'declined');
  assert.equal(received(callerSocket, 'call.accepted').length, 0);

  // Hung up by the caller before an answer.
  const second = (await caller.client.post(`${API}/calls`, { callee_id: callee.employee.id })).json;
  await calleeSocket.next('call.ringing', (m) => m.call.id === second.id);
  assertProblem(await callee.client.delete(`${API}/calls/${second.id}`), 404, 'call-not-found');
  assert.equal((await caller.client.delete(`${API}/calls/${second.id}`)).status, 204);
  for (const socket of [callerSocket, calleeSocket]) {
    assert.equal((await socket.next('call.cancelled')).call.id, second.id);
  }
  assertProblem(await callee.client.post(`${API}/calls/${second.id}/accept`, {}), 409, 'call-ended');
  assert.equal((await callee.client.get(`${API}/calls/${second.id}`)).json.status, 'cancelled');

  // Do not disturb: busy at once, nothing rings.
  assert.equal((await put(callee.client, `${API}/me/presence`, { do_not_disturb: true })).status, 200);
  assertProblem(await caller.client.post(`${API}/calls`, { callee_id: callee.employee.id }), 409, 'callee-busy');
  await calleeSocket.expectNone('call.ringing', 300);
  assert.equal((await put(callee.client, `${API}/me/presence`, { do_not_disturb: false })).status, 200);
  const third = await caller.client.post(`${API}/calls`, { callee_id: callee.employee.id });
  assert.equal(third.status, 201, third.text);
  await calleeSocket.next('call.ringing', (m) => m.call.id === third.json.id);
});

serverTest('an unanswered call is missed after call_ring_time: both hear call.missed, the callee gets a notification', async () => {
  const server = await startServer({ env: { EGOVBOX_CALL_RING_TIME: '2s' } });
  const caller = await person(server);
  const callee = await person(server);
  const callerSocket = await socketOf(caller.client);
  const calleeSocket = await socketOf(callee.client);

  const startedAt = Date.now();
  const call = (await caller.client.post(`${API}/calls`, { callee_id: callee.employee.id })).json;
  await calleeSocket.next('call.ringing', (m) => m.call.id === call.id);
  const missed = await callerSocket.next('call.missed', (m) => m.call.id === call.id, 8000);
  assert.ok(Date.now() - startedAt >= 1000, `missed after only ${Date.now() - startedAt} ms`);
  assert.equal(missed.call.status, 'missed');
  await calleeSocket.next('call.missed', (m) => m.call.id === call.id);
  const pushed = await nextNotification(calleeSocket, 'call.missed');
  assert.equal(pushed.notification.payload.call_id, call.id);
  assert.deepEqual(pushed.notification.payload.caller, { id: caller.employee.id, name: caller.name });

  const listed = await notifications(callee.client, { kind: 'call.missed' });
  assert.equal(listed.length, 1);
  assert.equal(listed[0].payload.call_id, call.id);
  assert.deepEqual(await notifications(caller.client, { kind: 'call.missed' }), []);
  assert.equal((await caller.client.get(`${API}/calls/${call.id}`)).json.status, 'missed');
  assertProblem(await callee.client.post(`${API}/calls/${call.id}/accept`, {}), 409, 'call-ended');
  // Missed once, not again.
  await calleeSocket.expectNone('call.missed', 1500);
  assert.equal((await notifications(callee.client, { kind: 'call.missed' })).length, 1);
});
