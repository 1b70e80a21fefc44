// The coordinator of `make bench-realtime`; run.sh starts the server and runs
// this with BENCH_PORT, BENCH_SERVER_PID, BENCH_DATA_DIR, BENCH_WORK_DIR and
// BENCH_BINARY set. It creates the bench employees (CSV import), signs each in and
// sets a password, then forks the client processes (clients.mjs) and:
//   1. baseline: opens BENCH_BASELINE_CONNECTIONS sockets and times the fan-out
//      of one notification to them, BENCH_ROUNDS times; closes them;
//   2. reads the server's VmRSS, opens BENCH_CONNECTIONS sockets, lets them idle
//      BENCH_IDLE_SECONDS, reads VmRSS again: KiB per connection;
//   3. times the same fan-out to all of them, BENCH_ROUNDS times.
// A fan-out: employee 0 creates a meeting (POST /api/v1/meetings, tomorrow) with
// every other bench employee invited; every tab of each invitee receives a
// {type:"notification"} about it. Latency of a tab: from just before the POST to
// the arrival of that message at the client process.
// Exit status 0 when everything was measured (targets met or not), 1 otherwise.
import { fork, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { COOKIE_NAME, PASSWORD, httpsApi } from '../common.mjs';

const require = createRequire(new URL('../../tests/package.json', import.meta.url));
const WebSocket = require('ws');

const here = path.dirname(fileURLToPath(import.meta.url));
const env = process.env;
const setting = (name, fallback) => {
  const value = Number(env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name}: not a whole number: ${env[name]}`);
  return value;
};
const config = {
  binary: env.BENCH_BINARY,
  dataDir: env.BENCH_DATA_DIR,
  workDir: env.BENCH_WORK_DIR,
  port: setting('BENCH_PORT', 0),
  serverPid: setting('BENCH_SERVER_PID', 0),
  employees: setting('BENCH_EMPLOYEES', 50),
  connections: setting('BENCH_CONNECTIONS', 10_000),
  baseline: setting('BENCH_BASELINE_CONNECTIONS', 100),
  rounds: setting('BENCH_ROUNDS', 5),
  processes: setting('BENCH_CLIENT_PROCESSES', 2),
  idleSeconds: setting('BENCH_IDLE_SECONDS', 5),
  openConcurrency: setting('BENCH_OPEN_CONCURRENCY', 64), // upgrades in flight per client process
  deflate: env.BENCH_WS_DEFLATE !== '0',
  // The C++ client (ws_load_client.cc) costs a fraction of the CPU of clients.mjs:
  // on a 2-core machine that the clients share with the server, it keeps the
  // figures about the server. BENCH_CLIENT=node uses clients.mjs.
  client: env.BENCH_CLIENT ?? 'native',
  nativeClient: env.BENCH_NATIVE_CLIENT,
};
const TARGET_KIB_PER_CONNECTION = 20;
const TARGET_P99_MS = 200;
const ORGANISER = 0; // index of the employee who creates the meetings
const FANOUT_TIMEOUT_MS = 30_000;
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
const OPEN_TIMEOUT_MS = 30_000;

const ca = fs.readFileSync(path.join(config.dataDir, 'tls', 'certificate.pem'));
const children = [];
let incomplete = false; // something could not be measured

function log(text) {
  process.stdout.write(`${text}\n`);
}

function fail(text) {
  process.stderr.write(`bench-realtime: ${text}\n`);
  for (const child of children) child.kill('SIGKILL');
  process.exit(1);
}

// ---------------------------------------------------------------------------
// HTTPS to the server (127.0.0.1 only)

const api = httpsApi({ port: config.port, ca, timeoutMs: 60_000 });

// ---------------------------------------------------------------------------
// Employees and sessions

function createEmployees(count) {
  const tag = Date.now().toString(36);
  const lines = ['name,email,department,position,roles'];
  for (let i = 0; i < count; i++) {
    lines.push(`Служител ${i} Бенчмарков,bench.${tag}.${i}@example.org,Бенчмарк,Експерт,employee`);
  }
  const file = path.join(config.workDir, 'employees.csv');
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  const result = spawnSync(config.binary, ['admin', 'employee', 'import', '--file', file, '--data-dir', config.dataDir, '--json'], {
    encoding: 'utf8',
    env: { ...env, LANG: 'C.UTF-8' },
    timeout: 120_000,
  });
  if (result.status !== 0) fail(`admin employee import failed (${result.status}): ${result.stdout} ${result.stderr}`);
  const items = JSON.parse(result.stdout.trim().split('\n').at(-1)).items;
  if (items?.length !== count) fail(`the import created ${items?.length} employees, not ${count}`);
  return items;
}

// Signs in with the one-time password and sets PASSWORD (the one-time session may
// do nothing else); returns the session {token, csrf}.
async function settle(employee) {
  const signIn = await api('POST', '/api/v1/session', { json: { code: employee.code, password: employee.one_time_password } });
  if (signIn.status !== 200) fail(`sign-in of ${employee.code}: ${signIn.status} ${signIn.text}`);
  const cookie = [signIn.headers['set-cookie'] ?? []].flat().join('\n');
  const token = new RegExp(`${COOKIE_NAME}=([^;]+)`).exec(cookie)?.[1];
  if (!token) fail(`sign-in of ${employee.code} set no session cookie`);
  const session = { token, csrf: signIn.json.csrf_token };
  const changed = await api('POST', '/api/v1/me/password', { json: { current: employee.one_time_password, new: PASSWORD }, session });
  if (changed.status !== 204) fail(`password change of ${employee.code}: ${changed.status} ${changed.text}`);
  const me = await api('GET', '/api/v1/me', { session });
  if (me.status !== 200 || me.json?.must_change_password) fail(`GET /api/v1/me of ${employee.code}: ${me.status} ${me.text}`);
  return session;
}

async function inParallel(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

// ---------------------------------------------------------------------------
// Probes: say plainly which server part is missing, before any long work.

async function probeWebSocket(session) {
  const ws = new WebSocket(`wss://127.0.0.1:${config.port}/api/v1/ws`, {
    ca,
    servername: 'localhost',
    headers: { Cookie: `${COOKIE_NAME}=${session.token}`, Origin: `https://127.0.0.1:${config.port}` },
    handshakeTimeout: 10_000,
  });
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      ws.terminate();
      resolve('no hello message within 10 s of the upgrade');
    }, 10_000);
    ws.on('unexpected-response', (req, res) => {
      clearTimeout(timer);
      res.resume();
      ws.terminate();
      resolve(`the upgrade to wss://127.0.0.1:${config.port}/api/v1/ws was answered with HTTP ${res.statusCode}`);
    });
    ws.on('error', (error) => {
      clearTimeout(timer);
      resolve(`the WebSocket failed: ${error.message}`);
    });
    ws.on('message', (data) => {
      let message;
      try {
        message = JSON.parse(data);
      } catch {
        message = {};
      }
      if (message.type !== 'hello') return;
      clearTimeout(timer);
      ws.close();
      resolve(null);
    });
  });
}

