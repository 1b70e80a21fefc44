// Helpers shared by the meetings, calls, reminders, calendar and WebSocket
// suites: people with names of their own (so that a leak of a name is visible),
// meetings, times, notifications, e-mails at the SMTP sink, iCalendar text and a
// restart on the same data directory.
import assert from 'node:assert/strict';

import { startSmtpSink } from '../smtp_sink.mjs';
import { Client, createEmployee, NEW_PASSWORD, openSocket, startServer, waitFor } from './harness.mjs';

export const API = '/api/v1';

let nameCounter = 0;
const GIVEN = ['Огнян', 'Ивета', 'Борис', 'Цветана', 'Любомир', 'Здравка', 'Христо', 'Гергана', 'Пламен', 'Радослава'];

// A distinct Bulgarian name: the default name of createEmployee is the same for
// everyone, which would hide a leak of one person's name.
export function uniqueName(role = 'Служител') {
  nameCounter += 1;
  return `${GIVEN[nameCounter % GIVEN.length]} ${role}ов-${nameCounter}`;
}

// A new employee who has chosen NEW_PASSWORD and is signed in, with the name,
// roles, e-mail and department asked for. Returns {employee, client, name, email}.
export async function person(server, { name = uniqueName(), roles, email, department } = {}) {
  const employee = createEmployee(server.dataDir, { name, roles, email, department });
  const client = new Client(server);
  await client.signInOk(employee.code, employee.one_time_password);
  await client.changePassword(employee.one_time_password, NEW_PASSWORD);
  const me = await client.get(`${API}/me`);
  assert.equal(me.status, 200, me.text);
  return { employee, client, name, email: me.json.email ?? email };
}

export function put(client, urlPath, json, options = {}) {
  return client.request('PUT', urlPath, { ...options, json });
}

