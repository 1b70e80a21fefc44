// A relying party built from an independent, well-known OpenID Connect client
// library (openid-client 5, on the `jose` library) signs a person in with eGov
// box, through the real consent page in headless Chromium: discovery, the
// authorization code flow with PKCE (S256), state and nonce, the ID token's
// ES256 signature checked against the published JWKS and its claims (iss, aud,
// exp, nonce), then userinfo. docs/integrations.md.
//
// The relying party is a small HTTPS server on 127.0.0.1 (it borrows the eGov
// box server's self-signed certificate; the browser context ignores HTTPS
// errors and the library is given that certificate as its CA). The portal is
// requested by an administrator and approved by a security officer through the
// API, as in tests/integration/oidc.test.mjs. The issuer is the server's default
// public URL, https://localhost:<port>, so the person signs in there.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { custom, generators, Issuer } from 'openid-client';

import { decided, requestIntegration, setUpRequester, setUpSecurityOfficer, ssoRequest } from '../integration/integrations_helpers.mjs';
import { assertAccessible, e2eSuite, firstSignIn, heading1, switchLanguage, visible, waitUntil } from './harness.mjs';

const suite = e2eSuite();

const CONSENT = {
  bg: {
    heading: (portal) => `Вход в „${portal}“ с eGov box`,
    receives: (portal) => `„${portal}“ ще получи`,
    scopes: ['знак, по който порталът ви разпознава (различен за всеки портал)', 'вашето име', 'вашия адрес на електронна поща'],
    allow: 'Разрешаване',
    deny: 'Отказ',
  },
  en: {
    heading: (portal) => `Sign in to “${portal}” with eGov box`,
    receives: (portal) => `“${portal}” will receive`,
    scopes: ['an identifier by which the portal recognises you (different for every portal)', 'your name', 'your e-mail address'],
    allow: 'Allow',
    deny: 'Deny',
  },
};

// The relying party: /login starts a sign-in, /callback finishes it with
// openid-client and shows who signed in. Every outcome is kept in `results`.
async function startRelyingParty(tls) {
  const rp = { client: null, pending: new Map(), results: [] };
  const server = https.createServer(tls, async (req, res) => {
    const url = new URL(req.url, `https://${req.headers.host}`);
    try {
      if (url.pathname === '/login') {
        const state = generators.state();
        const nonce = generators.nonce();
        const verifier = generators.codeVerifier();
        rp.pending.set(state, { nonce, verifier });
        const location = rp.client.authorizationUrl({
          scope: 'openid profile email',
          state,
          nonce,
          code_challenge: generators.codeChallenge(verifier),
          code_challenge_method: 'S256',
        });
        res.writeHead(302, { Location: location }).end();
        return;
      }
      if (url.pathname === '/callback') {
        const params = rp.client.callbackParams(req);
        const expected = rp.pending.get(params.state) ?? {};
        // Validates the response (state, iss), exchanges the code with the
        // verifier, and validates the ID token: signature against the JWKS,
        // iss, aud, exp, iat, nonce.
        const tokens = await rp.client.callback(rp.redirectUri, params, {
          state: params.state,
          nonce: expected.nonce,
          code_verifier: expected.verifier,
        });
        const claims = tokens.claims();
        const userinfo = await rp.client.userinfo(tokens.access_token);
        rp.results.push({ ok: true, claims, userinfo, idToken: tokens.id_token });
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(`<!doctype html><title>Portal</title><h1>Signed in as ${escapeHtml(userinfo.name)}</h1>`);
        return;
      }
      res.writeHead(404).end();
    } catch (error) {
      rp.results.push({ ok: false, error: error.error ?? error.message });
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><title>Portal</title><h1>Not signed in: ${escapeHtml(error.error ?? 'error')}</h1>`);
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  rp.origin = `https://127.0.0.1:${server.address().port}`;
  rp.redirectUri = `${rp.origin}/callback`;
  rp.close = () => new Promise((resolve) => server.close(resolve));
  return rp;
}

function escapeHtml(text) {
  return String(text).replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]);
}

// The relying party with an approved portal behind it: the portal requested by an
// administrator and approved by a security officer through the API, the library
// pointed at the provider's discovery document. Returns {rp, issuerUrl, credentials}.
async function approvedRelyingParty(t, portalName) {
  const { dataDir, port } = t.server;
  const ca = fs.readFileSync(path.join(dataDir, 'tls', 'certificate.pem'));
  const key = fs.readFileSync(path.join(dataDir, 'tls', 'key.pem'));
  const rp = await startRelyingParty({ cert: ca, key });
  try {
    return await approve(rp, { port, dataDir, ca }, portalName);
  } catch (error) {
    await rp.close();
    throw error;
  }
}

async function approve(rp, api, portalName) {
  const { port, ca } = api;
  const { client: administrator } = await setUpRequester(api);
  const { client: officer } = await setUpSecurityOfficer(api);
  const integration = await requestIntegration(
    administrator,
    ssoRequest(rp.redirectUri, { name: portalName, launch_url: `${rp.origin}/` }),
  );
  const { credentials } = await decided(officer, integration.id, 'approve');

  // The library's HTTP goes to 127.0.0.1 and trusts the server's certificate
  // (which names localhost).
  custom.setHttpOptionsDefaults({
    ca,
    timeout: 10_000,
    lookup: (hostname, options, callback) =>
      options?.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4),
  });
  const issuerUrl = `https://localhost:${port}`;
  const issuer = await Issuer.discover(`${issuerUrl}/.well-known/openid-configuration`);
  assert.equal(issuer.issuer, issuerUrl);
  rp.client = new issuer.Client({
    client_id: credentials.client_id,
    client_secret: credentials.client_secret,
    redirect_uris: [rp.redirectUri],
    response_types: ['code'],
    id_token_signed_response_alg: 'ES256',
    token_endpoint_auth_method: 'client_secret_basic',
  });
  return { rp, issuerUrl, credentials };
}

