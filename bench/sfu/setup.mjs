// The sign-in half of `make bench-sfu`, as bench/realtime/bench.mjs does it: one
// employee (CSV import through the CLI), signed in with the one-time password and
// given a password, creates a meeting starting in a minute and asks for
// BENCH_TABS media capabilities (POST /api/v1/meetings/{id}/join, one per tab:
// each tab is its own participant). Writes the plan egovbox-loadgen reads:
//   {port, meeting_id, cookie, capabilities: [...]}
// Environment: BENCH_BINARY, BENCH_DATA_DIR, BENCH_WORK_DIR, BENCH_PORT, BENCH_TABS,
// BENCH_PLAN (the file to write).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { COOKIE_NAME, PASSWORD, httpsApi } from '../common.mjs';

const env = process.env;
const port = Number(env.BENCH_PORT);
const tabs = Number(env.BENCH_TABS);
const ca = fs.readFileSync(path.join(env.BENCH_DATA_DIR, 'tls', 'certificate.pem'));

function fail(text) {
  process.stderr.write(`bench-sfu: ${text}\n`);
  process.exit(1);
}

const api = httpsApi({ port, ca, timeoutMs: 30_000 });

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

const csv = path.join(env.BENCH_WORK_DIR, 'employees.csv');
fs.writeFileSync(csv, `name,email,department,position,roles\nСлужител Бенчмарков,bench.sfu.${Date.now().toString(36)}@example.org,Бенчмарк,Експерт,employee\n`);
const imported = spawnSync(env.BENCH_BINARY, ['admin', 'employee', 'import', '--file', csv, '--data-dir', env.BENCH_DATA_DIR, '--json'], {
  encoding: 'utf8',
  env: { ...env, LANG: 'C.UTF-8' },
  timeout: 60_000,
});
if (imported.status !== 0) fail(`admin employee import failed (${imported.status}): ${imported.stdout} ${imported.stderr}`);
const [employee] = JSON.parse(imported.stdout.trim().split('\n').at(-1)).items;

const signIn = await api('POST', '/api/v1/session', { json: { code: employee.code, password: employee.one_time_password } });
if (signIn.status !== 200) fail(`sign-in: ${signIn.status} ${signIn.text}`);
const token = new RegExp(`${COOKIE_NAME}=([^;]+)`).exec([signIn.headers['set-cookie'] ?? []].flat().join('\n'))?.[1];
if (!token) fail('sign-in set no session cookie');
const session = { token, csrf: signIn.json.csrf_token };
const changed = await api('POST', '/api/v1/me/password', { json: { current: employee.one_time_password, new: PASSWORD }, session });
if (changed.status !== 204) fail(`password change: ${changed.status} ${changed.text}`);

const now = Date.now();
const meeting = await api('POST', '/api/v1/meetings', {
  json: { title: 'Бенчмарк на SFU', starts_at: iso(now + 60_000), ends_at: iso(now + 3_600_000), invitees: [] },
  session,
});
if (meeting.status !== 201) fail(`create meeting: ${meeting.status} ${meeting.text}`);

const capabilities = [];
for (let i = 0; i < tabs; i++) {
  const pass = await api('POST', `/api/v1/meetings/${meeting.json.id}/join`, { json: {}, session });
  if (pass.status !== 200) fail(`join: ${pass.status} ${pass.text}`);
  capabilities.push(pass.json.capability);
}
fs.writeFileSync(
  env.BENCH_PLAN,
  JSON.stringify({ port, meeting_id: meeting.json.id, cookie: `${COOKIE_NAME}=${session.token}`, capabilities }),
);
