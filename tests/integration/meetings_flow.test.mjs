// Meetings over HTTP: RSVP, invitations, rescheduling and cancelling (in the app,
// over the WebSocket and by e-mail with iCalendar), busy invitees and booked
// halls, halls and who enters them, and bad input (always a 4xx problem).
import assert from 'node:assert/strict';

import { assertProblem, openSocket, serverTest, setUpAdministrator, startServer } from './harness.mjs';
import {
  API,
  calendarPart,
  createMeeting,
  eventsWithUid,
  inMinutes,
  mailEnv,
  mailTo,
  meetingBody,
  nextNotification,
  notifications,
  person,
  property,
  put,
  received,
  sofiaWallTime,
  startSmtpSink,
  uidOf,
  waitForMail,
} from './meetings_helpers.mjs';

function answersOf(meeting) {
  return Object.fromEntries(meeting.invitees.map((i) => [i.employee_id, { response: i.response, comment: i.comment }]));
}

serverTest('RSVP: accept, decline and tentative with comments; everyone sees every answer; bad answers are refused', async () => {
  const server = await startServer();
  const organiser = await person(server);
  const [accepting, declining, unsure] = [await person(server), await person(server), await person(server)];
  const meeting = await createMeeting(
    organiser.client,
    meetingBody({ title: 'Отчет', start: 120, invitees: [accepting, declining, unsure].map((p) => p.employee.id) }),
  );
  const path = `${API}/meetings/${meeting.id}`;
  const organiserSocket = await openSocket(organiser.client);
  await organiserSocket.next('hello');

  const answers = [
    [accepting, 'accepted', 'Ще дойда навреме'],
    [declining, 'declined', 'В отпуск съм до петък'],
    [unsure, 'tentative', 'Може би след 10:30 – имам друг ангажимент'],
  ];
  for (const [who, response, comment] of answers) {
    const answered = await put(who.client, `${path}/rsvp`, { response, comment });
    assert.equal(answered.status, 200, answered.text);
    assert.equal(answered.json.my_response, response);
    assert.equal(answered.json.my_comment, comment);
    // The organiser's open page hears of it.
    await organiserSocket.next('meeting.changed', (m) => m.meeting_id === meeting.id);
  }

  const expected = {
    [organiser.employee.id]: { response: 'accepted', comment: '' },
    [accepting.employee.id]: { response: 'accepted', comment: 'Ще дойда навреме' },
    [declining.employee.id]: { response: 'declined', comment: 'В отпуск съм до петък' },
    [unsure.employee.id]: { response: 'tentative', comment: 'Може би след 10:30 – имам друг ангажимент' },
  };
  // The organiser and every invitee see every answer.
  for (const viewer of [organiser, accepting, declining, unsure]) {
    const seen = await viewer.client.get(path);
    assert.equal(seen.status, 200);
    assert.deepEqual(answersOf(seen.json), expected, `as seen by ${viewer.name}`);
  }

  // Invalid answers: 400, and the stored answer stays.
  const rsvp = `${path}/rsvp`;
  assertProblem(await put(accepting.client, rsvp, { response: 'maybe' }), 400, 'invalid-field');
  assertProblem(await put(accepting.client, rsvp, { response: 'ACCEPTED' }), 400, 'invalid-field');
  assertProblem(await put(accepting.client, rsvp, { response: '' }), 400, 'invalid-field');
  assertProblem(await put(accepting.client, rsvp, { response: 1 }), 400, 'invalid-field');
  assertProblem(await put(accepting.client, rsvp, { comment: 'без отговор' }), 400, 'invalid-field');
  assertProblem(await put(accepting.client, rsvp, { response: 'declined', comment: 'я'.repeat(1001) }), 400, 'invalid-field');
  assertProblem(await put(accepting.client, rsvp, { response: 'declined', comment: 42 }), 400, 'invalid-field');
  const garbage = await accepting.client.request('PUT', rsvp, {
    body: '{"response": "declined"',
    headers: { 'Content-Type': 'application/json' },
  });
  assert.equal(garbage.status, 400, garbage.text);
  assert.deepEqual(answersOf((await organiser.client.get(path)).json), expected);

  // An answer can be changed.
  assert.equal((await put(accepting.client, rsvp, { response: 'declined', comment: 'Разболях се' })).status, 200);
  const changed = answersOf((await organiser.client.get(path)).json);
  assert.deepEqual(changed[accepting.employee.id], { response: 'declined', comment: 'Разболях се' });

  // A new time asks again everyone who had not declined.
  const moved = await put(
    organiser.client,
    path,
    meetingBody({ title: 'Отчет', start: 180, invitees: [accepting, declining, unsure].map((p) => p.employee.id) }),
  );
  assert.equal(moved.status, 200, moved.text);
  const afterMove = answersOf(moved.json);
  assert.equal(afterMove[accepting.employee.id].response, 'declined');
  assert.equal(afterMove[declining.employee.id].response, 'declined');
  assert.equal(afterMove[unsure.employee.id].response, 'needs-action');
  assert.equal(afterMove[organiser.employee.id].response, 'accepted');
});

