// Who sees and changes a meeting: to anyone who is not invited every meeting route
// answers as if the meeting did not exist, without a word of its data, and nothing
// about it reaches their WebSocket, upcoming list or calendar feed. Among the
// invitees, only the organiser and co-hosts change it, only the organiser cancels it.
import assert from 'node:assert/strict';

import { assertProblem, openSocket, request, serverTest, startServer } from './harness.mjs';
import {
  API,
  createMeeting,
  inMinutes,
  meetingBody,
  nextNotification,
  notifications,
  person,
  put,
  uidOf,
} from './meetings_helpers.mjs';

const TITLE = 'Бюджет на отдел „Тайни“ 2027';
const AGENDA = 'Точка 1: съкращенията в дирекция Гама-Делта';
const UNKNOWN_ID = 'AAAAAAAAAAAAAAAAAAAAAA';

// Every route that names a meeting, as [method, path, body] for `id` and its occurrence.
function meetingRoutes(id, occurrence) {
  return [
    ['GET', `${API}/meetings/${id}`],
    ['PUT', `${API}/meetings/${id}`, meetingBody({ title: 'Подменено заглавие', start: 90 })],
    ['DELETE', `${API}/meetings/${id}`],
    ['PUT', `${API}/meetings/${id}/rsvp`, { response: 'accepted', comment: 'И аз идвам' }],
    ['PUT', `${API}/meetings/${id}/reminders`, { offsets: [60] }],
    ['POST', `${API}/meetings/${id}/join`, {}],
    ['GET', `${API}/meetings/${id}/calendar.ics`],
    ['PUT', `${API}/meetings/${id}/occurrences/${occurrence}`, { starts_at: inMinutes(200), ends_at: inMinutes(230) }],
    ['DELETE', `${API}/meetings/${id}/occurrences/${occurrence}`],
    ['POST', `${API}/meetings/availability`, { starts_at: inMinutes(300), ends_at: inMinutes(330), meeting_id: id }],
  ];
}

function send(client, [method, urlPath, body]) {
  return client.request(method, urlPath, body === undefined ? {} : { json: body });
}

