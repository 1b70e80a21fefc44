// The audit log is hash-chained: `egovbox admin audit verify` names the first
// changed or missing entry. The database refuses updates and deletes itself.
import assert from 'node:assert/strict';

import {
  admin,
  Client,
  countRows,
  createEmployee,
  NEW_PASSWORD,
  serverTest,
  sqlite,
  startServer,
} from './harness.mjs';

// Some activity through the API and the CLI, then a stopped server. Returns the data dir.
async function dataWithActivity() {
  const server = await startServer();
  const employee = createEmployee(server.dataDir, { name: 'Ана Одиторова' });
  createEmployee(server.dataDir);
  const client = new Client(server);
  assert.equal((await client.signIn(employee.code, 'wrong password')).status, 401);
  await client.signInOk(employee.code, employee.one_time_password);
  await client.changePassword(employee.one_time_password, NEW_PASSWORD);
  assert.equal((await client.delete('/api/v1/session')).status, 204);
  const status = await server.stop('SIGTERM');
  assert.equal(status.code, 0);
  return server.dataDir;
}

serverTest('sign-ins, failures, password changes and CLI actions are written to the audit log', async () => {
  const dataDir = await dataWithActivity();
  const actions = sqlite(dataDir, 'SELECT action FROM audit_log ORDER BY seq;').split('\n');
  for (const action of [
    'employee.create',
    'session.sign_in_failed',
    'session.sign_in',
    'employee.password_change',
    'session.sign_out',
  ]) {
    assert.ok(actions.includes(action), `audit log has ${action}: ${actions.join(', ')}`);
  }
  const [failed] = sqlite(dataDir, "SELECT client_address, detail FROM audit_log WHERE action = 'session.sign_in_failed';").split('\n');
  assert.match(failed, /^127\.0\.0\.1\|\{"reason":"wrong-password"\}$/);
  const verified = admin(dataDir, 'audit', 'verify');
  assert.equal(verified.status, 0, verified.stdout + verified.stderr);
  assert.equal(verified.json.intact, true);
  assert.equal(verified.json.entries, countRows(dataDir, 'audit_log'));
  assert.equal(verified.json.first_bad_entry, null);
});

serverTest('the database itself refuses to update or delete audit entries', async () => {
  const dataDir = await dataWithActivity();
  const update = sqlite(dataDir, "UPDATE audit_log SET detail = '{}' WHERE seq = 1;", { allowFailure: true });
  assert.notEqual(update.status, 0);
  assert.match(update.stderr, /append-only/);
  const remove = sqlite(dataDir, 'DELETE FROM audit_log WHERE seq = 1;', { allowFailure: true });
  assert.notEqual(remove.status, 0);
  assert.match(remove.stderr, /append-only/);
  assert.equal(admin(dataDir, 'audit', 'verify').json.intact, true);
});

serverTest('a changed audit entry breaks the chain and verify names it', async () => {
  const dataDir = await dataWithActivity();
  assert.equal(admin(dataDir, 'audit', 'verify').json.intact, true);
  sqlite(dataDir, 'DROP TRIGGER audit_log_no_update; UPDATE audit_log SET detail=\'{"x":1}\' WHERE seq=3;');
  const verified = admin(dataDir, 'audit', 'verify');
  assert.equal(verified.status, 1, verified.stdout + verified.stderr);
  assert.equal(verified.json.intact, false);
  assert.equal(verified.json.first_bad_entry, 3);
  assert.match(verified.json.reason, /3/);
});

serverTest('a changed hash that is consistent with itself is caught at the next entry', async () => {
  const dataDir = await dataWithActivity();
  // Someone who rewrites entry 3 and its own hash still leaves entry 4 pointing at the old hash.
  sqlite(dataDir, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET hash = printf('%064d', 0) WHERE seq = 3;");
  const verified = admin(dataDir, 'audit', 'verify');
  assert.equal(verified.status, 1);
  assert.equal(verified.json.intact, false);
  assert.equal(verified.json.first_bad_entry, 3);
});

serverTest('a deleted audit entry in the middle is named as missing', async () => {
  const dataDir = await dataWithActivity();
  const entries = countRows(dataDir, 'audit_log');
  assert.ok(entries >= 6, `enough entries: ${entries}`);
  sqlite(dataDir, 'DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 4;');
  const verified = admin(dataDir, 'audit', 'verify');
  assert.equal(verified.status, 1, verified.stdout + verified.stderr);
  assert.equal(verified.json.intact, false);
  assert.equal(verified.json.first_bad_entry, 4);
  assert.match(verified.json.reason, /missing/);
});

serverTest('a removed first audit entry is named as missing', async () => {
  const dataDir = await dataWithActivity();
  sqlite(dataDir, 'DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 1;');
  const verified = admin(dataDir, 'audit', 'verify');
  assert.equal(verified.status, 1);
  assert.equal(verified.json.first_bad_entry, 1);
});
