// The Security page's list of sessions: the current one is marked; revoking
// another session signs that browser out at its next request or reload.
import assert from 'node:assert/strict';
import {
  DESKTOP,
  e2eSuite,
  expectRoom,
  fillCredentials,
  firstSignIn,
  heading1,
  openMenuIfFolded,
  openSignIn,
  PHONE,
  UI,
  visible,
  waitForText,
  waitUntil,
} from './harness.mjs';

const suite = e2eSuite();

const WINDOWS = {
  ...DESKTOP,
  userAgent:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
};

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// "Прекратяване на сесията Chrome на Android, започната 27.11.2026 г., 23:40"
const sessionButton = (page, prefix, device) =>
  page.getByRole('button', { name: new RegExp(`^${escape(prefix)} ${escape(device)}, \\S`) });

suite.test('security: sessions are listed; a revoked session falls back to sign-in', async (t) => {
  const person = suite.addEmployee({ name: 'Николай Стоянов' });

  // This browser (headless Chrome on Linux) makes the first sign-in.
  const desk = await t.newPage();
  const password = await firstSignIn(desk, t.url(), person);

  // Two more browsers of the same person: a phone and a Windows PC.
  const phone = await t.newPage(PHONE);
  await openSignIn(phone, t.url());
  await fillCredentials(phone, 'bg', person.code, password);
  await expectRoom(phone, 'bg', person);
  const windows = await t.newPage(WINDOWS);
  await openSignIn(windows, t.url());
  await fillCredentials(windows, 'bg', person.code, password);
  await expectRoom(windows, 'bg', person);

  await desk.getByRole('link', { name: UI.bg.securityLink, exact: true }).click();
  await visible(heading1(desk, UI.bg.securityHeading));
  await visible(desk.getByRole('heading', { level: 2, name: UI.bg.sessionsHeading, exact: true }));
  const current = sessionButton(desk, UI.bg.currentSessionButton, 'Chrome на Linux');
  const phoneSession = sessionButton(desk, UI.bg.otherSessionButton, 'Chrome на Android');
  const windowsSession = sessionButton(desk, UI.bg.otherSessionButton, 'Chrome на Windows');
  await visible(current);
  await visible(phoneSession);
  await visible(windowsSession);
  // The current session comes first and carries the badge, once.
  const items = desk.getByRole('listitem').filter({ has: desk.getByRole('heading', { level: 3 }) });
  assert.equal(await items.count(), 3);
  assert.equal(await items.first().getByRole('heading', { level: 3 }).textContent(), 'Chrome на Linux');
  assert.equal(await desk.getByText(UI.bg.currentSessionBadge, { exact: true }).count(), 1);
  await visible(items.first().getByText(UI.bg.currentSessionBadge, { exact: true }));
  await visible(items.first().getByText('127.0.0.1', { exact: true }));

  // Revoke the phone's session: announced, and gone from the list.
  await phoneSession.click();
  await waitForText(desk.getByRole('status').filter({ hasText: 'Сесията' }), 'Сесията „Chrome на Android“ е прекратена.');
  await phoneSession.waitFor({ state: 'detached' });
  await waitUntil(async () => (await items.count()) === 2, { message: 'two sessions left' });

  // The phone finds out at its next request: "session expired".
  await openMenuIfFolded(phone, 'bg');
  await phone.getByRole('link', { name: UI.bg.colleaguesLink, exact: true }).click();
  await visible(heading1(phone, UI.bg.signInHeading));
  await waitForText(phone.getByRole('status').filter({ hasText: UI.bg.expiredNotice }), UI.bg.expiredNotice);
  // Signing in again leads back to the page it was going to.
  await fillCredentials(phone, 'bg', person.code, password);
  await visible(heading1(phone, UI.bg.colleaguesHeading));
  await phone.waitForURL(t.url('/colleagues'));

  // Revoke the Windows session: a reload there shows the sign-in.
  await windowsSession.click();
  await windowsSession.waitFor({ state: 'detached' });
  await windows.reload();
  await visible(heading1(windows, UI.bg.signInHeading));
  assert.equal(await windows.getByRole('link', { name: UI.bg.securityLink, exact: true }).count(), 0);

  // The list reloads with the phone's new session; this browser then signs
  // itself out from the list.
  await desk.reload();
  await visible(current);
  await visible(phoneSession);
  assert.equal(await windowsSession.count(), 0);
  await current.click();
  await visible(heading1(desk, UI.bg.signInHeading));
  await visible(desk.getByRole('status').filter({ hasText: UI.bg.signedOutNotice }));
  await desk.reload();
  await visible(heading1(desk, UI.bg.signInHeading));

  // The phone's new session is untouched.
  await phone.reload();
  await visible(heading1(phone, UI.bg.colleaguesHeading));
});
