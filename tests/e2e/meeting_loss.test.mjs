// Loss and recovery (docs/media.md, "Loss and recovery"): two people in one
// hall, each in a Chromium of their own, inside this loopback-only namespace.
// Once both decode each other's camera, nftables drops 5% of the UDP packets
// arriving at the SFU's media port (publishers' RTP, subscribers' RTCP, ICE
// checks alike). Over the next 20 s, polled every 250 ms on both pages, each
// inbound video's nackCount rises (the SFU forwards a gap at once, the browser
// NACKs it, the SFU's own NACK to the publisher brings the packet), its
// framesDecoded keeps rising, and it never goes more than 1 s without a newly
// decoded frame. The SFU's metrics show it NACKed the publishers.
// Then 5% of what the SFU sends is dropped too, for 10 s: the same holds, now
// with the SFU answering the browsers' NACKs from its retransmission buffers
// (as RTX, which Chromium negotiated).
// Needs nft and root in the namespace (the e2e command runs under unshare -n).
import assert from 'node:assert/strict';

import { e2eSuite, waitUntil } from './harness.mjs';
import {
  clerkMeeting,
  engineCount,
  enterMeeting,
  nft,
  nftCounted,
  nftDeleteTable,
  risingStreams,
  signedInPages,
  step,
  videoInbound,
} from './meeting_helpers.mjs';

const MEDIA_PORT = 42_017;
const suite = e2eSuite({ env: { EGOVBOX_MEDIA_PORT: String(MEDIA_PORT), EGOVBOX_MEDIA_WORKERS: '1' } });

const kTable = 'egovbox_e2e_loss';
const kLossPercent = 5;
const kWatchMs = 20_000;
const kBothLegsWatchMs = 10_000;
const kPollMs = 250;
const kLongestFreezeMs = 1_000;

// Drops kLossPercent of the UDP packets arriving at the SFU's media port
// (`port` 'dport') or leaving it (`port` 'sport').
function injectLoss(port = 'dport') {
  if (port === 'dport') {
    nft('add', 'table', 'inet', kTable);
    nft('add', 'chain', 'inet', kTable, 'in', '{ type filter hook input priority 0; }');
  }
  nft('add', 'rule', 'inet', kTable, 'in', 'udp', port, String(MEDIA_PORT), 'numgen', 'random', 'mod', '100', '<', String(kLossPercent), 'counter', 'drop');
}

const removeLoss = () => nftDeleteTable(kTable);

// Packets the rules dropped so far, all rules together.
const droppedPackets = () => nftCounted(kTable);

suite.test('with 5% loss at the SFU, NACKs keep every picture moving: no freeze over 1 s in 20 s', { timeout: 150_000 }, async (t) => {
  const people = ['Калина Атанасова', 'Боян Николов'].map((name) => suite.addEmployee({ name, roles: ['employee', 'clerk'] }));
  const pages = await signedInPages(t, people);
  const { clerk, meetingId } = await clerkMeeting(t, people);
  for (const page of pages) await enterMeeting(page, t.url(`/meetings/${meetingId}`));
  for (const [i, page] of pages.entries()) {
    await waitUntil(async () => (await risingStreams(page, 'video', 1000)).length >= 1, { timeout: 30_000, message: `page ${i}: the other's video` });
  }
  step('both decode each other');

  const metric = async (name) => engineCount((await clerk.call('GET', '/metrics')).text, name);
  injectLoss();
  try {
    await watchUnderLoss(pages, kWatchMs);
    assert.ok((await metric('egovbox_media_nacks_sent_total')) > 0, 'the SFU NACKed the publishers');
    assert.ok((await metric('egovbox_media_nacks_received_total')) > 0, 'the browsers NACKed the SFU');

    injectLoss('sport');
    const retransmitted = await metric('egovbox_media_rtp_retransmitted_total');
    await watchUnderLoss(pages, kBothLegsWatchMs);
    const after = await metric('egovbox_media_rtp_retransmitted_total');
    step(`the SFU retransmitted ${after - retransmitted} packets`);
    assert.ok(after > retransmitted + 10, `the SFU answered NACKs from its buffers (${retransmitted} -> ${after})`);
  } finally {
    removeLoss();
  }
});

// Polls both pages for `watchMs` and checks every inbound video that was there at the start.
async function watchUnderLoss(pages, watchMs) {
  const droppedBefore = droppedPackets();
  const first = await Promise.all(pages.map(videoInbound));
  const lastRise = pages.map(() => ({}));
  const longest = pages.map(() => ({}));
  let previous = first;
  const started = Date.now();
  while (Date.now() - started < watchMs) {
    await new Promise((resolve) => setTimeout(resolve, kPollMs));
    const now = Date.now();
    const current = await Promise.all(pages.map(videoInbound));
    for (const [i, streams] of current.entries()) {
      for (const [id, { framesDecoded }] of Object.entries(streams)) {
        lastRise[i][id] ??= started;
        if (framesDecoded > (previous[i][id]?.framesDecoded ?? 0)) lastRise[i][id] = now;
        longest[i][id] = Math.max(longest[i][id] ?? 0, now - lastRise[i][id]);
      }
    }
    previous = current;
  }
  const dropped = droppedPackets() - droppedBefore;
  step(`watched ${watchMs} ms; nftables dropped ${dropped} packets`);
  assert.ok(dropped > 50, `the loss rules dropped only ${dropped} packets`);

  for (const [i, streams] of previous.entries()) {
    const ids = Object.keys(streams).filter((id) => first[i][id]);
    assert.ok(ids.length >= 1, `page ${i}: an inbound video throughout`);
    for (const id of ids) {
      const before = first[i][id];
      const after = streams[id];
      console.log(
        `page ${i} ${id.slice(0, 8)}: nackCount ${before.nackCount} -> ${after.nackCount}, ` +
          `framesDecoded ${before.framesDecoded} -> ${after.framesDecoded}, pliCount ${before.pliCount} -> ${after.pliCount}, ` +
          `freezes ${after.freezeCount - before.freezeCount} (${Math.round((after.totalFreezesDuration - before.totalFreezesDuration) * 1000)} ms), ` +
          `longest poll-to-poll stall ${longest[i][id]} ms`,
      );
      assert.ok(after.nackCount > before.nackCount, `page ${i}: nackCount rose (${before.nackCount} -> ${after.nackCount})`);
      assert.ok(after.framesDecoded > before.framesDecoded + watchMs / 200, `page ${i}: framesDecoded kept rising (${before.framesDecoded} -> ${after.framesDecoded})`);
      assert.ok(longest[i][id] <= kLongestFreezeMs, `page ${i}: a freeze of ${longest[i][id]} ms (over ${kLongestFreezeMs} ms)`);
    }
  }
}
