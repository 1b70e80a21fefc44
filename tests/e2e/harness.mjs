// Browser end-to-end harness: a real `egovbox serve` (on a temporary data
// directory, serving the built web app from web/dist) and headless Debian
// chromium driven by playwright-core. Nothing is mocked.
//
// A test file calls `const suite = e2eSuite()` once (or
// `e2eSuite({env: {EGOVBOX_…: …}})` for server settings); that starts one
// server and one browser for the file (before/after hooks) and gives:
//   suite.test(name, fn)     - node:test's test(); fn gets a helper `t` with
//                              t.newPage(options) (a fresh browser context, so
//                              fresh cookies and localStorage), t.server, ...
//                              Every page is watched for CSP violations,
//                              uncaught exceptions and console errors, which
//                              fail the test (t.expectCspViolation(regexp)
//                              lets the matching CSP messages through, into
//                              t.cspViolations, for a test that provokes
//                              them). When a test fails, every open page is
//                              saved as a screenshot in
//                              tests/e2e/artifacts/ and the tail of the
//                              server's stderr is printed.
//   suite.addEmployee(...)   - `egovbox admin employee add --json`.
//
// Run: scripts/run-e2e.sh (inside a network namespace with only loopback), or
// `node --test --test-concurrency=1 tests/e2e/` after `cd web && npm run build`.
// EGOVBOX_BINARY picks the server binary (default build/release/egovbox),
// CHROMIUM the browser (default /usr/bin/chromium).
//
// Accessible names come from web/README.md ("Accessible names for end-to-end
// tests"); UI[lang] below holds them.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import { chromium } from 'playwright-core';
import { TOTP_STEP_SECONDS } from '../totp.mjs';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const binary = path.resolve(repoRoot, process.env.EGOVBOX_BINARY ?? 'build/release/egovbox');
export const webRoot = path.join(repoRoot, 'web', 'dist');
export const artifactsDir = path.join(repoRoot, 'tests', 'e2e', 'artifacts');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';

const STARTUP_TIMEOUT_MS = 15_000;
const ACTION_TIMEOUT_MS = 10_000;
const KEEP_OUTPUT_CHARS = 64 * 1024;

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
];

