// ICE over TCP and TURN at the signaling level (docs/media.md "Networks that
// block UDP", docs/turn.md): with the default port layout (UDP media on the
// HTTPS port number) the server still starts, offers a passive TCP candidate on
// the number after the UDP media ports, and answers a framed connectivity check
// (RFC 4571) on it; with turn_urls and turn_secret, media.joined carries a TURN
// server with credentials coturn would accept (its "TURN REST API" HMAC).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { repoRoot, serverTest, startServer } from './harness.mjs';
import { API, createMeeting, joinedSocket, meetingBody, person } from './meetings_helpers.mjs';
import { bindingRequest } from './stun_client.mjs';

const OFFER = fs.readFileSync(path.join(repoRoot, 'tests/data/sdp/publish_audio_video.offer.sdp'), 'utf8');
const OFFER_UFRAG = /^a=ice-ufrag:(.+)$/m.exec(OFFER)[1].trim();
const TRACKS = [
  { mid: '0', source: 'microphone', muted: false },
  { mid: '1', source: 'camera', muted: false },
];

// A free TCP port for the HTTPS server whose next number is free as well (for ICE-TCP).
async function freePortPair() {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = 20000 + crypto.randomInt(30000);
    const free = await Promise.all([port, port + 1].map((p) => new Promise((resolve) => {
      const probe = net.createServer().once('error', () => resolve(false)).listen(p, '127.0.0.1', () => probe.close(() => resolve(true)));
    })));
    if (free.every(Boolean)) return port;
  }
  throw new Error('no free pair of ports');
}

// Sends `request` framed (RFC 4571) on a new TCP connection; resolves with the
// first framed answer, or null when none comes.
function framedExchange(port, request, timeoutMs = 2000) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let buffer = Buffer.alloc(0);
    const done = (value) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    socket.on('error', () => done(null));
    socket.on('connect', () => {
      const length = Buffer.alloc(2);
      length.writeUInt16BE(request.length);
      socket.write(Buffer.concat([length, request]));
    });
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (buffer.length >= 2 && buffer.length >= 2 + buffer.readUInt16BE(0)) done(buffer.subarray(2, 2 + buffer.readUInt16BE(0)));
    });
  });
}

serverTest('ICE-TCP: beside the HTTPS port, a passive TCP candidate that answers framed checks', async () => {
  const port = await freePortPair();
  const server = await startServer({ listen: `127.0.0.1:${port}`, env: { EGOVBOX_MEDIA_WORKERS: '1' } });
  assert.equal(server.port, port);
  const host = await person(server);
  const meeting = await createMeeting(host.client, meetingBody({ title: 'Среща през TCP', start: 1 }));
  const { socket, joined } = await joinedSocket(host, meeting.id);
  assert.equal(joined.ice_servers, undefined, 'no TURN server configured');
  socket.send({ type: 'media.publish', meeting_id: meeting.id, sdp: OFFER, tracks: TRACKS });
  const { sdp } = await socket.next('media.publish.answer');

  const udp = /^a=candidate:\S+ 1 udp (\d+) 127\.0\.0\.1 (\d+) typ host$/m.exec(sdp);
  const tcp = /^a=candidate:\S+ 1 tcp (\d+) 127\.0\.0\.1 (\d+) typ host tcptype passive$/m.exec(sdp);
  assert.ok(udp && tcp, `a UDP and a passive TCP candidate in:\n${sdp}`);
  assert.equal(Number(udp[2]), port, 'UDP media on the HTTPS port number');
  assert.equal(Number(tcp[2]), port + 1, 'ICE-TCP on the number after the UDP media port');
  assert.ok(Number(tcp[1]) < Number(udp[1]), 'TCP ranked below UDP');

  const ufrag = /^a=ice-ufrag:(.+)$/m.exec(sdp)[1].trim();
  const pwd = /^a=ice-pwd:(.+)$/m.exec(sdp)[1].trim();
  const { bytes, transactionId } = bindingRequest({ username: `${ufrag}:${OFFER_UFRAG}`, password: pwd });
  const answer = await framedExchange(port + 1, bytes);
  assert.ok(answer, 'a framed answer over TCP');
  assert.equal(answer.readUInt16BE(0), 0x0101, 'Binding success');
  assert.ok(answer.subarray(8, 20).equals(transactionId));
  // A wrong password: no answer.
  const wrong = bindingRequest({ username: `${ufrag}:${OFFER_UFRAG}`, password: 'wrong-password-of-22-chars' });
  assert.equal(await framedExchange(port + 1, wrong.bytes, 500), null);

  const metrics = (await host.client.get('/metrics')).text;
  assert.match(metrics, /^egovbox_media_tcp_frames_received_total 2$/m);
  assert.match(metrics, /^egovbox_media_tcp_frames_sent_total 1$/m);
});

serverTest('TURN: media.joined carries a TURN server with credentials from the shared secret', async () => {
  const secret = 'a-shared-secret-for-coturn';
  const server = await startServer({
    env: { EGOVBOX_TURN_URLS: 'turns:turn.example.bg:443?transport=tcp', EGOVBOX_TURN_SECRET: secret, EGOVBOX_TURN_CREDENTIAL_LIFETIME: '2h' },
  });
  const host = await person(server);
  const meeting = await createMeeting(host.client, meetingBody({ title: 'Среща през TURN', start: 1 }));
  const before = Math.floor(Date.now() / 1000);
  const { joined } = await joinedSocket(host, meeting.id);
  assert.equal(joined.ice_servers.length, 1);
  const [turn] = joined.ice_servers;
  assert.deepEqual(turn.urls, ['turns:turn.example.bg:443?transport=tcp']);
  const [expiry, label] = turn.username.split(':');
  assert.equal(label, joined.participant_id);
  assert.ok(Number(expiry) >= before + 7200 && Number(expiry) <= before + 7200 + 60, `expiry ${expiry} about two hours on`);
  // What coturn's use-auth-secret computes.
  assert.equal(turn.credential, crypto.createHmac('sha1', secret).update(turn.username).digest('base64'));
});
