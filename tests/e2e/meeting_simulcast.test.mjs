// Simulcast (docs/media.md, "Simulcast"): two people in one hall, each in a
// Chromium of their own, inside this loopback-only namespace. Each camera goes
// out as three encodings (rid l/m/h); the SFU forwards each subscriber one.
// Once the subscriber decodes the other's camera at 320 pixels wide or more,
// nftables limits what reaches the subscriber's own UDP port (its subscribe
// connection's selected local candidate) to 40 kB/s, and blocks the SFU's
// ICE-TCP port both ways (so Chromium cannot move to TCP; the selected pair must
// stay UDP): within kDownWithinMs (30 s) the SFU has switched it to a lower layer
// — the inbound video's frameWidth drops while the publisher's top encoding
// still goes out at the high width, so the SFU switched, not the publisher. With
// the limit lifted, it is switched back up; from the switch down on, the picture
// keeps moving (framesDecoded never stands still for more than kMaxStillMs).
// Needs nft and root in the namespace (the e2e command runs under unshare -n).
import assert from 'node:assert/strict';

import { e2eSuite, waitUntil } from './harness.mjs';
import {
  clerkMeeting,
  enterMeeting,
  nft,
  nftCounted,
  nftDeleteTable,
  peerConnectionStats,
  signedInPages,
  step,
} from './meeting_helpers.mjs';

const MEDIA_PORT = 42_019;
const MEDIA_TCP_PORT = 42_029;
const suite = e2eSuite({
  env: { EGOVBOX_MEDIA_PORT: String(MEDIA_PORT), EGOVBOX_MEDIA_TCP_PORT: String(MEDIA_TCP_PORT), EGOVBOX_MEDIA_WORKERS: '1' },
});

const kTable = 'egovbox_e2e_simulcast';
const kLimit = '40 kbytes/second';
const kHighWidth = 320;
const kDownWithinMs = 30_000;
const kUpWithinMs = 45_000;
const kPollMs = 500;
const kSettledMs = 4_000;
const kMaxStillMs = 2_000;

// Drops what goes to `port` above kLimit (on lo every packet passes the output
// hook), and all TCP to and from the SFU's ICE-TCP port.
function limitPort(port) {
  nft('add', 'table', 'inet', kTable);
  nft('add', 'chain', 'inet', kTable, 'out', '{ type filter hook output priority 0; }');
  nft('add', 'rule', 'inet', kTable, 'out', 'udp', 'dport', String(port), 'limit', 'rate', 'over', kLimit, 'counter', 'drop');
  nft('add', 'rule', 'inet', kTable, 'out', 'tcp', 'dport', String(MEDIA_TCP_PORT), 'drop');
  nft('add', 'rule', 'inet', kTable, 'out', 'tcp', 'sport', String(MEDIA_TCP_PORT), 'drop');
}

const removeLimit = () => nftDeleteTable(kTable);

const droppedPackets = () => nftCounted(kTable);

// The page's inbound camera: its frameWidth and framesDecoded, and the local port
// and protocol of the connection it arrives on (the selected candidate pair's
// local candidate).
async function inboundCamera(page) {
  for (const { video, local } of await peerConnectionStats(page)) {
    const inbound = Object.values(video).at(-1);
    if (!inbound) continue;
    const { port, protocol } = local ?? { port: 0, protocol: '' };
    return { frameWidth: inbound.frameWidth, framesDecoded: inbound.framesDecoded, bytes: inbound.bytesReceived, port, protocol, at: Date.now() };
  }
  return null;
}

// The widest video encoding the page sends now (its outbound-rtp per rid): what
// the publisher's top layer is, whatever the SFU forwards of it.
async function widestOutbound(page) {
  return page.evaluate(async () => {
    let widest = 0;
    for (const pc of window.__peerConnections ?? []) {
      if (pc.connectionState === 'closed') continue;
      const stats = await pc.getStats();
      stats.forEach((report) => {
        if (report.type === 'outbound-rtp' && report.kind === 'video') widest = Math.max(widest, report.frameWidth ?? 0);
      });
    }
    return widest;
  });
}

// The longest time in `readings` that framesDecoded stood still.
function longestStill(readings) {
  let longest = 0;
  let movedAt = readings[0]?.at ?? 0;
  for (let i = 1; i < readings.length; ++i) {
    if (readings[i].framesDecoded > readings[i - 1].framesDecoded) movedAt = readings[i].at;
    longest = Math.max(longest, readings[i].at - movedAt);
  }
  return longest;
}

