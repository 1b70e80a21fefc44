// Sign-in with a personal code and a password: the cookie, the answers to wrong
// input, the same answer (and time class) for unknown codes, and the back-off.
import assert from 'node:assert/strict';

import {
  assertProblem,
  Client,
  COOKIE_NAME,
  createEmployee,
  formatCode,
  median,
  mistypedCode,
  NEW_PASSWORD,
  normalizeCode,
  request,
  serverTest,
  sleep,
  startServer,
  transposedCode,
  unknownCode,
} from './harness.mjs';

function signIn(server, code, password, headers = {}) {
  return request(server, 'POST', '/api/v1/session', { json: { code, password }, headers });
}

serverTest('signs in with a personal code and its one-time password and sets a strict session cookie', async () => {
  const server = await startServer();
  const employee = createEmployee(server.dataDir, { name: 'Иван Петров' });
  const response = await signIn(server, employee.code, employee.one_time_password);

  assert.equal(response.status, 200, response.text);
  assert.match(response.headers['content-type'], /^application\/json/);
  assert.equal(typeof response.json.csrf_token, 'string');
  assert.ok(response.json.csrf_token.length >= 32, 'csrf token has enough entropy');
  assert.equal(response.json.must_change_password, true);

  const cookies = [response.headers['set-cookie'] ?? []].flat();
  assert.equal(cookies.length, 1, `one Set-Cookie: ${cookies}`);
  const [cookie] = cookies;
  assert.match(cookie, new RegExp(`^${COOKIE_NAME}=[A-Za-z0-9_-]{32,};`));
  const attributes = cookie.split(';').map((part) => part.trim().toLowerCase());
  for (const attribute of ['httponly', 'secure', 'samesite=strict', 'path=/']) {
    assert.ok(attributes.includes(attribute), `cookie has ${attribute}: ${cookie}`);
  }
  assert.ok(!attributes.some((part) => part.startsWith('domain=')), '__Host- cookies carry no Domain');

  const me = await request(server, 'GET', '/api/v1/me', { cookie: cookie.split(';')[0] });
  assert.equal(me.status, 200, me.text);
  assert.equal(me.json.id, employee.id);
  assert.equal(me.json.name, 'Иван Петров');
  assert.equal(me.json.must_change_password, true);
});

serverTest('accepts the personal code in lower case, with spaces and without the dash', async () => {
  const server = await startServer();
  const employee = createEmployee(server.dataDir);
  const plain = normalizeCode(employee.code);
  const variants = [
    employee.code.toLowerCase(),
    plain,
    plain.toLowerCase(),
    ` ${plain.slice(0, 4)} ${plain.slice(4)} `,
    formatCode(plain),
  ];
  for (const code of variants) {
    const client = new Client(server);
    const response = await client.signIn(code, employee.one_time_password);
    assert.equal(response.status, 200, `code ${JSON.stringify(code)}: ${response.text}`);
    const me = await client.get('/api/v1/me');
    assert.equal(me.status, 200);
    assert.equal(me.json.id, employee.id);
  }
});

serverTest('GET /api/v1/me without a session is 401 unauthenticated', async () => {
  const server = await startServer();
  assertProblem(await request(server, 'GET', '/api/v1/me'), 401, 'unauthenticated');
  const forged = await request(server, 'GET', '/api/v1/me', { cookie: `${COOKIE_NAME}=${'A'.repeat(43)}` });
  assertProblem(forged, 401, 'session-expired');
});

serverTest('a wrong password is a 401 invalid-credentials problem, in Bulgarian by default and English on request', async () => {
  const server = await startServer();
  const employee = createEmployee(server.dataDir);

  const bulgarian = assertProblem(await signIn(server, employee.code, 'not the password'), 401, 'invalid-credentials');
  assert.match(bulgarian.detail, /[а-яА-Я]/, `default detail is Bulgarian: ${bulgarian.detail}`);

  const englishResponse = await signIn(server, employee.code, 'not the password', { 'Accept-Language': 'en' });
  const english = assertProblem(englishResponse, 401, 'invalid-credentials');
  assert.match(english.detail, /^[\x20-\x7e]+$/, `English detail is plain ASCII: ${english.detail}`);
  assert.match(english.detail, /password/i);
  assert.notEqual(english.detail, bulgarian.detail);
  assert.equal(englishResponse.headers['content-language'], 'en');
  assert.equal(!!englishResponse.headers['set-cookie'], false, 'no cookie for a failed sign-in');
});