export const DESKTOP = { viewport: { width: 1280, height: 800 } };
export const PHONE = {
  viewport: { width: 375, height: 667 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  userAgent:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36',
};

// The accessible names of web/README.md, per language.
export const UI = {
  bg: {
    languageButton: 'Език / Language: English',
    skipLink: 'Към основното съдържание',
    signInHeading: 'Вход',
    code: 'Личен код',
    password: 'Парола',
    signInButton: 'Вход',
    secondStepHeading: 'Двуетапна проверка',
    verificationCode: 'Код за потвърждение',
    verify: 'Потвърждаване',
    useRecovery: 'Използване на код за възстановяване',
    useTotp: 'Използване на код от приложението',
    recoveryCode: 'Код за възстановяване',
    back: 'Назад',
    expiredNotice: 'Сесията ви изтече. Влезте отново.',
    signedOutNotice: 'Излязохте от системата.',
    navigation: 'Основна навигация',
    roomLink: 'Моята стая',
    colleaguesLink: 'Колеги',
    securityLink: 'Сигурност',
    signOut: 'Изход',
    menu: 'Меню',
    firstPasswordHeading: 'Сменете еднократната парола',
    oneTimePassword: 'Текуща (еднократна) парола',
    newPassword: 'Нова парола',
    repeatPassword: 'Повторете новата парола',
    saveAndContinue: 'Запазване и продължаване',
    totpSetupHeading: 'Включете двуетапна проверка',
    qrCode: 'QR код за добавяне на eGov box в приложението за удостоверяване',
    sixDigitCode: '6-цифрен код',
    confirm: 'Потвърждаване',
    recoveryCodesHeading: 'Кодове за възстановяване',
    savedCodes: 'Запазих кодовете',
    roomHeading: 'Моята стая',
    greeting: (name) => `Здравейте, ${name}!`,
    roomSections: ['Предстоящи срещи', 'Документи', 'Известия'],
    roomEmpty: ['Нямате предстоящи срещи.', 'Все още няма документи.', 'Нямате нови известия.'],
    colleaguesHeading: 'Колеги',
    search: 'Търсене по име, длъжност или код',
    department: 'Отдел',
    allDepartments: 'Всички отдели',
    found: (n) => (n === 0 ? 'Няма намерени служители.' : n === 1 ? 'Намерен е 1 служител.' : `Намерени са ${n} служители.`),
    securityHeading: 'Сигурност',
    sessionsHeading: 'Активни сесии',
    currentSessionButton: 'Изход от текущата сесия',
    otherSessionButton: 'Прекратяване на сесията',
    currentSessionBadge: 'Текущата сесия',
    wrongPassword: 'Личният код или паролата не са верни.',
    mistypedCode: 'Кодът изглежда сгрешен при въвеждането. Проверете всеки знак.',
    wrongTotp: 'Кодът за потвърждение не е верен или е изтекъл.',
    notFoundHeading: 'Страницата не е намерена',
    // Meetings, rooms, calls, notifications.
    meetingsLink: 'Срещи',
    meetingsHeading: 'Моите срещи',
    scheduleLink: 'Насрочване на среща',
    newMeetingHeading: 'Нова среща',
    editMeetingLink: 'Редактиране на срещата',
    editMeetingHeading: 'Промяна на срещата',
    meetingTitle: 'Заглавие',
    meetingDate: 'Дата',
    meetingStart: 'Начало',
    meetingEnd: 'Край',
    findInvitee: 'Търсене на служител за покана',
    addInvitee: (name) => `Добавяне на ${name}`,
    remindersGroup: 'Напомняния',
    reminder: { day: '1 ден преди', hour: '1 час преди', quarter: '15 минути преди', five: '5 минути преди', minute: '1 минута преди' },
    scheduleSubmit: 'Насрочване',
    join: 'Влизане', // exact: a prefix of "Влизане в срещата" and "Влизане в моята стая"
    // The meeting page while this tab is in the meeting.
    inMeeting: 'Вие сте в срещата.',
    goToMeeting: 'Към срещата',
    // The pre-join screen (/meetings/{id}/live).
    microphone: 'Микрофон',
    camera: 'Камера',
    cameraPreview: 'Преглед от камерата',
    joinMeeting: 'Влизане в срещата',
    backToMeetingPage: 'Към страницата на срещата',
    // The room.
    meetingControls: 'Управление на срещата',
    participants: 'Участници',
    ownTile: (name) => `Вие (${name})`,
    alone: 'Засега сте сами в срещата.',
    joinedAnnouncement: (name) => `${name} влезе в срещата.`,
    leftAnnouncement: (name) => `${name} излезе от срещата.`,
    leaveMeeting: 'Излизане от срещата',
    leftMeeting: 'Излязохте от срещата.',
    backIntoMeeting: 'Обратно в срещата',
    bell: (unread) => (unread === 0 ? 'Известия' : unread === 1 ? 'Известия: 1 непрочетено' : `Известия: ${unread} непрочетени`),
    notificationsHeading: 'Известия',
    reminderText: (title, time) => `„${title}“ започва след ${time} — `,
    roomButton: 'Стая',
    enterRoom: 'Влизане',
    knock: 'Почукване',
    knocking: (name) => `Почукахте. Изчаквате ${name} да ви пусне…`,
    knockDialog: (name) => `${name} чука`,
    admit: 'Пускане',
    call: 'Обаждане',
    outgoingCall: (name) => `Обаждане до ${name}`,
    ringing: 'Звъни…',
    incomingCall: 'Входящо обаждане',
    incomingCallText: (name) => `${name} ви търси.`,
    accept: 'Приемане',
    online: 'На линия',
  },
  en: {
    languageButton: 'Език / Language: Български',
    skipLink: 'Skip to main content',
    signInHeading: 'Sign in',
    code: 'Personal code',
    password: 'Password',
    signInButton: 'Sign in',
    secondStepHeading: 'Two-step verification',
    verificationCode: 'Verification code',
    verify: 'Verify',
    useRecovery: 'Use a recovery code instead',
    useTotp: 'Use a code from the app instead',
    recoveryCode: 'Recovery code',
    back: 'Back',
    expiredNotice: 'Your session has expired. Sign in again.',
    signedOutNotice: 'You have signed out.',
    navigation: 'Main navigation',
    roomLink: 'My room',
    colleaguesLink: 'Colleagues',
    securityLink: 'Security',
    signOut: 'Sign out',
    menu: 'Menu',
    firstPasswordHeading: 'Change your one-time password',
    oneTimePassword: 'Current (one-time) password',
    newPassword: 'New password',
    repeatPassword: 'Repeat the new password',
    saveAndContinue: 'Save and continue',
    totpSetupHeading: 'Set up two-step verification',
    qrCode: 'QR code that adds eGov box to the authenticator app',
    sixDigitCode: '6-digit code',
    confirm: 'Confirm',
    recoveryCodesHeading: 'Recovery codes',
    savedCodes: 'I have saved the codes',
    roomHeading: 'My room',
    greeting: (name) => `Hello, ${name}!`,
    roomSections: ['Upcoming meetings', 'Documents', 'Notifications'],
    roomEmpty: ['No upcoming meetings.', 'No documents yet.', 'No new notifications.'],
    colleaguesHeading: 'Colleagues',
    search: 'Search by name, position or code',
    department: 'Department',
    allDepartments: 'All departments',
    found: (n) => (n === 0 ? 'No employees found.' : n === 1 ? '1 employee found.' : `${n} employees found.`),
    securityHeading: 'Security',
    sessionsHeading: 'Active sessions',
    currentSessionButton: 'Sign out of this session',
    otherSessionButton: 'Revoke the session',
    currentSessionBadge: 'This session',
    wrongPassword: 'The personal code or the password is wrong.',
    mistypedCode: 'The code seems to be mistyped. Check each character.',
    wrongTotp: 'The verification code is wrong or has expired.',
    notFoundHeading: 'Page not found',
    // Meetings, rooms, calls, notifications.
    meetingsLink: 'Meetings',
    meetingsHeading: 'My meetings',
    scheduleLink: 'Schedule a meeting',
    newMeetingHeading: 'New meeting',
    editMeetingLink: 'Edit the meeting',
    editMeetingHeading: 'Edit the meeting',
    meetingTitle: 'Title',
    meetingDate: 'Date',
    meetingStart: 'Starts',
    meetingEnd: 'Ends',
    findInvitee: 'Find an employee to invite',
    addInvitee: (name) => `Add ${name}`,
    remindersGroup: 'Reminders',
    reminder: { day: '1 day before', hour: '1 hour before', quarter: '15 minutes before', five: '5 minutes before', minute: '1 minute before' },
    scheduleSubmit: 'Schedule',
    join: 'Join',
    // The meeting page while this tab is in the meeting.
    inMeeting: 'You are in the meeting.',
    goToMeeting: 'Go to the meeting',
    // The pre-join screen (/meetings/{id}/live).
    microphone: 'Microphone',
    camera: 'Camera',
    cameraPreview: 'Camera preview',
    joinMeeting: 'Join the meeting',
    backToMeetingPage: 'Back to the meeting page',
    // The room.
    meetingControls: 'Meeting controls',
    participants: 'Participants',
    ownTile: (name) => `You (${name})`,
    alone: 'You are the only one here so far.',
    joinedAnnouncement: (name) => `${name} joined the meeting.`,
    leftAnnouncement: (name) => `${name} left the meeting.`,
    leaveMeeting: 'Leave the meeting',
    leftMeeting: 'You have left the meeting.',
    backIntoMeeting: 'Back into the meeting',
    bell: (unread) => (unread === 0 ? 'Notifications' : `Notifications: ${unread} unread`),
    notificationsHeading: 'Notifications',
    reminderText: (title, time) => `“${title}” starts in ${time} — `,
    roomButton: 'Room',
    enterRoom: 'Enter',
    knock: 'Knock',
    knocking: (name) => `You knocked. Waiting for ${name} to let you in…`,
    knockDialog: (name) => `${name} is knocking`,
    admit: 'Admit',
    call: 'Call',
    outgoingCall: (name) => `Calling ${name}`,
    ringing: 'Ringing…',
    incomingCall: 'Incoming call',
    incomingCallText: (name) => `${name} is calling you.`,
    accept: 'Accept',
    online: 'Online',
  },
};

// ---------------------------------------------------------------------------
// Server

// The server's environment: the caller's, without its EGOVBOX_ settings
// (a developer's shell must not change what is tested), plus `extra` (e.g.
// {EGOVBOX_REMINDER_INTERVAL: '500ms'}).
function childEnvironment(extra = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('EGOVBOX_')) env[key] = value;
  }
  return { ...env, LANG: 'C.UTF-8', EGOVBOX_ACCESS_LOG: 'off', ...extra };
}