// Polls until `done(camera)` holds or `ms` passed; returns every reading.
async function watch(page, ms, done) {
  const readings = [];
  const started = Date.now();
  while (Date.now() - started < ms) {
    const camera = await inboundCamera(page);
    if (camera) {
      readings.push(camera);
      if (done(camera)) break;
    }
    await new Promise((resolve) => setTimeout(resolve, kPollMs));
  }
  return readings;
}

suite.test('a subscriber on a limited link gets a lower simulcast layer, and the higher one back after', { timeout: 180_000 }, async (t) => {
  const people = ['Мария Стоянова', 'Петър Илиев'].map((name) => suite.addEmployee({ name, roles: ['employee', 'clerk'] }));
  const pages = await signedInPages(t, people);
  const { meetingId } = await clerkMeeting(t, people);
  for (const page of pages) await enterMeeting(page, t.url(`/meetings/${meetingId}`));
  const [publisher, subscriber] = pages;

  // The layer settles (the SFU caps it at about the tile's size once it knows the
  // layers' sizes): the same width for kSettledMs.
  let high = null;
  let since = 0;
  await waitUntil(
    async () => {
      const camera = await inboundCamera(subscriber);
      if (!camera || camera.frameWidth < kHighWidth || camera.port === 0) return false;
      if (camera.frameWidth !== high?.frameWidth) since = Date.now();
      high = camera;
      return Date.now() - since >= kSettledMs;
    },
    { timeout: 60_000, message: `the subscriber decodes the camera at ${kHighWidth} pixels wide or more` },
  );
  step(`the subscriber decodes ${high.frameWidth} wide on its port ${high.port}`);

  assert.equal(high.protocol, 'udp', 'the subscriber receives over UDP');

  const limitedAt = Date.now();
  limitPort(high.port);
  let afterDown = [];
  try {
    const limited = await watch(subscriber, kDownWithinMs, (camera) => camera.frameWidth < high.frameWidth || camera.frameWidth <= kHighWidth / 2);
    const low = limited.at(-1);
    const published = await widestOutbound(publisher);
    step(
      `limited: widths ${[...new Set(limited.map((c) => c.frameWidth))].join(', ')} after ${low.at - limitedAt} ms; ` +
        `publisher still sends ${published} wide; nftables dropped ${droppedPackets()}; still at most ${longestStill(limited)} ms`,
    );
    assert.ok(droppedPackets() > 0, 'the limit dropped packets');
    assert.ok(low.frameWidth < high.frameWidth, `frameWidth dropped under the limit (${high.frameWidth} -> ${low.frameWidth})`);
    assert.ok(published >= high.frameWidth, `the publisher's top layer still goes out at ${high.frameWidth} wide or more (${published}): the SFU switched`);
    for (const camera of limited) assert.equal(camera.protocol, 'udp', 'the subscribe connection stays on UDP under the limit');
    afterDown = [low];
    // A few seconds on the low layer: the picture moves under the limit.
    const underLimit = await watch(subscriber, kSettledMs, () => false);
    afterDown.push(...underLimit);
    // (The SFU may probe the next layer up meanwhile; the limit then brings it down again.)
    step(`still limited: widths ${underLimit.map((c) => c.frameWidth).join(', ')}`);
    for (const camera of afterDown) assert.equal(camera.protocol, 'udp', 'the subscribe connection stays on UDP under the limit');
  } finally {
    removeLimit();
  }

  const liftedAt = Date.now();
  const lifted = await watch(subscriber, kUpWithinMs, (camera) => camera.frameWidth >= high.frameWidth);
  const back = lifted.at(-1);
  const held = await watch(subscriber, kSettledMs, () => false);
  afterDown.push(...lifted, ...held);
  const still = longestStill(afterDown);
  step(`lifted: widths ${[...new Set(lifted.map((c) => c.frameWidth))].join(', ')} after ${back.at - liftedAt} ms; still at most ${still} ms since the switch down`);
  assert.ok(back.frameWidth >= high.frameWidth, `frameWidth back up after the limit (${back.frameWidth}, was ${high.frameWidth})`);
  assert.ok(held.every((camera) => camera.frameWidth >= high.frameWidth), `the high layer holds without the limit (${held.map((c) => c.frameWidth)})`);
  assert.ok(still <= kMaxStillMs, `the picture kept moving: framesDecoded stood still ${still} ms (at most ${kMaxStillMs})`);
  assert.ok(afterDown.at(-1).framesDecoded > back.framesDecoded, 'frames are still decoded at the end');
});