// RFC 3339 in UTC without fractions, as the server writes it.
export function iso(ms) {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

export const inSeconds = (seconds) => iso(Date.now() + seconds * 1000);
export const inMinutes = (minutes) => inSeconds(minutes * 60);

// The body of a meeting `minutes` from now lasting `length` minutes.
export function meetingBody({ title = 'Оперативка', start = 60, length = 30, invitees = [], ...rest } = {}) {
  return {
    title,
    starts_at: inMinutes(start),
    ends_at: inMinutes(start + length),
    invitees: invitees.map((who) => (typeof who === 'string' ? { employee_id: who } : who)),
    ...rest,
  };
}

// POST /meetings; asserts 201 and returns the meeting.
export async function createMeeting(client, body) {
  const response = await client.post(`${API}/meetings`, body);
  assert.equal(response.status, 201, `create meeting: ${response.text}`);
  return response.json;
}

export async function notifications(client, { kind, meetingId } = {}) {
  const response = await client.get(`${API}/notifications?limit=100`);
  assert.equal(response.status, 200, response.text);
  return response.json.notifications.filter(
    (n) => (kind === undefined || n.kind === kind) && (meetingId === undefined || n.payload?.meeting_id === meetingId),
  );
}

// A waiting socket's next `notification` of `kind` (about `meetingId`, if given).
export function nextNotification(socket, kind, meetingId, timeoutMs = 5000) {
  return socket.next(
    'notification',
    (m) => m.notification?.kind === kind && (meetingId === undefined || m.notification.payload?.meeting_id === meetingId),
    timeoutMs,
  );
}

// Every message of `type` the socket has received (consumed or not) that matches.
export function received(socket, type, predicate = () => true) {
  return socket.messages.filter((m) => m.type === type && predicate(m));
}

// A WebSocket of `client`, past the server's hello.
export async function helloSocket(client) {
  const socket = await openSocket(client);
  await socket.next('hello');
  return socket;
}

// Sends media.join with `capability` and resolves with 'joined' or the reason of media.refused.
export async function mediaJoin(socket, meetingId, capability) {
  const before = socket.messages.length;
  socket.send({ type: 'media.join', meeting_id: meetingId, capability });
  const answer = await waitFor(
    () =>
      socket.messages
        .slice(before)
        .find((m) => (m.type === 'media.joined' || m.type === 'media.refused') && m.meeting_id === meetingId),
    { timeoutMs: 5000, intervalMs: 10, message: 'the answer to media.join' },
  );
  return answer.type === 'media.joined' ? 'joined' : answer.reason;
}

// A tab of `someone` (a person) in the meeting's media, with a capability of its
// own from POST /meetings/{id}/join: {socket, joined} (joined: media.joined).
export async function joinedSocket(someone, meetingId) {
  const socket = await helloSocket(someone.client);
  const pass = await someone.client.post(`${API}/meetings/${meetingId}/join`, {});
  assert.equal(pass.status, 200, pass.text);
  socket.send({ type: 'media.join', meeting_id: meetingId, capability: pass.json.capability });
  const joined = await socket.next('media.joined', (m) => m.meeting_id === meetingId);
  return { socket, joined };
}

// ---------------------------------------------------------------------------
// E-mail

export const MAIL_FROM = 'egovbox@example.org';

export async function mailSink() {
  const sink = await startSmtpSink({ port: 0 });
  return sink;
}

export function mailEnv(sink, extra = {}) {
  return { EGOVBOX_SMTP_URL: sink.url, EGOVBOX_MAIL_FROM: MAIL_FROM, ...extra };
}

// Messages at the sink to `address` whose subject starts with `prefix`.
export function mailTo(sink, address, prefix = '') {
  return sink.messages.filter(
    (m) => m.to.some((to) => to.toLowerCase() === address.toLowerCase()) && m.subject.startsWith(prefix),
  );
}

// Waits until `address` has at least `count` messages whose subject starts with `prefix`.
export async function waitForMail(sink, address, prefix, count = 1, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = mailTo(sink, address, prefix);
    if (found.length >= count) return found;
    if (Date.now() > deadline) {
      const seen = sink.messages.map((m) => `${m.to.join(',')}: ${m.subject}`).join('\n  ');
      throw new Error(`no ${count} "${prefix}" e-mail(s) to ${address} within ${timeoutMs} ms; the sink has:\n  ${seen}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// The text/calendar part of a message (unfolded), or fails.
export function calendarPart(message) {
  const part = message.parts.find((p) => p.contentType === 'text/calendar');
  assert.ok(part, `no text/calendar part in "${message.subject}": ${message.parts.map((p) => p.contentType)}`);
  return { part, text: unfold(part.text) };
}

// ---------------------------------------------------------------------------
// iCalendar text

// RFC 5545 §3.1: a CRLF followed by a space or tab continues the line.
export function unfold(text) {
  return text.replace(/\r?\n[ \t]/g, '');
}

// The content lines (unfolded) of the VEVENTs with `uid`, each as an array of lines.
export function eventsWithUid(text, uid) {
  const events = [];
  let current = null;
  for (const line of unfold(text).split(/\r?\n/)) {
    if (line === 'BEGIN:VEVENT') current = [];
    else if (line === 'END:VEVENT') {
      if (current.includes(`UID:${uid}`)) events.push(current);
      current = null;
    } else if (current) current.push(line);
  }
  return events;
}

export function property(lines, name) {
  const line = lines.find((l) => l.startsWith(`${name}:`) || l.startsWith(`${name};`));
  return line === undefined ? undefined : line.slice(line.indexOf(':') + 1);
}

export const uidOf = (meetingId) => `${meetingId}@egovbox`;

// ---------------------------------------------------------------------------
// Restart

// Starts a new server on `server`'s data directory with `env` (the port may
// change) and points `clients` at it. The old one must have exited.
export async function restartServer(server, { env = {}, clients = [] } = {}) {
  assert.ok(server.exitStatus, 'restartServer: the old server is still running');
  const next = await startServer({ env, dataDir: server.dataDir });
  for (const client of clients) client.server = next;
  return next;
}

export { startSmtpSink };

// An instant as an iCalendar wall time in Europe/Sofia: "YYYYMMDDTHHMMSS".
export function sofiaWallTime(instant) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Sofia',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(instant))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}${parts.month}${parts.day}T${parts.hour}${parts.minute}${parts.second}`;
}