serverTest('invitations, rescheduling and cancelling reach every invitee in the app, over the WebSocket and by e-mail with iCalendar', async (t) => {
  const sink = await startSmtpSink();
  t.after(() => sink.close());
  const server = await startServer({ env: mailEnv(sink) });
  const organiser = await person(server);
  const invitees = [await person(server), await person(server), await person(server)];
  const sockets = [];
  for (const invitee of invitees) {
    const socket = await openSocket(invitee.client);
    await socket.next('hello');
    sockets.push(socket);
  }
  const organiserSocket = await openSocket(organiser.client);
  await organiserSocket.next('hello');
  const ids = invitees.map((i) => i.employee.id);
  const title = 'Координационна среща';

  // Invitation.
  const meeting = await createMeeting(organiser.client, meetingBody({ title, start: 60, invitees: ids }));
  const uid = uidOf(meeting.id);
  for (const [index, invitee] of invitees.entries()) {
    const pushed = await nextNotification(sockets[index], 'meeting.invited', meeting.id);
    assert.equal(pushed.notification.payload.title, title);
    assert.equal(pushed.notification.payload.organiser.id, organiser.employee.id);
    const [mail] = await waitForMail(sink, invitee.email, `Покана: ${title}`);
    const { part, text } = calendarPart(mail);
    assert.equal(part.params.method?.toUpperCase(), 'REQUEST');
    assert.match(text, /^METHOD:REQUEST$/m);
    const [event] = eventsWithUid(text, uid);
    assert.ok(event, `no VEVENT with UID ${uid}: ${text}`);
    assert.equal(property(event, 'SEQUENCE'), '0');
    assert.equal(property(event, 'DTSTART'), sofiaWallTime(meeting.starts_at));
    assert.ok(event.some((l) => l.startsWith('ATTENDEE') && l.toLowerCase().includes(invitee.email.toLowerCase())));
  }

  // Rescheduling: every invitee, in the app, over the socket and by e-mail with a higher SEQUENCE.
  const newStart = inMinutes(240);
  const rescheduled = await put(organiser.client, `${API}/meetings/${meeting.id}`, {
    title,
    starts_at: newStart,
    ends_at: inMinutes(270),
    invitees: ids.map((id) => ({ employee_id: id })),
  });
  assert.equal(rescheduled.status, 200, rescheduled.text);
  assert.equal(rescheduled.json.sequence, 1);
  for (const [index, invitee] of invitees.entries()) {
    const pushed = await nextNotification(sockets[index], 'meeting.rescheduled', meeting.id);
    assert.equal(pushed.notification.payload.starts_at, rescheduled.json.starts_at);
    const listed = await notifications(invitee.client, { kind: 'meeting.rescheduled', meetingId: meeting.id });
    assert.equal(listed.length, 1, JSON.stringify(listed));
    assert.equal(listed[0].payload.starts_at, rescheduled.json.starts_at);
    assert.equal(listed[0].read, false);
    const [mail] = await waitForMail(sink, invitee.email, `Промяна: ${title}`);
    const { part, text } = calendarPart(mail);
    assert.equal(part.params.method?.toUpperCase(), 'REQUEST');
    assert.match(text, /^METHOD:REQUEST$/m);
    const [event] = eventsWithUid(text, uid);
    assert.ok(event, text);
    assert.equal(property(event, 'SEQUENCE'), '1');
    assert.equal(property(event, 'DTSTART'), sofiaWallTime(rescheduled.json.starts_at));
  }

  // The organiser's other tabs, told of no notification, hear that it changed.
  await organiserSocket.next('meeting.changed', (m) => m.meeting_id === meeting.id);

  // Cancelling: every invitee, METHOD:CANCEL, STATUS:CANCELLED, SEQUENCE up again.
  assert.equal((await organiser.client.delete(`${API}/meetings/${meeting.id}`)).status, 204);
  for (const [index, invitee] of invitees.entries()) {
    const pushed = await nextNotification(sockets[index], 'meeting.cancelled', meeting.id);
    assert.equal(pushed.notification.payload.occurrence, null, 'the whole meeting, not one occurrence');
    const listed = await notifications(invitee.client, { kind: 'meeting.cancelled', meetingId: meeting.id });
    assert.equal(listed.length, 1, JSON.stringify(listed));
    const [mail] = await waitForMail(sink, invitee.email, `Отменена: ${title}`);
    const { part, text } = calendarPart(mail);
    assert.equal(part.params.method?.toUpperCase(), 'CANCEL');
    assert.match(text, /^METHOD:CANCEL$/m);
    const [event] = eventsWithUid(text, uid);
    assert.ok(event, text);
    assert.equal(property(event, 'STATUS'), 'CANCELLED');
    assert.equal(property(event, 'SEQUENCE'), '2');
  }

  // One e-mail of each kind per invitee, none to the organiser, who made the changes.
  for (const invitee of invitees) {
    for (const prefix of ['Покана', 'Промяна', 'Отменена']) {
      assert.equal(mailTo(sink, invitee.email, prefix).length, 1, `${prefix} e-mails to ${invitee.email}`);
    }
    const all = await notifications(invitee.client, { meetingId: meeting.id });
    // (Within one second the order of the list is not defined: compare as a set.)
    assert.deepEqual(all.map((n) => n.kind).sort(), ['meeting.cancelled', 'meeting.invited', 'meeting.rescheduled']);
  }
  assert.equal(mailTo(sink, organiser.email).length, 0);
  assert.deepEqual(await notifications(organiser.client, { meetingId: meeting.id }), []);
  await organiserSocket.expectNone('notification', 0);

  // Read and unread: each push carries the count; one read, then all.
  const [reader, other] = invitees;
  const page = await reader.client.get(`${API}/notifications`);
  assert.equal(page.json.unread, 3);
  assert.equal(received(sockets[0], 'notification').at(-1).unread, 3);
  const newest = page.json.notifications[0];
  assert.equal((await reader.client.post(`${API}/notifications/${newest.id}/read`, {})).status, 204);
  const afterOne = await reader.client.get(`${API}/notifications`);
  assert.equal(afterOne.json.unread, 2);
  assert.equal(afterOne.json.notifications.find((n) => n.id === newest.id).read, true);
  assertProblem(await other.client.post(`${API}/notifications/${newest.id}/read`, {}), 404, 'notification-not-found');
  assert.equal((await other.client.get(`${API}/notifications`)).json.unread, 3, 'another person\'s are their own');
  assert.equal((await reader.client.post(`${API}/notifications/read-all`, {})).status, 204);
  const afterAll = await reader.client.get(`${API}/notifications`);
  assert.equal(afterAll.json.unread, 0);
  assert.ok(afterAll.json.notifications.every((n) => n.read));
  // Paging with before=: the older ones.
  const older = await reader.client.get(`${API}/notifications?limit=1&before=${afterAll.json.notifications[0].id}`);
  assert.equal(older.status, 200);
  assert.deepEqual(older.json.notifications.map((n) => n.id), [afterAll.json.notifications[1].id]);
});

