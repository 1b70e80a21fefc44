// Meeting reminders: in the app (a notification, pushed over the WebSocket) and by
// e-mail, exactly once per (occurrence, person, offset) — also when the server is
// killed before the reminder falls due, while it falls due, and right after it was
// sent — and never for a reminder whose time had passed before the invitation.
import assert from 'node:assert/strict';

import { openSocket, serverTest, sleep, sqlite, startServer, waitFor } from './harness.mjs';
import {
  API,
  createMeeting,
  inSeconds,
  mailEnv,
  mailTo,
  nextNotification,
  notifications,
  person,
  put,
  received,
  restartServer,
  startSmtpSink,
  waitForMail,
} from './meetings_helpers.mjs';

const REMINDER = 'Напомняне';
const INTERVAL = '500ms';

function reminderEnv(sink) {
  return mailEnv(sink, { EGOVBOX_REMINDER_INTERVAL: INTERVAL });
}

const isReminderFor = (meetingId) => (m) =>
  m.notification?.kind === 'meeting.reminder' && m.notification.payload?.meeting_id === meetingId;

// Sleeps until the wall-clock time `at` (ms).
const until = (at) => sleep(Math.max(0, at - Date.now()));

// Checks that each of `people` has exactly `count` reminder notifications for the
// meeting (GET /notifications) and `count` reminder e-mails at the sink.
async function assertReminders(sink, meeting, people, count, label) {
  for (const who of people) {
    const listed = await notifications(who.client, { kind: 'meeting.reminder', meetingId: meeting.id });
    assert.equal(listed.length, count, `${label}: reminder notifications of ${who.name}: ${JSON.stringify(listed)}`);
    const mails = mailTo(sink, who.email, REMINDER);
    assert.equal(mails.length, count, `${label}: reminder e-mails to ${who.email}: ${mails.map((m) => m.subject)}`);
    for (const n of listed) {
      assert.equal(n.payload.offset_seconds, 60, label);
      assert.equal(n.payload.starts_at, meeting.starts_at, label);
      assert.equal(n.payload.title, meeting.title, label);
    }
    for (const mail of mails) assert.equal(mail.subject, `${REMINDER}: ${meeting.title}`);
  }
}

serverTest('a reminder due before the invitation is never sent, and each invitee\'s own offsets count', async (t) => {
  const sink = await startSmtpSink();
  t.after(() => sink.close());
  const server = await startServer({ env: reminderEnv(sink) });
  const [organiserX, inviteeX] = [await person(server), await person(server)];
  const [organiserY, inviteeY] = [await person(server), await person(server)];
  const [organiserZ, inviteeZ] = [await person(server), await person(server)];
  const declinerX = await person(server);
  const sockets = new Map();
  for (const who of [organiserX, inviteeX, declinerX, organiserY, inviteeY, organiserZ, inviteeZ]) {
    const socket = await openSocket(who.client);
    await socket.next('hello');
    sockets.set(who, socket);
  }

  // X: an hour-before reminder (long gone at creation) and a minute-before one, due in ~5 s.
  const x = await createMeeting(organiserX.client, {
    title: 'Среща Х',
    starts_at: inSeconds(65),
    ends_at: inSeconds(65 + 1800),
    reminder_offsets: [3600, 60],
    invitees: [{ employee_id: inviteeX.employee.id }, { employee_id: declinerX.employee.id }],
  });
  // One who has declined gets no reminder.
  assert.equal((await put(declinerX.client, `${API}/meetings/${x.id}/rsvp`, { response: 'declined' })).status, 200);
  // Y: starts in 30 s, reminder a minute before: its time passed before anyone was invited.
  const y = await createMeeting(organiserY.client, {
    title: 'Среща У',
    starts_at: inSeconds(30),
    ends_at: inSeconds(30 + 1800),
    reminder_offsets: [60],
    invitees: [{ employee_id: inviteeY.employee.id }],
  });
  // Z: only an hour-before reminder, but its invitee chooses a minute before.
  const z = await createMeeting(organiserZ.client, {
    title: 'Среща Зет',
    starts_at: inSeconds(65),
    ends_at: inSeconds(65 + 1800),
    reminder_offsets: [3600],
    invitees: [{ employee_id: inviteeZ.employee.id }],
  });
  const mine = await put(inviteeZ.client, `${API}/meetings/${z.id}/reminders`, { offsets: [60] });
  assert.equal(mine.status, 200, mine.text);
  assert.deepEqual(mine.json.my_reminder_offsets, [60]);
  assert.deepEqual(mine.json.reminder_offsets, [3600]);

  // The minute-before reminders arrive (over the socket and by e-mail)...
  for (const [who, meeting] of [
    [inviteeX, x],
    [organiserX, x],
    [inviteeZ, z],
  ]) {
    const pushed = await nextNotification(sockets.get(who), 'meeting.reminder', meeting.id, 20_000);
    assert.equal(pushed.notification.payload.offset_seconds, 60);
    await waitForMail(sink, who.email, REMINDER, 1, 10_000);
  }
  // ...and after a few more rounds of the scheduler, nothing else has come.
  await sleep(2000);
  await assertReminders(sink, x, [organiserX, inviteeX], 1, 'X');
  await assertReminders(sink, x, [declinerX], 0, 'X, declined');
  await assertReminders(sink, z, [inviteeZ], 1, 'Z');
  await assertReminders(sink, z, [organiserZ], 0, 'Z, organiser (an hour before was before the invitation)');
  await assertReminders(sink, y, [organiserY, inviteeY], 0, 'Y (a minute before was before the invitation)');
  for (const [who, socket] of sockets) {
    const reminders = received(socket, 'notification', (m) => m.notification.kind === 'meeting.reminder');
    const expected = [organiserX, inviteeX, inviteeZ].includes(who) ? 1 : 0;
    assert.equal(reminders.length, expected, `reminders pushed to ${who.name}`);
  }
});

