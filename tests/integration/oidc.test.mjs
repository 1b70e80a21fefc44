// The OpenID Connect provider (docs/integrations.md) over HTTPS against a real
// server: an `sso` integration is requested by an administrator and approved by
// a security officer; a signed-in employee is driven through /oauth2/authorize
// with the session cookie, the redirects followed by hand and the consent given
// through the consent API; the tokens are exchanged and checked here with Node's
// own crypto (ES256 against the published JWKS). The relying-party test with an
// independent client library is tests/e2e/oidc_relying_party.test.mjs.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { admin, assertProblem, countRows, request, serverTest, settledEmployee, sleep, startServer } from './harness.mjs';
import {
  decided,
  requestIntegration,
  setUpRequester,
  setUpSecurityOfficer,
  ssoRequest,
} from './integrations_helpers.mjs';

const REDIRECT_URI = 'https://portal.example.org/oidc/callback';
const CODE_TTL_SECONDS = 3;
const REQUEST_COOKIE = '__Host-egov-oidc-request';

// ---------------------------------------------------------------------------
// Helpers

const base64url = (buffer) => Buffer.from(buffer).toString('base64url');

function pkce() {
  const verifier = base64url(crypto.randomBytes(32));
  const challenge = base64url(crypto.createHash('sha256').update(verifier).digest());
  return { verifier, challenge };
}

// Starts a server whose codes live CODE_TTL_SECONDS (the expiry test waits them out).
function startOidcServer() {
  return startServer({ env: { EGOVBOX_OIDC_CODE_TTL: `${CODE_TTL_SECONDS}s` } });
}

// An sso integration requested and approved: {integration, clientId, clientSecret, administrator, officer}.
async function approvedPortal(server, { redirectUri = REDIRECT_URI, scopes = ['openid', 'profile', 'email'] } = {}) {
  const { client: administrator } = await setUpRequester(server);
  const { client: officer } = await setUpSecurityOfficer(server);
  const integration = await requestIntegration(administrator, ssoRequest(redirectUri, { scopes }));
  const approved = await decided(officer, integration.id, 'approve');
  assert.equal(approved.status, 'approved');
  assert.equal(approved.credentials.client_id, integration.client_id);
  return {
    integration,
    clientId: integration.client_id,
    clientSecret: approved.credentials.client_secret,
    administrator,
    officer,
  };
}

function authorizePath(clientId, { redirectUri = REDIRECT_URI, challenge, scope = 'openid profile', state = 'st-1', nonce = 'n-1', extra = {} } = {}) {
  const params = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: redirectUri, scope, state, nonce });
  if (challenge) {
    params.set('code_challenge', challenge);
    params.set('code_challenge_method', 'S256');
  }
  for (const [name, value] of Object.entries(extra)) params.set(name, value);
  return `/oauth2/authorize?${params}`;
}

// The query parameters of a Location header that must point at the portal.
function portalRedirect(response, redirectUri = REDIRECT_URI) {
  assert.equal(response.status, 302, `expected a redirect: ${response.status} ${response.text}`);
  const location = new URL(response.headers.location);
  assert.equal(`${location.origin}${location.pathname}`, redirectUri);
  return location.searchParams;
}

// The request cookie ("name=value") that authorize set with its redirect to the
// consent page: it binds the pending request to this browser.
function requestCookie(response) {
  const line = [response.headers['set-cookie'] ?? []].flat().find((l) => l.startsWith(`${REQUEST_COOKIE}=`));
  assert.ok(line, `authorize sets ${REQUEST_COOKIE}`);
  assert.match(line, /; Path=\/; Secure; HttpOnly; SameSite=Lax; Max-Age=\d+$/);
  return line.split(';')[0];
}

// The consent API as a browser calls it: the person's session cookie, and the
// request cookie when that browser has one. GET without a decision, else POST.
function consentApi(person, id, { cookie, decision, csrf = person.csrf } = {}) {
  const cookies = [person.cookie, cookie].filter(Boolean).join('; ');
  const urlPath = `/api/v1/oauth2/requests/${id}`;
  if (decision === undefined) return request(person.server, 'GET', urlPath, { cookie: cookies });
  const headers = csrf ? { 'X-CSRF-Token': csrf } : {};
  return request(person.server, 'POST', urlPath, { cookie: cookies, headers, json: { decision } });
}

