// Integration test harness: starts a real `egovbox serve` on a temporary data
// directory and talks HTTPS to it over loopback, with real TLS verification
// against the certificate the server generated. No mocks.
//
// Every test that starts a server is written with `serverTest(name, fn)`: the
// servers and data directories it made are stopped and removed afterwards, and
// when the test fails, the tail of each server's standard error is attached to
// the report. Every HTTP response is checked to be below 500.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { TOTP_STEP_SECONDS, totpCode, totpStep } from '../totp.mjs';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const binary = path.resolve(repoRoot, process.env.EGOVBOX_BINARY ?? 'build/release/egovbox');
export const COOKIE_NAME = '__Host-egov-session';
export const PROBLEM = 'urn:egovbox:problem:';

const STARTUP_TIMEOUT_MS = 15_000;
const REQUEST_TIMEOUT_MS = 20_000;
const KEEP_OUTPUT_BYTES = 64 * 1024;

// ---------------------------------------------------------------------------
// Per-test resources

let current = null; // {servers, dirs} of the test that runs now (tests in a file run one by one)

// test() with cleanup of servers and data directories, and the servers' stderr on failure.
export function serverTest(name, options, fn) {
  if (typeof options === 'function') [options, fn] = [{}, options];
  return test(name, { timeout: 120_000, ...options }, async (t) => {
    const resources = { servers: [], dirs: [], sockets: [] };
    current = resources;
    t.after(async () => {
      for (const socket of resources.sockets) socket.terminate();
      for (const server of resources.servers) await server.kill();
      for (const dir of resources.dirs) fs.rmSync(dir, { recursive: true, force: true });
      if (current === resources) current = null;
    });
    try {
      await fn(t);
    } catch (error) {
      for (const server of resources.servers) {
        const tail = server.stderr().slice(-4000);
        console.error(`--- stderr of egovbox on port ${server.port} ---\n${tail}`);
      }
      throw error;
    }
  });
}

