// Two-step verification: an administrator must set it up after the first
// password change; later sign-ins ask for the code from the app (or a
// recovery code). TOTP codes are computed here from the secret on the page.
import assert from 'node:assert/strict';
import {
  e2eSuite,
  expectRoom,
  fillCredentials,
  heading1,
  openSignIn,
  replaceOneTimePassword,
  signInWithOneTimePassword,
  signOut,
  switchLanguage,
  totpCode,
  totpStep,
  UI,
  visible,
  waitForStepAfter,
  waitForText,
} from './harness.mjs';

const suite = e2eSuite();

suite.test('TOTP helper matches RFC 6238 (SHA-1 test vectors)', () => {
  // RFC 6238 appendix B, secret "12345678901234567890", last 6 of the 8 digits.
  const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  assert.equal(totpCode(secret, totpStep(59_000)), '287082');
  assert.equal(totpCode(secret, totpStep(1_111_111_109_000)), '081804');
  assert.equal(totpCode(secret, totpStep(20_000_000_000_000)), '353130');
});

suite.test('administrator: forced two-step set-up, recovery codes, then sign-in asks for the code', async (t) => {
  const admin = suite.addEmployee({
    name: 'Димитър Николов',
    roles: ['administrator'],
    position: 'Системен администратор',
  });
  const page = await t.newPage();
  await openSignIn(page, t.url());
  await signInWithOneTimePassword(page, 'bg', admin);
  const password = await replaceOneTimePassword(page, 'bg', admin);

  // The set-up is the only view until it is done.
  await visible(heading1(page, UI.bg.totpSetupHeading));
  await page.goto(t.url('/colleagues'));
  await visible(heading1(page, UI.bg.totpSetupHeading));
  await visible(page.getByRole('img', { name: UI.bg.qrCode, exact: true }));
  const secretText = await page.getByRole('main').locator('code').textContent();
  const secret = secretText.replace(/\s+/g, '');
  assert.match(secret, /^[A-Z2-7]{16,}$/, `the key shown for typing by hand: ${secretText}`);
  const uri = await page.getByRole('main').locator('a[href^="otpauth://"]').getAttribute('href');
  assert.equal(new URL(uri).searchParams.get('secret'), secret);
  assert.equal(new URL(uri).searchParams.get('issuer'), 'eGov box');

  // A wrong code is refused, in the field's alert.
  const codeField = page.getByRole('textbox', { name: UI.bg.sixDigitCode, exact: true });
  const now = totpStep();
  const valid = new Set([now - 1, now, now + 1].map((step) => totpCode(secret, step)));
  const wrong = ['000000', '111111', '222222', '333333'].find((code) => !valid.has(code));
  await codeField.fill(wrong);
  await page.getByRole('button', { name: UI.bg.confirm, exact: true }).click();
  await waitForText(page.getByRole('alert'), UI.bg.wrongTotp);
  assert.equal(await codeField.getAttribute('aria-invalid'), 'true');

  // The right code: recovery codes, once.
  const enrolledStep = totpStep();
  const enrolledCode = totpCode(secret, enrolledStep);
  await codeField.fill(enrolledCode);
  await page.getByRole('button', { name: UI.bg.confirm, exact: true }).click();
  await visible(page.getByRole('heading', { name: UI.bg.recoveryCodesHeading, exact: true }));
  const recoveryCodes = (await page.getByRole('main').getByRole('listitem').allTextContents()).map((c) => c.trim());
  assert.ok(recoveryCodes.length >= 5, `recovery codes: ${JSON.stringify(recoveryCodes)}`);
  assert.equal(new Set(recoveryCodes).size, recoveryCodes.length);
  await page.getByRole('button', { name: UI.bg.savedCodes, exact: true }).click();
  // On to the page that was asked for, then the room.
  await visible(heading1(page, UI.bg.colleaguesHeading));
  await page.getByRole('link', { name: UI.bg.roomLink, exact: true }).click();
  await expectRoom(page, 'bg', admin);
  await visible(page.getByText('администратор', { exact: true }));

  // Sign in again: the password is not enough.
  await signOut(page, 'bg');
  await fillCredentials(page, 'bg', admin.code, password);
  await visible(page.getByRole('heading', { level: 2, name: UI.bg.secondStepHeading, exact: true }));
  const verification = page.getByRole('textbox', { name: UI.bg.verificationCode, exact: true });
  await page.waitForFunction(() => document.activeElement?.id === 'signin-totp');
  // The code already used for the set-up is refused (each step counts once).
  await verification.fill(enrolledCode);
  await page.getByRole('button', { name: UI.bg.verify, exact: true }).click();
  await waitForText(page.getByRole('alert'), UI.bg.wrongTotp);

  // A recovery code works instead (in English this time), once.
  await switchLanguage(page, 'bg');
  await page.getByRole('button', { name: UI.en.useRecovery, exact: true }).click();
  await page.getByRole('textbox', { name: UI.en.recoveryCode, exact: true }).fill(recoveryCodes[0]);
  await page.getByRole('button', { name: UI.en.verify, exact: true }).click();
  await expectRoom(page, 'en', admin);
  await signOut(page, 'en');
  await fillCredentials(page, 'en', admin.code, password);
  await page.getByRole('button', { name: UI.en.useRecovery, exact: true }).click();
  await page.getByRole('textbox', { name: UI.en.recoveryCode, exact: true }).fill(recoveryCodes[0]);
  await page.getByRole('button', { name: UI.en.verify, exact: true }).click();
  await waitForText(page.getByRole('alert'), UI.en.wrongTotp);
  await page.getByRole('button', { name: UI.en.useTotp, exact: true }).click();

  // The next code from the app works, once its 30-second step has begun.
  await switchLanguage(page, 'en');
  await waitForStepAfter(enrolledStep);
  await page.getByRole('textbox', { name: UI.bg.verificationCode, exact: true }).fill(totpCode(secret, totpStep()));
  await page.getByRole('button', { name: UI.bg.verify, exact: true }).click();
  await expectRoom(page, 'bg', admin);

  // Still signed in after a reload; the set-up is not asked for again.
  await page.reload();
  await expectRoom(page, 'bg', admin);
});
