// axe-core in the real browser: no WCAG 2.1 A/AA violations on the views a
// person sees, in Bulgarian and English, on a desktop and a phone screen.
import {
  assertAccessible,
  DESKTOP,
  e2eSuite,
  expectRoom,
  fillCredentials,
  heading1,
  openMenuIfFolded,
  openSignIn,
  PHONE,
  replaceOneTimePassword,
  signInWithOneTimePassword,
  switchLanguage,
  UI,
  visible,
  waitForText,
} from './harness.mjs';

const suite = e2eSuite();

for (const [screen, options] of [
  ['desktop 1280×800', DESKTOP],
  ['phone 375×667', PHONE],
]) {
  for (const lang of ['bg', 'en']) {
    suite.test(`axe: sign-in, password change, room, colleagues, security (${lang}, ${screen})`, async (t) => {
      const person = suite.addEmployee({ name: lang === 'bg' ? 'Елена Димитрова' : 'Георги Стоянов' });
      const page = await t.newPage(options);
      const ui = UI[lang];
      await openSignIn(page, t.url());
      if (lang === 'en') await switchLanguage(page, 'bg');
      await assertAccessible(page, `sign-in (${lang}, ${screen})`);

      // With a form error shown.
      await fillCredentials(page, lang, person.code, 'wrong password');
      await waitForText(page.getByRole('alert'), ui.wrongPassword);
      await assertAccessible(page, `sign-in with an error (${lang}, ${screen})`);

      await signInWithOneTimePassword(page, lang, person);
      await assertAccessible(page, `password change (${lang}, ${screen})`);

      await replaceOneTimePassword(page, lang, person);
      await expectRoom(page, lang, person);
      await assertAccessible(page, `room (${lang}, ${screen})`);

      await openMenuIfFolded(page, lang);
      if (options === PHONE) await assertAccessible(page, `room with the menu open (${lang}, ${screen})`);
      await page.getByRole('link', { name: ui.colleaguesLink, exact: true }).click();
      await visible(heading1(page, ui.colleaguesHeading));
      await waitForText(page.getByRole('main').getByRole('status'), ui.found(suite.people));
      await assertAccessible(page, `colleagues (${lang}, ${screen})`);

      await openMenuIfFolded(page, lang);
      await page.getByRole('link', { name: ui.securityLink, exact: true }).click();
      await visible(heading1(page, ui.securityHeading));
      await visible(page.getByRole('button', { name: new RegExp(`^${ui.currentSessionButton} `) }));
      await assertAccessible(page, `security (${lang}, ${screen})`);
    });
  }
}