// Every server child still running, so that none outlives this process even when
// the runner stops it (timeout, Ctrl+C).
const liveChildren = new Set();
process.on('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    for (const child of liveChildren) child.kill('SIGKILL');
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

function track(kind, value) {
  if (current) current[kind].push(value);
  return value;
}

export function makeTempDir(prefix = 'egovbox-it-') {
  return track('dirs', fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

// The environment for the binary: ours without any EGOVBOX_* leaking in, quiet access
// log, English for the CLI.
export function childEnvironment(extra = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('EGOVBOX_')) env[key] = value;
  }
  return { ...env, LANG: 'C.UTF-8', EGOVBOX_ACCESS_LOG: 'off', ...extra };
}

// A tiny web root, so that static-file tests do not depend on a web build in progress.
function fixtureWebRoot() {
  const root = makeTempDir('egovbox-web-');
  fs.mkdirSync(path.join(root, 'assets'));
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>eGov box test</title><p>test</p>\n');
  fs.writeFileSync(path.join(root, 'assets', 'app-1234.js'), 'console.log("eGov box");\n');
  return root;
}

// ---------------------------------------------------------------------------
// Server

// Starts `egovbox serve`. Options: env (EGOVBOX_* settings), args (extra flags),
// dataDir (reuse, e.g. after a restart), listen (null: no --listen flag),
// webRoot (null: no --web-root flag), cwd.
export async function startServer({ env = {}, args = [], dataDir, listen = '127.0.0.1:0', webRoot, cwd } = {}) {
  dataDir ??= makeTempDir();
  const argv = ['serve', '--data-dir', dataDir, '--no-demo'];
  if (listen !== null) argv.push('--listen', listen);
  if (webRoot !== null) argv.push('--web-root', webRoot ?? fixtureWebRoot());
  argv.push(...args);
  const child = spawn(binary, argv, {
    cwd: cwd ?? dataDir,
    env: childEnvironment(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  liveChildren.add(child);
  let stdout = '';
  let stderr = '';
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
    // Could not start at all (e.g. the binary is being relinked): no 'exit' follows.
    child.on('error', (error) => resolve({ code: null, signal: null, error }));
  });
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-KEEP_OUTPUT_BYTES);
  });

  const server = {
    process: child,
    dataDir,
    port: 0,
    host: '',
    exited,
    exitStatus: null,
    stdout: () => stdout,
    stderr: () => stderr,
    ca: null,
    // Sends a signal and waits for the exit; returns {code, signal}.
    async stop(signal = 'SIGTERM', timeoutMs = 15_000) {
      if (server.exitStatus) return server.exitStatus;
      child.kill(signal);
      const status = await withTimeout(exited, timeoutMs, `egovbox did not exit within ${timeoutMs} ms of ${signal}`);
      return status;
    },
    async kill() {
      if (server.exitStatus) return server.exitStatus;
      child.kill('SIGKILL');
      return exited;
    },
  };
  exited.then((status) => {
    server.exitStatus = status;
    liveChildren.delete(child);
  });
  track('servers', server);

  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`egovbox did not start within ${STARTUP_TIMEOUT_MS} ms:\n${stderr}`)),
      STARTUP_TIMEOUT_MS,
    );
    child.stdout.on('data', (chunk) => {
      stdout = (stdout + chunk).slice(-KEEP_OUTPUT_BYTES);
      const match = /eGov box is serving https:\/\/(\[[^\]]+\]|[^:/\s]+):(\d+)/.exec(stdout);
      if (match && !server.port) {
        clearTimeout(timer);
        server.host = match[1];
        resolve(Number(match[2]));
      }
    });
    exited.then(({ code, signal, error }) => {
      clearTimeout(timer);
      reject(new Error(`egovbox exited (code ${code}, signal ${signal}${error ? `, ${error.message}` : ''}) before serving:\n${stderr}`));
    });
  });
  server.port = port;
  server.ca = fs.readFileSync(path.join(dataDir, 'tls', 'certificate.pem'));
  return server;
}

