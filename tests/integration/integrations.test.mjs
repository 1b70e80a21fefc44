// Third-party portals (docs/integrations.md) over HTTPS against a real server:
// who may request and decide, the state machine and its history, the catalogue,
// the CSP's frame-src while an embed is approved, and API tokens (scopes,
// revocation, expiry, rate limit, audit).
import assert from 'node:assert/strict';

import { assertProblem, countRows, request, serverTest, sqlite, startServer } from './harness.mjs';
import {
  apiRequest,
  bearer,
  decide,
  decided,
  embedRequest,
  frameSources,
  INTEGRATIONS,
  linkRequest,
  requestIntegration,
  setUpRequester,
  setUpSecurityOfficer,
  setUpWithSecondFactor,
  ssoRequest,
} from './integrations_helpers.mjs';
import { meetingBody, person } from './meetings_helpers.mjs';

async function catalogueNames(client) {
  const response = await client.get(`${INTEGRATIONS}/catalogue`);
  assert.equal(response.status, 200, response.text);
  return response.json.items.map((item) => item.name);
}

serverTest('only an administrator requests, and a bad request is a 400 that names the field', async () => {
  const server = await startServer();
  const { client: employee } = await person(server, { roles: ['employee'] });
  assertProblem(await employee.post(INTEGRATIONS, embedRequest()), 403, 'forbidden');
  const { client: officer } = await setUpSecurityOfficer(server);
  assertProblem(await officer.post(INTEGRATIONS, embedRequest()), 403, 'forbidden');
  assert.equal(countRows(server.dataDir, 'integrations'), 0);

  const { client: administrator, employee: requester } = await setUpRequester(server);
  const cases = [
    [{ ...embedRequest(), name: '' }, 'integration-field-required', 'name'],
    [{ ...embedRequest(), level: 'iframe' }, 'integration-level-unknown', 'level'],
    [{ ...embedRequest(), launch_url: 'http://gis.example.org/map' }, 'integration-url-invalid', 'launch_url'],
    [{ ...embedRequest(), origins: ['https://gis.example.org:9443/'] }, 'integration-origin-invalid', 'origins'],
    [{ ...embedRequest(), origins: ['https://other.example.org'] }, 'integration-launch-origin-unlisted', 'origins'],
    [{ ...embedRequest(), scopes: ['openid'] }, 'integration-scope-not-allowed', 'scopes'],
    [{ ...ssoRequest(), scopes: ['profile'] }, 'integration-openid-required', 'scopes'],
    [{ ...ssoRequest(), redirect_uris: ['https://rp.example.org/cb#x'] }, 'integration-url-invalid', 'redirect_uris'],
    [{ ...apiRequest(), scopes: ['meetings:delete'] }, 'integration-scope-not-allowed', 'scopes'],
    [{ ...apiRequest(), launch_url: 'https://x.example.org/' }, 'integration-field-not-for-level', 'launch_url'],
    [{ ...embedRequest(), visible_roles: ['mayor'] }, 'integration-role-unknown', 'visible_roles'],
    [{ ...embedRequest(), visible_departments: ['no-such'] }, 'integration-department-unknown', 'visible_departments'],
    [{ ...embedRequest(), origins: 'https://gis.example.org:9443' }, 'invalid-field', 'origins'],
  ];
  for (const [body, slug, field] of cases) {
    const problem = assertProblem(await administrator.post(INTEGRATIONS, body), 400, slug);
    assert.equal(problem.field, field, `${slug}: ${JSON.stringify(problem)}`);
  }
  // The detail is in the person's language: Bulgarian by default, English when asked.
  const bulgarian = await administrator.post(INTEGRATIONS, { ...embedRequest(), level: 'iframe' });
  assert.match(bulgarian.json.detail, /Нивото „iframe“/);
  const english = await administrator.post(INTEGRATIONS, { ...embedRequest(), level: 'iframe' }, {
    headers: { 'Accept-Language': 'en' },
  });
  assert.match(english.json.detail, /There is no level "iframe"/);
  assert.equal(countRows(server.dataDir, 'integrations'), 0);

  const created = await requestIntegration(administrator, ssoRequest());
  assert.equal(created.status, 'pending');
  assert.equal(created.requested_by.id, requester.id);
  assert.match(created.client_id, /^[A-Za-z0-9_-]{20,}$/);
  assert.deepEqual(created.decisions.map((d) => d.action), ['requested']);
  assert.equal(countRows(server.dataDir, 'audit_log', "WHERE action = 'integration.requested'"), 1);
});

