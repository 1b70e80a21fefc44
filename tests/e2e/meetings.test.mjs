// Meetings, knocks and calls between colleagues, each signed in in a browser
// context of their own, against a real server:
//   a. scheduling a meeting in the UI; the invitees see it in "My meetings"
//      and get its reminder in the app;
//   b. knocking on a colleague's personal room, admitted from the owner's tab;
//      both go through the pre-join screen into the room and see each other;
//   c. a one-to-one call from the directory, accepted in the callee's tab:
//      both go straight into the room and see each other; one leaves.
// Each test has its own people, so that one's meetings (an admitted knock
// and an accepted call open an hour-long ad-hoc meeting) do not make
// another's people busy or let them in without knocking.
import assert from 'node:assert/strict';
import {
  assertAccessible,
  assertNoHorizontalScroll,
  e2eSuite,
  expectInRoom,
  expectPreJoin,
  firstSignIn,
  heading1,
  hidden,
  joinFromPreJoin,
  leaveRoom,
  openMenuIfFolded,
  tileOf,
  UI,
  visible,
  waitForText,
} from './harness.mjs';

// Reminders are looked for every 500 ms instead of every 5 s.
const suite = e2eSuite({ env: { EGOVBOX_REMINDER_INTERVAL: '500ms' } });
const ui = UI.bg;

// The longest wait of the suite: a reminder one minute before a meeting that
// starts 75 to 135 s after the form is filled in (see meetingStartMs).
const REMINDER_TIMEOUT_MS = 150_000;