async function probeMeetings(session) {
  // An empty body: a route that exists answers 4xx for the missing fields, never 404.
  const response = await api('POST', '/api/v1/meetings', { json: {}, session });
  return response.status === 404 || response.status === 405
    ? `POST /api/v1/meetings was answered with HTTP ${response.status}`
    : null;
}

// ---------------------------------------------------------------------------
// Client processes

let seq = 0;
function ask(child, command) {
  const id = ++seq;
  return new Promise((resolve, reject) => {
    const onMessage = (reply) => {
      if (reply.seq !== id) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (reply.error) reject(new Error(`client process: ${reply.error}`));
      else resolve(reply);
    };
    const onExit = (code) => reject(new Error(`client process exited (${code}) during ${command.type}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send({ ...command, seq: id });
  });
}

const askAll = (command) => Promise.all(children.map((child) => ask(child, command)));

function startChildren() {
  for (let i = 0; i < config.processes; i++) {
    const child =
      config.client === 'native'
        ? spawn(config.nativeClient, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
        : fork(path.join(here, 'clients.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.setMaxListeners(0);
    children.push(child);
  }
}

// Opens `count` connections for phase `phase`: connection i belongs to employee
// i mod E (so each has several tabs) and to client process i mod P.
async function openPhase(phase, count, sessions) {
  const shares = children.map(() => []);
  for (let i = 0; i < count; i++) {
    const employee = i % sessions.length;
    shares[i % children.length].push({ id: `${phase}-${i}`, employee, cookie: `${COOKIE_NAME}=${sessions[employee].token}` });
  }
  const started = performance.now();
  const replies = await Promise.all(
    children.map((child, i) =>
      ask(child, {
        type: 'open',
        phase,
        items: shares[i],
        port: config.port,
        ca: ca.toString('utf8'),
        concurrency: config.openConcurrency,
        deflate: config.deflate,
        timeoutMs: OPEN_TIMEOUT_MS,
      }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const opened = replies.reduce((sum, reply) => sum + reply.opened, 0);
  const failures = {};
  for (const reply of replies) {
    for (const [reason, n] of Object.entries(reply.failures)) failures[reason] = (failures[reason] ?? 0) + n;
  }
  const extensions = replies.find((reply) => reply.extensions !== null)?.extensions ?? '';
  return { opened, failures, seconds, extensions };
}

// ---------------------------------------------------------------------------
// The fan-out

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
// Meetings start tomorrow, each in an hour of its own (conflicts allowed anyway).
const firstStart = Math.ceil((Date.now() + 24 * 3600_000) / 3600_000) * 3600_000;
let meetingCount = 0;

async function fanOut(phase, employees, sessions) {
  const start = firstStart + meetingCount * 3600_000;
  meetingCount++;
  const body = {
    title: `Бенчмарк ${meetingCount}`,
    agenda: 'make bench-realtime',
    kind: 'operational',
    starts_at: iso(start),
    ends_at: iso(start + 30 * 60_000),
    invitees: employees.filter((_, i) => i !== ORGANISER).map((employee) => ({ employee_id: employee.id })),
    reminder_offsets: [],
    allow_conflicts: true,
  };
  await askAll({ type: 'forget' });
  const serverCpuBefore = cpuMs(config.serverPid);
  const t0 = process.hrtime.bigint();
  const created = await api('POST', '/api/v1/meetings', { json: body, session: sessions[ORGANISER] });
  const postMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (created.status !== 201 || created.json?.id === undefined) {
    fail(`POST /api/v1/meetings: ${created.status} ${created.text.slice(0, 500)}`);
  }
  const replies = await askAll({
    type: 'collect',
    meetingId: created.json.id,
    t0: t0.toString(),
    organiser: ORGANISER,
    phase,
    timeoutMs: FANOUT_TIMEOUT_MS,
  });
  const serverCpu = cpuMs(config.serverPid) - serverCpuBefore;
  const latencies = replies.flatMap((reply) => reply.latencies).sort((a, b) => a - b);
  const expected = replies.reduce((sum, reply) => sum + reply.expected, 0);
  const missing = replies.reduce((sum, reply) => sum + reply.missing, 0);
  if (missing > 0 || expected === 0) incomplete = true;
  return {
    expected,
    received: latencies.length,
    postMs,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    max: latencies.at(-1) ?? NaN,
    serverCpu,
    clientCpu: replies.map((reply) => reply.cpuMs),
  };
}

// Nearest-rank percentile of sorted values.
function percentile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
}

function median(values) {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function fanOutRounds(phase, label, employees, sessions) {
  const results = [];
  for (let round = 1; round <= config.rounds; round++) {
    const result = await fanOut(phase, employees, sessions);
    results.push(result);
    log(
      `  ${label.padEnd(12)} round ${round}: ${String(result.received).padStart(6)} of ${String(result.expected).padEnd(6)} tabs` +
        `  p50 ${ms(result.p50)}  p99 ${ms(result.p99)}  max ${ms(result.max)}  POST ${ms(result.postMs)}` +
        `  CPU: server ${result.serverCpu.toFixed(0)} ms, clients ${result.clientCpu.map((v) => v.toFixed(0)).join('+')} ms`,
    );
    await sleep(1000);
  }
  return {
    p50: median(results.map((r) => r.p50)),
    p99: median(results.map((r) => r.p99)),
    max: Math.max(...results.map((r) => r.max)),
    received: results.reduce((sum, r) => sum + r.received, 0),
    expected: results.reduce((sum, r) => sum + r.expected, 0),
  };
}

const ms = (value) => `${Number.isNaN(value) ? '-' : value.toFixed(1)} ms`.padStart(10);

// ---------------------------------------------------------------------------
// Memory

function rssKiB(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN);
}

const mib = (kib) => `${(kib / 1024).toFixed(1)} MiB`;

// User + system CPU time of a process so far (all its threads), in ms.
function cpuMs(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

async function childStatus() {
  const statuses = await askAll({ type: 'status' });
  return {
    open: statuses.reduce((sum, s) => sum + s.open, 0),
    lost: statuses.reduce((sum, s) => sum + s.lost, 0),
    invalid: statuses.reduce((sum, s) => sum + s.invalid, 0),
    closeCodes: statuses.map((s) => s.closeCodes),
    rssKiB: statuses.map((s) => s.rssKiB),
  };
}

function describeFailures(failures) {
  return Object.entries(failures)
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => `${n} × ${reason}`)
    .join('; ');
}

// ---------------------------------------------------------------------------

async function main() {
  const cores = os.cpus().length;
  log(
    `bench-realtime: ${config.employees} employees, ${config.connections} WebSocket connections ` +
      `(${(config.connections / config.employees).toFixed(0)} tabs each) from ${config.processes} client processes, ` +
      `baseline ${config.baseline}, ${config.rounds} rounds, ${cores} cores, loopback TLS`,
  );
  if (config.employees < 2) fail('BENCH_EMPLOYEES must be at least 2 (an organiser and an invitee)');

  let started = performance.now();
  const employees = createEmployees(config.employees);
  const sessions = await inParallel(employees, 4, settle);
  const signInSeconds = (performance.now() - started) / 1000;
  log(`signed in ${sessions.length} employees, each with a password of their own, in ${signInSeconds.toFixed(1)} s`);

  const missing = [await probeWebSocket(sessions[ORGANISER]), await probeMeetings(sessions[ORGANISER])].filter(Boolean);
  if (missing.length > 0) {
    fail(`${missing.join('; ')}.\nThis server has no WebSocket /api/v1/ws or no meetings API yet: nothing more to measure.`);
  }

  startChildren();

  // 1. The baseline: the cost floor of one notification's round trip.
  log(`\nbaseline: opening ${config.baseline} connections`);
  const small = await openPhase('baseline', config.baseline, sessions);
  if (small.opened < config.baseline) {
    fail(`only ${small.opened} of ${config.baseline} baseline connections opened: ${describeFailures(small.failures)}`);
  }
  log(`  open in ${small.seconds.toFixed(1)} s; permessage-deflate ${small.extensions.includes('permessage-deflate') ? 'on' : 'off'}`);
  await sleep(1000);
  const baseline = await fanOutRounds('baseline', `${config.baseline} conns`, employees, sessions);
  await askAll({ type: 'close', phase: 'baseline' });
  await sleep(2000); // the server forgets the closed sockets

  // 2. Memory per idle connection.
  const rssBefore = rssKiB(config.serverPid);
  log(`\nopening ${config.connections} connections (${config.openConcurrency} upgrades in flight per client process)`);
  started = performance.now();
  const big = await openPhase('main', config.connections, sessions);
  const failed = big.opened < config.connections ? `; failed: ${describeFailures(big.failures)}` : '';
  log(`  ${big.opened} open in ${big.seconds.toFixed(1)} s${failed}`);
  if (big.opened < config.connections) incomplete = true;
  if (big.opened === 0) fail('no connection opened');
  await sleep(config.idleSeconds * 1000);
  const idle = await childStatus();
  const rssAfter = rssKiB(config.serverPid);
  const kibPerConnection = (rssAfter - rssBefore) / idle.open;
  if (idle.lost > 0) {
    incomplete = true;
    log(`  ${idle.lost} connections were closed by the server while idle (close codes ${JSON.stringify(idle.closeCodes)})`);
  }

  // 3. The fan-out to all of them.
  log('');
  const large = await fanOutRounds('main', `${config.connections} conns`, employees, sessions);
  const after = await childStatus();
  if (after.lost > idle.lost) {
    incomplete = true;
    const codes = JSON.stringify(after.closeCodes);
    log(`  ${after.lost - idle.lost} connections were closed by the server during the fan-out (close codes ${codes})`);
  }
  if (after.invalid > 0) {
    incomplete = true;
    log(`  ${after.invalid} messages were not JSON`);
  }

  const ratio = large.p99 / baseline.p99;
  const mark = (ok) => (ok ? 'met' : 'MISSED');
  log('\n== bench-realtime results ==');
  log(`connections open:          ${idle.open} of ${config.connections} (after ${config.idleSeconds} s idle)`);
  log(`server RSS before:         ${mib(rssBefore)} (${rssBefore} KiB)`);
  log(`server RSS after:          ${mib(rssAfter)} (${rssAfter} KiB), all open and idle`);
  const memoryMet = mark(kibPerConnection < TARGET_KIB_PER_CONNECTION);
  log(`KiB per connection:        ${kibPerConnection.toFixed(1)} (target < ${TARGET_KIB_PER_CONNECTION} KiB: ${memoryMet})`);
  log(`client processes RSS:      ${after.rssKiB.map(mib).join(', ')}`);
  log(`fan-out of one notification, median of ${config.rounds} rounds (from just before the POST to each tab's message):`);
  for (const [count, result] of [
    [config.baseline, baseline],
    [config.connections, large],
  ]) {
    log(
      `  ${String(count).padStart(6)} connections: p50 ${ms(result.p50)}  p99 ${ms(result.p99)}  max ${ms(result.max)}` +
        `  (${result.received} of ${result.expected} received)`,
    );
  }
  log(`p99 target < ${TARGET_P99_MS} ms at ${config.connections}: ${mark(large.p99 < TARGET_P99_MS)}`);
  log(`ratio p99(${config.connections}) / p99(${config.baseline}): ${ratio.toFixed(1)}`);
  if (cores < 4) {
    log(`note: server and ${config.processes} client processes share ${cores} cores; the clients' TLS and JSON work is inside these latencies`);
  }
  if (incomplete) log('INCOMPLETE: some connections did not open, were lost, or did not receive a notification (see above)');

  await askAll({ type: 'close' });
  for (const child of children) child.disconnect();
  process.exit(incomplete ? 1 : 0);
}

main().catch((error) => fail(error.stack ?? String(error)));
