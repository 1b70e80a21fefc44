// What operators rely on: security headers, health and readiness, metrics, the
// API description, configuration precedence, and the admin CLI's JSON.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import {
  admin,
  assertProblem,
  Client,
  countRows,
  createEmployee,
  makeTempDir,
  NEW_PASSWORD,
  request,
  runServeExpectingFailure,
  serverTest,
  setUpAdministrator,
  signedInEmployee,
  sqlite,
  startServer,
} from './harness.mjs';

function assertSecurityHeaders(response, what) {
  const headers = response.headers;
  assert.match(headers['strict-transport-security'] ?? '', /max-age=\d{7,}/, `${what}: HSTS`);
  assert.match(headers['content-security-policy'] ?? '', /frame-ancestors 'none'/, `${what}: CSP`);
  assert.match(headers['content-security-policy'], /default-src 'self'/, `${what}: CSP default-src`);
  assert.equal(headers['x-content-type-options'], 'nosniff', `${what}: nosniff`);
  assert.ok(headers['referrer-policy'], `${what}: Referrer-Policy`);
}

serverTest('security headers are on API answers, problems and static files', async () => {
  const server = await startServer();
  const employee = createEmployee(server.dataDir);
  const client = new Client(server);
  const signIn = await client.signIn(employee.code, employee.one_time_password);
  assertSecurityHeaders(signIn, 'sign-in 200');
  assert.equal(signIn.headers['cache-control'], 'no-store', 'API answers are not cached');
  const me = await client.get('/api/v1/me');
  assertSecurityHeaders(me, 'GET /api/v1/me 200');
  assertSecurityHeaders(await request(server, 'GET', '/healthz'), '/healthz');

  const notFound = await request(server, 'GET', '/api/v1/nope');
  assertProblem(notFound, 404, 'not-found');
  assertSecurityHeaders(notFound, '404');
  assertSecurityHeaders(await request(server, 'DELETE', '/healthz'), '405');
  assertSecurityHeaders(await request(server, 'GET', '/assets/missing-0000.js'), 'missing asset 404');

  const index = await request(server, 'GET', '/');
  assert.equal(index.status, 200);
  assert.match(index.headers['content-type'], /^text\/html/);
  assertSecurityHeaders(index, 'static /');
  const asset = await request(server, 'GET', '/assets/app-1234.js');
  assert.equal(asset.status, 200);
  assert.match(asset.headers['content-type'], /^text\/javascript/);
  assert.match(asset.headers['cache-control'], /immutable/);
  assertSecurityHeaders(asset, 'static asset');
  // The single-page app answers its own routes with index.html.
  const route = await request(server, 'GET', '/meetings/upcoming');
  assert.equal(route.status, 200);
  assert.equal(route.text, index.text);
  const cached = await request(server, 'GET', '/assets/app-1234.js', { headers: { 'If-None-Match': asset.headers.etag } });
  assert.equal(cached.status, 304);
});

serverTest('/healthz and /readyz answer 200, /readyz names the sqlite store', async () => {
  const server = await startServer();
  const health = await request(server, 'GET', '/healthz');
  assert.equal(health.status, 200);
  assert.equal(health.json.status, 'ok');
  const ready = await request(server, 'GET', '/readyz');
  assert.equal(ready.status, 200);
  assert.equal(ready.json.store, 'sqlite');
  const head = await request(server, 'HEAD', '/healthz');
  assert.equal(head.status, 200);
  assert.equal(head.text, '');
});

