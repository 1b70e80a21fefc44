// Three people in one hall, each in a Chromium of their own making (fake camera
// and microphone), joined through the UI and carried by our SFU inside this
// loopback-only namespace:
//   every participant decodes the video of both others and receives their audio
//   (getStats: framesDecoded and packetsReceived rising); one shares the screen
//   and the other two decode it; the chat message of one reaches the other two;
//   one leaves and the other two see their tiles go within 2 s; finally every tab
//   is crashed mid-call and the engine's rooms, participants and transports
//   return to zero while the server goes on serving.
import assert from 'node:assert/strict';

import { e2eSuite, visible, waitUntil } from './harness.mjs';
import { clerkMeeting, decodedFrames, engineCount, enterMeeting, risingStreams, signedInPages, step } from './meeting_helpers.mjs';

const suite = e2eSuite();

suite.test('three people in a hall see and hear each other, share a screen, chat, leave; crashed tabs leave nothing behind', { timeout: 180_000 }, async (t) => {
  const people = [
    suite.addEmployee({ name: 'Ралица Стоянова', position: 'Секретар', roles: ['employee', 'clerk'] }),
    suite.addEmployee({ name: 'Огнян Димитров', position: 'Юрисконсулт' }),
    suite.addEmployee({ name: 'Весела Петкова', position: 'Експерт' }),
  ];
  const pages = await signedInPages(t, people);

  step('signed in');
  // The clerk makes a hall and a meeting in it that is on now, with the two others invited.
  const now = Date.now();
  const { clerk, meetingId } = await clerkMeeting(t, people);

  step('meeting made');
  // Each joins through the UI: the meeting page, Join, the pre-join screen, Join the meeting.
  for (const page of pages) await enterMeeting(page, t.url(`/meetings/${meetingId}`));
  step('all in');
  for (const page of pages) {
    await waitUntil(async () => (await page.getByTestId('tile').count()) === 2, { timeout: 20_000, message: 'two remote tiles' });
  }

  step('tiles shown');
  // Video from both others decoded, audio from both others received, on every page.
  for (const [i, page] of pages.entries()) {
    await waitUntil(async () => (await risingStreams(page, 'video', 2000)).length >= 2, { timeout: 30_000, message: `page ${i}: video from both others` });
    assert.ok((await risingStreams(page, 'video')).length >= 2, `page ${i}: framesDecoded rising for two videos over 5 s`);
    assert.ok((await risingStreams(page, 'audio')).length >= 2, `page ${i}: packetsReceived rising for two audios over 5 s`);
  }

  step('media flows');
  // The clerk shares the screen: the other two decode it, shown large.
  await pages[0].getByRole('button', { name: 'Споделяне на екрана' }).click();
  for (const page of pages.slice(1)) {
    const screen = page.locator('[data-testid="tile"][data-source="screen"]');
    await visible(screen);
    const first = await decodedFrames(screen);
    await waitUntil(async () => (await decodedFrames(screen)) > first + 5, { timeout: 20_000, message: 'the screen decoded' });
  }

  step('screen decoded');
  // Chat: the clerk's message reaches both others.
  await pages[0].getByRole('button', { name: 'Чат', exact: true }).click();
  const text = `Материалите са качени (${now})`;
  await pages[0].getByRole('textbox', { name: 'Съобщение' }).fill(text);
  await pages[0].getByRole('button', { name: 'Изпращане', exact: true }).click();
  for (const page of pages.slice(1)) {
    await page.getByRole('button', { name: 'Чат', exact: true }).click();
    await visible(page.getByTestId('chat-log').getByText(text));
  }

  step('chat delivered');
  // The third leaves: the tiles go from the other two within 2 s.
  const leftAt = Date.now();
  await pages[2].getByRole('button', { name: 'Излизане от срещата' }).click();
  for (const page of pages.slice(0, 2)) {
    await waitUntil(async () => (await page.locator('[data-testid="tile"]:not([data-source="screen"])').count()) === 1, {
      timeout: 2_000,
      message: 'the leaver\'s tile gone within 2 s',
    });
  }
  assert.ok(Date.now() - leftAt <= 2_500);

  step('leaver gone');
  // Every tab crashes mid-call: nothing of them stays in the engine.
  const metrics = async () => (await clerk.call('GET', '/metrics')).text;
  const before = await metrics();
  assert.equal(engineCount(before, 'egovbox_media_rooms'), 1);
  assert.equal(engineCount(before, 'egovbox_media_participants'), 2);
  for (const page of pages.slice(0, 2)) {
    const session = await page.context().newCDPSession(page);
    session.send('Page.crash').catch(() => {}); // the renderer dies: the call never returns
  }
  await waitUntil(async () => {
    const text = await metrics();
    return ['egovbox_media_rooms', 'egovbox_media_participants', 'egovbox_media_transports'].every((name) => engineCount(text, name) === 0);
  }, { timeout: 15_000, message: 'rooms, participants and transports back to zero' });
  assert.equal((await clerk.call('GET', '/healthz')).status, 200);
});
