// Three people in one hall, each in a Chromium of their own making (fake camera
// and microphone), joined through the UI and carried by our SFU inside this
// loopback-only namespace:
//   every participant decodes the video of both others and receives their audio
//   (getStats: framesDecoded and packetsReceived rising); one shares the screen
//   and the other two decode it; the chat message of one reaches the other two;
//   one leaves and the other two see their tiles go within 2 s; finally every tab
//   is crashed mid-call and the engine's rooms, participants and transports
//   return to zero while the server goes on serving.
import assert from 'node:assert/strict';
import https from 'node:https';

import { CHROMIUM_ARGS, DESKTOP, e2eSuite, firstSignIn, visible, waitUntil } from './harness.mjs';

const suite = e2eSuite();

// Every RTCPeerConnection a page makes, for getStats from the test.
const TRACK_PEER_CONNECTIONS = () => {
  const Original = window.RTCPeerConnection;
  window.__peerConnections = [];
  window.RTCPeerConnection = class extends Original {
    constructor(...args) {
      super(...args);
      window.__peerConnections.push(this);
    }
  };
};

// {video: {id: framesDecoded}, audio: {id: packetsReceived}} of the page's inbound streams.
async function inboundStats(page) {
  return page.evaluate(async () => {
    const result = { video: {}, audio: {} };
    for (const pc of window.__peerConnections ?? []) {
      if (pc.connectionState === 'closed') continue;
      const stats = await pc.getStats();
      stats.forEach((report) => {
        if (report.type !== 'inbound-rtp') return;
        if (report.kind === 'video') result.video[`${report.trackIdentifier}`] = report.framesDecoded ?? 0;
        if (report.kind === 'audio') result.audio[`${report.trackIdentifier}`] = report.packetsReceived ?? 0;
      });
    }
    return result;
  });
}

// The streams whose counter rose over `ms`.
async function risingStreams(page, kind, ms = 5000) {
  const before = (await inboundStats(page))[kind];
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = (await inboundStats(page))[kind];
  return Object.keys(after).filter((id) => after[id] > (before[id] ?? 0));
}

// Frames the <video> of a remote tile has decoded.
const decodedFrames = (tile) => tile.locator('video').evaluate((video) => video.webkitDecodedFrameCount ?? 0);

