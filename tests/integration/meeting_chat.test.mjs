// The in-meeting chat over HTTPS and the WebSocket: invitees read the history and
// hear new messages live; anyone else finds no meeting; refused texts store
// nothing; pages go back from the newest; posting is rate-limited; a cancelled
// meeting's chat is read-only; and the messages outlive a restart.
import assert from 'node:assert/strict';

import { assertProblem, countRows, openSocket, serverTest, startServer } from './harness.mjs';
import { API, createMeeting, meetingBody, person, restartServer } from './meetings_helpers.mjs';

const UNKNOWN_ID = 'AAAAAAAAAAAAAAAAAAAAAA';
const MAX_TEXT = 2000;
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

const chatPath = (meetingId) => `${API}/meetings/${meetingId}/chat`;

function post(client, meetingId, text, options) {
  return client.post(chatPath(meetingId), { text }, options);
}

async function postOk(client, meetingId, text) {
  const response = await post(client, meetingId, text);
  assert.equal(response.status, 201, `post "${text.slice(0, 40)}": ${response.text}`);
  return response.json;
}

async function history(client, meetingId, query = '') {
  const response = await client.get(`${chatPath(meetingId)}${query}`);
  assert.equal(response.status, 200, `chat of ${meetingId}${query}: ${response.text}`);
  return response.json.messages;
}

// An organiser and two invitees with a meeting in an hour, and someone not invited.
async function meetingWithPeople(server) {
  const organiser = await person(server);
  const ana = await person(server);
  const boris = await person(server);
  const outsider = await person(server);
  const meeting = await createMeeting(
    organiser.client,
    meetingBody({ title: 'Бюджет 2027', invitees: [ana.employee.id, boris.employee.id] }),
  );
  return { organiser, ana, boris, outsider, meeting };
}

serverTest('an invitee posts; another reads it in the history and hears it live; an outsider finds nothing', async () => {
  const server = await startServer();
  const { organiser, ana, boris, outsider, meeting } = await meetingWithPeople(server);
  const borisSocket = await openSocket(boris.client);
  await borisSocket.next('hello');
  const organiserSocket = await openSocket(organiser.client);
  await organiserSocket.next('hello');
  const outsiderSocket = await openSocket(outsider.client);
  await outsiderSocket.next('hello');

  const text = 'Добро утро! Ще закъснея 5 минути 🚌\n\tточка 2 — след мен';
  const message = await postOk(ana.client, meeting.id, `  ${text}\r\n`);
  assert.deepEqual(Object.keys(message).sort(), ['author_id', 'author_name', 'id', 'meeting_id', 'sent_at', 'text']);
  assert.equal(message.text, text, 'trimmed, with the line break and tab inside kept');
  assert.equal(message.meeting_id, meeting.id);
  assert.equal(message.author_id, ana.employee.id);
  assert.equal(message.author_name, ana.name);
  assert.match(message.sent_at, RFC3339);
  assert.match(message.id, /^[A-Za-z0-9_-]{16,}$/);

  // Live, to every invitee's tabs, exactly as stored.
  for (const socket of [borisSocket, organiserSocket]) {
    const event = await socket.next('meeting.chat', (m) => m.meeting_id === meeting.id);
    assert.deepEqual(event, { type: 'meeting.chat', meeting_id: meeting.id, message });
  }
  // In the history of another invitee.
  assert.deepEqual(await history(boris.client, meeting.id), [message]);
  assert.deepEqual(await history(organiser.client, meeting.id), [message]);

  // Someone not invited: 404 on both, the same as for a meeting that does not exist.
  for (const id of [meeting.id, UNKNOWN_ID]) {
    const read = assertProblem(await outsider.client.get(chatPath(id)), 404, 'meeting-not-found');
    assert.ok(!JSON.stringify(read).includes(text));
    assertProblem(await post(outsider.client, id, 'Здравейте'), 404, 'meeting-not-found');
  }
  await outsiderSocket.expectNone('meeting.chat', 300);
  assert.equal(countRows(server.dataDir, 'meeting_chat_messages'), 1, 'the outsider wrote nothing');

  // Posting is a state change: without the CSRF header it is refused.
  assertProblem(await post(boris.client, meeting.id, 'без токен', { csrf: false }), 403, 'csrf-token-invalid');
  assert.equal(countRows(server.dataDir, 'meeting_chat_messages'), 1);
});

