// A client process of `make bench-realtime` (forked by bench.mjs): holds a share
// of the WebSocket connections to egovbox and notes, for each one, when each
// notification arrived. Driven over the IPC channel, one command at a time:
//
//   {type: 'open', phase, items: [{id, employee, cookie}], port, ca, concurrency, deflate, timeoutMs}
//        -> {opened, failed, failures: {reason: count}, extensions}
//        A connection counts as open once its `hello` message has arrived.
//   {type: 'collect', meetingId, t0, organiser, phase, timeoutMs}
//        -> {expected, latencies: [ms], missing, cpuMs}
//        Waits until every open connection of the phase whose employee is not the
//        organiser has a notification about the meeting (or the time is up).
//        Latencies are from t0 (process.hrtime.bigint() of bench.mjs, taken just
//        before the POST): hrtime is CLOCK_MONOTONIC, one clock for all processes.
//        cpuMs: this process's CPU time since the last forget command.
//   {type: 'forget'}                 -> {}  (drops the arrival times kept so far)
//   {type: 'status'}                 -> {open, lost, closeCodes, invalid, rssKiB}
//   {type: 'close', phase}           -> {closed}
//
// Every reply carries the `seq` of its command. Only 127.0.0.1 is ever dialled.
import fs from 'node:fs';
import { createRequire } from 'node:module';

// The `ws` package of the tests (tests/package.json); the benchmark adds no dependency.
const require = createRequire(new URL('../../tests/package.json', import.meta.url));
const WebSocket = require('ws');

const connections = new Map(); // id -> {ws, employee, phase, open, arrivals: Map(meetingId -> hrtime)}
const closeCodes = {};
let lost = 0; // connections the server closed after they had opened
let invalid = 0; // messages that were not JSON
let collecting = null; // {check} while a collect command waits
let cpuMark = process.cpuUsage(); // at the last forget command

process.on('disconnect', () => process.exit(0));
process.on('message', async (command) => {
  let reply;
  try {
    reply = await handlers[command.type](command);
  } catch (error) {
    reply = { error: error.stack ?? String(error) };
  }
  process.send({ seq: command.seq, ...reply });
});

const handlers = {
  open,
  collect,
  forget() {
    for (const connection of connections.values()) connection.arrivals.clear();
    cpuMark = process.cpuUsage();
    return {};
  },
  status() {
    let openCount = 0;
    for (const connection of connections.values()) if (connection.open) openCount++;
    return { open: openCount, lost, closeCodes, invalid, rssKiB: rssKiB(process.pid) };
  },
  close,
};

async function open({ phase, items, port, ca, concurrency, deflate, timeoutMs }) {
  const failures = {};
  let opened = 0;
  let extensions = null;
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      try {
        const connection = await openOne(item, { phase, port, ca, deflate, timeoutMs });
        opened++;
        extensions ??= connection.ws.extensions;
      } catch (error) {
        failures[error.message] = (failures[error.message] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return { opened, failed: items.length - opened, failures, extensions };
}

function openOne({ id, employee, cookie }, { phase, port, ca, deflate, timeoutMs }) {
  const origin = `https://127.0.0.1:${port}`;
  const ws = new WebSocket(`wss://127.0.0.1:${port}/api/v1/ws`, {
    ca,
    servername: 'localhost',
    headers: { Cookie: cookie, Origin: origin },
    // A browser offers permessage-deflate; the server decides whether it is used.
    perMessageDeflate: deflate,
    handshakeTimeout: timeoutMs,
    followRedirects: false,
  });
  const connection = { ws, employee, phase, open: false, arrivals: new Map() };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`no hello within ${timeoutMs} ms`));
    }, timeoutMs);
    ws.on('unexpected-response', (req, res) => {
      clearTimeout(timer);
      res.resume();
      ws.terminate();
      reject(new Error(`upgrade refused with HTTP ${res.statusCode}`));
    });
    ws.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(error.code ?? error.message));
    });
    ws.on('close', (code) => {
      clearTimeout(timer);
      if (connection.open) {
        connection.open = false;
        if (!connection.closing) {
          lost++;
          closeCodes[code] = (closeCodes[code] ?? 0) + 1;
        }
      }
      reject(new Error(`closed (${code}) before hello`));
    });
    ws.on('message', (data) => {
      const at = process.hrtime.bigint(); // first, before any work of ours
      let message;
      try {
        message = JSON.parse(data);
      } catch {
        invalid++;
        return;
      }
      if (message.type === 'notification') {
        const raw = message.notification?.payload?.meeting_id;
        const meetingId = raw === undefined || raw === null ? undefined : String(raw);
        if (meetingId !== undefined && !connection.arrivals.has(meetingId)) {
          connection.arrivals.set(meetingId, at);
          collecting?.check(connection, meetingId);
        }
      } else if (message.type === 'hello' && !connection.open) {
        clearTimeout(timer);
        connection.open = true;
        connections.set(id, connection);
        resolve(connection);
      }
    });
  });
}

async function collect({ meetingId: id, t0, organiser, phase, timeoutMs }) {
  const meetingId = String(id);
  const start = BigInt(t0);
  const expected = [...connections.values()].filter(
    (connection) => connection.phase === phase && connection.open && connection.employee !== organiser,
  );
  const waiting = new Set(expected.filter((connection) => !connection.arrivals.has(meetingId)));
  if (waiting.size > 0) {
    await new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        collecting = null;
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      collecting = {
        // Called on the first arrival of a notification about a meeting on a connection.
        check(connection, id) {
          if (id === meetingId && waiting.delete(connection) && waiting.size === 0) done();
        },
      };
    });
  }
  const latencies = [];
  for (const connection of expected) {
    const at = connection.arrivals.get(meetingId);
    if (at !== undefined) latencies.push(Number(at - start) / 1e6);
  }
  const cpu = process.cpuUsage(cpuMark);
  return { expected: expected.length, latencies, missing: expected.length - latencies.length, cpuMs: (cpu.user + cpu.system) / 1000 };
}

async function close({ phase }) {
  const closing = [];
  for (const [id, connection] of connections) {
    if (phase !== undefined && connection.phase !== phase) continue;
    connections.delete(id);
    if (!connection.open) continue;
    connection.closing = true;
    closing.push(
      new Promise((resolve) => {
        const timer = setTimeout(() => connection.ws.terminate(), 5000);
        connection.ws.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        connection.ws.close(1000);
      }),
    );
  }
  await Promise.all(closing);
  return { closed: closing.length };
}

function rssKiB(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN);
}