serverTest(
  'a reminder is delivered exactly once, also when the server is killed before, while and after it falls due',
  { timeout: 240_000 },
  async (t) => {
    const sink = await startSmtpSink();
    t.after(() => sink.close());
    const env = reminderEnv(sink);

    // Four servers, each with an organiser and an invitee and a meeting two minutes
    // ahead with a reminder one minute before; run side by side.
    async function setUp(label, offsets = [60]) {
      const server = await startServer({ env });
      const organiser = await person(server);
      const invitee = await person(server);
      const sockets = [await openSocket(invitee.client)];
      await sockets[0].next('hello');
      const meeting = await createMeeting(organiser.client, {
        title: `Напомняне-тест ${label}`,
        starts_at: inSeconds(120),
        ends_at: inSeconds(150),
        reminder_offsets: offsets,
        invitees: [{ employee_id: invitee.employee.id }],
      });
      const dueAt = Date.parse(meeting.starts_at) - 60_000;
      return { label, server, organiser, invitee, sockets, meeting, dueAt };
    }
    const steady = await setUp('steady');
    const killedBefore = await setUp('killed before');
    // Two reminders, 62 and 60 s before, both falling due while the server is down:
    // only the nearest is sent.
    const downWhileDue = await setUp('down while due', [62, 60]);
    const killedAfter = await setUp('killed after');

    async function restart(run) {
      run.server = await restartServer(run.server, {
        env,
        clients: [run.organiser.client, run.invitee.client],
      });
      const socket = await openSocket(run.invitee.client);
      await socket.next('hello');
      run.sockets.push(socket);
      run.reopenedAt = Date.now();
    }

    const waitForReminder = (run) =>
      waitFor(async () => (await notifications(run.invitee.client, { kind: 'meeting.reminder' })).length > 0, {
        timeoutMs: 20_000,
        intervalMs: 200,
        message: `the reminder of "${run.label}"`,
      });

    const runs = await Promise.all([
      // Never stopped.
      (async () => {
        await nextNotification(steady.sockets[0], 'meeting.reminder', steady.meeting.id, 90_000);
        return steady;
      })(),
      // Killed 5 s before it is due, back 2 s before: sent by the new process.
      (async () => {
        const run = killedBefore;
        await until(run.dueAt - 5000);
        assert.deepEqual(await notifications(run.invitee.client, { kind: 'meeting.reminder' }), [], 'not due yet');
        await run.server.kill();
        await until(run.dueAt - 2000);
        await restart(run);
        await waitForReminder(run);
        return run;
      })(),
      // Killed 5 s before it is due (3 s before the 62 s one), back 2 s after: both fell
      // due while the server was down.
      (async () => {
        const run = downWhileDue;
        await until(run.dueAt - 5000);
        await run.server.kill();
        await until(run.dueAt + 2000);
        await restart(run);
        await waitForReminder(run);
        return run;
      })(),
      // Killed right after the reminder was sent (notification pushed, e-mails accepted
      // and recorded as sent), then started again.
      (async () => {
        const run = killedAfter;
        await nextNotification(run.sockets[0], 'meeting.reminder', run.meeting.id, 90_000);
        await waitForMail(sink, run.invitee.email, REMINDER, 1, 20_000);
        await waitForMail(sink, run.organiser.email, REMINDER, 1, 20_000);
        await waitFor(() => sqlite(run.server.dataDir, 'SELECT count(*) FROM mail_outbox WHERE sent_at IS NULL;') === '0', {
          message: 'the outbox to record the e-mails as sent',
        });
        await run.server.kill();
        await restart(run);
        return run;
      })(),
    ]);

    // Every e-mail has arrived, and a few more rounds of the scheduler pass.
    for (const run of runs) {
      for (const who of [run.organiser, run.invitee]) await waitForMail(sink, who.email, REMINDER, 1, 20_000);
    }
    await sleep(3000);
    for (const run of runs) {
      await assertReminders(sink, run.meeting, [run.organiser, run.invitee], 1, run.label);
      // Pushed once in all over the invitee's sockets (a socket open at the time it was sent).
      const pushed = run.sockets.flatMap((s) => received(s, 'notification', isReminderFor(run.meeting.id)));
      // After a restart, the new socket may open only after the push (a slow start).
      const late = run.reopenedAt !== undefined && run.reopenedAt > run.dueAt - 500 && run !== killedAfter;
      const expected = late ? [0, 1] : [1];
      assert.ok(expected.includes(pushed.length), `${run.label}: pushed ${pushed.length} times`);
    }
    // The meeting has not started: no reminder after its start either (nothing else to send).
    assert.ok(Date.now() < Date.parse(steady.meeting.starts_at), 'the checks ran before the meetings began');
  },
);
