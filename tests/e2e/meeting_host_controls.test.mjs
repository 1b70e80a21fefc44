// Host controls in real Chromiums, carried by our SFU inside this loopback-only
// namespace (docs/media.md "Host controls"). A clerk runs a committee meeting in
// a hall with a lobby; two invitees wait in the lobby:
//   the host declines one (told so), who knocks again and is admitted; the other
//   is admitted at once;
//   the host mutes one: on the third page the inbound audio packetsReceived from
//   that participant rose before and stops rising over 3 s; the muted page says
//   "the host muted you";
//   the host removes the third: its tab leaves ("removed", peer connections
//   closed) and the capability it held is refused when sent again over its own
//   WebSocket;
//   the host ends the meeting for all: every tab shows it ended and its peer
//   connections close.
import assert from 'node:assert/strict';

import { assertAccessible, e2eSuite, visible, waitUntil } from './harness.mjs';
import { TRACK_PEER_CONNECTIONS, clerkMeeting, enterMeeting, risingStreams, signedInPages, step } from './meeting_helpers.mjs';

// Every WebSocket the page opens, what it sent and what it received (parsed JSON).
const TRACK_SOCKETS = () => {
  const Original = window.WebSocket;
  window.__sockets = [];
  window.__sent = [];
  window.__received = [];
  window.WebSocket = class extends Original {
    constructor(...args) {
      super(...args);
      window.__sockets.push(this);
      this.addEventListener('message', (event) => {
        try {
          window.__received.push(JSON.parse(event.data));
        } catch {
          // Not JSON: not ours to record.
        }
      });
    }
    send(data) {
      try {
        window.__sent.push(JSON.parse(data));
      } catch {
        // Not JSON.
      }
      return super.send(data);
    }
  };
};

