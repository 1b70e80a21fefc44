// Third-party portals (docs/integrations.md): an administrator requests an
// embedded portal served from another local HTTPS origin; until a security
// officer approves it the Content-Security-Policy blocks its frame, after the
// approval an employee sees its tile and the portal inside eGov box, after the
// revocation the frame is blocked again. Both officers of the flow set up
// two-step verification at their first sign-in, as their roles demand.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import {
  assertAccessible,
  assertNoHorizontalScroll,
  e2eSuite,
  expectRoom,
  firstSignIn,
  heading1,
  openMenuIfFolded,
  openSignIn,
  PHONE,
  replaceOneTimePassword,
  signInWithOneTimePassword,
  totpCode,
  totpStep,
  UI,
  visible,
  waitForText,
  waitUntil,
} from './harness.mjs';

const suite = e2eSuite();

// The names of web/README.md used here (Bulgarian, the default).
const N = {
  integrationsLink: 'Интеграции',
  integrationsHeading: 'Интеграции',
  newRequest: 'Нова заявка за интеграция',
  requestHeading: 'Нова заявка за интеграция',
  name: 'Име на портала',
  embed: 'Вграден портал',
  owner: 'Собственик (организация и лице за контакт)',
  purpose: 'Цел',
  launchUrl: 'Адрес на портала',
  origins: 'Произход (origin), по един на ред',
  employeeRole: 'служител',
  send: 'Изпращане на заявката',
  sent: (name) => `Заявката за „${name}“ е изпратена и чака одобрение от служител по сигурността.`,
  openRequest: 'Към заявката',
  pendingSection: 'Чакат решение',
  decisionSection: 'Решение',
  historySection: 'История на решенията',
  ownRequest: 'Вие сте заявили тази интеграция',
  officersOnly: 'Решенията по интеграциите взема служител по сигурността; администраторите само ги заявяват.',
  approve: 'Одобряване',
  approveDialog: (name) => `Да се одобри ли „${name}“?`,
  approveYes: 'Да, одобрете',
  approved: (name) => `„${name}“ е одобрена.`,
  revoke: 'Окончателна отмяна',
  revokeDialog: (name) => `Да се отмени ли окончателно „${name}“?`,
  reason: 'Причина',
  reasonMissing: 'Напишете причината.',
  revokeYes: 'Да, отменете я',
  revoked: (name) => `„${name}“ е отменена окончателно.`,
  portals: 'Портали',
  noPortals: 'Няма портали, достъпни за вас.',
  notAvailable: 'Порталът не е достъпен',
};

// ---------------------------------------------------------------------------
// The portal: a page "Портал" on https://127.0.0.1:{port}, with a certificate
// made here (the browser contexts ignore certificate errors).

