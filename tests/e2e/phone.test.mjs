// The same first sign-in on a phone-sized screen (375×667, touch): every
// view fits the width, without horizontal scrolling.
import assert from 'node:assert/strict';
import {
  assertNoHorizontalScroll,
  e2eSuite,
  expectRoom,
  fillCredentials,
  heading1,
  openMenuIfFolded,
  openSignIn,
  PHONE,
  replaceOneTimePassword,
  signInWithOneTimePassword,
  signOut,
  switchLanguage,
  UI,
  visible,
  waitForText,
} from './harness.mjs';

const suite = e2eSuite();

suite.test('phone: sign-in, password change, room, colleagues and security fit 375 px in both languages', async (t) => {
  // A long name and department, the worst case for a narrow card.
  const person = suite.addEmployee({
    name: 'Александра-Валентина Христова-Константинова',
    department: 'Дирекция „Административно-правно обслужване и човешки ресурси“',
    position: 'Старши експерт по информационно-комуникационни технологии',
  });
  const page = await t.newPage(PHONE);
  await openSignIn(page, t.url());
  // The page's viewport meta makes the layout viewport the phone's width.
  assert.deepEqual(await page.evaluate(() => [window.innerWidth, navigator.maxTouchPoints > 0]), [375, true]);
  await assertNoHorizontalScroll(page, 'sign-in (bg)');
  await switchLanguage(page, 'bg');
  await assertNoHorizontalScroll(page, 'sign-in (en)');
  await switchLanguage(page, 'en');

  // An error message must wrap too.
  await fillCredentials(page, 'bg', person.code, 'wrong password');
  await waitForText(page.getByRole('alert'), UI.bg.wrongPassword);
  await assertNoHorizontalScroll(page, 'sign-in with an error (bg)');

  await page.getByRole('textbox', { name: UI.bg.code, exact: true }).tap();
  await signInWithOneTimePassword(page, 'bg', person);
  await assertNoHorizontalScroll(page, 'password change (bg)');
  await switchLanguage(page, 'bg');
  await assertNoHorizontalScroll(page, 'password change (en)');
  await switchLanguage(page, 'en');

  await replaceOneTimePassword(page, 'bg', person);
  await expectRoom(page, 'bg', person);
  await assertNoHorizontalScroll(page, 'room (bg)');

  // The navigation is folded behind "Menu"; opened, it still fits.
  const menu = page.getByRole('button', { name: UI.bg.menu, exact: true });
  await visible(menu);
  assert.equal(await menu.getAttribute('aria-expanded'), 'false');
  assert.equal(await page.getByRole('link', { name: UI.bg.colleaguesLink, exact: true }).isVisible(), false);
  await openMenuIfFolded(page, 'bg');
  await assertNoHorizontalScroll(page, 'room with the menu open (bg)');
  await page.getByRole('button', { name: UI.bg.languageButton, exact: true }).tap();
  await expectRoom(page, 'en', person);
  await assertNoHorizontalScroll(page, 'room (en)');

  await openMenuIfFolded(page, 'en');
  await page.getByRole('link', { name: UI.en.colleaguesLink, exact: true }).tap();
  await visible(heading1(page, UI.en.colleaguesHeading));
  await waitForText(page.getByRole('main').getByRole('status'), UI.en.found(1));
  await visible(page.getByRole('heading', { level: 3, name: person.name, exact: true }));
  // Navigating closes the menu.
  assert.equal(await page.getByRole('button', { name: UI.en.menu, exact: true }).getAttribute('aria-expanded'), 'false');
  await assertNoHorizontalScroll(page, 'colleagues (en)');

  await openMenuIfFolded(page, 'en');
  await switchLanguage(page, 'en');
  await visible(heading1(page, UI.bg.colleaguesHeading));
  await assertNoHorizontalScroll(page, 'colleagues (bg)');

  await openMenuIfFolded(page, 'bg');
  await page.getByRole('link', { name: UI.bg.securityLink, exact: true }).tap();
  await visible(heading1(page, UI.bg.securityHeading));
  await visible(page.getByRole('button', { name: new RegExp(`^${UI.bg.currentSessionButton} Chrome на Android`) }));
  await assertNoHorizontalScroll(page, 'security (bg)');

  // Reload: still signed in, still Bulgarian; then sign out.
  await page.reload();
  await visible(heading1(page, UI.bg.securityHeading));
  await signOut(page, 'bg');
  await assertNoHorizontalScroll(page, 'sign-in after sign-out (bg)');
});