serverTest('an administrator cannot decide at all, and a security officer cannot approve their own request', async () => {
  const server = await startServer();
  const { client: administrator } = await setUpRequester(server);
  const { client: both } = await setUpWithSecondFactor(server, {
    roles: ['administrator', 'security_officer'],
    name: 'Двойна Ролева',
  });
  const { client: officer } = await setUpSecurityOfficer(server);

  const theirs = await requestIntegration(administrator, linkRequest());
  for (const action of ['approve', 'reject', 'suspend', 'reinstate', 'revoke']) {
    assertProblem(await decide(administrator, theirs.id, action, 'защото'), 403, 'forbidden');
  }
  const own = await requestIntegration(both, linkRequest({ name: 'Собствена' }));
  assertProblem(await decide(both, own.id, 'approve'), 403, 'integration-own-request');
  const stillPending = await officer.get(`${INTEGRATIONS}/${own.id}`);
  assert.equal(stillPending.json.status, 'pending');
  // Another officer may; then the requester may stop it, but not bring it back.
  await decided(officer, own.id, 'approve');
  await decided(both, own.id, 'suspend', 'проверка');
  assertProblem(await decide(both, own.id, 'reinstate'), 403, 'integration-own-request');
  await decided(officer, own.id, 'reinstate');
  await decided(both, own.id, 'revoke', 'договорът изтече');
});

serverTest('an administrator cannot make, unmake or take over a security officer; a security officer can', async () => {
  const server = await startServer();
  const { client: administrator } = await setUpRequester(server);
  const { employee: officerEmployee } = await setUpSecurityOfficer(server);
  const employee = { name: 'Нов Служител', email: 'nov.sluzhitel@example.org', roles: ['security_officer'] };

  // Else the administrator approves their own request through an account of their making.
  assertProblem(await administrator.post('/api/v1/employees', employee), 403, 'forbidden');
  const csv = 'name,email,roles\nВтори Служител,vtori@example.org,security_officer\n';
  const imported = await administrator.post('/api/v1/employees/import', undefined, {
    body: csv,
    headers: { 'Content-Type': 'text/csv; charset=utf-8' },
  });
  assert.equal(imported.status, 403, imported.text);
  assert.equal(countRows(server.dataDir, 'employees', "WHERE email IN ('nov.sluzhitel@example.org', 'vtori@example.org')"), 0);
  const plain = await administrator.post('/api/v1/employees', { ...employee, roles: ['employee'] });
  assert.equal(plain.status, 201, plain.text);
  const roles = (client, id, list) => client.request('PUT', `/api/v1/employees/${id}/roles`, { json: { roles: list } });
  assertProblem(await roles(administrator, plain.json.id, ['employee', 'security_officer']), 403, 'forbidden');
  assertProblem(await roles(administrator, officerEmployee.id, ['employee']), 403, 'forbidden');
  assertProblem(await administrator.post(`/api/v1/employees/${officerEmployee.id}/password-reset`, {}), 403, 'forbidden');
  // Other roles stay the administrator's to give.
  assert.ok((await roles(administrator, plain.json.id, ['employee', 'clerk'])).status < 300);

  // A security officer (with the administrator role for the directory routes) may.
  const { client: both } = await setUpWithSecondFactor(server, { roles: ['administrator', 'security_officer'], name: 'Двойна Ролева' });
  const made = await both.post('/api/v1/employees', { ...employee, email: 'treti@example.org' });
  assert.equal(made.status, 201, made.text);
  assert.ok((await roles(both, plain.json.id, ['employee', 'security_officer'])).status < 300);
});