// Runs `egovbox serve` expecting it to fail at start; returns {status, stdout, stderr}.
export function runServeExpectingFailure({ env = {}, args = [], dataDir, cwd } = {}) {
  dataDir ??= makeTempDir();
  const result = spawnSync(binary, ['serve', '--data-dir', dataDir, '--no-demo', ...args], {
    cwd: cwd ?? dataDir,
    env: childEnvironment(env),
    encoding: 'utf8',
    timeout: 15_000,
    killSignal: 'SIGKILL',
  });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

export function withTimeout(promise, ms, message) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Polls `check` (sync or async) until it returns a truthy value; returns that value.
export async function waitFor(check, { timeoutMs = 10_000, intervalMs = 50, message = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${message}`);
    await sleep(intervalMs);
  }
}

// ---------------------------------------------------------------------------
// HTTPS

export function tlsOptions(server) {
  return { host: '127.0.0.1', port: server.port, ca: server.ca, servername: 'localhost' };
}

// One request on a fresh connection. Returns {status, headers, text, json, body}.
// Fails the test on any status >= 500: the server promises 4xx for bad input.
export async function request(server, method, urlPath, options = {}) {
  const response = await rawRequest(server, method, urlPath, options);
  assert.ok(
    response.status < 500,
    `${method} ${urlPath} answered ${response.status} (never a 5xx): ${response.text.slice(0, 500)}`,
  );
  return response;
}

function rawRequest(server, method, urlPath, { body, json, headers = {}, cookie, timeoutMs = REQUEST_TIMEOUT_MS } = {}) {
  const outgoing = { ...headers };
  let payload = body;
  if (json !== undefined) {
    payload = JSON.stringify(json);
    if (!Object.keys(outgoing).some((name) => name.toLowerCase() === 'content-type')) {
      outgoing['Content-Type'] = 'application/json';
    }
  }
  if (cookie) outgoing.Cookie = cookie;
  if (payload !== undefined) outgoing['Content-Length'] = Buffer.byteLength(payload);
  return new Promise((resolve, reject) => {
    const req = https.request(
      { ...tlsOptions(server), method, path: urlPath, headers: outgoing, agent: false, timeout: timeoutMs },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const buffer = Buffer.concat(chunks);
          const text = buffer.toString('utf8');
          let parsed;
          if (/json/.test(res.headers['content-type'] ?? '') && text.length > 0) {
            try {
              parsed = JSON.parse(text);
            } catch (error) {
              reject(new Error(`${method} ${urlPath}: response is not JSON: ${text.slice(0, 200)}`));
              return;
            }
          }
          resolve({ status: res.statusCode, headers: res.headers, text, json: parsed, body: buffer });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${urlPath}: no response within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

// Asserts an RFC 9457 problem with the given status and type slug; returns its body.
export function assertProblem(response, status, slug) {
  assert.equal(
    response.status,
    status,
    `expected ${status} ${slug}, got ${response.status}: ${response.text.slice(0, 300)}`,
  );
  assert.match(response.headers['content-type'] ?? '', /^application\/problem\+json/);
  assert.equal(response.json?.type, PROBLEM + slug, `problem type: ${response.text.slice(0, 300)}`);
  assert.equal(response.json.status, status);
  assert.equal(typeof response.json.title, 'string');
  assert.ok(response.json.detail.length > 0, 'detail is not empty');
  return response.json;
}

// A browser-like client: keeps the session cookie and sends the CSRF token on
// state-changing requests.
export class Client {
  constructor(server, { headers = {} } = {}) {
    this.server = server;
    this.token = null;
    this.csrf = null;
    this.headers = headers;
  }

  get cookie() {
    return this.token ? `${COOKIE_NAME}=${this.token}` : undefined;
  }

  async request(method, urlPath, { csrf, headers = {}, ...options } = {}) {
    const outgoing = { ...this.headers, ...headers };
    const changesState = !['GET', 'HEAD', 'OPTIONS'].includes(method);
    if (changesState && csrf !== false && (csrf ?? this.csrf)) outgoing['X-CSRF-Token'] = csrf ?? this.csrf;
    const response = await request(this.server, method, urlPath, { ...options, headers: outgoing, cookie: this.cookie });
    for (const line of [response.headers['set-cookie'] ?? []].flat()) {
      const match = new RegExp(`^${COOKIE_NAME}=([^;]*)`).exec(line);
      if (!match) continue;
      this.token = /max-age=0/i.test(line) || match[1] === '' ? null : match[1];
    }
    return response;
  }

  get(urlPath, options) {
    return this.request('GET', urlPath, options);
  }

  post(urlPath, json, options = {}) {
    return this.request('POST', urlPath, json === undefined ? options : { ...options, json });
  }

  delete(urlPath, options) {
    return this.request('DELETE', urlPath, options);
  }

  async signIn(code, password, totp, extra = {}) {
    const body = { code, password, ...extra };
    if (totp !== undefined) body.totp = totp;
    const response = await this.post('/api/v1/session', body);
    if (response.status === 200) this.csrf = response.json.csrf_token;
    return response;
  }

  async signInOk(code, password, totp, extra) {
    const response = await this.signIn(code, password, totp, extra);
    assert.equal(response.status, 200, `sign-in of ${code}: ${response.text}`);
    return response.json;
  }

  async changePassword(current, replacement) {
    const response = await this.post('/api/v1/me/password', { current, new: replacement });
    assert.equal(response.status, 204, `password change: ${response.text}`);
    return response;
  }
}

// Streams `csv` to POST /api/v1/employees/import as `client`, on a connection of
// its own, for tests that stop the server while it imports. Returns {sent,
// outcome, answered}: `sent` resolves once the whole body is on the wire,
// `outcome` with {status, text} or with {error} (no 5xx check: a killed server
// answers nothing), and answered() says whether the outcome is in.
export function startEmployeeImport(server, client, csv) {
  const body = Buffer.from(csv);
  let markSent;
  const sent = new Promise((resolve) => {
    markSent = resolve;
  });
  let answered = false;
  const outcome = new Promise((resolve) => {
    const req = https.request(
      {
        ...tlsOptions(server),
        method: 'POST',
        path: '/api/v1/employees/import',
        agent: false,
        headers: {
          'Content-Type': 'text/csv; charset=utf-8',
          'Content-Length': body.length,
          Cookie: client.cookie,
          'X-CSRF-Token': client.csrf,
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (error) => resolve({ error, status: res.statusCode }));
      },
    );
    req.on('error', (error) => resolve({ error }));
    req.end(body, () => markSent());
  }).finally(() => {
    answered = true;
  });
  return { sent, outcome, answered: () => answered };
}

// ---------------------------------------------------------------------------
// WebSocket /api/v1/ws, as a signed-in tab opens it

export const WS_PATH = '/api/v1/ws';

// The Origin a page served by `server` sends.
export function serverOrigin(server) {
  return `https://127.0.0.1:${server.port}`;
}

function webSocketOptions(server, headers, timeoutMs) {
  return {
    ...tlsOptions(server),
    headers,
    handshakeTimeout: timeoutMs,
    // Like a browser tab: offer permessage-deflate, follow no redirects.
    followRedirects: false,
  };
}

// Opens the WebSocket of `client` (its session cookie, the server's own Origin).
// Resolves once the upgrade is accepted (the `hello` message may still be on its
// way: `await socket.next('hello')`); rejects when it is refused. The socket:
//   messages            every message received, parsed JSON, in order
//   next(type, predicate?, timeoutMs = 5000)
//                       the first message of `type` (already received or still to
//                       come) that matches and that no next() has returned yet
//   expectNone(type, ms, predicate?)
//                       waits `ms` and fails if an unconsumed message of `type`
//                       (received before or during the wait) matches
//   send(object)        sends it as JSON text
//   close(code?, reason?) closes and resolves with {code, reason}
//   closed              resolves with {code, reason} when the socket closes (either side)
//   extensions          the negotiated Sec-WebSocket-Extensions
// A message that is not JSON text (binary, or unparsable) fails the next next()
// or expectNone(): the server promises JSON text messages only.
// The socket is closed at the end of the serverTest that opened it.
export async function openSocket(client, { origin, headers = {}, timeoutMs = 10_000 } = {}) {
  const { server } = client;
  const outgoing = { ...client.headers, Origin: origin ?? serverOrigin(server), ...headers };
  if (client.cookie) outgoing.Cookie = client.cookie;
  const ws = new WebSocket(`wss://127.0.0.1:${server.port}${WS_PATH}`, webSocketOptions(server, outgoing, timeoutMs));
  const socket = new TestSocket(ws);
  track('sockets', socket);
  await new Promise((resolve, reject) => {
    const refused = (req, res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => {
        ws.terminate();
        const body = Buffer.concat(chunks).toString('utf8');
        reject(new Error(`WebSocket upgrade refused with ${res.statusCode}: ${body.slice(0, 300)}`));
      });
    };
    ws.once('unexpected-response', refused);
    ws.once('open', () => {
      ws.off('unexpected-response', refused);
      resolve();
    });
    ws.once('error', reject);
  });
  return socket;
}

class TestSocket {
  constructor(ws) {
    this.ws = ws;
    this.messages = [];
    this.invalid = [];
    this.consumed = new Set();
    this.waiters = new Set();
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        const status = { code, reason: reason.toString('utf8') };
        for (const waiter of this.waiters) {
          waiter.fail(new Error(`WebSocket closed (${code} ${status.reason}) while waiting for ${waiter.what}`));
        }
        resolve(status);
      });
    });
    ws.on('error', () => {}); // surfaces as the close; a test asserts on `closed`
    ws.on('message', (data, isBinary) => {
      let message;
      try {
        if (isBinary) throw new Error('binary message');
        message = JSON.parse(data.toString('utf8'));
        if (message === null || typeof message !== 'object' || typeof message.type !== 'string') {
          throw new Error('no "type"');
        }
      } catch (error) {
        this.invalid.push(`${error.message}: ${data.toString('utf8').slice(0, 200)}`);
        const complaint = new Error(`the server sent a message that is not JSON with a type: ${this.invalid.at(-1)}`);
        for (const waiter of this.waiters) waiter.fail(complaint);
        return;
      }
      this.messages.push(message);
      for (const waiter of this.waiters) {
        if (waiter.take(message)) break;
      }
    });
  }

  get extensions() {
    return this.ws.extensions;
  }

  get readyState() {
    return this.ws.readyState;
  }

  checkValid() {
    if (this.invalid.length > 0) throw new Error(`the server sent a message that is not JSON with a type: ${this.invalid[0]}`);
  }

  find(type, predicate) {
    return this.messages.find((message) => message.type === type && !this.consumed.has(message) && predicate(message));
  }

  next(type, predicate = () => true, timeoutMs = 5000) {
    if (typeof predicate === 'number') [predicate, timeoutMs] = [() => true, predicate];
    this.checkValid();
    const found = this.find(type, predicate);
    if (found) {
      this.consumed.add(found);
      return Promise.resolve(found);
    }
    if (this.ws.readyState >= WebSocket.CLOSING) {
      return Promise.reject(new Error(`WebSocket is closed; no "${type}" message came`));
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        what: `a "${type}" message`,
        take: (message) => {
          if (message.type !== type || this.consumed.has(message) || !predicate(message)) return false;
          this.consumed.add(message);
          done();
          resolve(message);
          return true;
        },
        fail: (error) => {
          done();
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        const seen = this.messages.map((message) => message.type).join(', ');
        waiter.fail(new Error(`no matching "${type}" message within ${timeoutMs} ms (received: ${seen || 'nothing'})`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      this.waiters.add(waiter);
    });
  }

  async expectNone(type, ms = 500, predicate = () => true) {
    await sleep(ms);
    this.checkValid();
    const found = this.find(type, predicate);
    assert.equal(found, undefined, `expected no "${type}" message, got ${JSON.stringify(found)}`);
  }

  send(object) {
    this.ws.send(JSON.stringify(object));
  }

  // Sends raw text (not JSON), for tests of what the server does with garbage.
  sendText(text) {
    this.ws.send(text);
  }

  async close(code = 1000, reason = '') {
    if (this.ws.readyState === WebSocket.CONNECTING || this.ws.readyState === WebSocket.OPEN) this.ws.close(code, reason);
    const timer = setTimeout(() => this.ws.terminate(), 3000); // a peer that never answers the close
    const status = await this.closed;
    clearTimeout(timer);
    return status;
  }

  terminate() {
    this.ws.terminate();
  }
}

// An upgrade to /api/v1/ws that a test expects to be refused. Options: server
// (required), client (its cookie and headers), cookie (a Cookie header instead
// of the client's; null: none), origin (default the server's own; null: no
// Origin header), headers, path. Resolves with {status, headers, text, json} of
// the refused upgrade, or with {status: 101, socket} when it was accepted (the
// test then fails on the status; the socket is closed after the test), or with
// {status: 0, error} when the connection failed without an HTTP answer.
export function openSocketRaw({ server, client, cookie, origin, headers = {}, path: urlPath = WS_PATH, timeoutMs = 10_000 }) {
  const outgoing = { ...(client?.headers ?? {}), ...headers };
  if (origin !== null) outgoing.Origin = origin ?? serverOrigin(server);
  const cookieHeader = cookie === undefined ? client?.cookie : cookie;
  if (cookieHeader) outgoing.Cookie = cookieHeader;
  const ws = new WebSocket(`wss://127.0.0.1:${server.port}${urlPath}`, webSocketOptions(server, outgoing, timeoutMs));
  return new Promise((resolve) => {
    ws.once('unexpected-response', (req, res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        assert.ok(res.statusCode < 500, `WebSocket upgrade answered ${res.statusCode} (never a 5xx): ${text.slice(0, 300)}`);
        resolve({ status: res.statusCode, headers: res.headers, text, json });
        ws.terminate();
      });
    });
    ws.once('open', () => {
      const socket = new TestSocket(ws);
      track('sockets', socket);
      resolve({ status: 101, socket });
    });
    ws.once('error', (error) => resolve({ status: 0, error }));
  });
}

