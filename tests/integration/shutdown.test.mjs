// Graceful shutdown on SIGTERM: stop accepting, close idle connections, let
// requests in flight finish, exit 0; forced after shutdown_grace.
import assert from 'node:assert/strict';

import {
  connectionRefused,
  connectTls,
  countRows,
  createEmployee,
  employeesCsv,
  parseRawResponse,
  request,
  serverTest,
  setUpAdministrator,
  sleep,
  startEmployeeImport,
  startServer,
  waitFor,
  walSize,
  watchSocket,
  withTimeout,
} from './harness.mjs';

async function timedStop(server, signal = 'SIGTERM', timeoutMs = 15_000) {
  const started = Date.now();
  const status = await server.stop(signal, timeoutMs);
  return { ...status, ms: Date.now() - started };
}

serverTest('SIGTERM with no connection open stops the server at once, with exit code 0', async () => {
  const server = await startServer({ env: { EGOVBOX_SHUTDOWN_GRACE: '20s' } });
  assert.equal((await request(server, 'GET', '/healthz')).status, 200);
  await waitFor(async () => /^egovbox_http_open_connections 1$/m.test((await request(server, 'GET', '/metrics')).text), {
    message: 'earlier connections to close',
  });
  const status = await timedStop(server);
  assert.equal(status.code, 0, JSON.stringify(status));
  assert.ok(status.ms < 5000, `exited after ${status.ms} ms, not after the 20 s grace period`);
});

serverTest('SIGTERM closes idle keep-alive connections and exits without waiting for the grace period', async () => {
  const server = await startServer({ env: { EGOVBOX_SHUTDOWN_GRACE: '20s' } });
  const idle = await connectTls(server);
  const used = await connectTls(server);
  const usedClosed = watchSocket(used);
  const idleClosed = watchSocket(idle);
  used.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n'); // keep-alive: stays open afterwards
  await waitFor(() => used.bytesRead > 0, { message: 'the keep-alive response' });

  const status = await timedStop(server);
  assert.equal(status.code, 0, JSON.stringify(status));
  assert.ok(status.ms < 5000, `exited after ${status.ms} ms, not after the 20 s grace period`);
  await withTimeout(Promise.all([idleClosed, usedClosed]), 2000, 'idle connections were not closed');
});

serverTest('SIGTERM lets a request in flight finish, refuses new connections, and exits 0', async () => {
  const server = await startServer({ env: { EGOVBOX_SHUTDOWN_GRACE: '20s' } });
  const employee = createEmployee(server.dataDir);
  const body = JSON.stringify({ code: employee.code, password: employee.one_time_password });
  const half = Math.floor(body.length / 2);

  // A request whose body is only half there when the signal comes.
  const socket = await connectTls(server);
  const closed = watchSocket(socket);
  socket.write(
    `POST /api/v1/session HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, half)}`,
  );
  // Time for the server to read the header: from then on the request is in flight.
  await sleep(300);
  server.process.kill('SIGTERM');

  await waitFor(() => connectionRefused(server.port), { message: 'new connections to be refused' });
  assert.equal(server.exitStatus, null, 'the server waits for the request in flight');

  socket.write(body.slice(half));
  const answer = await withTimeout(closed, 10_000, 'the request in flight was not answered');
  const response = parseRawResponse(answer.data);
  assert.equal(response.status, 200, answer.data.slice(0, 300));
  assert.match(response.headers['set-cookie'], /^__Host-egov-session=/);
  assert.equal(response.headers.connection?.toLowerCase(), 'close', 'no keep-alive while stopping');

  const status = await withTimeout(server.exited, 10_000, 'the server did not exit after its last request');
  assert.equal(status.code, 0, JSON.stringify(status));
  assert.equal(await connectionRefused(server.port), true);
});

serverTest('SIGTERM during an employee import lets the import complete and commit', async () => {
  const server = await startServer({ env: { EGOVBOX_MAX_BODY_BYTES: String(16 << 20), EGOVBOX_SHUTDOWN_GRACE: '30s' } });
  const { client } = await setUpAdministrator(server);
  const before = countRows(server.dataDir, 'employees');
  const walBefore = walSize(server.dataDir);

  const { outcome, answered } = startEmployeeImport(server, client, employeesCsv(3000));
  // The handler is running once the transaction spills pages into the WAL.
  await waitFor(() => answered() || walSize(server.dataDir) > walBefore + 64 * 1024, { intervalMs: 1, message: 'the import to start writing' });
  server.process.kill('SIGTERM');
  const response = await withTimeout(outcome, 20_000, 'the import was not answered');
  assert.equal(response.error, undefined, `the import was answered: ${response.error}`);
  assert.equal(response.status, 201, response.text?.slice(0, 300));
  assert.equal(JSON.parse(response.text).created, 3000);
  const status = await withTimeout(server.exited, 20_000, 'the server did not exit');
  assert.equal(status.code, 0, JSON.stringify(status));
  assert.equal(countRows(server.dataDir, 'employees'), before + 3000);
});

serverTest('a request that never finishes does not hold the server past shutdown_grace', async () => {
  const server = await startServer({ env: { EGOVBOX_SHUTDOWN_GRACE: '1s', EGOVBOX_BODY_TIMEOUT: '60s' } });
  const socket = await connectTls(server);
  const closed = watchSocket(socket);
  socket.write('POST /api/v1/session HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"co');
  await sleep(200);
  const status = await timedStop(server);
  assert.equal(status.signal, null, `no crash at the forced stop: ${JSON.stringify(status)}`);
  assert.equal(status.code, 0, JSON.stringify(status));
  assert.ok(status.ms >= 900 && status.ms < 5000, `stopped after ${status.ms} ms (grace 1 s)`);
  await withTimeout(closed, 2000, 'the stalled connection was not closed');
});

serverTest('a second SIGTERM stops at once, without waiting for requests in flight', async () => {
  const server = await startServer({ env: { EGOVBOX_SHUTDOWN_GRACE: '30s', EGOVBOX_BODY_TIMEOUT: '60s' } });
  const socket = await connectTls(server);
  watchSocket(socket);
  socket.write('POST /api/v1/session HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"co');
  await sleep(200);
  server.process.kill('SIGTERM');
  await waitFor(() => connectionRefused(server.port), { message: 'the listener to close' });
  const status = await timedStop(server, 'SIGTERM', 5000);
  assert.equal(status.signal, null, JSON.stringify(status));
  assert.equal(status.code, 0, JSON.stringify(status));
  socket.destroy();
});