serverTest('the state machine: wrong steps are 409, reasons where needed, the full history and the audit', async () => {
  const server = await startServer();
  const { client: administrator } = await setUpRequester(server);
  const { client: officer } = await setUpSecurityOfficer(server);
  const { client: employee } = await person(server, { roles: ['employee'] });

  const integration = await requestIntegration(administrator, linkRequest());
  assertProblem(await decide(officer, integration.id, 'suspend'), 409, 'integration-transition-not-allowed');
  assertProblem(await decide(officer, integration.id, 'reinstate'), 409, 'integration-transition-not-allowed');
  assertProblem(await decide(officer, integration.id, 'revoke', 'x'), 409, 'integration-transition-not-allowed');
  assertProblem(await decide(officer, integration.id, 'reject'), 400, 'integration-reason-required');
  assertProblem(await decide(officer, 'no-such-id', 'approve'), 404, 'integration-not-found');

  await decided(officer, integration.id, 'approve');
  assertProblem(await decide(officer, integration.id, 'approve'), 409, 'integration-transition-not-allowed');
  await decided(officer, integration.id, 'suspend', 'проверка на сигурността');
  await decided(officer, integration.id, 'reinstate');
  assertProblem(await decide(officer, integration.id, 'revoke'), 400, 'integration-reason-required');
  const revoked = await decided(officer, integration.id, 'revoke', 'порталът е закрит');
  assert.equal(revoked.status, 'revoked');
  for (const action of ['approve', 'reject', 'suspend', 'reinstate', 'revoke']) {
    assertProblem(await decide(officer, integration.id, action, 'пак'), 409, 'integration-transition-not-allowed');
  }

  const rejected = await requestIntegration(administrator, linkRequest({ name: 'Отхвърлена' }));
  await decided(officer, rejected.id, 'reject', 'няма договор');
  assertProblem(await decide(officer, rejected.id, 'approve'), 409, 'integration-transition-not-allowed');

  // The review queue: everything with its history, for administrators and officers only.
  const queue = await officer.get(INTEGRATIONS);
  assert.equal(queue.status, 200, queue.text);
  const entry = queue.json.items.find((item) => item.id === integration.id);
  assert.deepEqual(entry.decisions.map((d) => d.action), ['requested', 'approved', 'suspended', 'reinstated', 'revoked']);
  assert.equal(entry.decisions[2].reason, 'проверка на сигурността');
  assert.equal(entry.decisions[4].reason, 'порталът е закрит');
  const onlyRejected = await administrator.get(`${INTEGRATIONS}?status=rejected`);
  assert.deepEqual(onlyRejected.json.items.map((item) => item.id), [rejected.id]);
  assertProblem(await employee.get(INTEGRATIONS), 403, 'forbidden');
  assertProblem(await employee.get(`${INTEGRATIONS}/${integration.id}`), 403, 'forbidden');

  const audited = sqlite(
    server.dataDir,
    `SELECT action FROM audit_log WHERE subject = '${integration.id}' ORDER BY seq;`,
  ).split('\n');
  assert.deepEqual(audited, [
    'integration.requested',
    'integration.approved',
    'integration.suspended',
    'integration.reinstated',
    'integration.revoked',
  ]);
  assert.equal(countRows(server.dataDir, 'integration_decisions', `WHERE integration_id = '${integration.id}'`), 5);
});

