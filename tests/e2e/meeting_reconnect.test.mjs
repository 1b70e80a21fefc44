// A network outage in the middle of a meeting (docs/media.md, Reconnecting):
// two people in a hall; every packet to and from the media ports is dropped by
// nftables inside this test's namespace for 10–15 s (the HTTPS port, and with it
// the WebSocket, stays up). The page shows that it is reconnecting and restarts
// ICE; when the network is back both decode each other's video again on the
// same peer connections, and neither was ever shown as having left.
import assert from 'node:assert/strict';

import { e2eSuite, waitUntil } from './harness.mjs';
import { clerkMeeting, enterMeeting, nft, risingStreams, signedInPages, step } from './meeting_helpers.mjs';

// Media ports of their own (two workers on this 2-core machine), apart from the
// HTTPS port, so that blocking them leaves the WebSocket alone.
const MEDIA_PORT = 20_000 + Math.floor(Math.random() * 20_000);
const suite = e2eSuite({ env: { EGOVBOX_MEDIA_PORT: String(MEDIA_PORT), EGOVBOX_MEDIA_WORKERS: '2' } });

// Drops every UDP and TCP packet from or to the media ports.
function blockMedia() {
  nft('add', 'table', 'inet', 'outage');
  for (const hook of ['input', 'output']) {
    nft('add', 'chain', 'inet', 'outage', hook, `{ type filter hook ${hook} priority 0; }`);
    const ports = `{ ${MEDIA_PORT}, ${MEDIA_PORT + 1} }`;
    for (const protocol of ['udp', 'tcp']) {
      nft('add', 'rule', 'inet', 'outage', hook, protocol, 'dport', ports, 'drop');
      nft('add', 'rule', 'inet', 'outage', hook, protocol, 'sport', ports, 'drop');
    }
  }
}

const unblockMedia = () => nft('delete', 'table', 'inet', 'outage');

// How many peer connections the page ever made (an ICE restart makes none).
const peerConnectionCount = (page) => page.evaluate(() => window.__peerConnections.length);

// The server's ICE ufrag on each live peer connection of the page: a restart
// changes it, and the server then answers checks with the new one only.
const serverUfrags = (page) =>
  page.evaluate(() =>
    window.__peerConnections
      .filter((pc) => pc.connectionState !== 'closed')
      .map((pc) => /a=ice-ufrag:(\S+)/.exec(pc.remoteDescription?.sdp ?? '')?.[1] ?? null),
  );

suite.test('a network outage of 10–15 s: the page reconnects by ICE restart and nobody leaves', { timeout: 150_000 }, async (t) => {
  const people = [
    suite.addEmployee({ name: 'Калина Маринова', position: 'Секретар', roles: ['employee', 'clerk'] }),
    suite.addEmployee({ name: 'Стефан Илиев', position: 'Експерт' }),
  ];
  const pages = await signedInPages(t, people);
  const { clerk, meetingId } = await clerkMeeting(t, people);
  for (const page of pages) await enterMeeting(page, t.url(`/meetings/${meetingId}`));
  for (const [i, page] of pages.entries()) {
    await waitUntil(async () => (await risingStreams(page, 'video', 1000)).length >= 1, { timeout: 30_000, message: `page ${i}: the other's video` });
  }
  const connectionsBefore = await Promise.all(pages.map(peerConnectionCount));
  const ufragsBefore = await Promise.all(pages.map(serverUfrags));
  step('media flows; the network goes down');

  blockMedia();
  try {
    for (const page of pages) {
      await page.getByText('Връзката е нестабилна. Свързваме ви отново — оставате в срещата…').waitFor({ state: 'visible', timeout: 15_000 });
    }
    // Long enough for both connections of both pages to have been restarted.
    await new Promise((resolve) => setTimeout(resolve, 8_000));
  } finally {
    unblockMedia();
  }
  step('the network is back');

  for (const [i, page] of pages.entries()) {
    await waitUntil(async () => (await risingStreams(page, 'video', 1000)).length >= 1, { timeout: 30_000, message: `page ${i}: video again after the outage` });
    assert.ok((await risingStreams(page, 'audio', 2000)).length >= 1, `page ${i}: audio again after the outage`);
    await waitUntil(async () => (await page.getByText('Връзката е нестабилна', { exact: false }).count()) === 0, { timeout: 10_000, message: `page ${i}: the notice gone` });
    // Still in the meeting with the same connections: the other's tile never went away.
    assert.equal(await page.getByTestId('tile').count(), 1, `page ${i}: the other's tile`);
  }
  assert.deepEqual(await Promise.all(pages.map(peerConnectionCount)), connectionsBefore, 'the same peer connections (an ICE restart, no rejoin)');
  // Both connections of both pages were restarted: media now flow on new credentials.
  const ufragsAfter = await Promise.all(pages.map(serverUfrags));
  for (const [i, before] of ufragsBefore.entries()) {
    assert.equal(before.length, 2, `page ${i}: publish and subscribe connections`);
    for (const [j, ufrag] of before.entries()) {
      assert.ok(ufrag && ufragsAfter[i][j] && ufragsAfter[i][j] !== ufrag, `page ${i}, connection ${j}: ${ufrag} → ${ufragsAfter[i][j]}`);
    }
  }
  const attendance = await clerk.call('GET', `/api/v1/meetings/${meetingId}/attendance`);
  assert.equal(attendance.status, 200, attendance.text);
  const visits = attendance.json.attendance;
  assert.ok(Array.isArray(visits), attendance.text);
  assert.equal(visits.length, 2, `one visit each, none ended: ${attendance.text}`);
  assert.ok(visits.every((visit) => visit.left_at === null || visit.left_at === undefined), attendance.text);
});
