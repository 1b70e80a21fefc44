// Signing in: the first sign-in with a one-time password, the room in both
// languages, reload, sign-out; and the errors of the sign-in form.
import assert from 'node:assert/strict';
import {
  e2eSuite,
  expectRoom,
  fillCredentials,
  heading1,
  languageOf,
  openSignIn,
  replaceOneTimePassword,
  signInWithOneTimePassword,
  signOut,
  switchLanguage,
  UI,
  visible,
  waitForText,
} from './harness.mjs';

const suite = e2eSuite();

suite.test('first sign-in: one-time password, forced change, room in Bulgarian and English, reload, sign-out', async (t) => {
  const person = suite.addEmployee({ name: 'Мария Иванова' });
  const page = await t.newPage();

  // Bulgarian by default.
  await openSignIn(page, t.url());
  assert.equal(await languageOf(page), 'bg');
  await visible(page.getByRole('link', { name: UI.bg.skipLink, exact: true }));

  await signInWithOneTimePassword(page, 'bg', person);

  // Nothing else is reachable before the one-time password is changed.
  await page.goto(t.url('/colleagues'));
  await visible(heading1(page, UI.bg.firstPasswordHeading));

  const password = await replaceOneTimePassword(page, 'bg', person);
  // Then the page that was asked for shows; the room is one click away.
  await visible(heading1(page, UI.bg.colleaguesHeading));
  await page.getByRole('link', { name: UI.bg.roomLink, exact: true }).click();
  await page.waitForURL(t.url('/'));
  await expectRoom(page, 'bg', person);
  for (const text of UI.bg.roomEmpty) await visible(page.getByText(text, { exact: true }));
  await visible(page.getByRole('navigation', { name: UI.bg.navigation, exact: true }));

  // English, and back.
  await switchLanguage(page, 'bg');
  await expectRoom(page, 'en', person);
  for (const text of UI.en.roomEmpty) await visible(page.getByText(text, { exact: true }));
  await visible(page.getByRole('link', { name: UI.en.colleaguesLink, exact: true }));
  await switchLanguage(page, 'en');
  await expectRoom(page, 'bg', person);

  // The choice of language and the session survive a reload.
  await switchLanguage(page, 'bg');
  await page.reload();
  await expectRoom(page, 'en', person);
  assert.equal(await languageOf(page), 'en');

  // Navigation inside the app keeps both too.
  await page.getByRole('link', { name: UI.en.colleaguesLink, exact: true }).click();
  await visible(heading1(page, UI.en.colleaguesHeading));
  await page.waitForURL('**/colleagues');
  await page.goBack();
  await expectRoom(page, 'en', person);
  // An unknown address, signed in: the 404 view inside the workspace.
  await page.goto(t.url('/nowhere'));
  await visible(heading1(page, UI.en.notFoundHeading));
  await page.getByRole('link', { name: UI.en.roomLink, exact: true }).click();
  await expectRoom(page, 'en', person);

  // Sign out: back at sign-in, still in English; a reload stays signed out.
  await signOut(page, 'en');
  await page.waitForURL('**/signin');
  await page.reload();
  await visible(heading1(page, UI.en.signInHeading));
  await page.goto(t.url('/security'));
  await visible(heading1(page, UI.en.signInHeading));

  // The new password works; the one-time password no longer does.
  await fillCredentials(page, 'en', person.code, person.one_time_password);
  await waitForText(page.getByRole('alert'), UI.en.wrongPassword);
  await fillCredentials(page, 'en', person.code, password);
  // The address opened while signed out is where the sign-in leads.
  await visible(heading1(page, UI.en.securityHeading));
  await page.waitForURL(t.url('/security'));
  await page.getByRole('link', { name: UI.en.roomLink, exact: true }).click();
  await expectRoom(page, 'en', person);
  await switchLanguage(page, 'en');
  await expectRoom(page, 'bg', person);
});

suite.test('sign-in errors: wrong password and mistyped code are announced; the form stays usable', async (t) => {
  const person = suite.addEmployee({ name: 'Петър Георгиев', department: 'Дирекция „Правна“' });
  const page = await t.newPage();
  await openSignIn(page, t.url());

  // Empty form: field errors, tied to the inputs.
  await page.getByRole('button', { name: UI.bg.signInButton, exact: true }).click();
  const codeField = page.getByRole('textbox', { name: UI.bg.code, exact: true });
  await waitForText(page.getByRole('alert').first(), 'Въведете личния си код.');
  await waitForText(page.getByRole('alert').nth(1), 'Въведете паролата си.');
  assert.equal(await codeField.getAttribute('aria-invalid'), 'true');
  // Focus goes to the first field in error.
  await page.waitForFunction(() => document.activeElement?.id === 'signin-code');

  // Wrong password, in Bulgarian.
  await fillCredentials(page, 'bg', person.code, 'not-the-password');
  const alert = page.getByRole('alert');
  await waitForText(alert, UI.bg.wrongPassword);
  // The password field is emptied and focused, ready for the next try.
  const passwordField = page.getByLabel(UI.bg.password, { exact: true });
  assert.equal(await passwordField.inputValue(), '');
  await page.waitForFunction(() => document.activeElement?.id === 'signin-password');

  // In English the same error reads in English.
  await switchLanguage(page, 'bg');
  await fillCredentials(page, 'en', person.code, 'still-not-the-password');
  await waitForText(page.getByRole('alert'), UI.en.wrongPassword);

  // A mistyped code (one character changed; the check character catches it).
  const mistyped = mistype(person.code);
  await fillCredentials(page, 'en', mistyped, person.one_time_password);
  const codeError = page.getByRole('alert').filter({ hasText: UI.en.mistypedCode });
  await waitForText(codeError, UI.en.mistypedCode);
  const describedBy = await page.getByRole('textbox', { name: UI.en.code, exact: true }).getAttribute('aria-describedby');
  const errorId = await codeError.getAttribute('id');
  assert.ok(describedBy?.split(' ').includes(errorId), `the code field is described by its error (${describedBy})`);

  await switchLanguage(page, 'en');
  await fillCredentials(page, 'bg', mistyped, person.one_time_password);
  await waitForText(page.getByRole('alert').filter({ hasText: UI.bg.mistypedCode }), UI.bg.mistypedCode);

  // The form still works: lower case and no dash are fine.
  await fillCredentials(page, 'bg', person.code.replace('-', '').toLowerCase(), person.one_time_password);
  await visible(heading1(page, UI.bg.firstPasswordHeading));
});

// https://host//: once a crash of the History API (the path "//" read as
// another host after sign-in).
suite.test('an address with a double slash leads to the room after sign-in', async (t) => {
  const person = suite.addEmployee({ name: 'Иван Петров' });
  const page = await t.newPage();
  await openSignIn(page, t.url('//'));
  await signInWithOneTimePassword(page, 'bg', person);
  await replaceOneTimePassword(page, 'bg', person);
  await expectRoom(page, 'bg', person);
  await page.waitForURL(t.url('/'));
});

// Changes one character of a personal code to another valid one.
function mistype(code) {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const first = code[0];
  const replacement = alphabet[(alphabet.indexOf(first) + 1) % alphabet.length];
  return replacement + code.slice(1);
}
