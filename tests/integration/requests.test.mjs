// Request-level rules: CSRF, Origin, JSON input, unknown routes and methods.
import assert from 'node:assert/strict';

import {
  assertProblem,
  Client,
  COOKIE_NAME,
  connectTls,
  NEW_PASSWORD,
  parseRawResponses,
  request,
  serverTest,
  signedInEmployee,
  startServer,
  watchSocket,
  withTimeout,
} from './harness.mjs';

serverTest('a state-changing request without the X-CSRF-Token header is 403 csrf-token-invalid', async () => {
  const server = await startServer();
  const { employee, client } = await signedInEmployee(server);
  const body = { current: employee.one_time_password, new: NEW_PASSWORD };
  assertProblem(await client.post('/api/v1/me/password', body, { csrf: false }), 403, 'csrf-token-invalid');
  assertProblem(await client.delete('/api/v1/session', { csrf: false }), 403, 'csrf-token-invalid');
  // Nothing happened: the one-time password is still the password, the session still works.
  assert.equal((await client.get('/api/v1/me')).json.must_change_password, true);
  await client.changePassword(employee.one_time_password, NEW_PASSWORD);
});

serverTest('a wrong or empty X-CSRF-Token is 403, and another session\'s token does not fit', async () => {
  const server = await startServer();
  const { employee, client } = await signedInEmployee(server);
  const other = new Client(server);
  await other.signInOk(employee.code, employee.one_time_password);
  const body = { current: employee.one_time_password, new: NEW_PASSWORD };
  const wrong = `${client.csrf.slice(0, -1)}${client.csrf.endsWith('A') ? 'B' : 'A'}`;
  for (const token of [wrong, other.csrf, ' ', `${client.csrf}x`]) {
    assertProblem(await client.post('/api/v1/me/password', body, { csrf: token }), 403, 'csrf-token-invalid');
  }
  assert.equal((await client.get('/api/v1/me')).json.must_change_password, true);
});

serverTest('a state-changing request from another Origin is 403 origin-not-allowed', async () => {
  const server = await startServer();
  const { employee } = await signedInEmployee(server);
  const response = await request(server, 'POST', '/api/v1/session', {
    json: { code: employee.code, password: employee.one_time_password },
    headers: { Origin: 'https://evil.example' },
  });
  assertProblem(response, 403, 'origin-not-allowed');
  const sameOrigin = await request(server, 'POST', '/api/v1/session', {
    json: { code: employee.code, password: employee.one_time_password },
    headers: { Origin: `https://127.0.0.1:${server.port}` },
  });
  assert.equal(sameOrigin.status, 200, sameOrigin.text);
});

serverTest('malformed JSON is 400 malformed-json', async () => {
  const server = await startServer();
  for (const body of ['{"code": "K7M4-QX2P", "password": ', 'not json', '{"code": "K7M4"}}', '\u0000']) {
    const response = await request(server, 'POST', '/api/v1/session', {
      body,
      headers: { 'Content-Type': 'application/json' },
    });
    assertProblem(response, 400, 'malformed-json');
  }
  for (const body of ['[1, 2]', '"text"', '42', 'null']) {
    const response = await request(server, 'POST', '/api/v1/session', {
      body,
      headers: { 'Content-Type': 'application/json' },
    });
    assertProblem(response, 400, 'malformed-json');
  }
});

serverTest('a body with the wrong content type is 415 unsupported-media-type', async () => {
  const server = await startServer();
  const body = JSON.stringify({ code: 'K7M4-QX2P', password: 'x' });
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'text/csv']) {
    const response = await request(server, 'POST', '/api/v1/session', { body, headers: { 'Content-Type': type } });
    assertProblem(response, 415, 'unsupported-media-type');
  }
  assertProblem(await request(server, 'POST', '/api/v1/session', { body }), 415, 'unsupported-media-type');
});

serverTest('a missing or mistyped field is 400 invalid-field naming the field', async () => {
  const server = await startServer();
  const cases = [
    [{ password: 'x' }, 'code'],
    [{ code: 'K7M4-QX2P' }, 'password'],
    [{ code: 42, password: 'x' }, 'code'],
    [{ code: 'K7M4-QX2P', password: ['x'] }, 'password'],
    [{ code: 'K7M4-QX2P', password: 'x', totp: 123456 }, 'totp'],
    [{ code: 'K7M4-QX2P', password: 'x'.repeat(5000) }, 'password'],
  ];
  for (const [json, field] of cases) {
    const response = await request(server, 'POST', '/api/v1/session', { json, headers: { 'Accept-Language': 'en' } });
    const problem = assertProblem(response, 400, 'invalid-field');
    assert.match(problem.detail, new RegExp(field), `${JSON.stringify(json).slice(0, 80)}: ${problem.detail}`);
  }
});

