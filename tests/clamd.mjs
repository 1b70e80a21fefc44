// A real clamd for tests: /usr/sbin/clamd (Debian's clamav-daemon) in the
// foreground with its own configuration in `dir`, a Unix socket there and no TCP,
// and a database of one line that knows only the EICAR test file (no freshclam,
// no network). Starting takes a few tens of milliseconds with that database.
//
//   const clamd = await startClamd(makeTempDir('egovbox-clamd-'));
//   // server configured with clamd_address = clamd.socketPath
//   await upload(eicarBytes()); // refused as infected
//   await clamd.stop();         // now clamd is unavailable: uploads wait in pending-scan
//
// startClamd resolves once clamd answers zPING with PONG, and rejects with clamd's
// output when it exits or does not answer within `timeoutMs`. Options:
// streamMaxBytes (clamd's StreamMaxLength: a longer INSTREAM is refused with
// "INSTREAM size limit exceeded"), timeoutMs. The returned object has socketPath,
// dir, process, ping() (true when it answers PONG), output() (its stdout, stderr and
// log) and stop() (SIGTERM, SIGKILL after 10 s; resolves when it has exited).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const CLAMD_BINARY = '/usr/sbin/clamd';
// The EICAR file's MD5, its size and a name: an .hdb signature (ClamAV's "MD5 hash
// based signatures"). clamd reports it as "Eicar-Test-Signature.UNOFFICIAL".
const EICAR_SIGNATURE = '44d88612fea8a8f36de82e1278abb02f:68:Eicar-Test-Signature';
const SUN_PATH_MAX = 107; // sockaddr_un.sun_path on Linux, less the terminating NUL
const KEEP_OUTPUT_BYTES = 64 * 1024;

// The EICAR anti-virus test file (68 bytes), put together here so that this file is
// not itself taken for it.
export function eicarBytes() {
  return Buffer.from(['X5O!P%@AP[4\\PZX54(P^)7CC)7}$', 'EICAR-STANDARD-ANTIVIRUS', '-TEST-FILE!$H+H*'].join(''), 'latin1');
}

export function clamdInstalled() {
  try {
    fs.accessSync(CLAMD_BINARY, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

// Every clamd still running, so that none outlives this process.
const liveChildren = new Set();
process.on('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL');
});

export async function startClamd(dir, { streamMaxBytes = 25 * 1024 * 1024, timeoutMs = 60_000 } = {}) {
  dir = path.resolve(dir);
  const socketPath = path.join(dir, 'clamd.sock');
  if (Buffer.byteLength(socketPath) > SUN_PATH_MAX) {
    throw new Error(`clamd socket path too long for a Unix socket (${SUN_PATH_MAX} bytes): ${socketPath}`);
  }
  const databaseDir = path.join(dir, 'clamd-db');
  fs.mkdirSync(databaseDir, { recursive: true });
  fs.writeFileSync(path.join(databaseDir, 'test.hdb'), `${EICAR_SIGNATURE}\n`);
  const logFile = path.join(dir, 'clamd.log');
  const configFile = path.join(dir, 'clamd.conf');
  fs.writeFileSync(
    configFile,
    [
      `LocalSocket ${socketPath}`,
      `DatabaseDirectory ${databaseDir}`,
      `TemporaryDirectory ${dir}`,
      `LogFile ${logFile}`,
      'Foreground yes',
      `StreamMaxLength ${streamMaxBytes}`,
      '',
    ].join('\n'),
  );
  fs.rmSync(socketPath, { force: true });

  const startedAt = Date.now();
  const child = spawn(CLAMD_BINARY, [`--config-file=${configFile}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  liveChildren.add(child);
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk).slice(-KEEP_OUTPUT_BYTES);
  };
  child.stdout.setEncoding('utf8').on('data', keep);
  child.stderr.setEncoding('utf8').on('data', keep);
  let exitStatus = null;
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
    child.on('error', (error) => resolve({ code: null, signal: null, error }));
  }).then((status) => {
    exitStatus = status;
    liveChildren.delete(child);
    return status;
  });

  const clamd = {
    socketPath,
    dir,
    process: child,
    startUpMs: 0,
    ping: () => ping(socketPath),
    output() {
      let log = '';
      try {
        log = fs.readFileSync(logFile, 'utf8');
      } catch {
        // not written yet
      }
      return `${output}${log}`;
    },
    async stop() {
      if (exitStatus) return exitStatus;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const status = await exited;
      clearTimeout(timer);
      return status;
    },
  };

  const deadline = startedAt + timeoutMs;
  for (;;) {
    if (exitStatus) {
      const { code, signal, error } = exitStatus;
      throw new Error(
        `clamd exited (code ${code}, signal ${signal}${error ? `, ${error.message}` : ''}) at start-up:\n${clamd.output()}`,
      );
    }
    if (await ping(socketPath)) break;
    if (Date.now() > deadline) {
      await clamd.stop();
      throw new Error(`clamd did not answer PING within ${timeoutMs} ms:\n${clamd.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  clamd.startUpMs = Date.now() - startedAt;
  return clamd;
}

// True when the daemon at `socketPath` answers "zPING\0" with "PONG\0" within `timeoutMs`.
export function ping(socketPath, timeoutMs = 1000) {
  return new Promise((resolve) => {
    let reply = '';
    const socket = net.createConnection(socketPath);
    const finish = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.on('error', () => finish(false));
    socket.on('connect', () => socket.write('zPING\0'));
    socket.setEncoding('latin1');
    socket.on('data', (chunk) => {
      reply += chunk;
      const end = reply.indexOf('\0');
      if (end >= 0) finish(reply.slice(0, end) === 'PONG');
    });
    socket.on('end', () => finish(reply === 'PONG'));
  });
}
