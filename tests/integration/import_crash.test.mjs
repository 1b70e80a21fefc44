// A CSV import is one transaction: a server (or CLI) killed with SIGKILL in the
// middle of it leaves all rows or none, and an intact audit chain.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import {
  admin,
  binary,
  childEnvironment,
  Client,
  countRows,
  employeesCsv,
  makeTempDir,
  serverTest,
  setUpAdministrator,
  startEmployeeImport,
  startServer,
  walSize,
} from './harness.mjs';

const ROWS = 3000;
const BIG_BODY = { EGOVBOX_MAX_BODY_BYTES: String(16 * 1024 * 1024) };

// Polls the size of the write-ahead log until it has grown by `bytes` past `from`
// (the import is writing); false once `stop()` says so or the time is up.
async function walGrowth(dataDir, from, { bytes = 64 * 1024, timeoutMs = 20_000, stop } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (stop?.()) return false;
    if (walSize(dataDir) >= from + bytes) return true;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return false;
}

function employeeCreations(dataDir) {
  return countRows(dataDir, 'audit_log', "WHERE action = 'employee.create'");
}

function assertConsistentAfterCrash(dataDir, before) {
  const employees = countRows(dataDir, 'employees');
  assert.ok(
    employees === before || employees === before + ROWS,
    `all rows or none: ${employees} employees, ${before} before the import of ${ROWS}`,
  );
  // The audit entries were written in the same transaction as the rows.
  assert.equal(employeeCreations(dataDir), employees);
  const verified = admin(dataDir, 'audit', 'verify');
  assert.equal(verified.status, 0, verified.stdout + verified.stderr);
  assert.equal(verified.json.intact, true);
  return employees === before ? 'none' : 'all';
}

serverTest('an employee import killed with SIGKILL mid-way leaves all rows or none, and the import can be redone', async (t) => {
  const server = await startServer({ env: BIG_BODY });
  const { client, employee } = await setUpAdministrator(server);
  const before = countRows(server.dataDir, 'employees');
  const csv = employeesCsv(ROWS);

  const walBefore = walSize(server.dataDir);
  const { sent, outcome, answered } = startEmployeeImport(server, client, csv);
  await sent;
  const midway = await walGrowth(server.dataDir, walBefore, { stop: answered });
  assert.equal(answered(), false, 'the import must still be running when the server is killed');
  assert.ok(midway, 'the import started writing');
  await server.kill();
  const result = await outcome;
  assert.ok(result.error, `no response may arrive from a killed server: ${JSON.stringify(result).slice(0, 200)}`);

  const left = assertConsistentAfterCrash(server.dataDir, before);
  t.diagnostic(`killed mid-import; after restart: ${left} of the rows`);

  // The server restarts on the same data; the administrator's session survived.
  const restarted = await startServer({ dataDir: server.dataDir, env: BIG_BODY });
  const again = new Client(restarted);
  again.token = client.token;
  again.csrf = client.csrf;
  const me = await again.get('/api/v1/me');
  assert.equal(me.status, 200, me.text);
  assert.equal(me.json.id, employee.id);
  if (left === 'none') {
    const redone = await again.request('POST', '/api/v1/employees/import', {
      body: csv,
      headers: { 'Content-Type': 'text/csv' },
    });
    assert.equal(redone.status, 201, redone.text.slice(0, 300));
    assert.equal(redone.json.created, ROWS);
    assert.equal(countRows(restarted.dataDir, 'employees'), before + ROWS);
  }
  const found = await again.get('/api/v1/employees?q=%D0%A1%D0%BB%D1%83%D0%B6%D0%B8%D1%82%D0%B5%D0%BB%202999');
  assert.equal(found.status, 200);
  assert.equal(found.json.items.length, 1, found.text);
  const status = await restarted.stop('SIGTERM');
  assert.equal(status.code, 0);
  assert.equal(admin(restarted.dataDir, 'audit', 'verify').json.intact, true);
});

serverTest('an admin CLI import killed with SIGKILL mid-way leaves all rows or none', async (t) => {
  const dataDir = makeTempDir();
  // Make the database (and one employee) first.
  assert.equal(admin(dataDir, 'employee', 'add', '--name', 'Първи Служител', '--email', 'first@example.org').status, 0);
  const before = countRows(dataDir, 'employees');
  const file = path.join(makeTempDir(), 'employees.csv');
  fs.writeFileSync(file, employeesCsv(ROWS, { prefix: 'cli' }));

  const walBefore = walSize(dataDir);
  const child = spawn(binary, ['admin', 'employee', 'import', '--file', file, '--data-dir', dataDir, '--json'], {
    env: childEnvironment(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let finished = false;
  exited.then(() => {
    finished = true;
  });
  const midway = await walGrowth(dataDir, walBefore, { stop: () => finished });
  child.kill('SIGKILL');
  const status = await exited;
  assert.ok(midway && status.signal === 'SIGKILL', `the import was killed mid-way (${JSON.stringify(status)}, ${output.slice(0, 100)})`);
  assert.equal(output, '', 'a killed import reports nothing');

  const left = assertConsistentAfterCrash(dataDir, before);
  t.diagnostic(`killed mid-import; ${left} of the rows remain`);
  // The same file imports cleanly afterwards (or is refused as all taken).
  const redone = admin(dataDir, 'employee', 'import', '--file', file);
  if (left === 'none') {
    assert.equal(redone.status, 0, redone.stdout.slice(0, 300) + redone.stderr);
    assert.equal(redone.json.created, ROWS);
  } else {
    assert.equal(redone.status, 1);
    assert.equal(redone.json.rejected.length, ROWS);
  }
});