// Europe/Sofia wall time of an instant: {date: 'YYYY-MM-DD', time: 'HH:MM'}.
function sofiaWall(ms) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Sofia',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(ms))
      .map((part) => [part.type, part.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

// A start on a whole minute, 75 to 135 s from now: the 1-minute reminder
// falls due 15 to 75 s from now, late enough for the form to be sent first
// (a reminder whose time passed before the invitation is never sent). The
// form has one date for start and end, so the start is never 23:59.
function meetingStartMs(nowMs = Date.now()) {
  let start = Math.ceil((nowMs + 75_000) / 60_000) * 60_000;
  if (sofiaWall(start).time === '23:59') start += 60_000;
  return start;
}

// The end: half an hour after the start, or 23:59 of the same day.
function meetingEnd(startMs) {
  const start = sofiaWall(startMs);
  const end = sofiaWall(startMs + 30 * 60_000);
  return end.date === start.date ? end.time : '23:59';
}

const cardOf = (page, name) =>
  page.getByRole('article').filter({ has: page.getByRole('heading', { level: 3, name, exact: true }) });

// Opens the directory and waits until `name` shows as online there (their
// tab's WebSocket is open: a knock or a call can reach them).
async function findOnline(page, name) {
  await openMenuIfFolded(page, 'bg');
  await page.getByRole('link', { name: ui.colleaguesLink, exact: true }).click();
  await visible(heading1(page, ui.colleaguesHeading));
  const card = cardOf(page, name);
  await visible(card.getByTestId('presence').filter({ hasText: ui.online }));
  return card;
}

async function openMyMeetings(page) {
  await openMenuIfFolded(page, 'bg');
  await page.getByRole('link', { name: ui.meetingsLink, exact: true }).click();
  await visible(heading1(page, ui.meetingsHeading));
}

// Both are in the same meeting's room, each with the other's tile.
async function expectTogether(page, person, otherPage, other) {
  const [id, otherId] = await Promise.all([expectInRoom(page, 'bg', person), expectInRoom(otherPage, 'bg', other)]);
  assert.equal(id, otherId, `${person.name} and ${other.name} are in different meetings`);
  await Promise.all([visible(tileOf(page, other.name)), visible(tileOf(otherPage, person.name))]);
  assert.equal(await page.getByTestId('tile').count(), 1, `${person.name} sees someone else too`);
  assert.equal(await otherPage.getByTestId('tile').count(), 1, `${other.name} sees someone else too`);
}

suite.test(
  'a. the organiser schedules a meeting with two colleagues; they see it and get its 1-minute reminder',
  { timeout: 240_000 },
  async (t) => {
    const organiser = suite.addEmployee({ name: 'Деница Живкова', position: 'Началник отдел' });
    const kaloyan = suite.addEmployee({ name: 'Калоян Тодоров', position: 'Старши експерт' });
    const ralitsa = suite.addEmployee({ name: 'Ралица Методиева', department: 'Дирекция „Правна“', position: 'Юрисконсулт' });
    const [host, first, second] = await Promise.all([t.newPage(), t.newPage(), t.newPage()]);
    await Promise.all([
      firstSignIn(host, t.url(), organiser),
      firstSignIn(first, t.url(), kaloyan),
      firstSignIn(second, t.url(), ralitsa),
    ]);

    // The organiser: My meetings (nothing yet), then the scheduling form.
    await openMyMeetings(host);
    await assertAccessible(host, 'My meetings, empty');
    await host.getByRole('main').getByRole('link', { name: ui.scheduleLink, exact: true }).click();
    await visible(heading1(host, ui.newMeetingHeading));

    const title = 'Оперативка по бюджета';
    await host.getByRole('textbox', { name: ui.meetingTitle, exact: true }).fill(title);
    const search = host.getByRole('searchbox', { name: ui.findInvitee, exact: true });
    for (const person of [kaloyan, ralitsa]) {
      await search.fill(person.name.split(' ')[0]);
      await host.getByRole('button', { name: ui.addInvitee(person.name), exact: true }).click();
      await visible(host.getByTestId('invitee-chip').filter({ hasText: person.name }));
    }
    assert.equal(await host.getByTestId('invitee-chip').count(), 2);

    // Only a reminder one minute before (the defaults, a day and 15 minutes
    // before, are off).
    const reminders = host.getByRole('group', { name: ui.remindersGroup, exact: true });
    await reminders.getByRole('checkbox', { name: ui.reminder.day, exact: true }).uncheck();
    await reminders.getByRole('checkbox', { name: ui.reminder.quarter, exact: true }).uncheck();
    await reminders.getByRole('checkbox', { name: ui.reminder.minute, exact: true }).check();
    for (const [label, checked] of Object.entries({ day: false, hour: false, quarter: false, five: false, minute: true })) {
      assert.equal(await reminders.getByRole('checkbox', { name: ui.reminder[label], exact: true }).isChecked(), checked, label);
    }
    await assertAccessible(host, 'the scheduling form, filled in');

    // The time last, just before sending: Europe/Sofia wall time, whatever
    // the machine's zone (the browser's is Europe/Sofia too).
    const startMs = meetingStartMs();
    const start = sofiaWall(startMs);
    await host.getByLabel(ui.meetingDate, { exact: true }).fill(start.date);
    await host.getByLabel(ui.meetingStart, { exact: true }).fill(start.time);
    await host.getByLabel(ui.meetingEnd, { exact: true }).fill(meetingEnd(startMs));
    await host.getByRole('button', { name: ui.scheduleSubmit, exact: true }).click();

    // Its page, once the meeting is saved.
    await visible(heading1(host, title));
    assert.ok(Date.now() < startMs - 60_000, 'the meeting was saved after its reminder fell due; the machine is too slow');
    await host.waitForURL(/\/meetings\/[^/]+$/);
    const meetingUrl = host.url();
    assert.equal(await host.getByTestId('invitee').count(), 3);
    await assertAccessible(host, 'the meeting page');

    // Both colleagues find it in "My meetings".
    await Promise.all(
      [first, second].map(async (page) => {
        await openMyMeetings(page);
        const item = page.getByTestId('occurrence').filter({ hasText: title }).first();
        await visible(item);
        await item.getByRole('link', { name: title, exact: true }).click();
        await visible(heading1(page, title));
        assert.equal(page.url(), meetingUrl);
        await page.goBack();
        await visible(heading1(page, ui.meetingsHeading));
      }),
    );
    await assertAccessible(first, 'My meetings, with the meeting');

    // While the reminder is not yet due: at 360 px the meeting page and the
    // scheduling form (with its invitees) fit without scrolling sideways.
    await host.setViewportSize({ width: 360, height: 740 });
    await visible(heading1(host, title));
    await assertNoHorizontalScroll(host, 'the meeting page at 360 px');
    await host.getByRole('link', { name: ui.editMeetingLink, exact: true }).click();
    await visible(heading1(host, ui.editMeetingHeading));
    assert.equal(await host.getByTestId('invitee-chip').count(), 2);
    await assertNoHorizontalScroll(host, 'the scheduling form (edit) at 360 px');
    await openMyMeetings(host);
    await host.getByRole('main').getByRole('link', { name: ui.scheduleLink, exact: true }).click();
    await visible(heading1(host, ui.newMeetingHeading));
    await host.getByRole('searchbox', { name: ui.findInvitee, exact: true }).fill(kaloyan.name.split(' ')[0]);
    await host.getByRole('button', { name: ui.addInvitee(kaloyan.name), exact: true }).click();
    await visible(host.getByTestId('invitee-chip'));
    await assertNoHorizontalScroll(host, 'the scheduling form (new) at 360 px');

    // The reminder reaches both colleagues in the app: in the notification
    // list, and on the bell (the invitation and the reminder are unread).
    await Promise.all(
      [first, second].map(async (page) => {
        await page.getByTestId('notification-bell').click();
        await visible(heading1(page, ui.notificationsHeading));
        const reminder = page.getByTestId('notification').filter({ hasText: ui.reminderText(title, '1 минута') });
        await reminder.waitFor({ state: 'visible', timeout: REMINDER_TIMEOUT_MS });
        await visible(page.getByRole('link', { name: ui.bell(2), exact: true }));
        // Not before it fell due.
        assert.ok(Date.now() >= startMs - 60_000 - 1000, 'the reminder came early');
      }),
    );
  },
);

suite.test('b. a colleague knocks on a personal room; the owner admits them from the open tab', async (t) => {
  const owner = suite.addEmployee({ name: 'Радослав Методиев', position: 'Директор' });
  const knocker = suite.addEmployee({ name: 'Цветелина Борисова', position: 'Експерт' });
  const [ownerPage, page] = await Promise.all([t.newPage(), t.newPage()]);
  await Promise.all([firstSignIn(ownerPage, t.url(), owner), firstSignIn(page, t.url(), knocker)]);

  // Directory → Room → Enter: the owner must let them in.
  const card = await findOnline(page, owner.name);
  await card.getByRole('button', { name: ui.roomButton, exact: true }).click();
  await visible(heading1(page, owner.name)).catch(async (error) => {
    // The card says why it could not find the room (GET /employees/{id}/room).
    const alert = await card.getByRole('alert').textContent({ timeout: 1000 }).catch(() => null);
    throw alert === null ? error : new Error(`"${ui.roomButton}" did not lead to the room: ${alert}`);
  });
  await page.waitForURL(/\/rooms\/[^/]+$/);
  const entry = page.getByTestId('room-entry');
  await entry.getByRole('button', { name: ui.enterRoom, exact: true }).click();
  await entry.getByRole('button', { name: ui.knock, exact: true }).click();
  await visible(entry.getByRole('status').filter({ hasText: ui.knocking(owner.name) }));

  // The owner, on another page of the app, gets the dialog and admits.
  const dialog = ownerPage.getByRole('dialog', { name: ui.knockDialog(knocker.name), exact: true });
  await visible(dialog);
  await assertAccessible(ownerPage, 'the knock dialog');
  await dialog.getByRole('button', { name: ui.admit, exact: true }).click();
  await hidden(dialog);

  // Both reach the pre-join screen of the room's meeting (titled with the
  // owner's name), the knocker with the pass the admission gave.
  await Promise.all([expectPreJoin(page, 'bg', owner.name), expectPreJoin(ownerPage, 'bg', owner.name)]);
  assert.equal(page.url(), ownerPage.url(), 'the knocker and the owner are on different meetings');
  assert.equal(await page.getByRole('button', { name: ui.join, exact: true }).count(), 0, `"${ui.join}" on the pre-join screen`);
  await assertAccessible(page, 'the pre-join screen');

  // The knocker goes in first and is alone; then the owner comes in.
  await joinFromPreJoin(page, 'bg', knocker);
  await visible(page.getByText(ui.alone, { exact: true }));
  await joinFromPreJoin(ownerPage, 'bg', owner);
  await expectTogether(page, knocker, ownerPage, owner);
  await waitForText(page.getByTestId('live-region'), ui.joinedAnnouncement(owner.name));
});

suite.test('c. a call from the directory: the callee accepts and both are in the same meeting', async (t) => {
  const caller = suite.addEmployee({ name: 'Огнян Стефанов', position: 'Главен експерт' });
  const callee = suite.addEmployee({ name: 'Божидара Крумова', position: 'Счетоводител' });
  const [page, calleePage] = await Promise.all([t.newPage(), t.newPage()]);
  await Promise.all([firstSignIn(page, t.url(), caller), firstSignIn(calleePage, t.url(), callee)]);

  const card = await findOnline(page, callee.name);
  await card.getByRole('button', { name: ui.call, exact: true }).click();
  const outgoing = page.getByRole('dialog', { name: ui.outgoingCall(callee.name), exact: true });
  await visible(outgoing.getByRole('status').filter({ hasText: ui.ringing }));

  const incoming = calleePage.getByRole('dialog', { name: ui.incomingCall, exact: true });
  await visible(incoming.getByText(ui.incomingCallText(caller.name), { exact: true }));
  await assertAccessible(calleePage, 'the incoming call dialog');
  await incoming.getByRole('button', { name: ui.accept, exact: true }).click();

  // No pre-join screen: both are in the call's room at once.
  await expectTogether(page, caller, calleePage, callee);
  for (const side of [page, calleePage]) {
    assert.equal(await side.getByRole('button', { name: ui.joinMeeting, exact: true }).count(), 0, 'a pre-join screen after the call');
  }
  await Promise.all([hidden(outgoing), hidden(incoming)]);
  assert.equal(page.url(), calleePage.url(), 'caller and callee are on different meeting pages');
  await assertAccessible(calleePage, 'the meeting room');

  // The caller leaves; the callee sees them go and is alone.
  await leaveRoom(page, 'bg');
  await hidden(tileOf(calleePage, caller.name));
  await visible(calleePage.getByText(ui.alone, { exact: true }));
  await waitForText(calleePage.getByTestId('live-region'), ui.leftAnnouncement(caller.name));
  await expectInRoom(calleePage, 'bg', callee);
});
