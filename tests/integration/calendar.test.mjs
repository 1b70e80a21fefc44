// Recurring meetings over HTTP (10:00 in Europe/Sofia stays 10:00 across the
// changes to and from summer time; single occurrences moved and cancelled), the
// iCalendar download and the private subscription feed. Parsing the iCalendar back
// with libical is covered by the C++ unit tests; here the structure is checked.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';

import { assertProblem, request, serverTest, sqlite, startServer } from './harness.mjs';
import {
  API,
  calendarPart,
  createMeeting,
  eventsWithUid,
  mailEnv,
  mailTo,
  meetingBody,
  notifications,
  person,
  property,
  put,
  sofiaWallTime,
  startSmtpSink,
  uidOf,
  unfold,
  waitForMail,
} from './meetings_helpers.mjs';

async function upcoming(client, from, to) {
  const response = await client.get(
    `${API}/meetings/upcoming?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
  );
  assert.equal(response.status, 200, response.text);
  return response.json.occurrences;
}

function times(occurrences) {
  return occurrences.map((o) => [o.occurrence, o.starts_at, o.ends_at]);
}

const plusHour = (instant) => new Date(Date.parse(instant) + 3600_000).toISOString().replace('.000Z', 'Z');

// Dates next year (creation refuses a start in the past), so that the suite keeps
// working as time goes by. Summer time in the EU begins on the last Sunday of March
// and ends on the last Sunday of October; Sofia is UTC+2 in winter, UTC+3 in summer.
const YEAR = new Date().getUTCFullYear() + 1;
const DAY = 86400_000;

function lastSunday(monthIndex) {
  const last = Date.UTC(YEAR, monthIndex + 1, 0);
  return last - new Date(last).getUTCDay() * DAY;
}

const ymd = (day) => new Date(day).toISOString().slice(0, 10);
// `day` at `hhmm` UTC, as RFC 3339.
const at = (day, hhmm) => `${ymd(day)}T${hhmm}:00Z`;
// `day` as an iCalendar date with the time `hhmmss`.
const wall = (day, hhmmss) => `${ymd(day).replaceAll('-', '')}T${hhmmss}`;

serverTest('a weekly meeting at 10:00 Sofia stays at 10:00 into summer time; one occurrence moved, one cancelled', async (t) => {
  const sink = await startSmtpSink();
  t.after(() => sink.close());
  const server = await startServer({ env: mailEnv(sink) });
  const organiser = await person(server);
  const invitee = await person(server);
  // Mondays 10:00 Sofia from the Monday before summer time begins, four times.
  const change = lastSunday(2);
  const mondays = [change - 6 * DAY, change + DAY, change + 8 * DAY, change + 15 * DAY];
  const expected = [at(mondays[0], '08:00'), at(mondays[1], '07:00'), at(mondays[2], '07:00'), at(mondays[3], '07:00')];
  const meeting = await createMeeting(organiser.client, {
    title: 'Седмична оперативка',
    starts_at: expected[0],
    ends_at: plusHour(expected[0]),
    recurrence: { frequency: 'weekly', weekdays: ['MO'], count: 4 },
    invitees: [{ employee_id: invitee.employee.id }],
  });
  assert.deepEqual(meeting.recurrence, { frequency: 'weekly', interval: 1, weekdays: ['MO'], until: null, count: 4 });
  const windowFrom = at(mondays[0] - 7 * DAY, '00:00');
  const windowTo = at(mondays[3] + 14 * DAY, '00:00');
  for (const who of [organiser, invitee]) {
    const listed = await upcoming(who.client, windowFrom, windowTo);
    assert.deepEqual(times(listed), expected.map((e) => [e, e, plusHour(e)]), `as seen by ${who.name}`);
    assert.ok(listed.every((o) => o.meeting_id === meeting.id && o.recurring === true && o.status === 'scheduled'));
  }
  // A window that cuts the series: only what falls inside.
  assert.deepEqual(
    (await upcoming(invitee.client, at(change, '00:00'), at(mondays[2] + DAY, '00:00'))).map((o) => o.starts_at),
    [expected[1], expected[2]],
  );

  // Occurrences are named by their original start; 08:00Z on the second Monday
  // (the time without summer time) names none, nor does a Tuesday.
  const path = `${API}/meetings/${meeting.id}/occurrences`;
  const tuesday = mondays[1] + DAY;
  const movedTo = [at(tuesday, '12:00'), at(tuesday, '13:00')];
  assertProblem(
    await put(organiser.client, `${path}/${at(mondays[1], '08:00')}`, { starts_at: movedTo[0], ends_at: movedTo[1] }),
    404,
    'occurrence-not-found',
  );
  assertProblem(await organiser.client.delete(`${path}/${at(mondays[0] + DAY, '08:00')}`), 404, 'occurrence-not-found');

  // Move the second one to Tuesday 15:00 Sofia, cancel the third.
  const moved = await put(organiser.client, `${path}/${expected[1]}`, { starts_at: movedTo[0], ends_at: movedTo[1] });
  assert.equal(moved.status, 200, moved.text);
  assert.equal(moved.json.sequence, 1);
  assert.equal((await organiser.client.delete(`${path}/${expected[2]}`)).status, 204);
  const after = await organiser.client.get(`${API}/meetings/${meeting.id}`);
  assert.equal(after.json.sequence, 2);
  assert.deepEqual(
    after.json.exceptions.map((e) => [e.occurrence, e.starts_at, e.cancelled]).sort(),
    [
      [expected[1], movedTo[0], false],
      [expected[2], null, true],
    ],
  );

  for (const who of [organiser, invitee]) {
    assert.deepEqual(times(await upcoming(who.client, windowFrom, windowTo)), [
      [expected[0], expected[0], plusHour(expected[0])],
      [expected[1], movedTo[0], movedTo[1]],
      [expected[3], expected[3], plusHour(expected[3])],
    ]);
  }
  // The moved occurrence is found at its new time, not at its old one.
  assert.deepEqual(await upcoming(invitee.client, at(mondays[1], '00:00'), at(tuesday, '00:00')), []);

  // The invitee was told of both.
  const told = await notifications(invitee.client, { meetingId: meeting.id });
  const rescheduled = told.find((n) => n.kind === 'meeting.rescheduled');
  assert.equal(rescheduled?.payload.starts_at, movedTo[0], JSON.stringify(told));
  const cancelled = told.find((n) => n.kind === 'meeting.cancelled');
  assert.equal(cancelled?.payload.starts_at, expected[2], JSON.stringify(told));
  // It names the occurrence: only that one is off, not the whole series.
  assert.equal(cancelled.payload.occurrence, expected[2], JSON.stringify(cancelled));

  // By e-mail: the move as a REQUEST with the moved occurrence; the cancelled
  // occurrence as a REQUEST of the series with an EXDATE (not a CANCEL of it all),
  // in words that say it is cancelled.
  const [moveMail] = await waitForMail(sink, invitee.email, 'Промяна: Седмична оперативка');
  const moveCalendar = calendarPart(moveMail);
  assert.equal(moveCalendar.part.params.method?.toUpperCase(), 'REQUEST');
  const movedEvents = eventsWithUid(moveCalendar.text, uidOf(meeting.id));
  assert.ok(movedEvents.some((e) => property(e, 'RECURRENCE-ID') !== undefined), moveCalendar.text);
  const [offMail] = await waitForMail(sink, invitee.email, 'Отменена: Седмична оперативка');
  const offCalendar = calendarPart(offMail);
  assert.equal(offCalendar.part.params.method?.toUpperCase(), 'REQUEST');
  assert.match(offCalendar.text, /^METHOD:REQUEST$/m);
  const offSeries = eventsWithUid(offCalendar.text, uidOf(meeting.id)).find((e) => property(e, 'RRULE') !== undefined);
  assert.ok(offSeries, offCalendar.text);
  assert.notEqual(property(offSeries, 'STATUS'), 'CANCELLED');
  const exdate = new RegExp(`${wall(mondays[2], '100000')}|${wall(mondays[2], '070000')}Z`);
  assert.match(offSeries.filter((l) => l.startsWith('EXDATE')).join('\n'), exdate);
  const offText = offMail.parts.find((p) => p.contentType === 'text/plain')?.text ?? '';
  assert.match(offText, /отменена/, offText);
  assert.doesNotMatch(offText, /променена/, offText);
  assert.equal(mailTo(sink, invitee.email, 'Промяна').length, 1, 'one change e-mail: the move');

  // The iCalendar file: the series at 10:00 Sofia, the cancelled one as EXDATE,
  // the moved one as its own VEVENT with RECURRENCE-ID.
  const ics = await invitee.client.get(`${API}/meetings/${meeting.id}/calendar.ics`);
  assert.equal(ics.status, 200);
  const events = eventsWithUid(ics.text, uidOf(meeting.id));
  assert.equal(events.length, 2, ics.text);
  const series = events.find((e) => property(e, 'RRULE') !== undefined);
  const exception = events.find((e) => property(e, 'RECURRENCE-ID') !== undefined);
  assert.ok(series && exception, ics.text);
  assert.match(property(series, 'RRULE'), /FREQ=WEEKLY/);
  assert.match(property(series, 'RRULE'), /BYDAY=MO/);
  assert.match(property(series, 'RRULE'), /COUNT=4/);
  assert.ok(series.includes(`DTSTART;TZID=Europe/Sofia:${wall(mondays[0], '100000')}`), series.join('\n'));
  assert.match(series.filter((l) => l.startsWith('EXDATE')).join('\n'), exdate, series.join('\n'));
  assert.match(
    property(exception, 'RECURRENCE-ID'),
    new RegExp(`${wall(mondays[1], '100000')}|${wall(mondays[1], '070000')}Z`),
  );
  assert.ok(exception.includes(`DTSTART;TZID=Europe/Sofia:${wall(tuesday, '150000')}`), exception.join('\n'));
  assert.equal(property(series, 'SEQUENCE'), '2');

  // Moving an occurrence of a cancelled meeting is refused.
  assert.equal((await organiser.client.delete(`${API}/meetings/${meeting.id}`)).status, 204);
  assertProblem(
    await put(organiser.client, `${path}/${expected[3]}`, {
      starts_at: at(mondays[3] + DAY, '07:00'),
      ends_at: at(mondays[3] + DAY, '08:00'),
    }),
    409,
    'meeting-cancelled',
  );
  assert.deepEqual(await upcoming(invitee.client, windowFrom, windowTo), []);
});

serverTest('a weekly meeting at 10:00 Sofia stays at 10:00 out of summer time (October)', async () => {
  const server = await startServer();
  const organiser = await person(server);
  // Mondays 10:00 Sofia from two weeks before winter time until the second Monday after.
  const change = lastSunday(9);
  const mondays = [change - 13 * DAY, change - 6 * DAY, change + DAY, change + 8 * DAY];
  const meeting = await createMeeting(organiser.client, {
    title: 'Есенна поредица',
    starts_at: at(mondays[0], '07:00'),
    ends_at: at(mondays[0], '07:45'),
    recurrence: { frequency: 'weekly', weekdays: ['MO'], until: ymd(mondays[3]) },
  });
  const listed = await upcoming(organiser.client, at(mondays[0] - 7 * DAY, '00:00'), at(mondays[3] + 14 * DAY, '00:00'));
  assert.deepEqual(
    listed.map((o) => [o.starts_at, o.ends_at]),
    [
      [at(mondays[0], '07:00'), at(mondays[0], '07:45')],
      [at(mondays[1], '07:00'), at(mondays[1], '07:45')],
      [at(mondays[2], '08:00'), at(mondays[2], '08:45')],
      [at(mondays[3], '08:00'), at(mondays[3], '08:45')],
    ],
  );
  for (const o of listed) assert.equal(sofiaWallTime(o.starts_at).slice(9), '100000', o.starts_at);
  assert.equal(meeting.next_occurrence.starts_at, at(mondays[0], '07:00'));

  // A daily one over the night of the change: 09:30 Sofia each day.
  const daily = await createMeeting(organiser.client, {
    title: 'Ежедневна',
    starts_at: at(change - DAY, '06:30'),
    ends_at: at(change - DAY, '06:45'),
    recurrence: { frequency: 'daily', count: 3 },
  });
  const days = (await upcoming(organiser.client, at(change - 2 * DAY, '00:00'), at(change + 3 * DAY, '00:00'))).filter(
    (o) => o.meeting_id === daily.id,
  );
  assert.deepEqual(
    days.map((o) => o.starts_at),
    [at(change - DAY, '06:30'), at(change, '07:30'), at(change + DAY, '07:30')],
  );
});

serverTest('calendar.ics and the private subscription feed: UID, SEQUENCE, VTIMEZONE, STATUS:CANCELLED, revocation', async () => {
  const server = await startServer();
  const organiser = await person(server);
  const invitee = await person(server);
  const outsider = await person(server);
  const title = 'Годишен преглед';
  const agenda = 'Резултати и планове за следващата година';
  const meeting = await createMeeting(
    organiser.client,
    meetingBody({ title, agenda, start: 60, length: 45, invitees: [invitee.employee.id] }),
  );
  const uid = uidOf(meeting.id);

  // The download.
  const file = await invitee.client.get(`${API}/meetings/${meeting.id}/calendar.ics`);
  assert.equal(file.status, 200);
  assert.match(file.headers['content-type'], /^text\/calendar/);
  assert.match(file.headers['content-disposition'] ?? '', /attachment/);
  const text = unfold(file.text);
  assert.ok(file.text.includes('\r\n'), 'CRLF line endings');
  assert.match(text, /^BEGIN:VCALENDAR\r?\n/);
  assert.match(text, /^METHOD:PUBLISH$/m);
  assert.match(text, /^BEGIN:VTIMEZONE\r?\nTZID:Europe\/Sofia$/m);
  const [event] = eventsWithUid(file.text, uid);
  assert.ok(event, file.text);
  assert.equal(property(event, 'SEQUENCE'), '0');
  assert.equal(property(event, 'SUMMARY'), title);
  assert.equal(property(event, 'DESCRIPTION'), agenda);
  assert.ok(event.includes(`DTSTART;TZID=Europe/Sofia:${sofiaWallTime(meeting.starts_at)}`), event.join('\n'));
  assert.ok(event.includes(`DTEND;TZID=Europe/Sofia:${sofiaWallTime(meeting.ends_at)}`), event.join('\n'));
  assertProblem(await outsider.client.get(`${API}/meetings/${meeting.id}/calendar.ics`), 404, 'meeting-not-found');

  // No feed yet; then one. Only its hash is stored.
  assert.deepEqual((await invitee.client.get(`${API}/me/calendar-feed`)).json, { active: false, created_at: null });
  const created = await invitee.client.post(`${API}/me/calendar-feed`, {});
  assert.equal(created.status, 201, created.text);
  const url = new URL(created.json.url);
  assert.equal(url.protocol, 'https:');
  const match = /^\/api\/v1\/calendar\/([A-Za-z0-9_-]{20,})\.ics$/.exec(url.pathname);
  assert.ok(match, created.json.url);
  const token = match[1];
  const state = (await invitee.client.get(`${API}/me/calendar-feed`)).json;
  assert.equal(state.active, true);
  assert.equal(state.url, undefined, 'the URL is not shown again');
  const stored = sqlite(server.dataDir, `SELECT token_hash FROM calendar_feeds WHERE employee_id = '${invitee.employee.id}';`);
  assert.equal(stored, crypto.createHash('sha256').update(token).digest('hex'));

  // Fetched without a cookie, as a calendar program does.
  const fetchFeed = () => request(server, 'GET', url.pathname);
  let feed = await fetchFeed();
  assert.equal(feed.status, 200, feed.text);
  assert.match(feed.headers['content-type'], /^text\/calendar/);
  assert.match(feed.headers['cache-control'] ?? '', /no-store/);
  assert.match(unfold(feed.text), /^BEGIN:VTIMEZONE\r?\nTZID:Europe\/Sofia$/m);
  let [item] = eventsWithUid(feed.text, uid);
  assert.ok(item, feed.text);
  assert.equal(property(item, 'SEQUENCE'), '0');
  assert.equal(property(item, 'STATUS'), 'CONFIRMED');
  assert.equal((await request(server, 'GET', `${API}/calendar/${token}`)).status, 200, 'also without .ics');

  // Rescheduled: a higher SEQUENCE and the new time.
  const moved = await put(organiser.client, `${API}/meetings/${meeting.id}`, meetingBody({
    title,
    agenda,
    start: 180,
    length: 45,
    invitees: [invitee.employee.id],
  }));
  assert.equal(moved.status, 200, moved.text);
  feed = await fetchFeed();
  [item] = eventsWithUid(feed.text, uid);
  assert.equal(property(item, 'SEQUENCE'), '1');
  assert.ok(item.includes(`DTSTART;TZID=Europe/Sofia:${sofiaWallTime(moved.json.starts_at)}`), item.join('\n'));

  // Cancelled: still in the feed, as STATUS:CANCELLED.
  assert.equal((await organiser.client.delete(`${API}/meetings/${meeting.id}`)).status, 204);
  feed = await fetchFeed();
  [item] = eventsWithUid(feed.text, uid);
  assert.ok(item, feed.text);
  assert.equal(property(item, 'STATUS'), 'CANCELLED');
  assert.equal(property(item, 'SEQUENCE'), '2');

  // A new URL revokes the old one; DELETE revokes the new one.
  const renewed = await invitee.client.post(`${API}/me/calendar-feed`, {});
  assert.equal(renewed.status, 201);
  const renewedPath = new URL(renewed.json.url).pathname;
  assert.notEqual(renewedPath, url.pathname);
  assertProblem(await fetchFeed(), 404, 'calendar-feed-not-found');
  assert.equal((await request(server, 'GET', renewedPath)).status, 200);
  assert.equal((await invitee.client.delete(`${API}/me/calendar-feed`)).status, 204);
  assertProblem(await request(server, 'GET', renewedPath), 404, 'calendar-feed-not-found');
  assert.equal((await invitee.client.get(`${API}/me/calendar-feed`)).json.active, false);
  // Revoking twice is fine.
  assert.equal((await invitee.client.delete(`${API}/me/calendar-feed`)).status, 204);

  // The organiser's own feed carries the meeting too (organisers are invitees).
  const organiserFeed = await organiser.client.post(`${API}/me/calendar-feed`, {});
  const organiserText = (await request(server, 'GET', new URL(organiserFeed.json.url).pathname)).text;
  assert.equal(eventsWithUid(organiserText, uid).length, 1);
});