serverTest('an invitee removed from a meeting is told it is cancelled for them and loses sight of it; one added is invited', async (t) => {
  const sink = await startSmtpSink();
  t.after(() => sink.close());
  const server = await startServer({ env: mailEnv(sink) });
  const organiser = await person(server);
  const [staying, leaving, joining] = [await person(server), await person(server), await person(server)];
  const title = 'Работна група';
  const meeting = await createMeeting(
    organiser.client,
    meetingBody({ title, start: 60, invitees: [staying.employee.id, leaving.employee.id] }),
  );
  await waitForMail(sink, leaving.email, `Покана: ${title}`);
  const leavingSocket = await openSocket(leaving.client);
  await leavingSocket.next('hello');

  const changed = await put(
    organiser.client,
    `${API}/meetings/${meeting.id}`,
    meetingBody({ title, start: 60, invitees: [staying.employee.id, joining.employee.id] }),
  );
  assert.equal(changed.status, 200, changed.text);
  assert.deepEqual(
    changed.json.invitees.map((i) => i.employee_id).sort(),
    [organiser.employee.id, staying.employee.id, joining.employee.id].sort(),
  );

  const told = await nextNotification(leavingSocket, 'meeting.cancelled', meeting.id);
  assert.equal(told.notification.payload.occurrence, null);
  const [cancel] = await waitForMail(sink, leaving.email, `Отменена: ${title}`);
  const { part, text } = calendarPart(cancel);
  assert.equal(part.params.method?.toUpperCase(), 'CANCEL');
  assert.equal(property(eventsWithUid(text, uidOf(meeting.id))[0], 'STATUS'), 'CANCELLED');
  assertProblem(await leaving.client.get(`${API}/meetings/${meeting.id}`), 404, 'meeting-not-found');

  assert.equal((await notifications(joining.client, { kind: 'meeting.invited', meetingId: meeting.id })).length, 1);
  await waitForMail(sink, joining.email, `Покана: ${title}`);
  assert.equal((await joining.client.get(`${API}/meetings/${meeting.id}`)).status, 200);
  // The one who stays is not invited again, nor told it is cancelled.
  const stayingKinds = (await notifications(staying.client, { meetingId: meeting.id })).map((n) => n.kind);
  assert.equal(stayingKinds.filter((k) => k === 'meeting.invited').length, 1, stayingKinds.join());
  assert.ok(!stayingKinds.includes('meeting.cancelled'), stayingKinds.join());
  assert.equal((await staying.client.get(`${API}/meetings/${meeting.id}`)).status, 200);
});