// Drives the browser's part: authorize with the session cookie, the consent page's
// API when asked (with the request cookie from the redirect), and returns the code
// from the redirect back to the portal.
async function authorizeCode(person, clientId, options = {}) {
  const response = await person.get(authorizePath(clientId, options));
  assert.equal(response.status, 302, `authorize: ${response.status} ${response.text}`);
  let location = response.headers.location;
  if (location.startsWith('/oauth2/consent/')) {
    const id = location.slice('/oauth2/consent/'.length);
    const cookie = requestCookie(response);
    const pending = await consentApi(person, id, { cookie });
    assert.equal(pending.status, 200, pending.text);
    const decision = await consentApi(person, id, { cookie, decision: 'allow' });
    assert.equal(decision.status, 200, decision.text);
    location = decision.json.redirect_to;
  }
  const params = new URL(location).searchParams;
  assert.ok(params.get('code'), `no code in ${location}`);
  assert.equal(params.get('state'), options.state ?? 'st-1');
  return params.get('code');
}

// POST of an application/x-www-form-urlencoded body; {status, headers, json}.
function postForm(server, urlPath, fields, { basic } = {}) {
  const body = new URLSearchParams(fields).toString();
  const headers = { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) };
  if (basic) {
    const [id, secret] = basic;
    headers.Authorization = `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
  }
  return request(server, 'POST', urlPath, { body, headers });
}

function exchange(server, portal, code, verifier, extra = {}) {
  return postForm(server, '/oauth2/token', {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    code_verifier: verifier,
    client_id: portal.clientId,
    client_secret: portal.clientSecret,
    ...extra,
  });
}

function refresh(server, portal, refreshToken) {
  return postForm(
    server,
    '/oauth2/token',
    { grant_type: 'refresh_token', refresh_token: refreshToken },
    { basic: [portal.clientId, portal.clientSecret] },
  );
}

function userinfo(server, accessToken) {
  return request(server, 'GET', '/oauth2/userinfo', { headers: { Authorization: `Bearer ${accessToken}` } });
}

function assertOAuthError(response, status, error) {
  assert.equal(response.status, status, `expected ${status} ${error}: ${response.status} ${response.text}`);
  assert.equal(response.json?.error, error, response.text);
  assert.equal(typeof response.json.error_description, 'string');
  assert.equal(response.headers['cache-control'], 'no-store');
}

// Verifies an ES256 JWS against the JWKS with Node's crypto (raw R||S, RFC 7518 §3.4).
function verifyJwt(jwt, jwks) {
  const [header, payload, signature] = jwt.split('.');
  const head = JSON.parse(Buffer.from(header, 'base64url'));
  assert.equal(head.alg, 'ES256');
  const jwk = jwks.keys.find((key) => key.kid === head.kid);
  assert.ok(jwk, `kid ${head.kid} is not in the JWKS`);
  const raw = Buffer.from(signature, 'base64url');
  assert.equal(raw.length, 64, 'ES256 signatures are R||S, 64 bytes');
  const key = crypto.createPublicKey({ key: jwk, format: 'jwk' });
  assert.ok(
    crypto.verify('sha256', Buffer.from(`${header}.${payload}`), { key, dsaEncoding: 'ieee-p1363' }, raw),
    'the ID token signature verifies',
  );
  return { header: head, claims: JSON.parse(Buffer.from(payload, 'base64url')) };
}

async function discovery(server) {
  const response = await request(server, 'GET', '/.well-known/openid-configuration');
  assert.equal(response.status, 200, response.text);
  return response.json;
}

async function jwks(server) {
  const response = await request(server, 'GET', '/oauth2/jwks');
  assert.equal(response.status, 200, response.text);
  return response.json;
}

// ---------------------------------------------------------------------------
// Tests

serverTest('a pending portal gets unauthorized_client; once approved, the code flow with PKCE signs a person in', async () => {
  const server = await startOidcServer();
  const meta = await discovery(server);
  const issuer = `https://localhost:${server.port}`;
  assert.equal(meta.issuer, issuer);
  assert.equal(meta.token_endpoint, `${issuer}/oauth2/token`);
  assert.deepEqual(meta.code_challenge_methods_supported, ['S256']);
  assert.deepEqual(meta.id_token_signing_alg_values_supported, ['ES256']);
  const keys = await jwks(server);
  assert.equal(keys.keys.length, 1);
  assert.deepEqual(
    Object.keys(keys.keys[0]).sort(),
    ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y'],
    'public members only',
  );

  const { client: administrator } = await setUpRequester(server);
  const { client: officer } = await setUpSecurityOfficer(server);
  const integration = await requestIntegration(administrator, ssoRequest(REDIRECT_URI));
  const { employee, client: person } = await settledEmployee(server);
  const { verifier, challenge } = pkce();

  // Pending: the person is told, and the browser goes nowhere.
  const pending = await person.get(authorizePath(integration.client_id, { challenge }), {
    headers: { Accept: 'text/html' },
  });
  assert.equal(pending.status, 400);
  assert.equal(pending.headers.location, undefined);
  assert.match(pending.headers['content-type'], /^text\/html/);
  assert.match(pending.text, /unauthorized_client/);
  const pendingJson = await person.get(authorizePath(integration.client_id, { challenge }));
  assertOAuthError(pendingJson, 400, 'unauthorized_client');
  assertOAuthError(
    await postForm(server, '/oauth2/token', { grant_type: 'authorization_code', code: 'x', code_verifier: verifier, redirect_uri: REDIRECT_URI, client_id: integration.client_id, client_secret: 'x' }),
    400,
    'unauthorized_client',
  );

  const approved = await decided(officer, integration.id, 'approve');
  const portal = { clientId: integration.client_id, clientSecret: approved.credentials.client_secret };

  // First sign-in: the consent page, with the portal's facts.
  const first = await person.get(authorizePath(portal.clientId, { challenge }));
  assert.equal(first.status, 302);
  assert.match(first.headers.location, /^\/oauth2\/consent\/[A-Za-z0-9_-]+$/);
  const requestId = first.headers.location.split('/').pop();
  const cookie = requestCookie(first);
  const details = await consentApi(person, requestId, { cookie });
  assert.equal(details.status, 200, details.text);
  assert.equal(details.json.client.name, 'Портал за е-услуги');
  assert.equal(details.json.client.owner, 'Отдел е-управление');
  assert.equal(details.json.client.purpose, 'Вход в портала с профила от eGov box');
  assert.deepEqual(details.json.scopes, ['openid', 'profile']);
  assert.equal(details.json.consent_required, true);
  const forged = await consentApi(person, requestId, { cookie, decision: 'allow', csrf: false });
  assert.equal(forged.status, 403, 'the decision needs the CSRF token');
  const allowed = await consentApi(person, requestId, { cookie, decision: 'allow' });
  assert.equal(allowed.status, 200, allowed.text);
  const back = new URL(allowed.json.redirect_to);
  assert.equal(`${back.origin}${back.pathname}`, REDIRECT_URI);
  assert.equal(back.searchParams.get('state'), 'st-1');
  assert.equal(back.searchParams.get('iss'), issuer);
  const code = back.searchParams.get('code');

  const tokens = await exchange(server, portal, code, verifier);
  assert.equal(tokens.status, 200, tokens.text);
  assert.equal(tokens.headers['cache-control'], 'no-store');
  assert.equal(tokens.json.token_type, 'Bearer');
  assert.equal(tokens.json.scope, 'openid profile');
  const { claims } = verifyJwt(tokens.json.id_token, keys);
  assert.equal(claims.iss, issuer);
  assert.equal(claims.aud, portal.clientId);
  assert.equal(claims.nonce, 'n-1');
  assert.equal(claims.name, employee.name);
  assert.equal(claims.email, undefined, 'email was not asked for');
  assert.ok(claims.exp > claims.iat && claims.iat >= claims.auth_time);
  assert.match(claims.sub, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(claims.sub, employee.id, 'a pairwise subject, not the employee id');

  const info = await userinfo(server, tokens.json.access_token);
  assert.equal(info.status, 200, info.text);
  assert.equal(info.json.sub, claims.sub);
  assert.equal(info.json.name, claims.name);

  // Consent is remembered: the next authorize goes straight back with a code.
  const second = pkce();
  const again = await person.get(authorizePath(portal.clientId, { challenge: second.challenge, state: 'st-2' }));
  const params = portalRedirect(again);
  assert.equal(params.get('state'), 'st-2');
  const tokens2 = await exchange(server, portal, params.get('code'), second.verifier);
  assert.equal(tokens2.status, 200, tokens2.text);
  assert.equal(verifyJwt(tokens2.json.id_token, keys).claims.sub, claims.sub, 'the same subject every time');

  // A denial goes back to the portal with access_denied.
  const third = await person.get(authorizePath(portal.clientId, { challenge, extra: { prompt: 'consent' } }));
  const denyId = third.headers.location.split('/').pop();
  const denied = await consentApi(person, denyId, { cookie: requestCookie(third), decision: 'deny' });
  assert.equal(new URL(denied.json.redirect_to).searchParams.get('error'), 'access_denied');

  assert.equal(countRows(server.dataDir, 'audit_log', "WHERE action = 'oidc.authorized'"), 2);
  assert.equal(countRows(server.dataDir, 'audit_log', "WHERE action = 'oidc.consent'"), 2);
  assert.equal(countRows(server.dataDir, 'oidc_consents'), 1);
  // Only hashes are stored.
  assert.equal(countRows(server.dataDir, 'oidc_access_tokens', `WHERE token_hash = '${tokens.json.access_token}'`), 0);
});