serverTest('an unknown personal code gets exactly the answer a wrong password gets', async () => {
  const server = await startServer();
  const employee = createEmployee(server.dataDir);
  const unknown = unknownCode(employee.code);
  for (const language of ['bg', 'en']) {
    const headers = { 'Accept-Language': language };
    const wrong = await signIn(server, employee.code, 'not the password', headers);
    const missing = await signIn(server, unknown, 'not the password', headers);
    assertProblem(wrong, 401, 'invalid-credentials');
    assertProblem(missing, 401, 'invalid-credentials');
    assert.deepEqual(missing.json, wrong.json);
    assert.equal(missing.headers['content-type'], wrong.headers['content-type']);
    assert.equal(missing.headers['content-language'], wrong.headers['content-language']);
  }
});

serverTest('an unknown code takes as long as a wrong password: both pay argon2id', async () => {
  const server = await startServer();
  // One employee still has the (cheaply hashed) one-time password, one has chosen
  // a password: neither may answer faster than an unknown code.
  const fresh = createEmployee(server.dataDir);
  const settled = createEmployee(server.dataDir);
  const client = new Client(server);
  await client.signInOk(settled.code, settled.one_time_password);
  await client.changePassword(settled.one_time_password, NEW_PASSWORD);

  const time = async (code) => {
    const started = performance.now();
    const response = await signIn(server, code, 'a wrong password');
    assertProblem(response, 401, 'invalid-credentials');
    return performance.now() - started;
  };
  await time(unknownCode(fresh.code, settled.code)); // warm-up
  const samples = { fresh: [], settled: [], unknown: [] };
  // Four tries per code (five failures would start the back-off); interleaved, so
  // that a busy moment of the machine hits all three alike.
  for (let i = 0; i < 4; i++) {
    samples.fresh.push(await time(fresh.code));
    samples.settled.push(await time(settled.code));
    samples.unknown.push(await time(unknownCode(fresh.code, settled.code)));
  }
  const unknownMedian = median(samples.unknown);
  for (const kind of ['fresh', 'settled']) {
    const ratio = median(samples[kind]) / unknownMedian;
    assert.ok(
      ratio > 1 / 3 && ratio < 3,
      `wrong password (${kind} account) median ${median(samples[kind]).toFixed(1)} ms vs unknown code ` +
        `${unknownMedian.toFixed(1)} ms: not the same time class (${JSON.stringify(samples)})`,
    );
  }
});

serverTest('a mistyped or transposed personal code is a 400 personal-code-typo, a malformed one 400 invalid-personal-code', async () => {
  const server = await startServer();
  const employee = createEmployee(server.dataDir);
  const typo = await signIn(server, mistypedCode(employee.code), employee.one_time_password);
  assertProblem(typo, 400, 'personal-code-typo');
  const swapped = await signIn(server, transposedCode(employee.code), employee.one_time_password);
  assertProblem(swapped, 400, 'personal-code-typo');
  for (const code of ['', 'K7M4', 'K7M4-QX2P-9', 'K7M4-QX2!', 'ÄÖÜ1-2345']) {
    assertProblem(await signIn(server, code, employee.one_time_password), 400, 'invalid-personal-code');
  }
});

serverTest('after five failures from one address the next attempt waits (429 with Retry-After), even with the right password', async () => {
  const server = await startServer();
  const employee = createEmployee(server.dataDir);
  for (let i = 0; i < 4; i++) {
    assertProblem(await signIn(server, employee.code, `wrong ${i}`), 401, 'invalid-credentials');
  }
  // The first wait is a full second from the fifth failure, however the second
  // boundaries fall: the attempt right after it is refused.
  assertProblem(await signIn(server, employee.code, 'wrong 5'), 401, 'invalid-credentials');
  const throttledResponse = await signIn(server, employee.code, employee.one_time_password, { 'Accept-Language': 'en' });
  const throttled = assertProblem(throttledResponse, 429, 'too-many-attempts');
  const retryAfter = Number(throttledResponse.headers['retry-after']);
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1, `Retry-After: ${throttledResponse.headers['retry-after']}`);
  assert.equal(throttled.retry_after, retryAfter);
  assert.match(throttled.detail, new RegExp(`${retryAfter}`));
  assert.equal(!!throttledResponse.headers['set-cookie'], false);

  await sleep(retryAfter * 1000 + 50);
  const again = new Client(server);
  const response = await again.signIn(employee.code, employee.one_time_password);
  assert.equal(response.status, 200, `after Retry-After the right password works: ${response.text}`);
});

serverTest('the back-off is per code: another code from the same address still signs in', async () => {
  const server = await startServer();
  const guessed = createEmployee(server.dataDir);
  const other = createEmployee(server.dataDir);
  for (let i = 0; i < 6; i++) {
    const response = await signIn(server, guessed.code, `wrong ${i}`);
    assert.ok([401, 429].includes(response.status), response.text);
  }
  const response = await signIn(server, other.code, other.one_time_password);
  assert.equal(response.status, 200, response.text);
});
