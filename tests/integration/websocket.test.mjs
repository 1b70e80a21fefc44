// The WebSocket /api/v1/ws: who may open it, hello and ping, what the server does
// with garbage, presence (online, offline, in-meeting, do-not-disturb kept across a
// restart) and the media capability presented with media.join.
import assert from 'node:assert/strict';

import {
  COOKIE_NAME,
  openSocket,
  openSocketRaw,
  serverTest,
  signedInEmployee,
  sleep,
  startServer,
  NEW_PASSWORD,
  waitFor,
} from './harness.mjs';
import { API, createMeeting, meetingBody, person, put, restartServer } from './meetings_helpers.mjs';

async function presenceOf(client, id) {
  const response = await client.get(`${API}/presence?ids=${id}`);
  assert.equal(response.status, 200, response.text);
  return response.json.presence[id];
}

const isPresence = (id, presence) => (m) => m.employee_id === id && m.presence === presence;

serverTest('the upgrade needs a session cookie, the server\'s own Origin and a session that may act', async () => {
  const server = await startServer();
  const { client } = await person(server);

  const noCookie = await openSocketRaw({ server, cookie: null });
  assert.equal(noCookie.status, 401, noCookie.text);
  assert.equal(noCookie.json?.type, 'urn:egovbox:problem:unauthenticated');

  const unknownCookie = await openSocketRaw({ server, cookie: `${COOKIE_NAME}=not-a-session-token` });
  assert.equal(unknownCookie.status, 401, unknownCookie.text);

  const otherOrigin = await openSocketRaw({ server, client, origin: 'https://evil.example.org' });
  assert.equal(otherOrigin.status, 403, otherOrigin.text);
  assert.equal(otherOrigin.json?.type, 'urn:egovbox:problem:origin-not-allowed');
  const otherPort = await openSocketRaw({ server, client, origin: `https://127.0.0.1:${server.port === 1 ? 2 : 1}` });
  assert.equal(otherPort.status, 403, otherPort.text);
  const noOrigin = await openSocketRaw({ server, client, origin: null });
  assert.equal(noOrigin.status, 403, noOrigin.text);
  assert.equal(noOrigin.json?.type, 'urn:egovbox:problem:origin-not-allowed');

  // Signed in with the one-time password: the password must change first.
  const pending = await signedInEmployee(server);
  const refused = await openSocketRaw({ server, client: pending.client });
  assert.equal(refused.status, 403, refused.text);
  assert.equal(refused.json?.type, 'urn:egovbox:problem:password-change-required');
  await pending.client.changePassword(pending.employee.one_time_password, NEW_PASSWORD);
  const accepted = await openSocket(pending.client);
  assert.equal((await accepted.next('hello')).employee_id, pending.employee.id);

  // A signed-out session is no key either.
  const cookie = client.cookie;
  assert.equal((await client.delete(`${API}/session`)).status, 204);
  const signedOut = await openSocketRaw({ server, cookie });
  assert.equal(signedOut.status, 401, signedOut.text);
});

serverTest('hello first, ping gets pong, and garbage from the browser is ignored without harm', async () => {
  const server = await startServer();
  const a = await person(server);
  const b = await person(server);
  const watcher = await openSocket(b.client);
  await watcher.next('hello');

  const socket = await openSocket(a.client);
  const hello = await socket.next('hello');
  assert.equal(socket.messages[0].type, 'hello', 'hello is the first message');
  assert.equal(hello.employee_id, a.employee.id);
  socket.send({ type: 'ping' });
  await socket.next('pong');
  await watcher.next('presence', isPresence(a.employee.id, 'online'));

  socket.sendText('this is not JSON');
  socket.sendText('');
  socket.sendText('[1, 2, 3]');
  socket.send({ type: 42 });
  socket.send({ kind: 'ping' });
  socket.send({ type: 'no.such.message', payload: { a: 1 } });
  socket.send({ type: 'media.leave' }); // not in any meeting
  socket.send({ type: 'media.join' });
  assert.equal((await socket.next('media.refused')).reason, 'malformed');
  // Fields of the wrong type: refused like missing ones (this used to end the
  // connection's handling with an exception and leave the person online for ever).
  socket.send({ type: 'media.join', meeting_id: 5, capability: { v: 1 } });
  assert.equal((await socket.next('media.refused')).reason, 'malformed');
  socket.send({ type: 'media.join', meeting_id: ['x'], capability: 'v1.x.y' });
  assert.equal((await socket.next('media.refused')).reason, 'invalid');

  // Still alive and answering.
  socket.send({ type: 'ping' });
  await socket.next('pong');
  assert.equal(socket.readyState, 1);
  assert.equal(await presenceOf(b.client, a.employee.id), 'online');

  // And closing it still takes the person offline.
  await socket.close();
  await watcher.next('presence', isPresence(a.employee.id, 'offline'));
  assert.equal(await presenceOf(b.client, a.employee.id), 'offline');
});