serverTest('nothing shows before approval, and the catalogue follows roles and departments', async () => {
  const server = await startServer();
  const { client: administrator } = await setUpRequester(server);
  const { client: officer } = await setUpSecurityOfficer(server);
  const { client: financier } = await person(server, { roles: ['employee'], department: 'Финанси' });
  const { client: councillor } = await person(server, { roles: ['councillor'], department: 'Култура' });
  const departments = await financier.get('/api/v1/departments');
  const finance = departments.json.items.find((d) => d.name === 'Финанси').id;

  const everyone = await requestIntegration(administrator, linkRequest({ name: 'А: за всички' }));
  const financeOnly = await requestIntegration(
    administrator,
    embedRequest('https://budget.example.org', { name: 'Б: бюджет', visible_departments: [finance] }),
  );
  const councilOnly = await requestIntegration(
    administrator,
    ssoRequest('https://council.example.org/cb', { name: 'В: съвет', visible_roles: ['councillor'] }),
  );
  const api = await requestIntegration(administrator, apiRequest());
  for (const client of [financier, councillor, officer, administrator]) assert.deepEqual(await catalogueNames(client), []);

  for (const { id } of [everyone, financeOnly, councilOnly, api]) await decided(officer, id, 'approve');
  assert.deepEqual(await catalogueNames(financier), ['А: за всички', 'Б: бюджет']);
  assert.deepEqual(await catalogueNames(councillor), ['А: за всички', 'В: съвет']);
  const tile = (await financier.get(`${INTEGRATIONS}/catalogue`)).json.items[1];
  assert.deepEqual(Object.keys(tile).sort(), ['id', 'launch_url', 'level', 'name', 'purpose']);
  assert.equal(tile.launch_url, 'https://budget.example.org/map');

  await decided(officer, financeOnly.id, 'suspend', 'проверка');
  assert.deepEqual(await catalogueNames(financier), ['А: за всички']);
  await decided(officer, everyone.id, 'revoke', 'закрит');
  assert.deepEqual(await catalogueNames(financier), []);
});

serverTest("the CSP's frame-src holds an embed's origin exactly while it is approved", async () => {
  const server = await startServer();
  const { client: administrator } = await setUpRequester(server);
  const { client: officer } = await setUpSecurityOfficer(server);
  const origin = 'https://gis.example.org:9443';
  const sources = async () => {
    const page = await request(server, 'GET', '/');
    assert.equal(page.status, 200);
    const api = await request(server, 'GET', '/healthz');
    assert.deepEqual(frameSources(api), frameSources(page), 'every response carries the same policy');
    assert.equal(page.headers['x-frame-options'], 'DENY');
    assert.match(page.headers['content-security-policy'], /frame-ancestors 'none'/);
    return frameSources(page);
  };

  assert.deepEqual(await sources(), ["'none'"]);
  const embed = await requestIntegration(administrator, embedRequest(origin));
  // A link's origin never goes into frame-src, approved or not.
  const link = await requestIntegration(administrator, linkRequest({ origins: ['https://link.example.org'] }));
  await decided(officer, link.id, 'approve');
  assert.deepEqual(await sources(), ["'none'"], 'requested, not approved');
  await decided(officer, embed.id, 'approve');
  assert.deepEqual(await sources(), [origin]);
  await decided(officer, embed.id, 'suspend', 'проверка');
  assert.deepEqual(await sources(), ["'none'"]);
  await decided(officer, embed.id, 'reinstate');
  assert.deepEqual(await sources(), [origin]);
  const second = await requestIntegration(administrator, embedRequest('https://tiles.example.org', { name: 'Плочки' }));
  await decided(officer, second.id, 'approve');
  assert.deepEqual((await sources()).sort(), [origin, 'https://tiles.example.org'].sort());
  await decided(officer, embed.id, 'revoke', 'закрит');
  assert.deepEqual(await sources(), ['https://tiles.example.org']);

  // After a restart the approved origins are read back from the store.
  assert.equal((await server.stop()).code, 0);
  const restarted = await startServer({ dataDir: server.dataDir });
  assert.deepEqual(frameSources(await request(restarted, 'GET', '/')), ['https://tiles.example.org']);
});

