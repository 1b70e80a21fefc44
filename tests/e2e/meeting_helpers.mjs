// What the meeting-room e2e tests share: getStats of every peer connection a
// page makes, the API as a person outside the browser, a hall meeting that is
// on now, signing people in and joining it through the UI, and nftables rules
// inside the test's network namespace.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import https from 'node:https';

import { DESKTOP, firstSignIn, visible } from './harness.mjs';

// Every RTCPeerConnection a page makes, for getStats from the test: add it with
// page.context().addInitScript(TRACK_PEER_CONNECTIONS) before the page loads.
export const TRACK_PEER_CONNECTIONS = () => {
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
export async function inboundStats(page) {
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

// Per live (not closed) peer connection of the page: {state, video, local}:
// its connectionState, its inbound video streams by trackIdentifier
// ({framesDecoded, frameWidth, bytesReceived, nackCount, pliCount, freezeCount,
// totalFreezesDuration}) and the local candidate ({protocol, port}) of its
// transport's selected pair, or null while there is none.
export function peerConnectionStats(page) {
  return page.evaluate(async () => {
    const result = [];
    for (const pc of window.__peerConnections ?? []) {
      if (pc.connectionState === 'closed') continue;
      const stats = await pc.getStats();
      const video = {};
      let local = null;
      stats.forEach((report) => {
        if (report.type === 'inbound-rtp' && report.kind === 'video') {
          video[`${report.trackIdentifier}`] = {
            framesDecoded: report.framesDecoded ?? 0,
            frameWidth: report.frameWidth ?? 0,
            bytesReceived: report.bytesReceived ?? 0,
            nackCount: report.nackCount ?? 0,
            pliCount: report.pliCount ?? 0,
            freezeCount: report.freezeCount ?? 0,
            totalFreezesDuration: report.totalFreezesDuration ?? 0,
          };
        }
        if (report.type === 'transport' && report.selectedCandidatePairId) {
          const pair = stats.get(report.selectedCandidatePairId);
          const candidate = pair && stats.get(pair.localCandidateId);
          if (candidate) local = { protocol: candidate.protocol, port: candidate.port };
        }
      });
      result.push({ state: pc.connectionState, video, local });
    }
    return result;
  });
}

// {trackIdentifier: {framesDecoded, frameWidth, nackCount, ...}} of all the page's inbound video.
export async function videoInbound(page) {
  return Object.assign({}, ...(await peerConnectionStats(page)).map((pc) => pc.video));
}

// The local candidate ({protocol, port}) of the selected pair of each connected peer connection.
export async function selectedPairs(page) {
  return (await peerConnectionStats(page)).filter((pc) => pc.state === 'connected' && pc.local).map((pc) => pc.local);
}

// The streams whose counter rose over `ms`.
export async function risingStreams(page, kind, ms = 5000) {
  const before = (await inboundStats(page))[kind];
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = (await inboundStats(page))[kind];
  return Object.keys(after).filter((id) => after[id] > (before[id] ?? 0));
}

// Frames the <video> of a remote tile has decoded.
export const decodedFrames = (tile) => tile.locator('video').evaluate((video) => video.webkitDecodedFrameCount ?? 0);

// The API as a person outside the browser (its own session), for setting up the hall.
export function apiClient(server, code, password) {
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
export const step = (what) => console.log(`${new Date().toISOString().slice(11, 19)} ${what}`);

export const engineCount = (metrics, name) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(metrics)?.[1]);

// A hall made by `clerk` (an apiClient, signed in) with a meeting in it that is
// on now and has `invitees` (employee ids); returns the meeting's id.
export async function hallMeetingNow(clerk, invitees, { title = 'Заседание на комисията', lobby = false } = {}) {
  const hall = await clerk.call('POST', '/api/v1/rooms', { name: `Зала ${Date.now()}`, capacity: 20, lobby });
  assert.equal(hall.status, 201, hall.text);
  const now = Date.now();
  const iso = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
  const meeting = await clerk.call('POST', '/api/v1/meetings', {
    title,
    room_id: hall.json.id,
    starts_at: iso(now + 60_000),
    ends_at: iso(now + 3_600_000),
    invitees: invitees.map((id) => ({ employee_id: id })),
  });
  assert.equal(meeting.status, 201, meeting.text);
  return meeting.json.id;
}

// Each of `people` (suite.addEmployee records) signed in on a page of their own
// (DESKTOP), first sign-in through the UI; sets person.password; the pages.
// `pageOptions(i)` are t.newPage's options for the i-th (e.g. another browser);
// `initScripts(i)` run before each of its pages loads (by default getStats tracking).
export async function signedInPages(t, people, { pageOptions = () => ({}), initScripts = () => [TRACK_PEER_CONNECTIONS] } = {}) {
  const pages = [];
  for (const [i, person] of people.entries()) {
    const page = await t.newPage(DESKTOP, pageOptions(i));
    for (const script of initScripts(i)) await page.context().addInitScript(script);
    person.password = await firstSignIn(page, t.url('/'), person);
    pages.push(page);
  }
  return pages;
}

// The first of `people` (signed in, a clerk) through the API makes a hall
// meeting on now with the others invited: {clerk, meetingId}.
export async function clerkMeeting(t, people, options = {}) {
  const clerk = apiClient(t.server, people[0].code, people[0].password);
  await clerk.signIn();
  const meetingId = await hallMeetingNow(clerk, people.slice(1).map((person) => person.id), options);
  return { clerk, meetingId };
}

// Runs nft with `args` inside the test's namespace; fails the test if nft does.
export function nft(...args) {
  const result = spawnSync('nft', args, { encoding: 'utf8' });
  assert.equal(result.status, 0, `nft ${args.join(' ')}: ${result.stderr}`);
}

// Deletes an nftables table (inet family), whether or not it is there.
export function nftDeleteTable(table) {
  spawnSync('nft', ['delete', 'table', 'inet', table]);
}

// Packets the counters of an nftables table (inet family) counted, all rules together.
export function nftCounted(table) {
  const listed = spawnSync('nft', ['list', 'table', 'inet', table], { encoding: 'utf8' }).stdout ?? '';
  return [...listed.matchAll(/counter packets (\d+)/g)].reduce((sum, match) => sum + Number(match[1]), 0);
}

// Through the UI: the meeting page, Join, the pre-join screen (camera and
// microphone switched as asked, if asked), Join the meeting.
export async function enterMeeting(page, url, { camera, microphone } = {}) {
  await page.goto(url);
  await page.getByRole('button', { name: 'Влизане', exact: true }).click();
  for (const [name, on] of [['Камера', camera], ['Микрофон', microphone]]) {
    if (on === undefined) continue;
    const button = page.getByRole('button', { name, exact: true });
    await visible(button);
    if (((await button.getAttribute('aria-pressed')) === 'true') !== on) await button.click();
  }
  await page.getByRole('button', { name: 'Влизане в срещата', exact: true }).click();
  await visible(page.getByRole('group', { name: 'Управление на срещата' }));
}