serverTest('an employee who is not invited learns nothing about a meeting from any route', async () => {
  const server = await startServer();
  const organiser = await person(server);
  const invitee = await person(server);
  const outsider = await person(server);
  const secrets = [TITLE, AGENDA, organiser.name, invitee.name];

  const outsiderSocket = await openSocket(outsider.client);
  await outsiderSocket.next('hello');
  const inviteeSocket = await openSocket(invitee.client);
  await inviteeSocket.next('hello');

  // On in two minutes (so invitees may join now), weekly, so that it has occurrences.
  const meeting = await createMeeting(
    organiser.client,
    meetingBody({
      title: TITLE,
      agenda: AGENDA,
      start: 2,
      length: 30,
      invitees: [invitee.employee.id],
      recurrence: { frequency: 'weekly', count: 3 },
    }),
  );
  const occurrence = meeting.next_occurrence.occurrence;
  await nextNotification(inviteeSocket, 'meeting.invited', meeting.id);

  // The invitee is let in where the outsider is not (so the refusals below are about access).
  assert.equal((await invitee.client.get(`${API}/meetings/${meeting.id}`)).status, 200);
  assert.equal((await invitee.client.post(`${API}/meetings/${meeting.id}/join`, {})).status, 200);
  assert.equal((await invitee.client.get(`${API}/meetings/${meeting.id}/calendar.ics`)).status, 200);

  const routes = meetingRoutes(meeting.id, occurrence);
  const unknownRoutes = meetingRoutes(UNKNOWN_ID, occurrence);
  for (const [index, route] of routes.entries()) {
    const label = `${route[0]} ${route[1]}`;
    const response = await send(outsider.client, route);
    assert.ok([403, 404].includes(response.status), `${label} answered ${response.status} to an outsider: ${response.text}`);
    for (const secret of secrets) {
      assert.ok(!response.text.includes(secret), `${label} shows "${secret}" to an outsider: ${response.text}`);
    }
    assert.ok(!response.text.includes(occurrence), `${label} shows the occurrence time: ${response.text}`);
    // Not even its existence: the same answer as for an id that does not exist.
    const unknown = await send(outsider.client, unknownRoutes[index]);
    assert.equal(response.status, unknown.status, `${label}: ${response.text} vs ${unknown.text}`);
    assert.equal(response.json?.type, unknown.json?.type, `${label}: ${response.text} vs ${unknown.text}`);
    assertProblem(response, 404, 'meeting-not-found');
  }

  // None of the attempts changed anything.
  const after = await organiser.client.get(`${API}/meetings/${meeting.id}`);
  assert.equal(after.status, 200);
  assert.equal(after.json.title, TITLE);
  assert.equal(after.json.status, 'scheduled');
  assert.equal(after.json.sequence, 0);
  assert.deepEqual(after.json.exceptions, []);
  assert.equal(after.json.starts_at, meeting.starts_at);
  assert.deepEqual(after.json.invitees.map((i) => i.employee_id).sort(), [organiser.employee.id, invitee.employee.id].sort());
  assert.ok(after.json.invitees.every((i) => i.employee_id === organiser.employee.id || i.response === 'needs-action'));
  assert.deepEqual(
    (await notifications(invitee.client, { meetingId: meeting.id })).map((n) => n.kind),
    ['meeting.invited'],
    'the outsider made no change that the invitee was told about',
  );

  // Upcoming: the invitee's lists it, the outsider's does not.
  const mine = await invitee.client.get(`${API}/meetings/upcoming`);
  assert.ok(mine.json.occurrences.some((o) => o.meeting_id === meeting.id), mine.text);
  const theirs = await outsider.client.get(`${API}/meetings/upcoming`);
  assert.equal(theirs.status, 200);
  assert.ok(!theirs.json.occurrences.some((o) => o.meeting_id === meeting.id), theirs.text);
  assert.ok(!secrets.some((s) => theirs.text.includes(s)), theirs.text);

  // The outsider's calendar feed does not carry it.
  const feed = await outsider.client.post(`${API}/me/calendar-feed`, {});
  assert.equal(feed.status, 201, feed.text);
  const feedText = await request(server, 'GET', new URL(feed.json.url).pathname);
  assert.equal(feedText.status, 200);
  assert.ok(!feedText.text.includes(uidOf(meeting.id)), feedText.text);
  assert.ok(!feedText.text.includes(TITLE));

  // Changes reach the invitee's socket, never the outsider's.
  assert.equal((await put(invitee.client, `${API}/meetings/${meeting.id}/rsvp`, { response: 'tentative' })).status, 200);
  await inviteeSocket.next('meeting.changed', (m) => m.meeting_id === meeting.id);
  const moved = await put(
    organiser.client,
    `${API}/meetings/${meeting.id}`,
    meetingBody({ title: TITLE, agenda: AGENDA, start: 120, invitees: [invitee.employee.id], recurrence: null }),
  );
  assert.equal(moved.status, 200, moved.text);
  await nextNotification(inviteeSocket, 'meeting.rescheduled', meeting.id);
  assert.equal((await organiser.client.delete(`${API}/meetings/${meeting.id}`)).status, 204);
  await nextNotification(inviteeSocket, 'meeting.cancelled', meeting.id);

  await outsiderSocket.expectNone('notification', 300);
  await outsiderSocket.expectNone('meeting.changed', 0);
  const everything = JSON.stringify(outsiderSocket.messages);
  for (const secret of [meeting.id, ...secrets]) {
    assert.ok(!everything.includes(secret), `the outsider's socket heard of "${secret}": ${everything}`);
  }
  assert.deepEqual(await notifications(outsider.client), [], 'the outsider has no notifications');
});