// ---------------------------------------------------------------------------
// Raw TLS, for what an HTTP client library will not do (slow headers, bad framing)

// Connects and completes the TLS handshake; resolves with the socket.
export function connectTls(server, { timeoutMs = 10_000 } = {}) {
  return new Promise((resolve, reject) => {
    const socket = tls.connect(tlsOptions(server));
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('TLS handshake timed out'));
    }, timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

// Resolves when the socket is closed by the peer (or errors), with the time and data seen.
export function watchSocket(socket) {
  const started = Date.now();
  const chunks = [];
  socket.on('data', (chunk) => chunks.push(chunk));
  return new Promise((resolve) => {
    let error = null;
    socket.on('error', (e) => {
      error = e;
    });
    socket.on('close', () => resolve({ ms: Date.now() - started, data: Buffer.concat(chunks).toString('utf8'), error }));
  });
}

// Writes `text` on a new TLS connection and reads until the server closes it, or
// until a whole response has arrived. Returns {status, headers, text, body, raw}.
export async function rawExchange(server, text, { timeoutMs = 10_000 } = {}) {
  const socket = await connectTls(server);
  const closed = watchSocket(socket);
  socket.write(text);
  const outcome = await withTimeout(closed, timeoutMs, 'server did not close the connection');
  return { ...parseRawResponse(outcome.data), raw: outcome.data };
}

export function parseRawResponse(raw) {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return { status: 0, headers: {}, body: '', json: undefined };
  const [statusLine, ...lines] = raw.slice(0, end).split('\r\n');
  const headers = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = raw.slice(end + 4);
  let json;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  const status = Number(statusLine.split(' ')[1]);
  assert.ok(status < 500, `raw exchange answered ${status} (never a 5xx): ${raw.slice(0, 300)}`);
  return { status, headers, body, json };
}

// Splits a byte stream of several HTTP/1.1 responses (each with Content-Length).
export function parseRawResponses(raw) {
  const responses = [];
  let rest = Buffer.from(raw);
  while (rest.length > 0) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) break;
    const head = rest.subarray(0, end).toString('utf8');
    const length = Number(/^content-length:\s*(\d+)/im.exec(head)?.[1] ?? 0);
    const message = rest.subarray(0, end + 4 + length).toString('utf8');
    responses.push(parseRawResponse(message));
    rest = rest.subarray(end + 4 + length);
  }
  return responses;
}