serverTest('a consent link works only in the browser that went through authorize: a link sent to someone else signs no one in', async () => {
  const server = await startOidcServer();
  const portal = await approvedPortal(server);
  const { client: victim } = await settledEmployee(server);
  const { verifier, challenge } = pkce();
  await authorizeCode(victim, portal.clientId, { challenge });  // the victim consented to this portal before

  // The attacker starts a sign-in of their own (no session) and sends the victim the consent link.
  const attack = await request(server, 'GET', authorizePath(portal.clientId, { challenge, state: 'attacker' }));
  assert.equal(attack.status, 302, attack.text);
  assert.match(attack.headers.location, /^\/oauth2\/consent\/[A-Za-z0-9_-]+$/);
  const attackId = attack.headers.location.split('/').pop();
  const attackerCookie = requestCookie(attack);

  // The victim's browser opens it without that request cookie (or with its own): nothing, and no code.
  const own = await request(server, 'GET', authorizePath(portal.clientId, { challenge, state: 'own' }));
  const ownCookie = requestCookie(own);
  assert.notEqual(ownCookie, attackerCookie);
  for (const cookie of [undefined, ownCookie]) {
    assertProblem(await consentApi(victim, attackId, { cookie }), 404, 'oidc-request-not-found');
    assertProblem(await consentApi(victim, attackId, { cookie, decision: 'allow' }), 404, 'oidc-request-not-found');
  }
  assert.equal(countRows(server.dataDir, 'audit_log', "WHERE action = 'oidc.authorized'"), 1);

  // The victim's own sign-in (authorize reached without the Strict session cookie) goes on in their browser.
  const ownId = own.headers.location.split('/').pop();
  const details = await consentApi(victim, ownId, { cookie: ownCookie });
  assert.equal(details.status, 200, details.text);
  assert.equal(details.json.consent_required, false);
  const allowed = await consentApi(victim, ownId, { cookie: ownCookie, decision: 'allow' });
  assert.equal(allowed.status, 200, allowed.text);
  const back = new URL(allowed.json.redirect_to).searchParams;
  assert.equal(back.get('state'), 'own');
  assert.equal((await exchange(server, portal, back.get('code'), verifier)).status, 200);

  // A browser that has a request cookie keeps it for its next sign-in.
  const next = await request(server, 'GET', authorizePath(portal.clientId, { challenge }), { cookie: ownCookie });
  assert.equal(requestCookie(next), ownCookie);
});