serverTest('inviting a department invites its members at that moment, not those who join it later', async () => {
  const server = await startServer();
  const organiser = await person(server);
  const department = 'Дирекция „Бюджет и финанси“';
  const members = [await person(server, { department }), await person(server, { department })];
  const named = await person(server);
  const meeting = await createMeeting(
    organiser.client,
    meetingBody({
      title: 'Бюджетна процедура',
      start: 60,
      departments: [department],
      invitees: [{ employee_id: named.employee.id, role: 'co-host' }, { employee_id: members[0].employee.id, role: 'co-host' }],
    }),
  );
  const roles = Object.fromEntries(meeting.invitees.map((i) => [i.employee_id, i.role]));
  assert.deepEqual(roles, {
    [organiser.employee.id]: 'host',
    [named.employee.id]: 'co-host',
    [members[0].employee.id]: 'co-host', // named with a role: that role stays
    [members[1].employee.id]: 'participant',
  });
  assert.ok(meeting.invitees.filter((i) => members.some((m) => m.employee.id === i.employee_id)).every((i) => i.department === department));
  for (const member of members) {
    assert.equal((await member.client.get(`${API}/meetings/${meeting.id}`)).status, 200);
    assert.equal((await notifications(member.client, { kind: 'meeting.invited', meetingId: meeting.id })).length, 1);
  }
  // Someone who joins the department afterwards is not invited.
  const newcomer = await person(server, { department });
  assertProblem(await newcomer.client.get(`${API}/meetings/${meeting.id}`), 404, 'meeting-not-found');
  assert.equal((await organiser.client.get(`${API}/meetings/${meeting.id}`)).json.invitees.length, 4);
});