serverTest('/metrics counts requests by route and status, open connections and latency', async () => {
  const server = await startServer();
  const { client } = await signedInEmployee(server);
  assert.equal((await client.get('/api/v1/me')).status, 200);
  assert.equal((await client.get('/api/v1/me')).status, 200);
  assert.equal((await request(server, 'GET', '/api/v1/nope')).status, 404);

  const metrics = await request(server, 'GET', '/metrics');
  assert.equal(metrics.status, 200);
  assert.match(metrics.headers['content-type'], /^text\/plain; version=0\.0\.4/);
  const text = metrics.text;
  assert.match(text, /^# TYPE egovbox_http_requests_total counter$/m);
  assert.match(text, /^egovbox_http_requests_total\{method="GET",route="\/api\/v1\/me",status="200"\} 2$/m);
  assert.match(text, /^egovbox_http_requests_total\{method="POST",route="\/api\/v1\/session",status="200"\} 1$/m);
  assert.match(text, /^egovbox_http_requests_total\{method="GET",route="unmatched",status="404"\} 1$/m);
  assert.doesNotMatch(text, /route="\/api\/v1\/nope"/, 'unknown paths do not become labels');
  assert.match(text, /^# TYPE egovbox_http_open_connections gauge$/m);
  assert.match(text, /^egovbox_http_open_connections [1-9]\d*$/m);
  assert.match(text, /^# TYPE egovbox_http_request_duration_seconds histogram$/m);
  assert.match(text, /^egovbox_http_request_duration_seconds_bucket\{route="\/api\/v1\/me",le="\+Inf"\} 2$/m);
  assert.match(text, /^egovbox_http_request_duration_seconds_count\{route="\/api\/v1\/me"\} 2$/m);
  assert.match(text, /^egovbox_http_request_duration_seconds_sum\{route="\/api\/v1\/me"\} [0-9.e-]+$/m);
});

serverTest('the API description is served at /api/v1/openapi.yaml', async () => {
  const server = await startServer();
  const response = await request(server, 'GET', '/api/v1/openapi.yaml');
  assert.equal(response.status, 200);
  assert.match(response.headers['content-type'], /yaml/);
  assert.match(response.text, /^openapi: ["']?3\.\d/m);
  assert.match(response.text, /\/api\/v1\/session|\/session:/);
});

serverTest('configuration: egovbox.toml < environment < command-line flag', async () => {
  const dir = makeTempDir('egovbox-config-');
  const config = path.join(dir, 'egovbox.toml');
  // The banner names the configured host, which tells the layers apart.
  fs.writeFileSync(config, 'listen = "localhost:0"\nmax_body_bytes = 2048\n');

  const fromFile = await startServer({ args: ['--config', config], listen: null });
  assert.equal(fromFile.host, 'localhost', 'the file sets listen');
  const body = JSON.stringify({ code: 'x', password: 'y', padding: 'z'.repeat(3000) });
  assertProblem(
    await request(fromFile, 'POST', '/api/v1/session', { body, headers: { 'Content-Type': 'application/json' } }),
    413,
    'payload-too-large',
  );

  const fromEnvironment = await startServer({
    args: ['--config', config],
    listen: null,
    env: { EGOVBOX_LISTEN: '127.0.0.1:0', EGOVBOX_MAX_BODY_BYTES: '8192' },
  });
  assert.equal(fromEnvironment.host, '127.0.0.1', 'the environment beats the file');
  assertProblem(
    await request(fromEnvironment, 'POST', '/api/v1/session', { body, headers: { 'Content-Type': 'application/json' } }),
    400,
    'invalid-personal-code',
  );

  const fromFlag = await startServer({
    args: ['--config', config],
    listen: '127.0.0.1:0',
    env: { EGOVBOX_LISTEN: 'localhost:0' },
  });
  assert.equal(fromFlag.host, '127.0.0.1', 'the flag beats the environment');

  // A bad value in a lower layer does not matter when a higher layer sets the key.
  fs.writeFileSync(config, 'max_connections = "many"\n');
  const overridden = await startServer({ args: ['--config', config], env: { EGOVBOX_MAX_CONNECTIONS: '50' } });
  assert.equal((await request(overridden, 'GET', '/healthz')).status, 200);
  const badFile = runServeExpectingFailure({ args: ['--config', config, '--listen', '127.0.0.1:0'] });
  assert.equal(badFile.status, 2, badFile.stderr);
  assert.match(badFile.stderr, /max_connections/);
  assert.match(badFile.stderr, /egovbox\.toml/, 'the message names the file');
});

serverTest('a bad configuration value exits with code 2 and a message naming the key', async () => {
  const cases = [
    [{ EGOVBOX_MAX_CONNECTIONS: 'abc' }, /max_connections \(EGOVBOX_MAX_CONNECTIONS\): "abc"/],
    [{ EGOVBOX_HEADER_TIMEOUT: 'soon' }, /header_timeout/],
    [{ EGOVBOX_MAX_BODY_BYTES: '-1' }, /max_body_bytes/],
    [{ EGOVBOX_LOG_LEVEL: 'loud' }, /log_level/],
    [{ EGOVBOX_SESSION_IDLE_TIMEOUT: '0s' }, /session/],
  ];
  for (const [env, message] of cases) {
    const result = runServeExpectingFailure({ env, args: ['--listen', '127.0.0.1:0'] });
    assert.equal(result.status, 2, `${JSON.stringify(env)}: exit ${result.status} ${result.stderr}`);
    assert.match(result.stderr, message, JSON.stringify(env));
    assert.doesNotMatch(result.stdout, /is serving/);
  }
  const badListen = runServeExpectingFailure({ args: ['--listen', 'nowhere'] });
  assert.equal(badListen.status, 2);
  assert.match(badListen.stderr, /listen \(--listen\)/);

  const dir = makeTempDir('egovbox-config-');
  const unknownKey = path.join(dir, 'egovbox.toml');
  fs.writeFileSync(unknownKey, 'max_conections = 5\n');
  const unknown = runServeExpectingFailure({ args: ['--config', unknownKey, '--listen', '127.0.0.1:0'] });
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /max_conections/);
  fs.writeFileSync(unknownKey, 'listen = \n');
  const broken = runServeExpectingFailure({ args: ['--config', unknownKey] });
  assert.equal(broken.status, 2);
});

serverTest('admin employee add --json prints one object with id, code and one-time password; Cyrillic round-trips', async () => {
  const server = await startServer();
  const result = admin(
    server.dataDir,
    'employee',
    'add',
    '--name',
    'Цветелина Ђорђевић-Щерева',
    '--email',
    'cvetelina@example.org',
    '--department',
    'Дирекция „Образование“',
    '--role',
    'employee',
    '--role',
    'clerk',
  );
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.lines.length, 1, `one JSON object: ${result.stdout}`);
  const created = result.json;
  assert.match(created.id, /^[A-Za-z0-9_-]{8,}$/);
  assert.match(created.code, /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  assert.equal(typeof created.one_time_password, 'string');
  assert.ok(created.one_time_password.length >= 12);
  assert.equal(created.name, 'Цветелина Ђорђевић-Щерева');
  assert.deepEqual(created.roles, ['clerk', 'employee']);

  const client = new Client(server);
  await client.signInOk(created.code, created.one_time_password);
  await client.changePassword(created.one_time_password, NEW_PASSWORD);
  const found = await client.get(`/api/v1/employees?q=${encodeURIComponent('щерева')}`);
  assert.equal(found.status, 200);
  assert.equal(found.json.items.length, 1, `case-insensitive Cyrillic search: ${found.text}`);
  assert.equal(found.json.items[0].name, 'Цветелина Ђорђевић-Щерева');
  assert.equal(found.json.items[0].department.name, 'Дирекция „Образование“');

  const listed = admin(server.dataDir, 'employee', 'list', '--query', 'ЦВЕТЕЛИНА');
  assert.equal(listed.status, 0);
  assert.equal(listed.json.items.length, 1);
  assert.equal(listed.json.items[0].code, created.code);

  const duplicate = admin(server.dataDir, 'employee', 'add', '--name', 'Друг', '--email', 'CVETELINA@example.org');
  assert.equal(duplicate.status, 1);
  assert.equal(duplicate.json.type, 'urn:egovbox:problem:email-taken');
  const invalid = admin(server.dataDir, 'employee', 'add', '--name', 'Трети', '--email', 'no-at-sign', '--role', 'king');
  assert.equal(invalid.status, 1);
  assert.deepEqual(invalid.json.reasons.sort(), ['email-invalid', 'role-unknown']);
});

serverTest('admin employee import with one bad row exits 1, names the line and its reasons, and creates nobody', async () => {
  const dataDir = makeTempDir();
  const file = path.join(makeTempDir(), 'people.csv');
  fs.writeFileSync(
    file,
    'име;имейл;отдел;длъжност;роли\n' +
      'Иван Петров;ivan.petrov@example.org;Дирекция „Финанси“;Главен експерт;employee\n' +
      'Мария Георгиева;maria.georgieva-at-example.org;Дирекция „Финанси“;Експерт;employee councillor\n' +
      '"Петър ""Пепи"" Стоянов";petar@example.org;Кметство;Кмет;administrator\n',
  );
  const result = admin(dataDir, 'employee', 'import', '--file', file);
  assert.equal(result.status, 1, result.stdout + result.stderr);
  assert.equal(result.json.type, 'urn:egovbox:problem:import-rejected');
  assert.deepEqual(result.json.rejected, [{ line: 3, reasons: ['email-invalid'] }]);
  assert.equal(countRows(dataDir, 'employees'), 0, 'no employee from that file was created');
  assert.equal(countRows(dataDir, 'departments'), 0);

  // Fixed, the same file imports every row, Cyrillic intact.
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('maria.georgieva-at-example.org', 'maria@example.org'));
  const fixed = admin(dataDir, 'employee', 'import', '--file', file);
  assert.equal(fixed.status, 0, fixed.stdout + fixed.stderr);
  assert.equal(fixed.json.created, 3);
  const names = fixed.json.items.map((item) => item.name);
  assert.deepEqual(names, ['Иван Петров', 'Мария Георгиева', 'Петър "Пепи" Стоянов']);
  assert.deepEqual(fixed.json.items[1].roles, ['councillor', 'employee']);
  for (const item of fixed.json.items) {
    assert.match(item.code, /^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    assert.ok(item.one_time_password);
  }
  assert.equal(sqlite(dataDir, 'SELECT name FROM departments ORDER BY name;'), 'Дирекция „Финанси“\nКметство');
});

serverTest('the import API rejects a bad file as a whole with 422 and the bad lines', async () => {
  const server = await startServer();
  const { client } = await setUpAdministrator(server);
  const before = countRows(server.dataDir, 'employees');
  const csv = 'name,email\nАнна Петрова,anna@example.org\nБорис,boris@\nВеса,anna@example.org\n';
  const response = await client.request('POST', '/api/v1/employees/import', { body: csv, headers: { 'Content-Type': 'text/csv' } });
  const problem = assertProblem(response, 422, 'import-rejected');
  assert.deepEqual(problem.rejected, [
    { line: 3, reasons: ['email-invalid'] },
    { line: 4, reasons: ['email-duplicate-in-file'] },
  ]);
  assert.equal(countRows(server.dataDir, 'employees'), before);
  const notCsv = await client.request('POST', '/api/v1/employees/import', { body: csv, headers: { 'Content-Type': 'text/plain' } });
  assertProblem(notCsv, 415, 'unsupported-media-type');
  const notUtf8 = await client.request('POST', '/api/v1/employees/import', {
    body: Buffer.from('name,email\n\xc8\xe2\xe0\xed,ivan@example.org\n', 'latin1'),
    headers: { 'Content-Type': 'text/csv' },
  });
  const csvProblem = assertProblem(notUtf8, 400, 'csv-invalid');
  assert.ok(csvProblem.detail.length > 0);
});