serverTest('authorization errors: the codes RFC 6749 and RFC 7636 name, and no redirect to an unregistered URI', async () => {
  const server = await startOidcServer();
  const portal = await approvedPortal(server);
  const { client: person } = await settledEmployee(server);
  const { verifier, challenge } = pkce();

  // Unknown client, unregistered redirect URI: shown, never redirected.
  for (const path of [
    authorizePath('no-such-client', { challenge }),
    authorizePath(portal.clientId, { challenge, redirectUri: 'https://evil.example.org/oidc/callback' }),
    authorizePath(portal.clientId, { challenge, redirectUri: `${REDIRECT_URI}/` }),
  ]) {
    const response = await person.get(path, { headers: { Accept: 'text/html,application/xhtml+xml' } });
    assert.equal(response.status, 400, `${path}: ${response.status}`);
    assert.equal(response.headers.location, undefined, `${path} must not redirect`);
    assert.match(response.text, /(unauthorized_client|invalid_request)/);
  }

  // Missing PKCE, or not S256: invalid_request in the redirect, with the state.
  const noPkce = portalRedirect(await person.get(authorizePath(portal.clientId)));
  assert.equal(noPkce.get('error'), 'invalid_request');
  assert.equal(noPkce.get('state'), 'st-1');
  const plainPath = authorizePath(portal.clientId, { extra: { code_challenge: verifier, code_challenge_method: 'plain' } });
  assert.equal(portalRedirect(await person.get(plainPath)).get('error'), 'invalid_request');
  assert.equal(
    portalRedirect(await person.get(authorizePath(portal.clientId, { challenge, scope: 'profile' }))).get('error'),
    'invalid_scope',
  );
  assert.equal(
    portalRedirect(await person.get(authorizePath(portal.clientId, { challenge, extra: { response_type: 'token' } }))).get('error'),
    'unsupported_response_type',
  );

  // A wrong verifier: invalid_grant (and the code is spent).
  const wrongVerifierCode = await authorizeCode(person, portal.clientId, { challenge });
  assertOAuthError(await exchange(server, portal, wrongVerifierCode, pkce().verifier), 400, 'invalid_grant');
  assertOAuthError(await exchange(server, portal, wrongVerifierCode, verifier), 400, 'invalid_grant');
  // No verifier at all: invalid_request.
  const noVerifierCode = await authorizeCode(person, portal.clientId, { challenge });
  assertOAuthError(
    await postForm(server, '/oauth2/token', {
      grant_type: 'authorization_code',
      code: noVerifierCode,
      redirect_uri: REDIRECT_URI,
      client_id: portal.clientId,
      client_secret: portal.clientSecret,
    }),
    400,
    'invalid_request',
  );

  // A wrong client secret: invalid_client, 401, with a challenge for Basic.
  const code = await authorizeCode(person, portal.clientId, { challenge });
  const wrongSecret = await exchange(server, portal, code, verifier, { client_secret: 'not-the-secret' });
  assertOAuthError(wrongSecret, 401, 'invalid_client');
  const wrongBasic = await postForm(
    server,
    '/oauth2/token',
    { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier },
    { basic: [portal.clientId, 'not-the-secret'] },
  );
  assertOAuthError(wrongBasic, 401, 'invalid_client');
  assert.match(wrongBasic.headers['www-authenticate'], /^Basic /);

  // The right one, with client_secret_basic; then the same code again: invalid_grant.
  const good = await postForm(
    server,
    '/oauth2/token',
    { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier },
    { basic: [portal.clientId, portal.clientSecret] },
  );
  assert.equal(good.status, 200, good.text);
  assertOAuthError(await exchange(server, portal, code, verifier), 400, 'invalid_grant');
  // The reuse revoked what the code gave.
  assert.equal((await userinfo(server, good.json.access_token)).status, 401);
  assertOAuthError(await refresh(server, portal, good.json.refresh_token), 400, 'invalid_grant');

  // An expired code: invalid_grant.
  const late = await authorizeCode(person, portal.clientId, { challenge });
  await sleep((CODE_TTL_SECONDS + 1) * 1000);
  assertOAuthError(await exchange(server, portal, late, verifier), 400, 'invalid_grant');

  // Other token-endpoint errors.
  assertOAuthError(
    await postForm(server, '/oauth2/token', { grant_type: 'password', client_id: portal.clientId, client_secret: portal.clientSecret }),
    400,
    'unsupported_grant_type',
  );
  const json = await request(server, 'POST', '/oauth2/token', {
    json: { grant_type: 'authorization_code' },
  });
  assertOAuthError(json, 400, 'invalid_request');
});