serverTest('a busy invitee gives 409 invitees-busy (unless allow_conflicts), and availability says the same', async () => {
  const server = await startServer();
  const [first, second] = [await person(server), await person(server)];
  const busy = await person(server);
  const free = await person(server);
  const taken = await createMeeting(
    first.client,
    meetingBody({ title: 'Заето', start: 60, length: 30, invitees: [busy.employee.id] }),
  );

  const clash = meetingBody({ title: 'Застъпване', start: 75, length: 30, invitees: [busy.employee.id, free.employee.id] });
  const refused = assertProblem(await second.client.post(`${API}/meetings`, clash), 409, 'invitees-busy');
  assert.deepEqual(refused.busy, [{ id: busy.employee.id, name: busy.name }]);

  const availability = await second.client.post(`${API}/meetings/availability`, {
    starts_at: clash.starts_at,
    ends_at: clash.ends_at,
    invitees: clash.invitees,
  });
  assert.equal(availability.status, 200, availability.text);
  assert.deepEqual(availability.json, { busy: [{ id: busy.employee.id, name: busy.name }], hall_busy: false });

  // Back to back is not a clash.
  const after = await second.client.post(`${API}/meetings/availability`, {
    starts_at: taken.ends_at,
    ends_at: inMinutes(120),
    invitees: [{ employee_id: busy.employee.id }],
  });
  assert.deepEqual(after.json.busy, []);

  // A declined meeting does not make one busy.
  assert.equal((await put(busy.client, `${API}/meetings/${taken.id}/rsvp`, { response: 'declined' })).status, 200);
  const declined = await second.client.post(`${API}/meetings/availability`, { ...clash, title: undefined });
  assert.deepEqual(declined.json.busy, []);
  assert.equal((await put(busy.client, `${API}/meetings/${taken.id}/rsvp`, { response: 'tentative' })).status, 200);
  assertProblem(await second.client.post(`${API}/meetings`, clash), 409, 'invitees-busy');

  // The organiser may save anyway.
  const saved = await second.client.post(`${API}/meetings`, { ...clash, allow_conflicts: true });
  assert.equal(saved.status, 201, saved.text);

  // Rescheduling into a clash is checked too.
  const later = await createMeeting(
    second.client,
    meetingBody({ title: 'По-късно', start: 300, invitees: [busy.employee.id] }),
  );
  const into = meetingBody({ title: 'По-късно', start: 70, length: 10, invitees: [busy.employee.id] });
  const movedInto = assertProblem(await put(second.client, `${API}/meetings/${later.id}`, into), 409, 'invitees-busy');
  assert.ok(movedInto.busy.some((p) => p.id === busy.employee.id));
  // availability for an edit names the meeting, which does not clash with itself.
  const self = await second.client.post(`${API}/meetings/availability`, {
    starts_at: later.starts_at,
    ends_at: later.ends_at,
    invitees: [{ employee_id: busy.employee.id }],
    meeting_id: later.id,
  });
  assert.equal(self.status, 200, self.text);
  assert.deepEqual(self.json.busy, []);
});

serverTest('halls: only administrators and clerks manage them, a booked hall gives 409 hall-busy, and only invitees enter', async () => {
  const server = await startServer();
  const clerk = await person(server, { roles: ['clerk'] });
  const employee = await person(server);
  const guest = await person(server);
  const outsider = await person(server);

  // Who creates halls.
  assertProblem(await employee.client.post(`${API}/rooms`, { name: 'Моята зала' }), 403, 'forbidden');
  const created = await clerk.client.post(`${API}/rooms`, { name: 'Голяма зала', description: '2 етаж', capacity: 80 });
  assert.equal(created.status, 201, created.text);
  const hall = created.json;
  assert.equal(hall.kind, 'hall');
  const { client: administrator } = await setUpAdministrator(server, { name: 'Петя Администраторова' });
  const small = await administrator.post(`${API}/rooms`, { name: 'Малка зала', capacity: 6, lobby: true });
  assert.equal(small.status, 201, small.text);
  assert.equal(small.json.lobby, true);
  assertProblem(await put(employee.client, `${API}/rooms/${hall.id}`, { name: 'Преименувана' }), 403, 'forbidden');
  assertProblem(await employee.client.delete(`${API}/rooms/${small.json.id}`), 403, 'forbidden');
  const renamed = await put(clerk.client, `${API}/rooms/${hall.id}`, { name: 'Голяма зала „Витоша“', capacity: 90 });
  assert.equal(renamed.status, 200, renamed.text);
  // Everyone sees the halls.
  const listed = await employee.client.get(`${API}/rooms`);
  assert.deepEqual(listed.json.halls.map((h) => h.name).sort(), ['Голяма зала „Витоша“', 'Малка зала']);

  // A meeting on in the hall: its invitee enters, nobody else does.
  const onNow = await createMeeting(
    employee.client,
    meetingBody({ title: 'Съвещание „Омега“', start: 2, length: 30, room_id: hall.id, invitees: [guest.employee.id] }),
  );
  assert.equal(onNow.room.id, hall.id);
  const entered = await guest.client.post(`${API}/rooms/${hall.id}/join`, {});
  assert.equal(entered.status, 200, entered.text);
  assert.equal(entered.json.meeting_id, onNow.id);
  assert.match(entered.json.capability, /^v1\./);
  assert.equal((await employee.client.post(`${API}/rooms/${hall.id}/join`, {})).status, 200);
  const refused = assertProblem(await outsider.client.post(`${API}/rooms/${hall.id}/join`, {}), 403, 'not-invited');
  assert.ok(!JSON.stringify(refused).includes('Омега'));
  assertProblem(await outsider.client.post(`${API}/rooms/${hall.id}/knocks`, {}), 403, 'not-invited');

  // An invitation to a meeting that is not on yet does not open the hall.
  await createMeeting(
    employee.client,
    meetingBody({ title: 'По-късно', start: 120, room_id: small.json.id, invitees: [guest.employee.id] }),
  );
  assertProblem(await guest.client.post(`${API}/rooms/${small.json.id}/join`, {}), 403, 'not-invited');

  // A booked hall: refused even with allow_conflicts, and availability says so.
  const overlapping = meetingBody({ title: 'Двойна резервация', start: 20, length: 30, room_id: hall.id });
  assertProblem(await outsider.client.post(`${API}/meetings`, overlapping), 409, 'hall-busy');
  assertProblem(await outsider.client.post(`${API}/meetings`, { ...overlapping, allow_conflicts: true }), 409, 'hall-busy');
  const availability = await outsider.client.post(`${API}/meetings/availability`, {
    starts_at: overlapping.starts_at,
    ends_at: overlapping.ends_at,
    room_id: hall.id,
  });
  assert.equal(availability.status, 200, availability.text);
  assert.equal(availability.json.hall_busy, true);
  // Right after it the hall is free.
  const next = await outsider.client.post(`${API}/meetings`, {
    title: 'След това',
    starts_at: onNow.ends_at,
    ends_at: inMinutes(90),
    room_id: hall.id,
  });
  assert.equal(next.status, 201, next.text);

  // Someone else's personal room is not for booking; an unknown room is not found.
  const { json: rooms } = await guest.client.get(`${API}/rooms`);
  assertProblem(
    await outsider.client.post(`${API}/meetings`, meetingBody({ room_id: rooms.personal.id })),
    403,
    'room-not-yours',
  );
  assertProblem(await outsider.client.post(`${API}/meetings`, meetingBody({ room_id: 'no-such-room' })), 404, 'room-not-found');

  // A hall with meetings to come cannot be archived; an empty one can, and is gone.
  assertProblem(await clerk.client.delete(`${API}/rooms/${hall.id}`), 409, 'room-in-use');
  const empty = await clerk.client.post(`${API}/rooms`, { name: 'Празна зала' });
  assert.equal((await clerk.client.delete(`${API}/rooms/${empty.json.id}`)).status, 204);
  assertProblem(await employee.client.get(`${API}/rooms/${empty.json.id}`), 404, 'room-not-found');
  assertProblem(await employee.client.post(`${API}/meetings`, meetingBody({ room_id: empty.json.id })), 404, 'room-not-found');
});