serverTest('an sso approval shows the client secret once and keeps only its hash', async () => {
  const server = await startServer();
  const { client: administrator } = await setUpRequester(server);
  const { client: officer } = await setUpSecurityOfficer(server);
  const integration = await requestIntegration(administrator, ssoRequest());
  const approved = await decided(officer, integration.id, 'approve');
  assert.equal(approved.credentials.client_id, integration.client_id);
  assert.match(approved.credentials.client_secret, /^[A-Za-z0-9_-]{43}$/);
  const again = await officer.get(`${INTEGRATIONS}/${integration.id}`);
  assert.equal(again.json.credentials, undefined);
  assert.ok(!again.text.includes(approved.credentials.client_secret));
  const stored = sqlite(server.dataDir, `SELECT client_secret_hash FROM integrations WHERE id = '${integration.id}';`);
  assert.match(stored, /^[0-9a-f]{64}$/);
  assert.equal(sqlite(server.dataDir, `SELECT count(*) FROM audit_log WHERE detail LIKE '%${approved.credentials.client_secret}%';`), '0');
  assert.equal((await decided(officer, integration.id, 'suspend', 'x')).credentials, undefined);
  assert.equal((await decided(officer, integration.id, 'reinstate')).credentials, undefined);
});

serverTest('API tokens: the scope decides, the integration acts as its requester, revoked and expired tokens get 401', async () => {
  const server = await startServer();
  const { client: administrator, employee: requester } = await setUpRequester(server);
  const { client: officer } = await setUpSecurityOfficer(server);
  await person(server, { name: 'Видима Служителова' });

  const reader = await requestIntegration(administrator, apiRequest(['directory:read']));
  // Before approval there is no token at all.
  assert.equal(countRows(server.dataDir, 'api_tokens'), 0);
  const approved = await decided(officer, reader.id, 'approve');
  const token = approved.credentials.api_token;
  assert.match(token, /^egbx_[A-Za-z0-9_-]{43}$/);
  const expires = Date.parse(approved.credentials.expires_at);
  assert.ok(Math.abs(expires - (Date.now() + 90 * 86400_000)) < 60_000, approved.credentials.expires_at);
  assert.equal(approved.api_tokens.length, 1);
  assert.equal(countRows(server.dataDir, 'api_tokens', `WHERE token_hash = '${token}'`), 0, 'only the hash is kept');

  const directory = await bearer(server, 'GET', `/api/v1/employees?q=${encodeURIComponent('Видима')}`, token);
  assert.equal(directory.status, 200, directory.text);
  assert.deepEqual(directory.json.items.map((e) => e.name), ['Видима Служителова']);
  const meeting = await bearer(server, 'POST', '/api/v1/meetings', token, meetingBody());
  assertProblem(meeting, 403, 'insufficient-scope');
  assert.equal(meeting.headers['www-authenticate'], 'Bearer error="insufficient_scope", scope="meetings:write"');
  // Routes that name no scope refuse every token.
  assertProblem(await bearer(server, 'GET', '/api/v1/me', token), 403, 'insufficient-scope');
  assertProblem(await bearer(server, 'GET', INTEGRATIONS, token), 403, 'insufficient-scope');
  assertProblem(await bearer(server, 'GET', '/api/v1/documents', token), 403, 'insufficient-scope');
  const unknown = await bearer(server, 'GET', '/api/v1/employees', 'egbx_not-a-token');
  assertProblem(unknown, 401, 'invalid-token');
  assert.equal(unknown.headers['www-authenticate'], 'Bearer error="invalid_token"');

  // A writer creates a meeting without cookie or CSRF token; its organiser is the requester.
  const writer = await requestIntegration(administrator, apiRequest(['meetings:write', 'meetings:read'], { name: 'Планировчик' }));
  const writerToken = (await decided(officer, writer.id, 'approve')).credentials.api_token;
  const created = await bearer(server, 'POST', '/api/v1/meetings', writerToken, meetingBody({ title: 'От портала' }));
  assert.equal(created.status, 201, created.text);
  assert.equal(created.json.organiser.id, requester.id);
  const upcoming = await bearer(server, 'GET', '/api/v1/meetings/upcoming', writerToken);
  assert.equal(upcoming.status, 200, upcoming.text);
  assertProblem(await bearer(server, 'GET', '/api/v1/employees', writerToken), 403, 'insufficient-scope');

  // Suspension stops the token and reinstatement brings it back; revocation ends it.
  await decided(officer, reader.id, 'suspend', 'проверка');
  assertProblem(await bearer(server, 'GET', '/api/v1/employees', token), 401, 'invalid-token');
  await decided(officer, reader.id, 'reinstate');
  assert.equal((await bearer(server, 'GET', '/api/v1/employees', token)).status, 200);
  const revoked = await decided(officer, reader.id, 'revoke', 'изтекъл договор');
  assert.ok(revoked.api_tokens[0].revoked_at);
  assertProblem(await bearer(server, 'GET', '/api/v1/employees', token), 401, 'invalid-token');

  // An expired token: its time is moved back in the store.
  sqlite(server.dataDir, `UPDATE api_tokens SET expires_at = strftime('%s', 'now') - 1 WHERE integration_id = '${writer.id}';`);
  assertProblem(await bearer(server, 'GET', '/api/v1/meetings/upcoming', writerToken), 401, 'invalid-token');

  // Every call an integration made on a route is audited with its name, method, route and status.
  const calls = sqlite(
    server.dataDir,
    "SELECT json_extract(detail, '$.integration') || ' ' || json_extract(detail, '$.method') || ' ' ||" +
      " json_extract(detail, '$.route') || ' ' || json_extract(detail, '$.status') FROM audit_log" +
      " WHERE action = 'integration.api-call' ORDER BY seq;",
  ).split('\n');
  assert.deepEqual(calls, [
    'Деловодна система GET /api/v1/employees 200',
    'Деловодна система POST /api/v1/meetings 403',
    'Деловодна система GET /api/v1/me 403',
    'Деловодна система GET /api/v1/integrations 403',
    'Деловодна система GET /api/v1/documents 403',
    'Планировчик POST /api/v1/meetings 201',
    'Планировчик GET /api/v1/meetings/upcoming 200',
    'Планировчик GET /api/v1/employees 403',
    'Деловодна система GET /api/v1/employees 200',
  ]);
  const actors = sqlite(server.dataDir, "SELECT DISTINCT actor_id FROM audit_log WHERE action = 'integration.api-call';");
  assert.equal(actors, requester.id);
});