// `env`: more environment variables for `egovbox serve` (its settings, see
// docs/configuration.md).
export async function startServer({ env: extraEnv = {} } = {}) {
  assert.ok(
    fs.existsSync(path.join(webRoot, 'index.html')),
    `no built web app in ${webRoot}: run "cd web && npm ci && npm run build"`,
  );
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'egovbox-e2e-'));
  const child = spawn(
    binary,
    ['serve', '--data-dir', dataDir, '--listen', '127.0.0.1:0', '--no-demo', '--web-root', webRoot],
    { cwd: dataDir, env: childEnvironment(extraEnv), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  let exitStatus = null;
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exitStatus = { code, signal };
      resolve(exitStatus);
    });
    // Could not start at all (e.g. the binary is being rebuilt).
    child.on('error', (error) => {
      exitStatus ??= { code: null, signal: null, error: error.message };
      resolve(exitStatus);
    });
  });
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-KEEP_OUTPUT_CHARS);
  });
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`egovbox did not start within ${STARTUP_TIMEOUT_MS} ms:\n${stderr}`));
    }, STARTUP_TIMEOUT_MS);
    exited.then((status) => {
      clearTimeout(timer);
      reject(new Error(`egovbox exited (${JSON.stringify(status)}) before serving:\n${stderr}`));
    });
    child.stdout.on('data', (chunk) => {
      stdout = (stdout + chunk).slice(-KEEP_OUTPUT_CHARS);
      const match = /eGov box is serving https:\/\/127\.0\.0\.1:(\d+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
  }).catch((error) => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  return {
    port,
    dataDir,
    url: `https://127.0.0.1:${port}`,
    stderr: () => stderr,
    // Creates an employee with the CLI (on the same data directory, while the
    // server runs); returns {id, code, one_time_password, name, email, ...}.
    addEmployee({ name, email, department, position, roles = ['employee'] }) {
      const args = ['admin', 'employee', 'add', '--data-dir', dataDir, '--name', name, '--email', email, '--json'];
      if (department) args.push('--department', department);
      if (position) args.push('--position', position);
      for (const role of roles) args.push('--role', role);
      const result = spawnSync(binary, args, { cwd: dataDir, env: childEnvironment(), encoding: 'utf8', timeout: 15_000 });
      assert.equal(
        result.status,
        0,
        `egovbox admin employee add failed (${result.error ?? `status ${result.status}`}):\n${result.stdout}\n${result.stderr}`,
      );
      return { department, position, ...JSON.parse(result.stdout) };
    },
    async stop() {
      if (!exitStatus) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
      return exitStatus;
    },
  };
}

// ---------------------------------------------------------------------------
// Suite: one server and one browser per test file

// A Chromium with the suite's flags and `extraArgs`; the caller closes it.
export function launchChromium(extraArgs = []) {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

// `chromiumArgs`: added to the suite's browser (e.g. a fake microphone's file).
export function e2eSuite({ env = {}, chromiumArgs = [] } = {}) {
  const suite = { server: null, browser: null, people: 0 };
  const file = path.basename(process.argv[1] ?? 'e2e', '.test.mjs');

  before(async () => {
    suite.server = await startServer({ env });
    suite.browser = await launchChromium(chromiumArgs);
  });
  after(async () => {
    await suite.browser?.close();
    const status = await suite.server?.stop();
    // A clean shutdown on SIGTERM is part of what is tested here.
    if (status && status.code !== 0) {
      console.error(`egovbox exited with ${JSON.stringify(status)}:\n${suite.server.stderr().slice(-4000)}`);
    }
  });

  // A new employee with a unique e-mail; `name` etc. may be given.
  suite.addEmployee = (fields = {}) => {
    suite.people += 1;
    return suite.server.addEmployee({
      name: 'Мария Иванова',
      department: 'Дирекция „Финанси“',
      position: 'Главен експерт',
      ...fields,
      email: fields.email ?? `person${suite.people}@example.org`,
    });
  };

  suite.test = (name, options, fn) => {
    if (typeof options === 'function') [options, fn] = [{}, options];
    return test(name, { timeout: 90_000, ...options }, async () => {
      const contexts = [];
      const problems = []; // CSP violations, uncaught exceptions, unexpected console errors
      // CSP violations a test provokes on purpose: those matching a pattern
      // given to t.expectCspViolation are kept in t.cspViolations instead.
      const csp = { expected: [], seen: [] };
      const t = {
        server: suite.server,
        url: (p = '/') => suite.server.url + p,
        // A page in a fresh browser context (own cookies and storage), in the
        // suite's browser or in `browser` (one made with launchChromium).
        async newPage(contextOptions = DESKTOP, { browser = suite.browser } = {}) {
          const context = await browser.newContext({
            ignoreHTTPSErrors: true,
            locale: 'bg-BG',
            timezoneId: 'Europe/Sofia',
            ...contextOptions,
          });
          context.setDefaultTimeout(ACTION_TIMEOUT_MS);
          // Reported by the page itself too, in case a violation is not logged.
          await context.addInitScript(() => {
            document.addEventListener('securitypolicyviolation', (event) => {
              console.error(`CSP violation (event): ${event.violatedDirective} blocked ${event.blockedURI}`);
            });
          });
          contexts.push(context);
          const page = await context.newPage();
          watchPage(page, problems, csp);
          context.on('page', (other) => watchPage(other, problems, csp));
          return page;
        },
        problems,
        expectCspViolation: (pattern) => csp.expected.push(pattern),
        cspViolations: csp.seen,
      };
      try {
        await fn(t);
        assert.deepEqual(problems, [], 'the pages reported CSP violations, exceptions or console errors');
      } catch (error) {
        await saveScreenshots(contexts, `${file}--${name}`);
        if (problems.length) console.error(`--- browser problems ---\n${problems.join('\n')}`);
        console.error(`--- stderr of egovbox (port ${suite.server.port}) ---\n${suite.server.stderr().slice(-4000)}`);
        throw error;
      } finally {
        for (const context of contexts) await context.close().catch(() => {});
      }
    });
  };
  return suite;
}

// Console errors that are expected: the browser logs every 4xx answer of the
// API (401 of GET /session before sign-in, a wrong password, ...).
const kExpectedConsoleErrors = [/^Failed to load resource: the server responded with a status of 4\d\d/];

function watchPage(page, problems, csp = { expected: [], seen: [] }) {
  page.on('console', (message) => {
    if (message.type() !== 'error' && message.type() !== 'warning') return;
    const text = message.text();
    const where = `${page.url()}`;
    if (/Content[- ]Security[- ]Policy|CSP violation/i.test(text)) {
      if (csp.expected.some((pattern) => pattern.test(text))) csp.seen.push(text);
      else problems.push(`CSP: ${text} (${where})`);
    }
    else if (message.type() === 'error' && !kExpectedConsoleErrors.some((re) => re.test(text))) {
      problems.push(`console.error: ${text} (${where})`);
    }
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.stack ?? error} (${page.url()})`));
}

async function saveScreenshots(contexts, label) {
  fs.mkdirSync(artifactsDir, { recursive: true });
  const safe = label.replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(0, 120);
  let n = 0;
  for (const context of contexts) {
    for (const page of context.pages()) {
      n += 1;
      const file = path.join(artifactsDir, `${safe}--${n}.png`);
      try {
        await page.screenshot({ path: file, fullPage: true, timeout: 5_000 });
        console.error(`screenshot: ${file} (${page.url()})`);
      } catch (error) {
        console.error(`no screenshot of ${page.url()}: ${error.message}`);
      }
    }
  }
}

// ---------------------------------------------------------------------------
// Waiting and checking

// Polls until the locator's text content (whitespace collapsed) equals or
// matches `expected`.
export async function waitForText(locator, expected, { timeout = ACTION_TIMEOUT_MS } = {}) {
  const deadline = Date.now() + timeout;
  let last = null;
  for (;;) {
    try {
      last = ((await locator.textContent({ timeout: Math.max(1, deadline - Date.now()) })) ?? '').replace(/\s+/g, ' ').trim();
      if (expected instanceof RegExp ? expected.test(last) : last === expected) return last;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) {
      const want = JSON.stringify(String(expected));
      throw new Error(`timed out after ${timeout} ms waiting for ${locator} to read ${want}; last: ${JSON.stringify(last)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// Polls `check` until it returns a truthy value.
export async function waitUntil(check, { timeout = ACTION_TIMEOUT_MS, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${message}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const visible = (locator) => locator.waitFor({ state: 'visible' });
export const hidden = (locator) => locator.waitFor({ state: 'hidden' });

export const heading1 = (page, name) => page.getByRole('heading', { level: 1, name, exact: true });

// No horizontal scrolling: neither the document nor the body is wider than the viewport.
export async function assertNoHorizontalScroll(page, where) {
  const sizes = await page.evaluate(() => ({
    documentWidth: document.documentElement.scrollWidth,
    bodyWidth: document.body.scrollWidth,
    viewport: window.innerWidth,
    // The widest elements, to say what overflows.
    wide: [...document.querySelectorAll('body *')]
      .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 0.5)
      .slice(0, 5)
      .map((element) => `${element.tagName.toLowerCase()}.${element.className} right=${element.getBoundingClientRect().right}`),
  }));
  assert.ok(
    sizes.documentWidth <= sizes.viewport && sizes.bodyWidth <= sizes.viewport,
    `${where}: horizontal scrolling (${JSON.stringify(sizes)})`,
  );
}

// ---------------------------------------------------------------------------
// Flows

export const languageOf = (page) => page.evaluate(() => document.documentElement.lang);

// On a narrow screen the header's navigation and account buttons sit behind "Menu".
export async function openMenuIfFolded(page, lang) {
  const menu = page.getByRole('button', { name: UI[lang].menu, exact: true });
  if ((await menu.isVisible()) && (await menu.getAttribute('aria-expanded')) !== 'true') {
    await menu.click();
    await waitUntil(async () => (await menu.getAttribute('aria-expanded')) === 'true', { message: 'the menu to open' });
  }
}

export async function switchLanguage(page, from) {
  const to = from === 'bg' ? 'en' : 'bg';
  await page.getByRole('button', { name: UI[from].languageButton, exact: true }).click();
  await visible(page.getByRole('button', { name: UI[to].languageButton, exact: true }));
  assert.equal(await languageOf(page), to);
  return to;
}

export async function fillCredentials(page, lang, code, password) {
  await page.getByRole('textbox', { name: UI[lang].code, exact: true }).fill(code);
  await page.getByLabel(UI[lang].password, { exact: true }).fill(password);
  await page.getByRole('button', { name: UI[lang].signInButton, exact: true }).click();
}

// Opens the app at `url` (signed out), which shows the sign-in view.
export async function openSignIn(page, url, lang = 'bg') {
  await page.goto(url);
  await visible(heading1(page, UI[lang].signInHeading));
  await page.waitForURL('**/signin');
}

// The first sign-in up to the forced change: personal code and one-time password.
export async function signInWithOneTimePassword(page, lang, person) {
  await fillCredentials(page, lang, person.code, person.one_time_password);
  await visible(heading1(page, UI[lang].firstPasswordHeading));
}

// The forced change of the one-time password to one that meets the policy
// (long, mixed, free of the person's name and code). Returns the new password.
export async function replaceOneTimePassword(page, lang, person) {
  const password = `Sunflower-Orbit-${person.id.slice(0, 4)}-7392`;
  await visible(heading1(page, UI[lang].firstPasswordHeading));
  await page.getByLabel(UI[lang].oneTimePassword, { exact: true }).fill(person.one_time_password);
  await page.getByLabel(UI[lang].newPassword, { exact: true }).fill(password);
  await page.getByLabel(UI[lang].repeatPassword, { exact: true }).fill(password);
  await page.getByRole('button', { name: UI[lang].saveAndContinue, exact: true }).click();
  return password;
}

export async function expectRoom(page, lang, person) {
  await visible(heading1(page, UI[lang].roomHeading));
  await visible(page.getByText(UI[lang].greeting(person.name), { exact: true }));
  for (const section of UI[lang].roomSections) {
    await visible(page.getByRole('heading', { level: 2, name: section, exact: true }));
  }
}

// The first sign-in of an employee without two-step verification: ends in
// the room. Returns the new password.
export async function firstSignIn(page, url, person, { lang = 'bg' } = {}) {
  await openSignIn(page, url, lang);
  await signInWithOneTimePassword(page, lang, person);
  const password = await replaceOneTimePassword(page, lang, person);
  await expectRoom(page, lang, person);
  return password;
}

export async function signOut(page, lang) {
  await openMenuIfFolded(page, lang);
  await page.getByRole('button', { name: UI[lang].signOut, exact: true }).click();
  await visible(heading1(page, UI[lang].signInHeading));
  await visible(page.getByRole('status').filter({ hasText: UI[lang].signedOutNotice }));
}

// ---------------------------------------------------------------------------
// The meeting room (/meetings/{id}/live): every "Join" / "Enter" leads to its
// pre-join screen, "Join the meeting" there to the room; an accepted call
// goes straight into the room.

const kLivePath = /\/meetings\/([^/]+)\/live$/;

// The meeting's id in a /meetings/{id}/live address.
export function liveMeetingId(url) {
  const match = kLivePath.exec(new URL(url).pathname);
  assert.ok(match, `${url} is not a meeting room's address`);
  return decodeURIComponent(match[1]);
}

// The pre-join screen of the meeting titled `title`.
export async function expectPreJoin(page, lang, title) {
  await page.waitForURL(kLivePath);
  await visible(heading1(page, title));
  await visible(page.getByRole('button', { name: UI[lang].joinMeeting, exact: true }));
}

// The toolbar of the room.
export const roomControls = (page, lang) => page.getByRole('group', { name: UI[lang].meetingControls, exact: true });

// The tile of another participant, by their name.
export const tileOf = (page, name) => page.getByTestId('tile').filter({ hasText: name });

// In the room: on /meetings/{id}/live, its controls with "Leave the meeting",
// and `person`'s own tile among the participants. Returns the meeting's id.
export async function expectInRoom(page, lang, person) {
  await page.waitForURL(kLivePath);
  await visible(roomControls(page, lang).getByRole('button', { name: UI[lang].leaveMeeting, exact: true }));
  const tiles = page.getByRole('list', { name: UI[lang].participants, exact: true });
  await visible(tiles.getByTestId('self-tile').filter({ hasText: UI[lang].ownTile(person.name) }));
  return liveMeetingId(page.url());
}

// "Join the meeting" on the pre-join screen (with the fake camera and
// microphone the preview opened); ends in the room. Returns the meeting's id.
export async function joinFromPreJoin(page, lang, person) {
  await page.getByRole('button', { name: UI[lang].joinMeeting, exact: true }).click();
  return expectInRoom(page, lang, person);
}

// "Leave the meeting" in the room's toolbar; ends on "You have left the meeting".
export async function leaveRoom(page, lang) {
  await roomControls(page, lang).getByRole('button', { name: UI[lang].leaveMeeting, exact: true }).click();
  await visible(page.getByRole('status').filter({ hasText: UI[lang].leftMeeting }));
  await hidden(roomControls(page, lang));
}

// ---------------------------------------------------------------------------
// axe-core

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// Runs axe in the page (page.evaluate is not subject to the page's CSP, a
// <script> tag would be) and fails with the violations, if any.
export async function assertAccessible(page, where) {
  await page.evaluate(axe.source);
  const violations = await page.evaluate(async (tags) => {
    const options = { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] };
    const result = await window.axe.run(document, options);
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      helpUrl: violation.helpUrl,
      nodes: violation.nodes.map((node) => ({
        target: node.target.join(' '),
        html: node.html.slice(0, 200),
        summary: node.failureSummary,
      })),
    }));
  }, WCAG_TAGS);
  assert.deepEqual(violations, [], `${where}: axe found WCAG 2.1 A/AA violations:\n${JSON.stringify(violations, null, 2)}`);
}

// ---------------------------------------------------------------------------
// TOTP

export { totpCode, totpStep } from '../totp.mjs';

// Waits (the only fixed wait of the suite) until the TOTP step after `step` has begun.
export async function waitForStepAfter(step) {
  const ms = (step + 1) * TOTP_STEP_SECONDS * 1000 - Date.now();
  if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms + 100));
}