serverTest('refresh tokens rotate, a reused one revokes its chain, and /oauth2/revoke ends a grant', async () => {
  const server = await startOidcServer();
  const portal = await approvedPortal(server);
  const { client: person } = await settledEmployee(server);
  const { verifier, challenge } = pkce();
  const tokens = (await exchange(server, portal, await authorizeCode(person, portal.clientId, { challenge }), verifier)).json;

  const rotated = await refresh(server, portal, tokens.refresh_token);
  assert.equal(rotated.status, 200, rotated.text);
  assert.notEqual(rotated.json.refresh_token, tokens.refresh_token);
  assert.equal((await userinfo(server, rotated.json.access_token)).status, 200);
  const rotatedAgain = await refresh(server, portal, rotated.json.refresh_token);
  assert.equal(rotatedAgain.status, 200, rotatedAgain.text);

  // The first one again: reuse. Its whole chain ends, the newest token too.
  assertOAuthError(await refresh(server, portal, tokens.refresh_token), 400, 'invalid_grant');
  assertOAuthError(await refresh(server, portal, rotatedAgain.json.refresh_token), 400, 'invalid_grant');
  const ended = await userinfo(server, rotatedAgain.json.access_token);
  assert.equal(ended.status, 401);
  assert.match(ended.headers['www-authenticate'], /^Bearer .*error="invalid_token"/);
  assert.equal(countRows(server.dataDir, 'audit_log', "WHERE action = 'oidc.refresh_token_reused'"), 1);

  // RFC 7009: revoking a refresh token ends it and its access tokens; 200 for an unknown token.
  const fresh = pkce();
  const grant = (await exchange(server, portal, await authorizeCode(person, portal.clientId, { challenge: fresh.challenge }), fresh.verifier)).json;
  const revoked = await postForm(server, '/oauth2/revoke', { token: grant.refresh_token, token_type_hint: 'refresh_token' }, { basic: [portal.clientId, portal.clientSecret] });
  assert.equal(revoked.status, 200, revoked.text);
  assertOAuthError(await refresh(server, portal, grant.refresh_token), 400, 'invalid_grant');
  assert.equal((await userinfo(server, grant.access_token)).status, 401);
  const unknown = await postForm(server, '/oauth2/revoke', { token: 'no-such-token' }, { basic: [portal.clientId, portal.clientSecret] });
  assert.equal(unknown.status, 200);
  assertOAuthError(
    await postForm(server, '/oauth2/revoke', { token: grant.refresh_token }, { basic: [portal.clientId, 'wrong'] }),
    401,
    'invalid_client',
  );
});