// Resolves true if a TCP connection to the port is refused (nothing listens).
export function connectionRefused(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error) => resolve(error.code === 'ECONNREFUSED'));
  });
}

// ---------------------------------------------------------------------------
// Admin CLI and the SQLite file

// Runs `egovbox admin ARGS --data-dir DIR --json`; returns {status, json, stdout, stderr}.
export function admin(dataDir, ...args) {
  const result = spawnSync(binary, ['admin', ...args, '--data-dir', dataDir, '--json'], {
    cwd: dataDir,
    env: childEnvironment(),
    encoding: 'utf8',
    timeout: 60_000,
  });
  const lines = (result.stdout ?? '').trim().split('\n').filter(Boolean);
  let json;
  if (lines.length > 0) {
    try {
      json = JSON.parse(lines.at(-1));
    } catch {
      json = undefined;
    }
  }
  return { status: result.status, signal: result.signal, json, lines, stdout: result.stdout, stderr: result.stderr, error: result.error };
}

let emailCounter = 0;

// Creates an employee through the CLI; returns {id, code, one_time_password, ...}.
export function createEmployee(dataDir, { name = 'Мария Иванова', email, roles = ['employee'], department } = {}) {
  email ??= `person${++emailCounter}.${crypto.randomBytes(3).toString('hex')}@example.org`;
  const args = ['employee', 'add', '--name', name, '--email', email];
  for (const role of roles) args.push('--role', role);
  if (department) args.push('--department', department);
  const result = admin(dataDir, ...args);
  assert.equal(result.status, 0, `admin employee add: ${result.error ?? ''} ${result.stdout} ${result.stderr}`);
  return result.json;
}