serverTest('an unknown API route is a 404 problem, and a known path with the wrong method is 405', async () => {
  const server = await startServer();
  for (const path of ['/api/v1/nope', '/api/v2/me', '/api/v1/me/nope', '/api/']) {
    assertProblem(await request(server, 'GET', path), 404, 'not-found');
  }
  assertProblem(await request(server, 'POST', '/api/v1/nope', { json: {} }), 404, 'not-found');
  assertProblem(await request(server, 'PUT', '/api/v1/session', { json: {} }), 405, 'method-not-allowed');
  assertProblem(await request(server, 'GET', '/api/v1/me/password'), 405, 'method-not-allowed');
  const problem = assertProblem(
    await request(server, 'PATCH', '/healthz', { headers: { 'Accept-Language': 'en' } }),
    405,
    'method-not-allowed',
  );
  assert.match(problem.detail, /PATCH/);
});

serverTest('a request target that cannot be decoded is a 400, not a crash', async () => {
  const server = await startServer();
  for (const path of ['/api/v1/employees?q=%zz', '/api/v1/%00', '/%']) {
    const response = await request(server, 'GET', path);
    assert.equal(response.status, 400, `${path}: ${response.status} ${response.text}`);
  }
  assert.equal((await request(server, 'GET', '/healthz')).status, 200);
});

serverTest('pipelined requests on one keep-alive connection are answered in order', async () => {
  const server = await startServer();
  const { client } = await signedInEmployee(server);
  assert.equal((await client.get('/api/v1/me')).status, 200);
  const cookie = `Cookie: ${COOKIE_NAME}=${client.token}\r\n`;
  const socket = await connectTls(server);
  const closed = watchSocket(socket);
  socket.write(
    `GET /api/v1/me HTTP/1.1\r\nHost: localhost\r\n${cookie}\r\n` +
      'GET /readyz HTTP/1.1\r\nHost: localhost\r\n\r\n' +
      'GET /api/v1/nope HTTP/1.1\r\nHost: localhost\r\n\r\n' +
      `GET /api/v1/me HTTP/1.1\r\nHost: localhost\r\n${cookie}Connection: close\r\n\r\n`,
  );
  const { data } = await withTimeout(closed, 10_000, 'the pipelined requests were not all answered');
  const responses = parseRawResponses(data);
  assert.deepEqual(
    responses.map((response) => response.status),
    [200, 200, 404, 200],
    data.slice(0, 500),
  );
  assert.equal(responses[0].json.must_change_password, true);
  assert.equal(responses[1].json.status, 'ready');
  assert.equal(responses[3].json.id, responses[0].json.id);
});

serverTest('HTTP/1.0 is answered, and a request with both Content-Length and Transfer-Encoding is refused', async () => {
  const server = await startServer();
  const socket = await connectTls(server);
  const closed = watchSocket(socket);
  socket.write('GET /healthz HTTP/1.0\r\n\r\n');
  const [old] = parseRawResponses((await withTimeout(closed, 5000, 'HTTP/1.0 was not answered')).data);
  assert.equal(old.status, 200);

  const smuggler = await connectTls(server);
  const smugglerClosed = watchSocket(smuggler);
  smuggler.write(
    'POST /api/v1/session HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
      'Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n',
  );
  const answers = parseRawResponses((await withTimeout(smugglerClosed, 5000, 'no answer')).data);
  assert.equal(answers.length, 1, 'nothing after the refused request is read as a second request');
  assert.equal(answers[0].status, 400);
});

serverTest('deeply nested JSON is a 400, not a crash', async () => {
  const server = await startServer();
  const depth = 300_000; // within the default 1 MiB body limit
  const headers = { 'Content-Type': 'application/json' };
  const nested = '['.repeat(depth) + ']'.repeat(depth);
  assertProblem(await request(server, 'POST', '/api/v1/session', { body: nested, headers }), 400, 'malformed-json');
  const unclosed = `{"code":${'['.repeat(depth)}}`;
  assertProblem(await request(server, 'POST', '/api/v1/session', { body: unclosed, headers }), 400, 'malformed-json');
  const inObject = `{"code":${'['.repeat(100_000)}${']'.repeat(100_000)},"password":"x"}`;
  assertProblem(await request(server, 'POST', '/api/v1/session', { body: inObject, headers }), 400, 'invalid-field');
  assert.equal((await request(server, 'GET', '/healthz')).status, 200);
});