serverTest('bad input to the meetings, rooms, calls, presence and notifications routes is a 4xx problem, never a 5xx', async () => {
  const server = await startServer();
  const me = await person(server);
  const clerk = await person(server, { roles: ['clerk'] });
  const other = await person(server);
  const meeting = await createMeeting(me.client, meetingBody({ invitees: [other.employee.id] }));
  const id = meeting.id;
  const base = meetingBody({ title: 'Проверка' });
  const far = '2027-06-01T10:00:00Z';

  const cases = [
    // [client, method, path, body (object, or a string sent raw), expected status]
    [me, 'POST', '/meetings', {}, 400],
    [me, 'POST', '/meetings', '{"title": "нещо"', 400],
    [me, 'POST', '/meetings', '[1, 2]', 400],
    [me, 'POST', '/meetings', 'null', 400],
    [me, 'POST', '/meetings', { ...base, title: '' }, 400],
    [me, 'POST', '/meetings', { ...base, title: '   ' }, 400],
    [me, 'POST', '/meetings', { ...base, title: 'а'.repeat(201) }, 400],
    [me, 'POST', '/meetings', { ...base, title: 7 }, 400],
    [me, 'POST', '/meetings', { ...base, agenda: ['списък'] }, 400],
    [me, 'POST', '/meetings', { ...base, starts_at: 'утре' }, 400],
    [me, 'POST', '/meetings', { ...base, starts_at: 1767225600 }, 400],
    [me, 'POST', '/meetings', { ...base, starts_at: '2027-02-30T10:00:00Z' }, 400],
    [me, 'POST', '/meetings', { ...base, starts_at: '2027-01-01T25:00:00Z' }, 400],
    [me, 'POST', '/meetings', { ...base, starts_at: '2027-01-01T10:00:00+24:00' }, 400],
    [me, 'POST', '/meetings', { ...base, starts_at: '2020-01-01T10:00:00Z', ends_at: '2020-01-01T11:00:00Z' }, 400],
    [me, 'POST', '/meetings', { ...base, starts_at: '0000-01-01T00:00:00Z', ends_at: '0000-01-01T01:00:00Z' }, 400],
    [me, 'POST', '/meetings', { ...base, ends_at: base.starts_at }, 400],
    [me, 'POST', '/meetings', { ...base, starts_at: far, ends_at: '2027-06-03T10:00:00Z' }, 400],
    [me, 'POST', '/meetings', { ...base, kind: 'party' }, 400],
    [me, 'POST', '/meetings', { ...base, invitees: 'всички' }, 400],
    [me, 'POST', '/meetings', { ...base, invitees: [1] }, 400],
    [me, 'POST', '/meetings', { ...base, invitees: [{ employee_id: 'nobody-at-all' }] }, 400],
    [me, 'POST', '/meetings', { ...base, invitees: [{ employee_id: other.employee.id, role: 'king' }] }, 400],
    [me, 'POST', '/meetings', { ...base, departments: ['Няма такава дирекция'] }, 400],
    [me, 'POST', '/meetings', { ...base, departments: [5] }, 400],
    [me, 'POST', '/meetings', { ...base, recurrence: 'weekly' }, 400],
    [me, 'POST', '/meetings', { ...base, recurrence: { frequency: 'hourly' } }, 400],
    [me, 'POST', '/meetings', { ...base, recurrence: { frequency: 'weekly', weekdays: ['XX'] } }, 400],
    [me, 'POST', '/meetings', { ...base, recurrence: { frequency: 'daily', weekdays: ['MO'] } }, 400],
    [me, 'POST', '/meetings', { ...base, recurrence: { frequency: 'daily', interval: 0 } }, 400],
    [me, 'POST', '/meetings', { ...base, recurrence: { frequency: 'daily', count: 0 } }, 400],
    [me, 'POST', '/meetings', { ...base, recurrence: { frequency: 'daily', count: 1e12 } }, 400],
    [me, 'POST', '/meetings', { ...base, recurrence: { frequency: 'daily', until: '2027-13-01' } }, 400],
    [me, 'POST', '/meetings', { ...base, recurrence: { frequency: 'daily', until: '2027-12-01', count: 3 } }, 400],
    [me, 'POST', '/meetings', { ...base, reminder_offsets: [-60] }, 400],
    [me, 'POST', '/meetings', { ...base, reminder_offsets: [31 * 86400] }, 400],
    [me, 'POST', '/meetings', { ...base, reminder_offsets: [1.5] }, 400],
    [me, 'POST', '/meetings', { ...base, reminder_offsets: '900' }, 400],
    [me, 'POST', '/meetings', { ...base, reminder_offsets: [60, 120, 180, 240, 300, 360] }, 400],
    [me, 'POST', '/meetings', { ...base, allow_conflicts: 'yes' }, 400],
    [me, 'POST', '/meetings', { ...base, room_id: 'no-such-room' }, 404],
    [me, 'POST', '/meetings/availability', {}, 400],
    [me, 'POST', '/meetings/availability', { starts_at: far }, 400],
    [me, 'PUT', `/meetings/${id}`, {}, 400],
    [me, 'PUT', `/meetings/${id}`, { ...base, ends_at: 'никога' }, 400],
    [me, 'PUT', `/meetings/${id}/reminders`, { offsets: [-1] }, 400],
    [me, 'PUT', `/meetings/${id}/reminders`, { offsets: 'x' }, 400],
    [me, 'PUT', `/meetings/${id}/occurrences/not-a-time`, { starts_at: far, ends_at: far }, 400],
    [me, 'PUT', `/meetings/${id}/occurrences/${meeting.starts_at}`, { starts_at: far }, 400],
    [me, 'PUT', `/meetings/${id}/occurrences/${meeting.starts_at}`, { starts_at: far, ends_at: far }, 400],
    // A single meeting has no occurrences to move or cancel one by one.
    [me, 'PUT', `/meetings/${id}/occurrences/2027-01-01T00:00:00Z`, { starts_at: far, ends_at: '2027-06-01T11:00:00Z' }, 409],
    [me, 'DELETE', `/meetings/${id}/occurrences/yesterday`, undefined, 400],
    [me, 'DELETE', `/meetings/${id}/occurrences/2027-01-01T00:00:00Z`, undefined, 409],
    [me, 'GET', `/meetings/upcoming?from=${encodeURIComponent('вчера')}`, undefined, 400],
    [me, 'GET', '/meetings/upcoming?to=2020-01-01', undefined, 400],
    [me, 'GET', `/meetings/upcoming?from=${far}&to=2027-05-01T00:00:00Z`, undefined, 400],
    [me, 'GET', `/meetings/upcoming?from=${far}&to=2028-06-01T00:00:00Z`, undefined, 400],
    [me, 'GET', `/meetings/${'x'.repeat(5000)}`, undefined, 404],
    [me, 'POST', '/calls', {}, 400],
    [me, 'POST', '/calls', { callee_id: 12 }, 400],
    [me, 'POST', '/calls', { callee_id: me.employee.id }, 400],
    [me, 'POST', '/calls', { callee_id: 'nobody-at-all' }, 404],
    [me, 'POST', '/calls/no-such-call/accept', {}, 404],
    [me, 'POST', '/calls/no-such-call/decline', {}, 404],
    [me, 'DELETE', '/calls/no-such-call', undefined, 404],
    [me, 'GET', '/calls/no-such-call', undefined, 404],
    [me, 'GET', '/knocks/no-such-knock', undefined, 404],
    [me, 'POST', '/knocks/no-such-knock/admit', {}, 404],
    [me, 'POST', '/knocks/no-such-knock/decline', {}, 404],
    [me, 'DELETE', '/knocks/no-such-knock', undefined, 404],
    [me, 'GET', '/rooms/no-such-room', undefined, 404],
    [me, 'POST', '/rooms/no-such-room/join', {}, 404],
    [me, 'POST', '/rooms/no-such-room/knocks', {}, 404],
    [clerk, 'POST', '/rooms', {}, 400],
    [clerk, 'POST', '/rooms', { name: '' }, 400],
    [clerk, 'POST', '/rooms', { name: 'з'.repeat(121) }, 400],
    [clerk, 'POST', '/rooms', { name: 'Зала', capacity: 0 }, 400],
    [clerk, 'POST', '/rooms', { name: 'Зала', capacity: 'голяма' }, 400],
    [clerk, 'POST', '/rooms', { name: 'Зала', lobby: 'yes' }, 400],
    [clerk, 'PUT', '/rooms/no-such-room', { name: 'Зала' }, 404],
    [me, 'PUT', '/me/presence', {}, 400],
    [me, 'PUT', '/me/presence', { do_not_disturb: 'yes' }, 400],
    [me, 'PUT', '/me/presence', '{', 400],
    [me, 'GET', '/notifications?limit=0', undefined, 400],
    [me, 'GET', '/notifications?limit=abc', undefined, 400],
    [me, 'GET', '/notifications?limit=1000', undefined, 400],
    [me, 'GET', '/notifications?before=no-such-notification', undefined, 400],
    [me, 'POST', '/notifications/no-such-notification/read', {}, 404],
    [me, 'GET', '/calendar/no-such-token.ics', undefined, 404],
  ];
  for (const [who, method, urlPath, body, expected] of cases) {
    const options = typeof body === 'string' ? { body, headers: { 'Content-Type': 'application/json' } } : { json: body };
    const response = await who.client.request(method, `${API}${urlPath}`, body === undefined ? {} : options);
    const label = `${method} ${urlPath.slice(0, 100)} ${typeof body === 'string' ? body : JSON.stringify(body ?? '')}`;
    assert.equal(response.status, expected, `${label}: ${response.text.slice(0, 300)}`);
    assert.match(response.headers['content-type'] ?? '', /^application\/problem\+json/, label);
    assert.equal(response.json.status, expected, label);
  }

  // The meeting is as it was.
  const unchanged = await me.client.get(`${API}/meetings/${id}`);
  assert.equal(unchanged.json.sequence, 0);
  assert.deepEqual(unchanged.json.exceptions, []);

  // Wide but valid input is fine: a long recurrence far ahead, many presence ids.
  const longSeries = await me.client.post(`${API}/meetings`, {
    title: 'Дълга поредица',
    starts_at: '2099-12-31T08:00:00Z',
    ends_at: '2099-12-31T09:00:00Z',
    recurrence: { frequency: 'daily', count: 1000 },
    allow_conflicts: true,
  });
  assert.ok([201, 400].includes(longSeries.status), longSeries.text);
  const ids = Array.from({ length: 500 }, (_, i) => `id-${i}`).join(',');
  const presence = await me.client.get(`${API}/presence?ids=${ids},,,`);
  assert.equal(presence.status, 200);
  assert.ok(Object.keys(presence.json.presence).length <= 200);
});