serverTest('presence: online with a tab open, offline when the last tab closes, in-meeting with media', async () => {
  const server = await startServer();
  const a = await person(server);
  const b = await person(server);
  const watcher = await openSocket(b.client);
  await watcher.next('hello');
  assert.equal(await presenceOf(b.client, a.employee.id), 'offline');

  const first = await openSocket(a.client);
  await first.next('hello');
  await watcher.next('presence', isPresence(a.employee.id, 'online'));
  assert.equal(await presenceOf(b.client, a.employee.id), 'online');

  // A second tab changes nothing; closing one of two changes nothing.
  const second = await openSocket(a.client);
  await second.next('hello');
  await first.close();
  await watcher.expectNone('presence', 400, (m) => m.employee_id === a.employee.id);
  assert.equal(await presenceOf(b.client, a.employee.id), 'online');

  // Joining a meeting's media: in-meeting; leaving it: online again.
  const meeting = await createMeeting(a.client, meetingBody({ title: 'Сега', start: 1, invitees: [b.employee.id] }));
  const pass = await a.client.post(`${API}/meetings/${meeting.id}/join`, {});
  assert.equal(pass.status, 200, pass.text);
  second.send({ type: 'media.join', meeting_id: meeting.id, capability: pass.json.capability });
  await second.next('media.joined', (m) => m.meeting_id === meeting.id);
  await watcher.next('presence', isPresence(a.employee.id, 'in-meeting'));
  assert.equal(await presenceOf(b.client, a.employee.id), 'in-meeting');
  second.send({ type: 'media.leave' });
  await watcher.next('presence', isPresence(a.employee.id, 'online'));
  assert.equal(await presenceOf(b.client, a.employee.id), 'online');

  // The last tab closes: offline.
  await second.close();
  await watcher.next('presence', isPresence(a.employee.id, 'offline'));
  assert.equal(await presenceOf(b.client, a.employee.id), 'offline');

  // Several at once; unknown ids are offline.
  const many = await b.client.get(`${API}/presence?ids=${a.employee.id},${b.employee.id},no-such-person`);
  assert.deepEqual(many.json.presence, {
    [a.employee.id]: 'offline',
    [b.employee.id]: 'online',
    'no-such-person': 'offline',
  });
});

serverTest('do not disturb: announced, shown to others, and kept across a crash and restart', async () => {
  const server = await startServer();
  const a = await person(server);
  const b = await person(server);
  const watcher = await openSocket(b.client);
  await watcher.next('hello');
  const socket = await openSocket(a.client);
  await socket.next('hello');
  await watcher.next('presence', isPresence(a.employee.id, 'online'));

  const on = await put(a.client, `${API}/me/presence`, { do_not_disturb: true });
  assert.equal(on.status, 200, on.text);
  assert.deepEqual(on.json, { presence: 'do-not-disturb', do_not_disturb: true });
  await watcher.next('presence', isPresence(a.employee.id, 'do-not-disturb'));
  assert.equal(await presenceOf(b.client, a.employee.id), 'do-not-disturb');

  // Killed without warning, started again on the same data.
  await server.kill();
  const restarted = await restartServer(server, { clients: [a.client, b.client] });
  assert.ok(restarted.port > 0);
  const watcherAgain = await openSocket(b.client);
  await watcherAgain.next('hello');
  assert.equal(await presenceOf(b.client, a.employee.id), 'offline', 'no tab open yet');
  const socketAgain = await openSocket(a.client);
  await socketAgain.next('hello');
  await watcherAgain.next('presence', isPresence(a.employee.id, 'do-not-disturb'));
  assert.equal(await presenceOf(b.client, a.employee.id), 'do-not-disturb');

  const off = await put(a.client, `${API}/me/presence`, { do_not_disturb: false });
  assert.deepEqual(off.json, { presence: 'online', do_not_disturb: false });
  await watcherAgain.next('presence', isPresence(a.employee.id, 'online'));
  assert.equal(await presenceOf(b.client, a.employee.id), 'online');
});