suite.test('openid-client signs a person in through the consent page, validates the ID token and calls userinfo', async (t) => {
  const portalName = 'Портал за е-услуги';
  const { rp, issuerUrl, credentials } = await approvedRelyingParty(t, portalName);
  try {
    // The person signs in to eGov box (at the issuer's address).
    const person = suite.addEmployee({ name: 'Радка Петрова', email: 'radka.petrova@example.org' });
    const page = await t.newPage();
    await firstSignIn(page, `${issuerUrl}/`, person);

    // The portal sends the browser to eGov box; the real consent page asks.
    await page.goto(`${rp.origin}/login`);
    await page.waitForURL(/\/oauth2\/consent\/[A-Za-z0-9_-]+$/);
    await visible(heading1(page, CONSENT.bg.heading(portalName)));
    const scopes = page.getByRole('list', { name: CONSENT.bg.receives(portalName), exact: true });
    assert.deepEqual(await scopes.getByRole('listitem').allTextContents(), CONSENT.bg.scopes);
    await visible(page.getByText('Отдел е-управление', { exact: true }));
    await visible(page.getByText('Вход в портала с профила от eGov box', { exact: true }));
    await assertAccessible(page, 'the consent page');
    // The same page in English.
    await switchLanguage(page, 'bg');
    await visible(heading1(page, CONSENT.en.heading(portalName)));
    const scopesEn = page.getByRole('list', { name: CONSENT.en.receives(portalName), exact: true });
    assert.deepEqual(await scopesEn.getByRole('listitem').allTextContents(), CONSENT.en.scopes);
    await switchLanguage(page, 'en');

    await page.getByRole('button', { name: CONSENT.bg.allow, exact: true }).click();
    await page.waitForURL(`${rp.origin}/callback?**`);
    await visible(page.getByRole('heading', { level: 1, name: `Signed in as ${person.name}` }));
    const [first] = rp.results;
    assert.ok(first.ok, `the relying party failed: ${first.error}`);
    assert.equal(first.claims.iss, issuerUrl);
    assert.equal(first.claims.aud, credentials.client_id);
    assert.equal(first.claims.name, person.name);
    assert.equal(first.claims.email, 'radka.petrova@example.org');
    assert.match(first.claims.sub, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(first.claims.sub, person.id);
    assert.equal(first.userinfo.sub, first.claims.sub);
    assert.equal(first.userinfo.email, 'radka.petrova@example.org');
    assert.equal(JSON.parse(Buffer.from(first.idToken.split('.')[0], 'base64url')).alg, 'ES256');

    // Consented before: the next sign-in goes straight through.
    await page.goto(`${rp.origin}/login`);
    await page.waitForURL(`${rp.origin}/callback?**`);
    await visible(page.getByRole('heading', { level: 1, name: `Signed in as ${person.name}` }));
    await waitUntil(() => rp.results.length === 2, { message: 'the second sign-in' });
    assert.ok(rp.results[1].ok, `the second sign-in failed: ${rp.results[1].error}`);
    assert.equal(rp.results[1].claims.sub, first.claims.sub, 'the same subject every time');
  } finally {
    await rp.close();
  }
});

suite.test('Deny on the consent page sends the portal access_denied', async (t) => {
  const { rp, issuerUrl } = await approvedRelyingParty(t, 'Регистър на разрешенията');
  try {
    const person = suite.addEmployee({ name: 'Огнян Стоев' });
    const page = await t.newPage();
    await firstSignIn(page, `${issuerUrl}/`, person);
    await page.goto(`${rp.origin}/login`);
    await visible(heading1(page, CONSENT.bg.heading('Регистър на разрешенията')));
    await page.getByRole('button', { name: CONSENT.bg.deny, exact: true }).click();
    await page.waitForURL(`${rp.origin}/callback?**`);
    await visible(page.getByRole('heading', { level: 1, name: 'Not signed in: access_denied' }));
    assert.deepEqual(rp.results, [{ ok: false, error: 'access_denied' }]);
  } finally {
    await rp.close();
  }
});