export function databaseFile(dataDir) {
  return path.join(dataDir, 'egovbox.db');
}

// The size of the database's write-ahead log (0 before there is one): a big
// transaction spills its pages there long before it commits.
export function walSize(dataDir) {
  const wal = `${databaseFile(dataDir)}-wal`;
  return fs.existsSync(wal) ? fs.statSync(wal).size : 0;
}

// Runs SQL with the sqlite3 command-line shell; returns stdout (rows, '|' between columns).
export function sqlite(dataDir, sql, { allowFailure = false } = {}) {
  const result = spawnSync('sqlite3', ['-bail', databaseFile(dataDir), sql], { encoding: 'utf8', timeout: 30_000 });
  if (!allowFailure) assert.equal(result.status, 0, `sqlite3 failed: ${result.stderr}`);
  return allowFailure ? result : result.stdout.trim();
}

export function countRows(dataDir, table, where = '') {
  return Number(sqlite(dataDir, `SELECT count(*) FROM ${table} ${where};`));
}

// ---------------------------------------------------------------------------
// Personal codes: 7 Crockford base32 characters and a check character that makes
// the weighted sum over GF(32) = GF(2)[x] / (x^5 + x^2 + 1) zero (identity/personal_code.cc).
// Tests assert that server-made codes pass isValidCode, so a change on either side shows.

