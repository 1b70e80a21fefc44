// Sessions: idle expiry, the list of one's sessions, revocation, sign-out.
import assert from 'node:assert/strict';

import {
  admin,
  assertProblem,
  Client,
  NEW_PASSWORD,
  OTHER_PASSWORD,
  request,
  serverTest,
  settledEmployee,
  setUpAdministrator,
  signedInEmployee,
  sleep,
  startServer,
  waitFor,
} from './harness.mjs';

serverTest('a session idle longer than session_idle_timeout gets 401 session-expired', async () => {
  const server = await startServer({ env: { EGOVBOX_SESSION_IDLE_TIMEOUT: '2s' } });
  const { employee, client } = await signedInEmployee(server);
  assert.equal((await client.get('/api/v1/me')).status, 200);
  await sleep(3100);
  assertProblem(await client.get('/api/v1/me'), 401, 'session-expired');
  // It stays expired: a late request does not revive it.
  assertProblem(await client.get('/api/v1/me'), 401, 'session-expired');
  // A new sign-in works.
  await client.signInOk(employee.code, employee.one_time_password);
  assert.equal((await client.get('/api/v1/me')).status, 200);
});

serverTest('a session in use outlives the idle timeout', async () => {
  const server = await startServer({ env: { EGOVBOX_SESSION_IDLE_TIMEOUT: '2s' } });
  const { client } = await signedInEmployee(server);
  const started = Date.now();
  while (Date.now() - started < 4000) {
    const me = await client.get('/api/v1/me');
    assert.equal(me.status, 200, `after ${Date.now() - started} ms of use: ${me.text}`);
    await sleep(500);
  }
});

serverTest('lists one\'s sessions, revokes another one, and signs out', async () => {
  const server = await startServer();
  const { employee, client: first } = await settledEmployee(server);
  const second = new Client(server, { headers: { 'User-Agent': 'second-device/1.0' } });
  await second.signInOk(employee.code, NEW_PASSWORD);
  // Recently checked sessions are remembered in memory: a revocation must still count at once.
  assert.equal((await second.get('/api/v1/me')).status, 200);
  assert.equal((await first.get('/api/v1/me')).status, 200);

  const listed = await first.get('/api/v1/me/sessions');
  assert.equal(listed.status, 200, listed.text);
  const items = listed.json.items;
  assert.equal(items.length, 2, JSON.stringify(items));
  assert.equal(items.filter((item) => item.current).length, 1);
  const other = items.find((item) => !item.current);
  assert.equal(other.user_agent, 'second-device/1.0');
  assert.equal(other.client_address, '127.0.0.1');
  for (const field of ['created_at', 'last_seen_at', 'expires_at']) {
    assert.match(other[field], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, `${field} is RFC 3339 UTC`);
  }

  const revoked = await first.delete(`/api/v1/me/sessions/${encodeURIComponent(other.id)}`);
  assert.equal(revoked.status, 204, revoked.text);
  assertProblem(await second.get('/api/v1/me'), 401, 'session-expired');
  assertProblem(await first.delete(`/api/v1/me/sessions/${encodeURIComponent(other.id)}`), 404, 'not-found');
  assert.equal((await first.get('/api/v1/me/sessions')).json.items.length, 1);

  const token = first.token;
  assert.equal((await first.get('/api/v1/me')).status, 200);
  const signedOut = await first.delete('/api/v1/session');
  assert.equal(signedOut.status, 204, signedOut.text);
  assert.match([signedOut.headers['set-cookie']].flat().join(), /Max-Age=0/i, 'the cookie is cleared');
  assert.equal(first.token, null);
  const replayed = await request(server, 'GET', '/api/v1/me', { cookie: `__Host-egov-session=${token}` });
  assertProblem(replayed, 401, 'session-expired');
});

serverTest('one employee cannot revoke another employee\'s session', async () => {
  const server = await startServer();
  const { client: alice } = await settledEmployee(server);
  const { client: bob } = await settledEmployee(server);
  const bobSession = (await bob.get('/api/v1/me/sessions')).json.items[0];
  assertProblem(await alice.delete(`/api/v1/me/sessions/${encodeURIComponent(bobSession.id)}`), 404, 'not-found');
  assert.equal((await bob.get('/api/v1/me')).status, 200);
});