serverTest('the media capability is refused for another meeting, another employee, when tampered with and once expired', async () => {
  const server = await startServer({ env: { EGOVBOX_CAPABILITY_TTL: '2s' } });
  const a = await person(server);
  const b = await person(server);
  const first = await createMeeting(a.client, meetingBody({ title: 'Първа', start: 1, invitees: [b.employee.id] }));
  const second = await createMeeting(b.client, meetingBody({ title: 'Втора', start: 1, invitees: [a.employee.id], allow_conflicts: true }));
  const socketA = await openSocket(a.client);
  await socketA.next('hello');
  const socketB = await openSocket(b.client);
  await socketB.next('hello');

  const issuedAt = Date.now();
  const pass = await a.client.post(`${API}/meetings/${first.id}/join`, {});
  assert.equal(pass.status, 200, pass.text);
  assert.equal(pass.json.meeting_id, first.id);
  const { capability } = pass.json;
  assert.match(capability, /^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  const expiresAt = Date.parse(pass.json.expires_at);
  assert.ok(expiresAt > issuedAt - 1000 && expiresAt <= issuedAt + 3000, `expires_at ${pass.json.expires_at} is capability_ttl (2 s) away`);

  // Sends media.join and resolves with 'joined' or the reason of the refusal: the
  // server answers each media.join on that socket in order.
  const join = async (socket, meetingId, presented) => {
    const before = socket.messages.length;
    socket.send({ type: 'media.join', meeting_id: meetingId, capability: presented });
    const answer = await waitFor(
      () =>
        socket.messages
          .slice(before)
          .find((m) => (m.type === 'media.joined' || m.type === 'media.refused') && m.meeting_id === meetingId),
      { timeoutMs: 5000, intervalMs: 10, message: `the answer to media.join ${meetingId}` },
    );
    return answer.type === 'media.joined' ? 'joined' : answer.reason;
  };

  // The holder, for its meeting: in.
  assert.equal(await join(socketA, first.id, capability), 'joined');
  // The holder, for another meeting it is invited to: refused.
  assert.equal(await join(socketA, second.id, capability), 'other-meeting');
  // Another employee presenting it (an invitee of that very meeting): refused.
  assert.equal(await join(socketB, first.id, capability), 'other-employee');

  // Tampered: the payload rewritten for B, the MAC left as it was.
  const [version, payload, mac] = capability.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  assert.equal(claims.m, first.id);
  assert.equal(claims.e, a.employee.id);
  const forged = `${version}.${Buffer.from(JSON.stringify({ ...claims, e: b.employee.id })).toString('base64url')}.${mac}`;
  assert.equal(await join(socketB, first.id, forged), 'invalid');
  // A longer life, same MAC.
  const extended = `${version}.${Buffer.from(JSON.stringify({ ...claims, x: claims.x + 3600 })).toString('base64url')}.${mac}`;
  assert.equal(await join(socketA, first.id, extended), 'invalid');
  // One byte of the MAC changed.
  const macBytes = Buffer.from(mac, 'base64url');
  macBytes[5] ^= 0x01;
  assert.equal(await join(socketA, first.id, `${version}.${payload}.${macBytes.toString('base64url')}`), 'invalid');
  assert.equal(await join(socketA, first.id, 'not a capability'), 'malformed');
  assert.equal(await join(socketA, first.id, ''), 'malformed');

  // Expired: at least 3 s after it was issued, and past its expires_at.
  await sleep(Math.max(issuedAt + 3000, expiresAt + 200) - Date.now());
  assert.equal(await join(socketA, first.id, capability), 'expired');

  // A fresh one works again.
  const again = await a.client.post(`${API}/meetings/${first.id}/join`, {});
  assert.equal(await join(socketA, first.id, again.json.capability), 'joined');
  // Only invitees get one.
  const outsider = await person(server);
  assert.equal((await outsider.client.post(`${API}/meetings/${first.id}/join`, {})).status, 404);
});