serverTest('when the security officer revokes the portal, its refresh and userinfo fail at once', async () => {
  const server = await startOidcServer();
  const portal = await approvedPortal(server);
  const { client: person } = await settledEmployee(server);
  const { verifier, challenge } = pkce();
  const tokens = (await exchange(server, portal, await authorizeCode(person, portal.clientId, { challenge }), verifier)).json;
  assert.equal((await userinfo(server, tokens.access_token)).status, 200);

  await decided(portal.officer, portal.integration.id, 'revoke', 'Порталът е изведен от експлоатация');
  // The client is refused before its grant is looked at (docs/integrations.md).
  assertOAuthError(await refresh(server, portal, tokens.refresh_token), 400, 'unauthorized_client');
  assertOAuthError(await exchange(server, portal, 'any-code', verifier), 400, 'unauthorized_client');
  const info = await userinfo(server, tokens.access_token);
  assert.equal(info.status, 401);
  assert.equal(info.json.error, 'invalid_token');
  // And no one is signed in through it any more.
  const after = await person.get(authorizePath(portal.clientId, { challenge }));
  assertOAuthError(after, 400, 'unauthorized_client');
});

serverTest('egovbox admin oidc rotate-key: a new key signs, the previous one stays in the JWKS', async () => {
  const server = await startOidcServer();
  const portal = await approvedPortal(server);
  const { client: person } = await settledEmployee(server);
  const { verifier, challenge } = pkce();
  const before = await jwks(server);
  const oldToken = (await exchange(server, portal, await authorizeCode(person, portal.clientId, { challenge }), verifier)).json.id_token;
  const oldKid = verifyJwt(oldToken, before).header.kid;

  const rotated = admin(server.dataDir, 'oidc', 'rotate-key');
  assert.equal(rotated.status, 0, rotated.stderr);
  assert.equal(rotated.json.previous_kid, oldKid);
  assert.notEqual(rotated.json.kid, oldKid);

  const after = await jwks(server);
  assert.deepEqual(after.keys.map((key) => key.kid), [rotated.json.kid, oldKid]);
  verifyJwt(oldToken, after);
  const newToken = (await exchange(server, portal, await authorizeCode(person, portal.clientId, { challenge }), verifier)).json.id_token;
  assert.equal(verifyJwt(newToken, after).header.kid, rotated.json.kid);
  // The keys are private files in the data directory.
  for (const file of ['current.pem', 'previous.pem', 'pairwise.key']) {
    assert.equal(fs.statSync(path.join(server.dataDir, 'keys', 'oidc', file)).mode & 0o777, 0o600, file);
  }
});