serverTest('an empty, too long or control-character text is 400 and stores nothing', async () => {
  const server = await startServer();
  const { ana, boris, meeting } = await meetingWithPeople(server);
  const borisSocket = await openSocket(boris.client);
  await borisSocket.next('hello');

  const refused = [
    ['', 'empty'],
    [' \n\t \r\n', 'empty'],
    ['я'.repeat(MAX_TEXT + 1), 'too-long'],
    ['a'.repeat(MAX_TEXT + 1), 'too-long'],
    ['😀'.repeat(MAX_TEXT + 1), 'too-long'],
    ['звънец\u0007', 'control-character'],
    ['\u001b[31mчервено', 'control-character'],
    ['нула\u0000байт', 'control-character'],
    ['ред\rред', 'control-character'],
    ['C1\u0085', 'control-character'],
  ];
  for (const [text, reason] of refused) {
    const problem = assertProblem(await post(ana.client, meeting.id, text), 400, 'invalid-field');
    assert.equal(problem.field, 'text', JSON.stringify(problem));
    assert.equal(problem.reason, reason, `${JSON.stringify(text.slice(0, 20))}: ${JSON.stringify(problem)}`);
  }
  // Not a string, or no text at all.
  for (const body of [{}, { text: 42 }, { text: null }, { text: ['a'] }]) {
    const response = await ana.client.post(chatPath(meeting.id), body);
    assert.equal(assertProblem(response, 400, 'invalid-field').field, 'text');
  }
  // Bytes that are not UTF-8 never reach the chat.
  const notUtf8 = Buffer.concat([Buffer.from('{"text":"a'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
  const raw = await ana.client.request('POST', chatPath(meeting.id), {
    body: notUtf8,
    headers: { 'Content-Type': 'application/json' },
  });
  assert.equal(raw.status, 400, raw.text);
  // The details are in the reader's language.
  const bulgarian = await ana.client.post(chatPath(meeting.id), { text: '' }, { headers: { 'Accept-Language': 'bg' } });
  assert.match(assertProblem(bulgarian, 400, 'invalid-field').detail, /text/);
  assert.equal(bulgarian.headers['content-language'], 'bg');

  assert.equal(countRows(server.dataDir, 'meeting_chat_messages'), 0, 'nothing was stored');
  await borisSocket.expectNone('meeting.chat', 300);

  // The limits themselves are allowed: 2000 characters, however many bytes each.
  for (const text of ['я'.repeat(MAX_TEXT), '😀'.repeat(MAX_TEXT), 'x']) {
    assert.equal((await postOk(ana.client, meeting.id, text)).text, text);
  }
  assert.equal(countRows(server.dataDir, 'meeting_chat_messages'), 3);
});

serverTest('the history pages back from the newest with before and limit', async () => {
  const server = await startServer();
  const { ana, boris, meeting } = await meetingWithPeople(server);
  const posted = [];
  for (let i = 1; i <= 7; i += 1) {
    posted.push(await postOk(i % 2 ? ana.client : boris.client, meeting.id, `съобщение ${i}`));
  }
  const texts = (messages) => messages.map((m) => m.text);

  assert.deepEqual(await history(boris.client, meeting.id), posted, 'all of them, oldest first');
  const newest = await history(boris.client, meeting.id, '?limit=3');
  assert.deepEqual(texts(newest), ['съобщение 5', 'съобщение 6', 'съобщение 7']);
  const before = await history(boris.client, meeting.id, `?limit=3&before=${newest[0].id}`);
  assert.deepEqual(texts(before), ['съобщение 2', 'съобщение 3', 'съобщение 4']);
  const first = await history(boris.client, meeting.id, `?limit=3&before=${before[0].id}`);
  assert.deepEqual(texts(first), ['съобщение 1']);
  assert.deepEqual(await history(boris.client, meeting.id, `?before=${first[0].id}`), []);

  // A new message does not shift the older pages.
  await postOk(ana.client, meeting.id, 'съобщение 8');
  assert.deepEqual(await history(boris.client, meeting.id, `?limit=3&before=${newest[0].id}`), before);

  for (const query of ['?limit=0', '?limit=201', '?limit=abc', '?limit=-1', '?limit=']) {
    assert.equal(assertProblem(await boris.client.get(`${chatPath(meeting.id)}${query}`), 400, 'invalid-field').field, 'limit');
  }
  assert.equal((await history(boris.client, meeting.id, '?limit=200')).length, 8);
  for (const query of [`?before=${UNKNOWN_ID}`, '?before=', `?before=${'x'.repeat(65)}`]) {
    assert.equal(assertProblem(await boris.client.get(`${chatPath(meeting.id)}${query}`), 400, 'invalid-field').field, 'before');
  }
  // A message of another meeting is no cursor here.
  const other = await createMeeting(ana.client, meetingBody({ title: 'Друга', start: 300, invitees: [boris.employee.id] }));
  const elsewhere = await postOk(ana.client, other.id, 'другаде');
  assertProblem(await boris.client.get(`${chatPath(meeting.id)}?before=${elsewhere.id}`), 400, 'invalid-field');
  assert.deepEqual(texts(await history(boris.client, other.id)), ['другаде']);
});

serverTest('posting faster than 20 messages in 10 seconds is 429 with Retry-After', async () => {
  const server = await startServer();
  const { ana, boris, meeting } = await meetingWithPeople(server);
  const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => post(ana.client, meeting.id, `бързо ${i}`)));
  assert.deepEqual(burst.map((r) => r.status), Array(20).fill(201), burst.map((r) => r.text).join('\n'));
  const refused = await post(ana.client, meeting.id, 'още едно');
  const problem = assertProblem(refused, 429, 'too-many-messages');
  const wait = Number(refused.headers['retry-after']);
  assert.ok(Number.isInteger(wait) && wait >= 1 && wait <= 10, `Retry-After: ${refused.headers['retry-after']}`);
  assert.equal(problem.retry_after, wait);
  assert.equal(countRows(server.dataDir, 'meeting_chat_messages'), 20);
  // Someone else is not held back.
  await postOk(boris.client, meeting.id, 'аз мога');
});

serverTest('messages survive a restart; a cancelled meeting\'s chat is read-only', async () => {
  const server = await startServer();
  const { organiser, ana, boris, meeting } = await meetingWithPeople(server);
  const first = await postOk(ana.client, meeting.id, 'Преди рестарта');
  const second = await postOk(boris.client, meeting.id, 'Второ преди рестарта');

  // Killed, not stopped: a 201 means the message was committed.
  await server.kill();
  const restarted = await restartServer(server, { clients: [organiser.client, ana.client, boris.client] });
  assert.deepEqual(await history(organiser.client, meeting.id), [first, second]);

  const anaSocket = await openSocket(ana.client);
  await anaSocket.next('hello');
  const third = await postOk(boris.client, meeting.id, 'След рестарта');
  assert.deepEqual((await anaSocket.next('meeting.chat')).message, third);
  assert.deepEqual(await history(ana.client, meeting.id), [first, second, third]);

  const cancelled = await organiser.client.delete(`${API}/meetings/${meeting.id}`);
  assert.equal(cancelled.status, 204, cancelled.text);
  assertProblem(await post(ana.client, meeting.id, 'Жалко'), 409, 'meeting-cancelled');
  assert.deepEqual(await history(ana.client, meeting.id), [first, second, third], 'still readable');
  assert.equal(countRows(restarted.dataDir, 'meeting_chat_messages'), 3);
});