serverTest('invitees: participants cannot change a meeting, co-hosts can, only the organiser cancels', async () => {
  const server = await startServer();
  const organiser = await person(server);
  const cohost = await person(server);
  const participant = await person(server);
  const meeting = await createMeeting(
    organiser.client,
    meetingBody({
      title: 'Планиране',
      start: 60,
      invitees: [
        { employee_id: cohost.employee.id, role: 'co-host' },
        { employee_id: participant.employee.id, role: 'participant' },
      ],
    }),
  );
  const invitees = [
    { employee_id: cohost.employee.id, role: 'co-host' },
    { employee_id: participant.employee.id },
  ];
  const path = `${API}/meetings/${meeting.id}`;
  const occurrencePath = `${path}/occurrences/${meeting.starts_at}`;

  // A participant sees it, but cannot change, move, cancel an occurrence of, or cancel it.
  const seen = await participant.client.get(path);
  assert.equal(seen.status, 200);
  assert.equal(seen.json.my_role, 'participant');
  assertProblem(
    await put(participant.client, path, meetingBody({ title: 'Моето заглавие', start: 60, invitees })),
    403,
    'not-meeting-host',
  );
  assertProblem(
    await put(participant.client, occurrencePath, { starts_at: inMinutes(70), ends_at: inMinutes(100) }),
    403,
    'not-meeting-host',
  );
  assertProblem(await participant.client.delete(occurrencePath), 403, 'not-meeting-host');
  assertProblem(await participant.client.delete(path), 403, 'not-meeting-organiser');

  // A co-host changes it; the organiser stays the organiser.
  const changed = await put(cohost.client, path, meetingBody({ title: 'Планиране (ново)', start: 60, invitees }));
  assert.equal(changed.status, 200, changed.text);
  assert.equal(changed.json.title, 'Планиране (ново)');
  assert.equal(changed.json.organiser.id, organiser.employee.id);
  assert.equal(changed.json.sequence, 1);
  assertProblem(await cohost.client.delete(path), 403, 'not-meeting-organiser');

  const unchanged = await organiser.client.get(path);
  assert.equal(unchanged.json.title, 'Планиране (ново)');
  assert.equal(unchanged.json.status, 'scheduled');

  // Joining: only when it is on, from 10 minutes before its start until its end.
  assertProblem(await participant.client.post(`${path}/join`, {}), 409, 'meeting-not-on');
  const soon = await createMeeting(organiser.client, meetingBody({ title: 'След 11 минути', start: 11, length: 5, invitees }));
  assertProblem(await participant.client.post(`${API}/meetings/${soon.id}/join`, {}), 409, 'meeting-not-on');
  const nearly = await createMeeting(organiser.client, meetingBody({ title: 'След 9 минути', start: 9, length: 1, invitees }));
  const early = await participant.client.post(`${API}/meetings/${nearly.id}/join`, {});
  assert.equal(early.status, 200, early.text);
  assert.equal(early.json.meeting_id, nearly.id);
  // Started 4 minutes ago (a start a few minutes back is still accepted) and over a minute ago.
  const over = await createMeeting(organiser.client, meetingBody({ title: 'Свършила', start: -4, length: 3, invitees }));
  assertProblem(await participant.client.post(`${API}/meetings/${over.id}/join`, {}), 409, 'meeting-not-on');
  assertProblem(await organiser.client.post(`${API}/meetings/${over.id}/join`, {}), 409, 'meeting-not-on');
  // A start further back is refused.
  assertProblem(await organiser.client.post(`${API}/meetings`, meetingBody({ start: -10, length: 30 })), 400, 'invalid-field');

  // The organiser cancels; then nobody can change or join it.
  assert.equal((await organiser.client.delete(path)).status, 204);
  assert.equal((await organiser.client.get(path)).json.status, 'cancelled');
  assertProblem(
    await put(organiser.client, path, meetingBody({ title: 'Отново', start: 60, invitees })),
    409,
    'meeting-cancelled',
  );
  assertProblem(await participant.client.post(`${path}/join`, {}), 409, 'meeting-cancelled');
  // Cancelling again changes nothing.
  assert.equal((await organiser.client.delete(path)).status, 204);
  assert.equal((await organiser.client.get(path)).json.sequence, 2);
});
