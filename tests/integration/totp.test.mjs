// Two-step verification (RFC 6238 TOTP) for administrators: enrolment, sign-in
// with a code, replay refusal, recovery codes.
import assert from 'node:assert/strict';

import {
  assertProblem,
  Client,
  createEmployee,
  currentTotpStep,
  ensureTotpStepMargin,
  NEW_PASSWORD,
  serverTest,
  setUpAdministrator,
  startServer,
  totpAt,
} from './harness.mjs';

serverTest('an administrator must enrol TOTP, then signs in with password and code; recovery codes work once', async () => {
  const server = await startServer();
  const employee = createEmployee(server.dataDir, { name: 'Георги Админов', roles: ['administrator'] });
  const client = new Client(server);

  const first = await client.signInOk(employee.code, employee.one_time_password);
  assert.equal(first.must_change_password, true);
  assertProblem(await client.get('/api/v1/employees'), 403, 'password-change-required');
  await client.changePassword(employee.one_time_password, NEW_PASSWORD);

  const state = await client.get('/api/v1/session');
  assert.equal(state.status, 200, state.text);
  assert.equal(state.json.must_change_password, false);
  assert.equal(state.json.must_enroll_totp, true);
  assertProblem(await client.get('/api/v1/employees'), 403, 'totp-enrollment-required');
  assertProblem(await client.post('/api/v1/employees', { name: 'X', email: 'x@example.org' }), 403, 'totp-enrollment-required');

  const started = await client.post('/api/v1/me/totp', {});
  assert.equal(started.status, 200, started.text);
  const { secret, otpauth_uri: uri, qr_svg: qr } = started.json;
  assert.match(secret, /^[A-Z2-7]{32}$/);
  assert.ok(uri.startsWith('otpauth://totp/') && uri.includes(`secret=${secret}`), uri);
  assert.match(qr, /^<svg/);

  await ensureTotpStepMargin(12);
  const step = currentTotpStep();
  const wrongConfirm = await client.post('/api/v1/me/totp/confirm', { totp: otherCode(secret, step) });
  assertProblem(wrongConfirm, 400, 'invalid-totp');
  // The previous step's code is still inside the window and leaves this step's code
  // and the next one's for the sign-ins below, without waiting 30 s.
  const confirmed = await client.post('/api/v1/me/totp/confirm', { totp: totpAt(secret, step - 1) });
  assert.equal(confirmed.status, 200, confirmed.text);
  const recoveryCodes = confirmed.json.recovery_codes;
  assert.equal(recoveryCodes.length, 10);
  assert.equal(new Set(recoveryCodes).size, 10);
  assert.equal((await client.get('/api/v1/employees')).status, 200, 'enrolled: the directory opens');
  assertProblem(await client.post('/api/v1/me/totp', {}), 409, 'totp-already-enabled');

  const signedOut = await client.delete('/api/v1/session');
  assert.equal(signedOut.status, 204);

  const passwordOnly = new Client(server);
  assertProblem(await passwordOnly.signIn(employee.code, NEW_PASSWORD), 401, 'totp-required');
  assert.equal(passwordOnly.token, null, 'no session without the second factor');
  assertProblem(await passwordOnly.signIn(employee.code, NEW_PASSWORD, otherCode(secret, step)), 401, 'invalid-totp');
  assertProblem(await passwordOnly.signIn(employee.code, NEW_PASSWORD, 'abcdef'), 401, 'invalid-totp');
  // The right code with a wrong password is still invalid credentials.
  assertProblem(await passwordOnly.signIn(employee.code, 'not the password', totpAt(secret, step)), 401, 'invalid-credentials');

  const withCode = new Client(server);
  const signedIn = await withCode.signInOk(employee.code, NEW_PASSWORD, totpAt(secret, step));
  assert.equal(signedIn.must_enroll_totp, false);
  assert.equal((await withCode.get('/api/v1/employees')).status, 200);

  // A code is accepted once: the same step again is a replay.
  assertProblem(await new Client(server).signIn(employee.code, NEW_PASSWORD, totpAt(secret, step)), 401, 'invalid-totp');

  const recovery = recoveryCodes[3];
  const withRecovery = new Client(server);
  await withRecovery.signInOk(employee.code, NEW_PASSWORD, undefined, { recovery_code: recovery.toUpperCase() });
  assert.equal((await withRecovery.get('/api/v1/employees')).status, 200);
  const reused = await new Client(server).signIn(employee.code, NEW_PASSWORD, undefined, { recovery_code: recovery });
  assertProblem(reused, 401, 'invalid-totp');
  assertProblem(
    await new Client(server).signIn(employee.code, NEW_PASSWORD, undefined, { recovery_code: 'aaaaa-bbbbb-ccccc' }),
    401,
    'invalid-totp',
  );
  // Another recovery code still works.
  await new Client(server).signInOk(employee.code, NEW_PASSWORD, undefined, { recovery_code: recoveryCodes[4] });

  // The next step's code is inside the window too, and newer than any used so far.
  await new Client(server).signInOk(employee.code, NEW_PASSWORD, totpAt(secret, step + 1));
});

serverTest('an administrator cannot turn two-step verification off', async () => {
  const server = await startServer();
  const { client } = await setUpAdministrator(server);
  assertProblem(await client.request('DELETE', '/api/v1/me/totp', { json: { password: NEW_PASSWORD } }), 403, 'totp-mandatory');
});

serverTest('an employee without a privileged role signs in without a code', async () => {
  const server = await startServer();
  const employee = createEmployee(server.dataDir, { roles: ['employee', 'councillor'] });
  const client = new Client(server);
  const first = await client.signInOk(employee.code, employee.one_time_password);
  assert.equal(first.must_enroll_totp, false);
  await client.changePassword(employee.one_time_password, NEW_PASSWORD);
  assert.equal((await client.get('/api/v1/employees')).status, 200);
  assertProblem(await client.post('/api/v1/employees', { name: 'X', email: 'x@example.org' }), 403, 'forbidden');
});

// A six-digit code that is none of the codes valid around `step`.
function otherCode(secret, step) {
  const valid = new Set([-1, 0, 1, 2].map((offset) => totpAt(secret, step + offset)));
  for (let n = 123456; ; n++) {
    const code = String(n % 1_000_000).padStart(6, '0');
    if (!valid.has(code)) return code;
  }
}
