// Limits and timeouts that keep one client from exhausting the server: body and
// header sizes, slow headers (slow loris), the connection cap, idle connections.
import assert from 'node:assert/strict';
import net from 'node:net';
import tls from 'node:tls';

import {
  assertProblem,
  connectTls,
  rawExchange,
  request,
  serverTest,
  startServer,
  tlsOptions,
  waitFor,
  watchSocket,
  withTimeout,
} from './harness.mjs';

const LIMIT = 4096;

function assertRawProblem(response, status, slug) {
  assert.equal(response.status, status, response.raw?.slice(0, 300));
  assert.match(response.headers['content-type'] ?? '', /^application\/problem\+json/);
  assert.equal(response.json?.type, `urn:egovbox:problem:${slug}`);
  return response.json;
}

serverTest('a body above max_body_bytes is 413 payload-too-large, whether announced or streamed', async () => {
  const server = await startServer({ env: { EGOVBOX_MAX_BODY_BYTES: String(LIMIT) } });

  // Announced: the Content-Length alone is enough to refuse, before any body byte.
  const announced = await rawExchange(
    server,
    'POST /api/v1/session HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
      `Content-Length: ${LIMIT * 1000}\r\nAccept-Language: en\r\n\r\n`,
  );
  const problem = assertRawProblem(announced, 413, 'payload-too-large');
  assert.match(problem.detail, new RegExp(`${LIMIT}`));

  // Streamed: chunked, no length up front; refused once the limit is crossed.
  const chunk = 'x'.repeat(LIMIT + 100);
  const streamed = await rawExchange(
    server,
    'POST /api/v1/session HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
      `Transfer-Encoding: chunked\r\n\r\n${chunk.length.toString(16)}\r\n${chunk}\r\n`,
  );
  assertRawProblem(streamed, 413, 'payload-too-large');

  // Through an ordinary client, with the whole body sent.
  const whole = await request(server, 'POST', '/api/v1/session', { body: 'y'.repeat(LIMIT + 1), headers: { 'Content-Type': 'application/json' } });
  assertProblem(whole, 413, 'payload-too-large');

  // Just under the limit is read and judged on its content.
  const fits = await request(server, 'POST', '/api/v1/session', { body: ' '.repeat(LIMIT - 10), headers: { 'Content-Type': 'application/json' } });
  assertProblem(fits, 400, 'malformed-json');
  assert.equal((await request(server, 'GET', '/healthz')).status, 200);
});

serverTest('request headers above max_header_bytes are refused with 431', async () => {
  const server = await startServer();
  const big = 'a'.repeat(20 * 1024);
  const response = await rawExchange(server, `GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: ${big}\r\n\r\n`);
  assertRawProblem(response, 431, 'headers-too-large');
  // Many small headers add up the same way.
  const many = Array.from({ length: 400 }, (_, i) => `X-Header-${i}: ${'b'.repeat(60)}\r\n`).join('');
  const manyResponse = await rawExchange(server, `GET /healthz HTTP/1.1\r\nHost: localhost\r\n${many}\r\n`);
  assertRawProblem(manyResponse, 431, 'headers-too-large');
  assert.equal((await request(server, 'GET', '/healthz')).status, 200);
});

serverTest('garbage instead of HTTP is a 400 and a closed connection', async () => {
  const server = await startServer();
  const response = await rawExchange(server, 'HELLO THERE\r\n\r\n');
  assert.equal(response.status, 400, response.raw);
  const badLength = await rawExchange(server, 'POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n');
  assert.equal(badLength.status, 400, badLength.raw);
  assert.equal((await request(server, 'GET', '/healthz')).status, 200);
});

serverTest('a client that dribbles its header (slow loris) is cut off after header_timeout; others are served', async () => {
  const server = await startServer({ env: { EGOVBOX_HEADER_TIMEOUT: '1s' } });
  const socket = await connectTls(server);
  const closed = watchSocket(socket);
  socket.write('GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ');
  const dribble = setInterval(() => {
    if (!socket.destroyed && socket.writable) socket.write('a');
  }, 300);
  try {
    // Meanwhile a normal request is answered at once.
    const normal = await request(server, 'GET', '/healthz');
    assert.equal(normal.status, 200);
    const outcome = await withTimeout(closed, 6000, 'the slow client was not disconnected');
    assert.ok(outcome.ms < 3000, `disconnected after ${outcome.ms} ms (header_timeout is 1 s)`);
    assert.ok(!outcome.data.startsWith('HTTP/1.1 200'), 'the slow request was not served');
  } finally {
    clearInterval(dribble);
    socket.destroy();
  }
  assert.equal((await request(server, 'GET', '/healthz')).status, 200);
});

serverTest('a connection that never completes the TLS handshake, or idles, is closed', async () => {
  const server = await startServer({ env: { EGOVBOX_HANDSHAKE_TIMEOUT: '1s', EGOVBOX_IDLE_TIMEOUT: '1s' } });

  const silent = net.connect({ host: '127.0.0.1', port: server.port });
  await new Promise((resolve, reject) => silent.once('connect', resolve).once('error', reject));
  const silentOutcome = await withTimeout(watchSocket(silent), 6000, 'a silent TCP client was not disconnected');
  assert.ok(silentOutcome.ms < 3000, `no handshake: closed after ${silentOutcome.ms} ms`);

  const idle = await connectTls(server);
  const idleOutcome = await withTimeout(watchSocket(idle), 6000, 'an idle TLS client was not disconnected');
  assert.ok(idleOutcome.ms < 3000, `idle: closed after ${idleOutcome.ms} ms`);
  assert.equal((await request(server, 'GET', '/healthz')).status, 200);
});

serverTest('beyond max_connections a new connection is closed at once; after others close, requests work', async () => {
  const server = await startServer({ env: { EGOVBOX_MAX_CONNECTIONS: '5' } });
  const open = [];
  try {
    // A finished handshake means the server has accepted and counted the connection.
    for (let i = 0; i < 5; i++) open.push(await connectTls(server));

    const sixth = await new Promise((resolve) => {
      const socket = tls.connect(tlsOptions(server));
      const started = Date.now();
      socket.once('secureConnect', () => {
        socket.destroy();
        resolve({ handshake: true });
      });
      socket.once('error', (error) => resolve({ handshake: false, error, ms: Date.now() - started }));
      socket.once('close', () => resolve({ handshake: false, ms: Date.now() - started }));
    });
    assert.equal(sixth.handshake, false, 'the sixth connection must not be served');
    assert.ok(sixth.ms < 2000, `closed at once, not after a timeout (${sixth.ms} ms)`);

    // The five still work.
    const [first] = open;
    const closed = watchSocket(first);
    first.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    const answer = await withTimeout(closed, 5000, 'an admitted connection was not answered');
    assert.match(answer.data, /^HTTP\/1\.1 200/);
  } finally {
    for (const socket of open) socket.destroy();
  }
  const metricsText = await waitFor(
    async () => {
      try {
        const metrics = await request(server, 'GET', '/metrics');
        return metrics.status === 200 && metrics.text;
      } catch {
        return false;
      }
    },
    { timeoutMs: 8000, intervalMs: 100, message: 'a request to succeed after the connections closed' },
  );
  assert.match(metricsText, /^egovbox_http_rejected_connections_total [1-9]\d*$/m);
});