async function startPortal() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'egovbox-portal-'));
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
    { stdio: 'ignore' },
  );
  const page = '<!doctype html><html lang="bg"><head><meta charset="utf-8"><title>Портал</title></head><body><h1>Портал</h1><p>Регистър на решенията.</p></body></html>';
  const requests = [];
  const server = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (request, response) => {
    requests.push({ url: request.url, referer: request.headers.referer ?? null });
    if (request.url === '/' || request.url.startsWith('/?')) {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      response.end(page);
    } else {
      response.writeHead(404, { 'Content-Type': 'text/plain' });
      response.end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `https://127.0.0.1:${server.address().port}`;
  return {
    origin,
    url: `${origin}/`,
    requests,
    async stop() {
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------
// Flows

// The first sign-in of an administrator or a security officer: the one-time
// password replaced, then the forced two-step set-up; ends in the room.
async function firstSignInWithTotp(page, url, person) {
  await openSignIn(page, url);
  await signInWithOneTimePassword(page, 'bg', person);
  await replaceOneTimePassword(page, 'bg', person);
  await visible(heading1(page, UI.bg.totpSetupHeading));
  const secret = (await page.getByRole('main').locator('code').textContent()).replace(/\s+/g, '');
  await page.getByRole('textbox', { name: UI.bg.sixDigitCode, exact: true }).fill(totpCode(secret, totpStep()));
  await page.getByRole('button', { name: UI.bg.confirm, exact: true }).click();
  await visible(page.getByRole('heading', { name: UI.bg.recoveryCodesHeading, exact: true }));
  await page.getByRole('button', { name: UI.bg.savedCodes, exact: true }).click();
  await expectRoom(page, 'bg', person);
}

async function openIntegrations(page) {
  await openMenuIfFolded(page, 'bg');
  await page.getByRole('navigation', { name: UI.bg.navigation }).getByRole('link', { name: N.integrationsLink, exact: true }).click();
  await visible(heading1(page, N.integrationsHeading));
}

// Frames `src` in the page as any page of the app would (the app itself does
// not for a portal the catalogue does not list) and waits for the browser's
// CSP report of the refusal; returns the messages that name it.
async function expectFrameBlocked(t, page, portal) {
  const before = t.cspViolations.length;
  await page.evaluate((src) => {
    const frame = document.createElement('iframe');
    frame.src = src;
    frame.title = 'probe';
    document.querySelector('main').append(frame);
  }, portal.url);
  // Chromium's own message ("Framing 'https://…/' violates the following
  // Content Security Policy directive: "frame-src 'none'" …") and the page's
  // securitypolicyviolation event (logged by the harness) both name them.
  const browserMessage = (text) => /Content Security Policy directive: "frame-src /.test(text);
  const eventMessage = (text) =>
    text === `CSP violation (event): frame-src blocked ${portal.origin}` || text === `CSP violation (event): frame-src blocked ${portal.url}`;
  const fresh = () => t.cspViolations.slice(before).filter((text) => text.includes(portal.origin));
  await waitUntil(() => fresh().some(browserMessage) && fresh().some(eventMessage), {
    message: `the browser's frame-src message and the securitypolicyviolation event for ${portal.origin}`,
  });
  const messages = fresh();
  await page.evaluate(() => document.querySelector('iframe[title="probe"]')?.remove());
  return messages;
}

const policyOf = (response) => response.headers()['content-security-policy'] ?? '';
const frameSrcOf = (policy) => /(?:^|;)\s*frame-src([^;]*)/.exec(policy)?.[1].trim().split(/\s+/) ?? [];

// ---------------------------------------------------------------------------

suite.test('an embedded portal is framed only while a security officer has it approved', { timeout: 180_000 }, async (t) => {
  const portal = await startPortal();
  try {
    const name = 'Регистър на решенията';
    const admin = suite.addEmployee({ name: 'Димитър Николов', roles: ['administrator'], position: 'Системен администратор' });
    const officer = suite.addEmployee({ name: 'Елена Стоянова', roles: ['security_officer'], position: 'Служител по сигурността' });
    const employee = suite.addEmployee({ name: 'Мария Иванова' });

    // --- The administrator requests the portal --------------------------------
    const adminPage = await t.newPage();
    await firstSignInWithTotp(adminPage, t.url(), admin);
    await openIntegrations(adminPage);
    await adminPage.getByRole('link', { name: N.newRequest, exact: true }).click();
    await visible(heading1(adminPage, N.requestHeading));
    await adminPage.getByRole('textbox', { name: N.name, exact: true }).fill(name);
    await adminPage.getByRole('radio', { name: N.embed, exact: true }).check();
    await adminPage.getByRole('textbox', { name: N.owner, exact: true }).fill('Общински съвет, Иван Петров, +359 2 000 0000');
    await adminPage.getByRole('textbox', { name: N.purpose, exact: true }).fill('Решенията на общинския съвет в стаята на всеки служител.');
    await adminPage.getByRole('textbox', { name: N.launchUrl, exact: true }).fill(portal.url);
    // A path in an origin is refused here, as by the server.
    await adminPage.getByRole('textbox', { name: N.origins, exact: true }).fill(`${portal.origin}/`);
    await adminPage.getByRole('checkbox', { name: N.employeeRole, exact: true }).check();
    await assertAccessible(adminPage, 'the request form');
    await adminPage.getByRole('button', { name: N.send, exact: true }).click();
    const originsField = adminPage.getByRole('textbox', { name: N.origins, exact: true });
    await waitUntil(async () => (await originsField.getAttribute('aria-invalid')) === 'true', { message: 'the origins field in error' });
    await waitUntil(() => originsField.evaluate((element) => element === document.activeElement), { message: 'focus on the origins' });
    await originsField.fill(portal.origin);
    await adminPage.getByRole('button', { name: N.send, exact: true }).click();
    await visible(adminPage.getByText(N.sent(name), { exact: true }));
    const details = await adminPage.getByRole('link', { name: N.openRequest, exact: true }).getAttribute('href');
    const id = /^\/integrations\/([^/]+)\/details$/.exec(details)?.[1];
    assert.ok(id, `the link to the request: ${details}`);
    await adminPage.getByRole('link', { name: N.openRequest, exact: true }).click();
    await visible(heading1(adminPage, name));
    // Administrators request; they do not decide.
    const adminDecision = adminPage.getByRole('region', { name: N.decisionSection, exact: true });
    await visible(adminDecision.getByText(N.officersOnly, { exact: true }));
    assert.equal(await adminDecision.getByRole('button').count(), 0);

    // --- Before approval: no tile, and the CSP blocks the frame ---------------
    const employeePage = await t.newPage();
    await firstSignIn(employeePage, t.url(), employee);
    const portals = employeePage.getByRole('region', { name: N.portals, exact: true });
    await visible(portals.getByText(N.noPortals, { exact: true }));
    t.expectCspViolation(new RegExp(portal.origin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    let response = await employeePage.goto(t.url(`/integrations/${id}`));
    assert.ok(!frameSrcOf(policyOf(response)).includes(portal.origin), `pending: ${policyOf(response)}`);
    await visible(heading1(employeePage, N.notAvailable));
    assert.equal(await employeePage.locator('iframe').count(), 0);
    await expectFrameBlocked(t, employeePage, portal);
    assert.equal(portal.requests.length, 0, 'the browser never asked the portal for anything');

    // --- The security officer approves it in the review queue -----------------
    const officerPage = await t.newPage();
    await firstSignInWithTotp(officerPage, t.url(), officer);
    await openIntegrations(officerPage);
    const queue = officerPage.getByRole('region', { name: N.pendingSection, exact: true });
    await queue.getByRole('link', { name, exact: true }).click();
    await visible(heading1(officerPage, name));
    await visible(officerPage.getByRole('region', { name: N.historySection, exact: true }).getByText(admin.name));
    await assertAccessible(officerPage, 'a request awaiting a decision');
    await officerPage.getByRole('button', { name: N.approve, exact: true }).click();
    const approveDialog = officerPage.getByRole('alertdialog', { name: N.approveDialog(name), exact: true });
    await approveDialog.getByRole('button', { name: N.approveYes, exact: true }).click();
    await visible(officerPage.getByText(N.approved(name), { exact: true }));
    await waitForText(officerPage.getByTestId('integration-status').first(), 'Одобрена');
    // An embed has no secret to show.
    assert.equal(await officerPage.getByTestId('integration-secret').count(), 0);

    // --- The employee now has the tile and the portal inside eGov box ---------
    response = await employeePage.goto(t.url('/'));
    assert.ok(frameSrcOf(policyOf(response)).includes(portal.origin), `approved: ${policyOf(response)}`);
    await expectRoom(employeePage, 'bg', employee);
    const tile = portals.getByRole('link', { name, exact: true });
    await visible(tile);
    assert.equal(await tile.getAttribute('href'), `/integrations/${id}`);
    const violationsBefore = t.cspViolations.length;
    await tile.click();
    await employeePage.waitForURL(`**/integrations/${id}`);
    await visible(heading1(employeePage, name));
    const frame = employeePage.locator(`iframe[title="${name}"]`);
    assert.equal(await frame.getAttribute('sandbox'), 'allow-scripts allow-same-origin allow-forms allow-popups');
    assert.equal(await frame.getAttribute('referrerpolicy'), 'no-referrer');
    await visible(employeePage.frameLocator(`iframe[title="${name}"]`).getByText('Портал', { exact: true }));
    assert.equal(t.cspViolations.length, violationsBefore, `no violation while approved: ${JSON.stringify(t.cspViolations)}`);
    // The frame's requests do not name eGov box (referrerpolicy no-referrer).
    assert.ok(portal.requests.every((request) => request.referer === null), JSON.stringify(portal.requests));
    await assertAccessible(employeePage, 'the embedded portal');

    // On a phone: the room's tiles and the frame fit the width.
    const phone = await t.newPage(PHONE);
    await phone.context().addCookies(await employeePage.context().cookies());
    await phone.goto(t.url('/'));
    await visible(phone.getByRole('region', { name: N.portals, exact: true }).getByRole('link', { name, exact: true }));
    await assertNoHorizontalScroll(phone, 'the room with a portal, phone');
    await phone.goto(t.url(`/integrations/${id}`));
    await visible(phone.frameLocator(`iframe[title="${name}"]`).getByText('Портал', { exact: true }));
    await assertNoHorizontalScroll(phone, 'the embedded portal, phone');
    await phone.close();

    // --- The officer revokes it: a reason is required --------------------------
    await officerPage.getByRole('button', { name: N.revoke, exact: true }).click();
    const revokeDialog = officerPage.getByRole('alertdialog', { name: N.revokeDialog(name), exact: true });
    await revokeDialog.getByRole('button', { name: N.revokeYes, exact: true }).click();
    await visible(revokeDialog.getByText(N.reasonMissing, { exact: true }));
    await revokeDialog.getByRole('textbox', { name: N.reason, exact: true }).fill('Договорът с доставчика е прекратен.');
    await revokeDialog.getByRole('button', { name: N.revokeYes, exact: true }).click();
    await visible(officerPage.getByText(N.revoked(name), { exact: true }));
    await visible(officerPage.getByRole('region', { name: N.historySection, exact: true }).getByText('Причина: Договорът с доставчика е прекратен.'));
    assert.equal(await officerPage.getByRole('region', { name: N.decisionSection, exact: true }).getByRole('button').count(), 0);
    await assertNoHorizontalScroll(officerPage, 'a revoked integration');

    // --- Blocked again: no tile, no frame, and the CSP refuses the origin -----
    response = await employeePage.goto(t.url('/'));
    assert.ok(!frameSrcOf(policyOf(response)).includes(portal.origin), `revoked: ${policyOf(response)}`);
    await visible(portals.getByText(N.noPortals, { exact: true }));
    await employeePage.goto(t.url(`/integrations/${id}`));
    await visible(heading1(employeePage, N.notAvailable));
    assert.equal(await employeePage.locator('iframe').count(), 0);
    const requestsBefore = portal.requests.length;
    await expectFrameBlocked(t, employeePage, portal);
    assert.equal(portal.requests.length, requestsBefore, 'the blocked frame asked the portal for nothing');
  } finally {
    await portal.stop();
  }
});

suite.test('a security officer cannot decide on their own request (on a phone)', async (t) => {
  // Both roles: they may request, and they review others' requests only.
  const both = suite.addEmployee({ name: 'Стефан Колев', roles: ['administrator', 'security_officer'] });
  const page = await t.newPage(PHONE);
  await firstSignInWithTotp(page, t.url(), both);
  await openIntegrations(page);
  await assertNoHorizontalScroll(page, 'the integrations, phone');
  await page.getByRole('link', { name: N.newRequest, exact: true }).click();
  await visible(heading1(page, N.requestHeading));
  await page.getByRole('button', { name: N.send, exact: true }).click();
  await visible(page.getByText('Въведете името на портала.', { exact: true }));
  await assertNoHorizontalScroll(page, 'the request form with its errors, phone');
  await page.getByRole('textbox', { name: N.name, exact: true }).fill('ГИС на общината');
  await page.getByRole('textbox', { name: N.owner, exact: true }).fill('Отдел „ГИС“');
  await page.getByRole('textbox', { name: N.purpose, exact: true }).fill('Карта на общината.');
  await page.getByRole('textbox', { name: N.launchUrl, exact: true }).fill('https://gis.example.bg/map');
  await page.getByRole('button', { name: N.send, exact: true }).click();
  await page.getByRole('link', { name: N.openRequest, exact: true }).click();
  await visible(heading1(page, 'ГИС на общината'));
  const decision = page.getByRole('region', { name: N.decisionSection, exact: true });
  await visible(decision.getByText(N.ownRequest));
  assert.equal(await decision.getByRole('button').count(), 0);
  await assertNoHorizontalScroll(page, 'a request, phone');
  // The server refuses it too.
  const status = await page.evaluate(async (path) => {
    const session = await (await fetch('/api/v1/session')).json();
    const answer = await fetch(`/api/v1${path}/approve`, { method: 'POST', headers: { 'X-CSRF-Token': session.csrf_token } });
    return answer.status;
  }, new URL(page.url()).pathname.replace(/\/details$/, ''));
  assert.equal(status, 403);
});

suite.test('an API integration’s token is shown once, to the officer who approves it', async (t) => {
  const admin = suite.addEmployee({ name: 'Николай Илиев', roles: ['administrator'] });
  const officer = suite.addEmployee({ name: 'Ралица Тодорова', roles: ['security_officer'] });
  const name = 'Деловодна система';

  const adminPage = await t.newPage();
  await firstSignInWithTotp(adminPage, t.url(), admin);
  await adminPage.goto(t.url('/integrations/new'));
  await visible(heading1(adminPage, N.requestHeading));
  await adminPage.getByRole('textbox', { name: N.name, exact: true }).fill(name);
  await adminPage.getByRole('radio', { name: 'Достъп до API', exact: true }).check();
  assert.equal(await adminPage.getByRole('textbox', { name: N.launchUrl, exact: true }).count(), 0);
  await adminPage.getByRole('textbox', { name: N.owner, exact: true }).fill('Отдел „Деловодство“');
  await adminPage.getByRole('textbox', { name: N.purpose, exact: true }).fill('Чете указателя на служителите.');
  const scopes = adminPage.getByRole('group', { name: 'Права (scopes)', exact: true });
  await scopes.getByRole('checkbox', { name: 'directory:read — четене на указателя на служителите', exact: true }).check();
  await adminPage.getByRole('button', { name: N.send, exact: true }).click();
  const details = await adminPage.getByRole('link', { name: N.openRequest, exact: true }).getAttribute('href');

  const officerPage = await t.newPage();
  await officerPage.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.url() });
  await firstSignInWithTotp(officerPage, t.url(), officer);
  await officerPage.goto(t.url(details));
  await visible(heading1(officerPage, name));
  await officerPage.getByRole('button', { name: N.approve, exact: true }).click();
  await officerPage.getByRole('alertdialog', { name: N.approveDialog(name), exact: true }).getByRole('button', { name: N.approveYes, exact: true }).click();
  const panel = officerPage.getByTestId('integration-secret');
  const heading = panel.getByRole('heading', { level: 2, name: 'API ключ', exact: true });
  await visible(heading);
  await waitUntil(() => heading.evaluate((element) => element === document.activeElement), { message: 'focus on the token' });
  await visible(panel.getByText(/показва се само веднъж/));
  const token = await panel.getByRole('textbox', { name: 'API ключ', exact: true }).inputValue();
  assert.match(token, /^egbx_\S{16,}$/);
  await panel.getByRole('button', { name: 'Копиране', exact: true }).click();
  await visible(panel.getByText('Копирано.', { exact: true }));
  assert.equal(await officerPage.evaluate(() => navigator.clipboard.readText()), token);
  await assertAccessible(officerPage, 'the token shown once');

  // Never again: not after a reload, nor to the administrator.
  await officerPage.reload();
  await visible(heading1(officerPage, name));
  await waitForText(officerPage.getByTestId('integration-status').first(), 'Одобрена');
  assert.equal(await officerPage.getByTestId('integration-secret').count(), 0);
  assert.ok(!(await officerPage.content()).includes(token));
  await adminPage.goto(t.url(details));
  await visible(heading1(adminPage, name));
  await waitForText(adminPage.getByTestId('integration-status').first(), 'Одобрена');
  assert.ok(!(await adminPage.content()).includes(token));
});