// The API as a person outside the browser (its own session), for setting up the hall.
function apiClient(server, code, password) {
  const agent = new https.Agent({ rejectUnauthorized: false });
  let cookie = '';
  let csrf = '';
  const call = (method, path, body) =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const req = https.request(
        `${server.url}${path}`,
        {
          method,
          agent,
          headers: {
            Origin: server.url,
            ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {}),
            ...(cookie ? { Cookie: cookie } : {}),
            ...(csrf ? { 'X-CSRF-Token': csrf } : {}),
          },
        },
        (res) => {
          const chunks = [];
          res.on('data', (chunk) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const setCookie = res.headers['set-cookie']?.[0];
            if (setCookie) cookie = setCookie.split(';')[0];
            resolve({ status: res.statusCode, text, json: text.startsWith('{') ? JSON.parse(text) : null });
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  return {
    async signIn() {
      const response = await call('POST', '/api/v1/session', { code, password });
      assert.equal(response.status, 200, response.text);
      csrf = response.json.csrf_token;
    },
    call,
  };
}

// Where a long test is, for the log of a failure.
const step = (what) => console.log(`${new Date().toISOString().slice(11, 19)} ${what}`);

const engineCount = (metrics, name) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(metrics)?.[1]);

suite.test('three people in a hall see and hear each other, share a screen, chat, leave; crashed tabs leave nothing behind', { timeout: 180_000 }, async (t) => {
  const people = [
    suite.addEmployee({ name: 'Ралица Стоянова', position: 'Секретар', roles: ['employee', 'clerk'] }),
    suite.addEmployee({ name: 'Огнян Димитров', position: 'Юрисконсулт' }),
    suite.addEmployee({ name: 'Весела Петкова', position: 'Експерт' }),
  ];
  const pages = [];
  for (const person of people) {
    const page = await t.newPage(DESKTOP);
    await page.context().addInitScript(TRACK_PEER_CONNECTIONS);
    person.password = await firstSignIn(page, t.url('/'), person);
    pages.push(page);
  }

  step('signed in');
  // The clerk makes a hall and a meeting in it that is on now, with the two others invited.
  const clerk = apiClient(t.server, people[0].code, people[0].password);
  await clerk.signIn();
  const hall = await clerk.call('POST', '/api/v1/rooms', { name: 'Зала „Съединение“', capacity: 20 });
  assert.equal(hall.status, 201, hall.text);
  const now = Date.now();
  const iso = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
  const meeting = await clerk.call('POST', '/api/v1/meetings', {
    title: 'Заседание на комисията',
    room_id: hall.json.id,
    starts_at: iso(now + 60_000),
    ends_at: iso(now + 3_600_000),
    invitees: [{ employee_id: people[1].id }, { employee_id: people[2].id }],
  });
  assert.equal(meeting.status, 201, meeting.text);
  const meetingId = meeting.json.id;

  step('meeting made');
  // Each joins through the UI: the meeting page, Join, the pre-join screen, Join the meeting.
  for (const page of pages) {
    await page.goto(t.url(`/meetings/${meetingId}`));
    await page.getByRole('button', { name: 'Влизане', exact: true }).click();
    await page.getByRole('button', { name: 'Влизане в срещата', exact: true }).click();
    await visible(page.getByRole('group', { name: 'Управление на срещата' }));
  }
  step('all in');
  for (const page of pages) {
    await waitUntil(async () => (await page.getByTestId('tile').count()) === 2, { timeout: 20_000, message: 'two remote tiles' });
  }

  step('tiles shown');
  // Video from both others decoded, audio from both others received, on every page.
  for (const [i, page] of pages.entries()) {
    await waitUntil(async () => (await risingStreams(page, 'video', 2000)).length >= 2, { timeout: 30_000, message: `page ${i}: video from both others` });
    assert.ok((await risingStreams(page, 'video')).length >= 2, `page ${i}: framesDecoded rising for two videos over 5 s`);
    assert.ok((await risingStreams(page, 'audio')).length >= 2, `page ${i}: packetsReceived rising for two audios over 5 s`);
  }

  step('media flows');
  // The clerk shares the screen: the other two decode it, shown large.
  await pages[0].getByRole('button', { name: 'Споделяне на екрана' }).click();
  for (const page of pages.slice(1)) {
    const screen = page.locator('[data-testid="tile"][data-source="screen"]');
    await visible(screen);
    const first = await decodedFrames(screen);
    await waitUntil(async () => (await decodedFrames(screen)) > first + 5, { timeout: 20_000, message: 'the screen decoded' });
  }

  step('screen decoded');
  // Chat: the clerk's message reaches both others.
  await pages[0].getByRole('button', { name: 'Чат', exact: true }).click();
  const text = `Материалите са качени (${now})`;
  await pages[0].getByRole('textbox', { name: 'Съобщение' }).fill(text);
  await pages[0].getByRole('button', { name: 'Изпращане', exact: true }).click();
  for (const page of pages.slice(1)) {
    await page.getByRole('button', { name: 'Чат', exact: true }).click();
    await visible(page.getByTestId('chat-log').getByText(text));
  }

  step('chat delivered');
  // The third leaves: the tiles go from the other two within 2 s.
  const leftAt = Date.now();
  await pages[2].getByRole('button', { name: 'Излизане от срещата' }).click();
  for (const page of pages.slice(0, 2)) {
    await waitUntil(async () => (await page.locator('[data-testid="tile"]:not([data-source="screen"])').count()) === 1, {
      timeout: 2_000,
      message: 'the leaver\'s tile gone within 2 s',
    });
  }
  assert.ok(Date.now() - leftAt <= 2_500);

  step('leaver gone');
  // Every tab crashes mid-call: nothing of them stays in the engine.
  const metrics = async () => (await clerk.call('GET', '/metrics')).text;
  const before = await metrics();
  assert.equal(engineCount(before, 'egovbox_media_rooms'), 1);
  assert.equal(engineCount(before, 'egovbox_media_participants'), 2);
  for (const page of pages.slice(0, 2)) {
    const session = await page.context().newCDPSession(page);
    session.send('Page.crash').catch(() => {}); // the renderer dies: the call never returns
  }
  await waitUntil(async () => {
    const text = await metrics();
    return ['egovbox_media_rooms', 'egovbox_media_participants', 'egovbox_media_transports'].every((name) => engineCount(text, name) === 0);
  }, { timeout: 15_000, message: 'rooms, participants and transports back to zero' });
  assert.equal((await clerk.call('GET', '/healthz')).status, 200);
});