serverTest('API calls are limited per integration: the 121st in a minute gets 429 with Retry-After', async () => {
  const server = await startServer();
  const { client: administrator } = await setUpRequester(server);
  const { client: officer } = await setUpSecurityOfficer(server);
  const first = await requestIntegration(administrator, apiRequest(['directory:read']));
  const second = await requestIntegration(administrator, apiRequest(['directory:read'], { name: 'Втора' }));
  const token = (await decided(officer, first.id, 'approve')).credentials.api_token;
  const other = (await decided(officer, second.id, 'approve')).credentials.api_token;

  const started = Date.now();
  for (let i = 0; i < 120; i++) {
    const response = await bearer(server, 'GET', '/api/v1/departments', token);
    assert.equal(response.status, 200, `call ${i + 1}: ${response.text}`);
  }
  const limited = await bearer(server, 'GET', '/api/v1/departments', token);
  assertProblem(limited, 429, 'integration-rate-limited');
  const retryAfter = Number(limited.headers['retry-after']);
  const elapsed = (Date.now() - started) / 1000;
  assert.ok(retryAfter >= 1 && retryAfter <= Math.ceil(60 - elapsed) + 1, `Retry-After ${retryAfter} after ${elapsed} s`);
  // Another integration has its own allowance.
  assert.equal((await bearer(server, 'GET', '/api/v1/departments', other)).status, 200);
  // Refused calls are not audited as calls.
  assert.equal(countRows(server.dataDir, 'audit_log', `WHERE action = 'integration.api-call' AND subject = '${first.id}'`), 120);
});