const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function timesX(value) {
  const shifted = value << 1;
  return shifted & 32 ? shifted ^ 0b100101 : shifted;
}

function weightedSum(text) {
  let sum = 0;
  for (const c of text) sum = timesX(sum) ^ CODE_ALPHABET.indexOf(c);
  return sum;
}

export function codeCheckCharacter(data) {
  return CODE_ALPHABET[timesX(weightedSum(data)) & 31];
}

export function isValidCode(code) {
  return code.length === 8 && [...code].every((c) => CODE_ALPHABET.includes(c)) && weightedSum(code) === 0;
}

export function normalizeCode(code) {
  return code.replace(/[-\s]/g, '').toUpperCase();
}

export function formatCode(code) {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

// A well-formed code with a valid check character that is none of `taken`.
export function unknownCode(...taken) {
  for (const code of taken) {
    assert.ok(isValidCode(normalizeCode(code)), `the test's check character must agree with the server's: ${code}`);
  }
  const known = new Set(taken.map(normalizeCode));
  for (;;) {
    let data = '';
    for (let i = 0; i < 7; i++) data += CODE_ALPHABET[crypto.randomInt(32)];
    const code = data + codeCheckCharacter(data);
    if (!known.has(code)) return formatCode(code);
  }
}

// The code with one data character replaced: a typo the check character catches.
export function mistypedCode(code) {
  const normalized = normalizeCode(code);
  const position = 2;
  const original = normalized[position];
  const replacement = CODE_ALPHABET[(CODE_ALPHABET.indexOf(original) + 7) % 32];
  const typo = normalized.slice(0, position) + replacement + normalized.slice(position + 1);
  assert.ok(!isValidCode(typo), 'a single substitution must break the check character');
  return formatCode(typo);
}

// The code with two neighbouring, different characters swapped.
export function transposedCode(code) {
  const normalized = normalizeCode(code);
  for (let i = 0; i < normalized.length - 1; i++) {
    if (normalized[i] === normalized[i + 1]) continue;
    const swapped = normalized.slice(0, i) + normalized[i + 1] + normalized[i] + normalized.slice(i + 2);
    assert.ok(!isValidCode(swapped), 'a swap of neighbours must break the check character');
    return formatCode(swapped);
  }
  throw new Error(`no two different neighbours in ${code}`);
}

// ---------------------------------------------------------------------------
// TOTP (computed in ../totp.mjs)

export const totpAt = (secret, step) => totpCode(secret, step);
export const currentTotpStep = () => totpStep();

// Waits, if needed, until at least `seconds` remain in the current 30 s step, so
// that codes computed now stay inside the server's ±1 step window for a while.
export async function ensureTotpStepMargin(seconds) {
  const intoStep = (Date.now() / 1000) % TOTP_STEP_SECONDS;
  if (TOTP_STEP_SECONDS - intoStep < seconds) await sleep((TOTP_STEP_SECONDS - intoStep) * 1000 + 200);
}

// ---------------------------------------------------------------------------
// Common set-ups

export const NEW_PASSWORD = 'Зелена ябълка на 7-ия етаж';
export const OTHER_PASSWORD = 'Синя круша под моста 42';

// A new employee signed in on a new client with the one-time password (which
// allows nothing but the password change). Returns {employee, client}.
export async function signedInEmployee(server) {
  const employee = createEmployee(server.dataDir);
  const client = new Client(server);
  await client.signInOk(employee.code, employee.one_time_password);
  return { employee, client };
}

// A new employee who has chosen NEW_PASSWORD, signed in: free to use the API.
export async function settledEmployee(server) {
  const { employee, client } = await signedInEmployee(server);
  await client.changePassword(employee.one_time_password, NEW_PASSWORD);
  return { employee, client };
}

// An administrator with a changed password and two-step verification enrolled,
// signed in on `client`. Returns {employee, client, secret, recoveryCodes, step}.
export async function setUpAdministrator(server, { name = 'Петя Администраторова', email } = {}) {
  const employee = createEmployee(server.dataDir, { name, email, roles: ['administrator'] });
  const client = new Client(server);
  await client.signInOk(employee.code, employee.one_time_password);
  await client.changePassword(employee.one_time_password, NEW_PASSWORD);
  const started = await client.post('/api/v1/me/totp', {});
  assert.equal(started.status, 200, started.text);
  await ensureTotpStepMargin(5);
  // The previous step's code is still inside the server's window; using it leaves
  // this step's and the next step's codes free for sign-ins without waiting.
  const step = currentTotpStep() - 1;
  const confirmed = await client.post('/api/v1/me/totp/confirm', { totp: totpAt(started.json.secret, step) });
  assert.equal(confirmed.status, 200, confirmed.text);
  return { employee, client, secret: started.json.secret, recoveryCodes: confirmed.json.recovery_codes, step };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

// CSV for the importer: a header and `rows` employees with unique e-mails.
export function employeesCsv(rows, { prefix = 'import', badLine } = {}) {
  const tag = crypto.randomBytes(3).toString('hex');
  const lines = ['name,email,department,position,roles'];
  for (let i = 0; i < rows; i++) {
    const email = i + 2 === badLine ? `not-an-email-${i}` : `${prefix}.${tag}.${i}@example.org`;
    lines.push(`Служител ${i} Тестов,${email},Дирекция ${i % 7},Експерт,employee`);
  }
  return `${lines.join('\n')}\n`;
}