// Audio packets the page has received from one participant (the subscribe
// offer's a=msid names the publisher's participant id as the stream), or null.
function audioPacketsFrom(page, participantId) {
  return page.evaluate(async (publisher) => {
    let total = null;
    for (const pc of window.__peerConnections ?? []) {
      if (pc.connectionState === 'closed' || !pc.remoteDescription) continue;
      const mids = new Set();
      for (const section of pc.remoteDescription.sdp.split(/\r?\nm=/)) {
        const mid = /a=mid:(\S+)/.exec(section)?.[1];
        const stream = /a=msid:(\S+)/.exec(section)?.[1];
        if (mid && stream === publisher && section.startsWith('audio')) mids.add(mid);
      }
      const tracks = new Set(pc.getTransceivers().filter((t) => mids.has(t.mid)).map((t) => t.receiver.track.id));
      const stats = await pc.getStats();
      stats.forEach((report) => {
        if (report.type === 'inbound-rtp' && report.kind === 'audio' && tracks.has(report.trackIdentifier)) {
          total = (total ?? 0) + (report.packetsReceived ?? 0);
        }
      });
    }
    return total;
  }, participantId);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const allClosed = (page) =>
  page.evaluate(() => (window.__peerConnections ?? []).length > 0 && window.__peerConnections.every((pc) => pc.connectionState === 'closed'));

// Through the hall's page: Enter, Knock, and wait (the lobby).
async function knock(page, url) {
  await page.goto(url);
  await page.getByRole('button', { name: 'Влизане', exact: true }).click();
  await visible(page.getByText('Срещата има преддверие'));
  await page.getByRole('button', { name: 'Почукване', exact: true }).click();
  await visible(page.getByText('Изчаквате домакина да ви допусне'));
}

const suite = e2eSuite();

suite.test('a host runs the meeting: lobby admit and decline, mute, remove, end for all', { timeout: 240_000 }, async (t) => {
  const people = [
    suite.addEmployee({ name: 'Ралица Стоянова', position: 'Председател', roles: ['employee', 'clerk'] }),
    suite.addEmployee({ name: 'Огнян Димитров', position: 'Юрисконсулт' }),
    suite.addEmployee({ name: 'Весела Петкова', position: 'Експерт' }),
  ];
  const pages = await signedInPages(t, people, { initScripts: () => [TRACK_PEER_CONNECTIONS, TRACK_SOCKETS] });
  const [host, ognyan, vesela] = pages;

  const { clerk, meetingId } = await clerkMeeting(t, people, { lobby: true });
  const hallId = (await clerk.call('GET', `/api/v1/meetings/${meetingId}`)).json.room.id;
  step('hall with a lobby and a meeting in it');

  // The host walks in (no lobby for hosts) and opens the participant panel.
  await enterMeeting(host, t.url(`/meetings/${meetingId}`));
  await host.getByRole('button', { name: 'Участници', exact: true }).click();
  const lobby = host.getByTestId('lobby');
  await visible(lobby.getByText('Никой не чака.'));

  // Lobby: Огнян waits and is declined; he is told, and is not in.
  await knock(ognyan, t.url(`/rooms/${hallId}`));
  await visible(lobby.getByTestId('lobby-entry').filter({ hasText: 'Огнян Димитров' }));
  await assertAccessible(host, 'the participant panel with someone in the lobby');
  await host.getByRole('button', { name: 'Отклоняване на Огнян Димитров', exact: true }).click();
  await visible(ognyan.getByText('Домакинът не ви допусна.'));
  await visible(lobby.getByText('Никой не чака.'));
  step('declined');

  // He knocks again and is admitted; Весела is admitted at once.
  await ognyan.getByRole('button', { name: 'Почукване', exact: true }).click();
  await visible(ognyan.getByText('Изчаквате домакина да ви допусне'));
  await host.getByRole('button', { name: 'Допускане на Огнян Димитров', exact: true }).click();
  await knock(vesela, t.url(`/rooms/${hallId}`));
  await host.getByRole('button', { name: 'Допускане на Весела Петкова', exact: true }).click();
  for (const page of [ognyan, vesela]) {
    await page.getByRole('button', { name: 'Влизане в срещата', exact: true }).click();
    await visible(page.getByRole('group', { name: 'Управление на срещата' }));
  }
  for (const page of pages) {
    await waitUntil(async () => (await page.getByTestId('tile').count()) === 2, { timeout: 20_000, message: 'two remote tiles' });
  }
  await visible(host.getByTestId('participant-list').getByText('Огнян Димитров'));
  step('lobby: admitted after a decline, and at once');

  // Mute: Весела receives Огнян's audio (rising), the host mutes him, it stops.
  const ognyanId = await vesela.getByTestId('tile').filter({ hasText: 'Огнян Димитров' }).getAttribute('data-participant-id');
  assert.ok(ognyanId, 'Огнян\'s participant id on his tile');
  await waitUntil(async () => (await risingStreams(vesela, 'audio', 1500)).length >= 2, { timeout: 30_000, message: 'audio from both others' });
  const before = await audioPacketsFrom(vesela, ognyanId);
  await sleep(2000);
  const rising = await audioPacketsFrom(vesela, ognyanId);
  assert.ok(before !== null && rising > before, `Огнян's audio rises on Весела's page before the mute (${before} → ${rising})`);
  await host.getByRole('button', { name: 'Заглушаване на Огнян Димитров', exact: true }).click();
  await visible(ognyan.getByTestId('muted-by-host'));
  await assertAccessible(ognyan, 'the room with "the host muted you"');
  assert.equal(await ognyan.getByRole('button', { name: 'Микрофон', exact: true }).getAttribute('aria-pressed'), 'false');
  await sleep(1000); // what was in flight arrives
  const mutedAt = await audioPacketsFrom(vesela, ognyanId);
  await sleep(3000);
  const after = await audioPacketsFrom(vesela, ognyanId);
  assert.equal(after, mutedAt, `Огнян's audio stopped on Весела's page after the host muted him (${mutedAt} → ${after})`);
  // The host's own audio still flows to Весела.
  assert.ok((await risingStreams(vesela, 'audio', 2000)).length >= 1, 'the host\'s audio still rises');
  step(`muted by the host (Огнян's audio packets on Весела's page: ${before} → ${rising} in 2 s before; ${mutedAt} → ${after} in 3 s after)`);

  // Remove Весела: her tab leaves; the capability she held is refused over her WebSocket.
  const joinMessage = await vesela.evaluate(() => window.__sent.filter((m) => m.type === 'media.join').at(-1));
  assert.ok(joinMessage?.capability, 'Весела\'s media.join with its capability');
  await host.getByRole('button', { name: 'Отстраняване на Весела Петкова', exact: true }).click();
  await host.getByTestId('host-confirm').click();
  await visible(vesela.getByText('Домакинът ви отстрани от срещата.'));
  await waitUntil(() => allClosed(vesela), { timeout: 10_000, message: 'Весела\'s peer connections closed' });
  await waitUntil(async () => (await host.getByTestId('tile').count()) === 1, { timeout: 10_000, message: 'her tile gone from the host' });
  const refused = await vesela.evaluate(async (message) => {
    const socket = window.__sockets.filter((s) => s.readyState === WebSocket.OPEN).at(-1);
    const seen = window.__received.length;
    socket.send(JSON.stringify(message));
    for (let i = 0; i < 100; i += 1) {
      const answer = window.__received.slice(seen).find((m) => m.type === 'media.refused' || m.type === 'media.joined');
      if (answer) return answer;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return null;
  }, joinMessage);
  assert.deepEqual({ type: refused?.type, reason: refused?.reason }, { type: 'media.refused', reason: 'removed' });
  step('removed, old capability refused');

  // End for all: every tab says so and its peer connections close.
  await host.getByRole('button', { name: 'Край на срещата за всички', exact: true }).click();
  await host.getByTestId('host-confirm').click();
  for (const page of [host, ognyan]) {
    await visible(page.getByText('Домакинът приключи срещата за всички.'));
    await waitUntil(() => allClosed(page), { timeout: 10_000, message: 'peer connections closed' });
  }
  const ended = await clerk.call('POST', `/api/v1/meetings/${meetingId}/join`, {});
  assert.equal(ended.status, 409, ended.text);
  step('ended for all');
});
