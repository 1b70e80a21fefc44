// Helpers for the integrations suites (and the OpenID Connect ones): people with
// the second factor enrolled in the roles that request and decide, integration
// requests of each level, decisions, bearer calls and the CSP's frame-src.
import assert from 'node:assert/strict';
import https from 'node:https';

import {
  Client,
  createEmployee,
  currentTotpStep,
  ensureTotpStepMargin,
  NEW_PASSWORD,
  tlsOptions,
  totpAt,
} from './harness.mjs';

export const INTEGRATIONS = '/api/v1/integrations';

// A person with `roles`, a changed password and two-step verification enrolled,
// signed in on a new client (as setUpAdministrator does for administrators).
// Returns {employee, client, secret}.
export async function setUpWithSecondFactor(server, { roles, name = 'Сигурен Служителов' } = {}) {
  const employee = createEmployee(server.dataDir, { name, roles });
  const client = new Client(server);
  await client.signInOk(employee.code, employee.one_time_password);
  await client.changePassword(employee.one_time_password, NEW_PASSWORD);
  const started = await client.post('/api/v1/me/totp', {});
  assert.equal(started.status, 200, started.text);
  await ensureTotpStepMargin(5);
  const confirmed = await client.post('/api/v1/me/totp/confirm', {
    totp: totpAt(started.json.secret, currentTotpStep() - 1),
  });
  assert.equal(confirmed.status, 200, confirmed.text);
  return { employee, client, secret: started.json.secret };
}

export const setUpSecurityOfficer = (server, options = {}) =>
  setUpWithSecondFactor(server, { roles: ['security_officer'], name: 'Стоян Сигурностов', ...options });
export const setUpRequester = (server, options = {}) =>
  setUpWithSecondFactor(server, { roles: ['administrator'], name: 'Ася Администраторова', ...options });

export function embedRequest(origin = 'https://gis.example.org:9443', extra = {}) {
  return {
    name: 'ГИС на общината',
    level: 'embed',
    owner: 'Дирекция ИТ, it@example.org',
    purpose: 'Карта на ремонтите в района',
    launch_url: `${origin}/map`,
    origins: [origin],
    ...extra,
  };
}

export function linkRequest(extra = {}) {
  return {
    name: 'Регистър на решенията',
    level: 'link',
    owner: 'Общински съвет',
    purpose: 'Решенията на съвета',
    launch_url: 'https://decisions.example.org/',
    ...extra,
  };
}

export function ssoRequest(redirectUri = 'https://rp.example.org/callback', extra = {}) {
  return {
    name: 'Портал за е-услуги',
    level: 'sso',
    owner: 'Отдел е-управление',
    purpose: 'Вход в портала с профила от eGov box',
    launch_url: new URL(redirectUri).origin + '/',
    redirect_uris: [redirectUri],
    scopes: ['openid', 'profile', 'email'],
    ...extra,
  };
}

export function apiRequest(scopes = ['directory:read'], extra = {}) {
  return {
    name: 'Деловодна система',
    level: 'api',
    owner: 'Деловодство ООД',
    purpose: 'Чете указателя и насрочва срещи',
    scopes,
    ...extra,
  };
}

// POST /integrations as `client`; asserts 201 and returns the integration.
export async function requestIntegration(client, body) {
  const response = await client.post(INTEGRATIONS, body);
  assert.equal(response.status, 201, `request integration: ${response.text}`);
  return response.json;
}

// POST /integrations/{id}/{action} as `client`; returns the response.
export function decide(client, id, action, reason) {
  return client.post(`${INTEGRATIONS}/${id}/${action}`, reason === undefined ? {} : { reason });
}

// The same, asserting 200; returns the body (with `credentials` after an approval).
export async function decided(client, id, action, reason) {
  const response = await decide(client, id, action, reason);
  assert.equal(response.status, 200, `${action} ${id}: ${response.text}`);
  return response.json;
}

// One request with `Authorization: Bearer <token>` and nothing else: no cookie, no CSRF token.
export function bearer(server, method, urlPath, token, json) {
  const payload = json === undefined ? undefined : JSON.stringify(json);
  const headers = { Authorization: `Bearer ${token}` };
  if (payload !== undefined) {
    headers['Content-Type'] = 'application/json';
    headers['Content-Length'] = Buffer.byteLength(payload);
  }
  return new Promise((resolve, reject) => {
    const req = https.request({ ...tlsOptions(server), method, path: urlPath, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const parsed = /json/.test(res.headers['content-type'] ?? '') && text ? JSON.parse(text) : undefined;
        resolve({ status: res.statusCode, headers: res.headers, text, json: parsed });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

// The sources of the frame-src directive of a response's Content-Security-Policy.
export function frameSources(response) {
  const policy = response.headers['content-security-policy'] ?? '';
  const directive = policy
    .split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith('frame-src '));
  assert.ok(directive, `no frame-src in ${policy}`);
  return directive.split(/\s+/).slice(1);
}