serverTest('changing the password ends the other sessions but keeps this one', async () => {
  const server = await startServer();
  const { employee, client: first } = await settledEmployee(server);
  const second = new Client(server);
  await second.signInOk(employee.code, NEW_PASSWORD);
  assert.equal((await second.get('/api/v1/me')).status, 200);
  await first.changePassword(NEW_PASSWORD, OTHER_PASSWORD);
  assert.equal((await first.get('/api/v1/me')).status, 200);
  assertProblem(await second.get('/api/v1/me'), 401, 'session-expired');
  assertProblem(await new Client(server).signIn(employee.code, NEW_PASSWORD), 401, 'invalid-credentials');
  await new Client(server).signInOk(employee.code, OTHER_PASSWORD);
});

serverTest('until the one-time password is changed, only the password change and sign-out are allowed', async () => {
  const server = await startServer();
  const { employee, client } = await signedInEmployee(server);
  assertProblem(await client.get('/api/v1/employees'), 403, 'password-change-required');
  assertProblem(await client.get('/api/v1/me/sessions'), 403, 'password-change-required');
  const weak = await client.post('/api/v1/me/password', { current: employee.one_time_password, new: 'short' });
  const problem = assertProblem(weak, 400, 'weak-password');
  assert.ok(problem.violations.includes('too-short'), JSON.stringify(problem));
  const wrong = await client.post('/api/v1/me/password', { current: 'not it', new: NEW_PASSWORD });
  assertProblem(wrong, 400, 'wrong-current-password');
  await client.changePassword(employee.one_time_password, NEW_PASSWORD);
  assert.equal((await client.get('/api/v1/employees')).status, 200);
});

// A change by another process reaches a running server within the session cache's
// time to live (one second, identity/session_cache.h); allow three.
async function refusedSoon(client) {
  const response = await waitFor(
    async () => {
      const me = await client.get('/api/v1/me');
      return me.status === 401 ? me : null;
    },
    { timeoutMs: 3000, intervalMs: 100, message: 'the session to be refused' },
  );
  assertProblem(response, 401, 'session-expired');
}

serverTest('suspending an employee with the admin CLI ends their sessions within a second', async () => {
  const server = await startServer();
  const { employee, client } = await settledEmployee(server);
  assert.equal((await client.get('/api/v1/me')).status, 200);
  const suspended = admin(server.dataDir, 'employee', 'suspend', '--code', employee.code);
  assert.equal(suspended.status, 0, suspended.stdout + suspended.stderr);
  assert.equal(suspended.json.status, 'suspended');
  await refusedSoon(client);
  // Not a request that changes state either.
  assertProblem(await client.post('/api/v1/me/password', { current: NEW_PASSWORD, new: OTHER_PASSWORD }), 401, 'session-expired');
  assertProblem(await new Client(server).signIn(employee.code, NEW_PASSWORD), 403, 'account-suspended');
  const reactivated = admin(server.dataDir, 'employee', 'reactivate', '--code', employee.code);
  assert.equal(reactivated.status, 0);
  assertProblem(await client.get('/api/v1/me'), 401, 'session-expired');
  await new Client(server).signInOk(employee.code, NEW_PASSWORD);
});

serverTest('a password reset with the admin CLI ends the sessions within a second; only the new one-time password works', async () => {
  const server = await startServer();
  const { employee, client } = await settledEmployee(server);
  assert.equal((await client.get('/api/v1/me')).status, 200);
  const reset = admin(server.dataDir, 'employee', 'reset-password', '--code', employee.code);
  assert.equal(reset.status, 0, reset.stdout + reset.stderr);
  await refusedSoon(client);
  assertProblem(await new Client(server).signIn(employee.code, NEW_PASSWORD), 401, 'invalid-credentials');
  const fresh = new Client(server);
  const signedIn = await fresh.signInOk(employee.code, reset.json.one_time_password);
  assert.equal(signedIn.must_change_password, true);
});

serverTest('an administrator suspending an employee through the API ends their session at once', async () => {
  const server = await startServer();
  const { client: administrator } = await setUpAdministrator(server);
  const { employee, client } = await settledEmployee(server);
  assert.equal((await client.get('/api/v1/me')).status, 200);
  const suspended = await administrator.post(`/api/v1/employees/${encodeURIComponent(employee.id)}/suspend`, {});
  assert.equal(suspended.status, 204, suspended.text);
  assertProblem(await client.get('/api/v1/me'), 401, 'session-expired');
  const roles = await administrator.request('PUT', `/api/v1/employees/${encodeURIComponent(employee.id)}/roles`, {
    json: { roles: ['employee', 'clerk'] },
  });
  assert.equal(roles.status, 204, roles.text);
  assertProblem(
    await administrator.post(`/api/v1/employees/${encodeURIComponent('no-such-id')}/suspend`, {}),
    404,
    'not-found',
  );
});
