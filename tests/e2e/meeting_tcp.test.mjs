// ICE over TCP (docs/media.md, "Networks that block UDP"): two people in one
// hall, each in a Chromium of their own, inside this loopback-only namespace.
//   With UDP open, both pick the UDP pair: the SFU's passive TCP candidate is
//   ranked below its UDP one, so offering it changes nothing for them.
//   With every UDP packet dropped by nftables inside the namespace (the HTTPS
//   server and the media listener's TCP still work; nothing here resolves
//   names), both still see and hear each other: framesDecoded and audio
//   packetsReceived rise, and getStats names 'tcp' as the protocol of the
//   selected pair's local candidate.
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
  selectedPairs,
  signedInPages,
  step,
} from './meeting_helpers.mjs';

const suite = e2eSuite();

const kTable = 'egovbox_e2e_no_udp';

// Drops every UDP packet arriving in this namespace (loopback included).
function blockUdp() {
  nft('add', 'table', 'inet', kTable);
  nft('add', 'chain', 'inet', kTable, 'in', '{ type filter hook input priority 0; }');
  nft('add', 'rule', 'inet', kTable, 'in', 'meta', 'l4proto', 'udp', 'counter', 'drop');
}

const unblockUdp = () => nftDeleteTable(kTable);

// UDP packets the rule dropped so far (proof that the browsers did try UDP).
const droppedUdp = () => nftCounted(kTable);

// The protocol ('udp' or 'tcp') of the local candidate of each connected peer
// connection's selected pair.
const selectedProtocols = async (page) => (await selectedPairs(page)).map((local) => local.protocol);

// Two people signed in, in a hall meeting that is on now, both joined; their pages.
async function twoInAMeeting(t, names) {
  const people = names.map((name) => suite.addEmployee({ name, roles: ['employee', 'clerk'] }));
  const pages = await signedInPages(t, people);
  const { clerk, meetingId } = await clerkMeeting(t, people);
  for (const page of pages) await enterMeeting(page, t.url(`/meetings/${meetingId}`));
  for (const page of pages) {
    await waitUntil(async () => (await page.getByTestId('tile').count()) === 1, { timeout: 20_000, message: 'the other one\'s tile' });
  }
  return { pages, clerk };
}

// Both peer connections of `page` connected, over `protocol`.
async function expectSelected(page, protocol, i) {
  await waitUntil(async () => (await selectedProtocols(page)).length === 2, { timeout: 30_000, message: `page ${i}: two connected peer connections` });
  assert.deepEqual(await selectedProtocols(page), [protocol, protocol], `page ${i}: the selected pairs' local candidates`);
}

async function expectSeeAndHear(page, i) {
  await waitUntil(async () => (await risingStreams(page, 'video', 2000)).length >= 1, { timeout: 30_000, message: `page ${i}: the other's video decoded` });
  assert.ok((await risingStreams(page, 'video')).length >= 1, `page ${i}: framesDecoded rising over 5 s`);
  assert.ok((await risingStreams(page, 'audio')).length >= 1, `page ${i}: audio packetsReceived rising over 5 s`);
}

suite.test('with UDP open, the browsers keep to UDP although TCP is offered', { timeout: 120_000 }, async (t) => {
  const { pages } = await twoInAMeeting(t, ['Стефан Колев', 'Мила Георгиева']);
  step('both in, UDP open');
  for (const [i, page] of pages.entries()) await expectSelected(page, 'udp', i);
  for (const [i, page] of pages.entries()) await expectSeeAndHear(page, i);
});

suite.test('with all UDP dropped, two people see and hear each other over ICE-TCP', { timeout: 150_000 }, async (t) => {
  blockUdp();
  try {
    const { pages, clerk } = await twoInAMeeting(t, ['Камелия Тодорова', 'Борислав Ненов']);
    step('both in, UDP dropped');
    for (const [i, page] of pages.entries()) await expectSelected(page, 'tcp', i);
    step('connected over TCP');
    for (const [i, page] of pages.entries()) await expectSeeAndHear(page, i);
    step('media flow over TCP');
    assert.ok(droppedUdp() > 0, 'the browsers tried UDP first and it was dropped');
    const metrics = (await clerk.call('GET', '/metrics')).text;
    const count = (name) => engineCount(metrics, name);
    assert.ok(count('egovbox_media_tcp_connections') >= 4, 'a TCP connection per peer connection');
    assert.ok(count('egovbox_media_tcp_frames_received_total') > 100);
    assert.ok(count('egovbox_media_tcp_frames_sent_total') > 100);
  } finally {
    unblockUdp();
  }
});
