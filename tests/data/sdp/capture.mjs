// Captures the SDPs of tests/data/sdp/ from headless Debian chromium and checks
// that chromium accepts what the SFU writes (src/media/sdp_negotiation.h):
//
//   1. publish_audio_video.offer.sdp   microphone + camera as sendonly transceivers
//   2. publish_with_screen.offer.sdp   the same connection renegotiated with a screen track
//   3. publish_screen_removed.offer.sdp   renegotiated again after removeTrack(screen)
//   4. subscribe.offer.sdp / subscribe.answer.sdp   our BuildSubscribeOffer and chromium's answer
//   5. publish_simulcast.offer.sdp     a camera with three rid encodings (plus the microphone)
//   6. publish_data_channel.offer.sdp  microphone + camera + a data channel
//
// For 1-3, 5 and 6 the SFU's answer (negotiate_tool.cc, compiled here with g++)
// goes back into the same RTCPeerConnection with setRemoteDescription; for 4 our
// offer goes into a new one, which answers. Every such call must succeed; the
// script exits 1 otherwise. Run from the repository root, as root, in a network
// namespace with only loopback:
//
//   unshare -n -m sh -c 'ip link set lo up; node tests/data/sdp/capture.mjs'
//
// CHROMIUM overrides /usr/bin/chromium; --check runs everything but writes no files.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
const writeFiles = !process.argv.includes('--check');

const toolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdp-capture-'));
const tool = path.join(toolDir, 'negotiate_tool');
execFileSync('g++', ['-std=c++20', '-O1', '-I', path.join(repoRoot, 'src'), path.join(here, 'negotiate_tool.cc'),
  path.join(repoRoot, 'src/media/sdp.cc'), path.join(repoRoot, 'src/media/sdp_negotiation.cc'), '-o', tool],
{ stdio: 'inherit' });

// Returns {ok, out, error}: the tool's stdout, or its stderr when it refused.
function negotiate(args, input) {
  try {
    return { ok: true, out: execFileSync(tool, args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] }) };
  } catch (error) {
    return { ok: false, error: String(error.stderr || error.message).trim() };
  }
}

function save(name, sdp) {
  if (writeFiles) fs.writeFileSync(path.join(here, name), sdp);
}

// getUserMedia and getDisplayMedia need a secure context: http://localhost is one.
const server = http.createServer((request, response) => {
  response.setHeader('content-type', 'text/html');
  response.end('<!doctype html><title>sdp capture</title>');
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless=new', '--no-sandbox', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
    '--allow-loopback-in-peer-connection', '--disable-features=WebRtcHideLocalIpsWithMdns',
    '--auto-select-desktop-capture-source=Entire screen'],
});
const results = [];
let failed = false;
function report(step, ok, detail = '') {
  results.push({ step, ok, detail });
  if (!ok) failed = true;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${step}${detail ? `: ${detail}` : ''}`);
}

try {
  const page = await browser.newPage();
  page.on('console', (message) => console.log(`[page] ${message.text()}`));
  await page.goto(`http://localhost:${server.address().port}/`);
  await page.exposeFunction('sfuNegotiate', (args, input) => negotiate(args, input));
  await page.evaluate(() => {
    // Waits until ICE gathering is complete, so the offer carries its candidates:
    // the signaling has no trickle, the browser sends one complete offer.
    window.gathered = (pc) => new Promise((resolve) => {
      if (pc.iceGatheringState === 'complete') return resolve();
      pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
    });
    // Offer, let the SFU answer, apply the answer. Returns {offer, answer, applied, error}.
    window.publishRound = async (pc, version) => {
      await pc.setLocalDescription(await pc.createOffer());
      await window.gathered(pc);
      const offer = pc.localDescription.sdp;
      const answer = await window.sfuNegotiate(['answer', '1000', String(version)], offer);
      if (!answer.ok) return { offer, applied: false, error: `the SFU refused: ${answer.error}` };
      try {
        await pc.setRemoteDescription({ type: 'answer', sdp: answer.out });
        return { offer, answer: answer.out, applied: true };
      } catch (error) {
        return { offer, answer: answer.out, applied: false, error: String(error) };
      }
    };
  });

  // 1-3: one publish connection through its life.
  const publish = await page.evaluate(async () => {
    const rounds = [];
    const pc = new RTCPeerConnection();
    const camera = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    for (const track of camera.getTracks()) pc.addTransceiver(track, { direction: 'sendonly', streams: [camera] });
    rounds.push(await window.publishRound(pc, 1));
    let screenLabel;
    let screen;
    try {
      screen = await navigator.mediaDevices.getDisplayMedia({ video: true });
      screenLabel = `getDisplayMedia: ${screen.getVideoTracks()[0].label}`;
    } catch (error) {
      // Headless without a screen source: a second camera track stands in.
      screen = await navigator.mediaDevices.getUserMedia({ video: true });
      screenLabel = `getDisplayMedia failed (${error}); a second camera track stands in`;
    }
    const screenTransceiver = pc.addTransceiver(screen.getVideoTracks()[0], { direction: 'sendonly', streams: [screen] });
    rounds.push(await window.publishRound(pc, 2));
    pc.removeTrack(screenTransceiver.sender);
    rounds.push(await window.publishRound(pc, 3));
    const states = pc.getTransceivers().map((t) => `${t.mid}:${t.currentDirection}`).join(' ');
    pc.close();
    return { rounds, screenLabel, states };
  });
  console.log(`screen: ${publish.screenLabel}`);
  const names = ['publish_audio_video', 'publish_with_screen', 'publish_screen_removed'];
  publish.rounds.forEach((round, index) => {
    save(`${names[index]}.offer.sdp`, round.offer);
    report(`${names[index]}: chromium applies our answer`, round.applied, round.error);
  });
  report('publish transceivers after round 3', publish.states === '0:sendonly 1:sendonly 2:inactive',
    publish.states);

  // 4: our subscribe offer into chromium, its answer back to the SFU.
  const subscribeOffer = negotiate(['subscribe-offer'], '').out;
  const subscribe = await page.evaluate(async (sdp) => {
    const pc = new RTCPeerConnection();
    const tracks = [];
    // Only the active (sendonly) sections make tracks; the inactive one does not.
    pc.addEventListener('track', (event) => tracks.push(`${event.transceiver.mid}:${event.track.kind}`));
    try {
      await pc.setRemoteDescription({ type: 'offer', sdp });
    } catch (error) {
      return { applied: false, error: `setRemoteDescription(offer): ${error}` };
    }
    await pc.setLocalDescription(await pc.createAnswer());
    await window.gathered(pc);
    const answer = pc.localDescription.sdp;
    pc.close();
    return { applied: true, answer, tracks: tracks.join(' ') };
  }, subscribeOffer);
  report('subscribe: chromium applies our offer and answers', subscribe.applied, subscribe.error);
  if (subscribe.applied) {
    save('subscribe.offer.sdp', subscribeOffer);
    save('subscribe.answer.sdp', subscribe.answer);
    report('subscribe: tracks chromium made', subscribe.tracks === '0:audio 1:video', subscribe.tracks);
    const read = negotiate(['read-subscribe-answer'], subscribe.answer);
    report('subscribe: the SFU reads chromium\'s answer', read.ok && read.out.trim() === 'server 0 1',
      read.ok ? read.out.trim() : read.error);
  }

  // 5: simulcast declined by leaving a=rid/a=simulcast out of the answer.
  const simulcast = await page.evaluate(async () => {
    const pc = new RTCPeerConnection();
    const camera = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 1280, height: 720 } });
    pc.addTransceiver(camera.getAudioTracks()[0], { direction: 'sendonly', streams: [camera] });
    const video = pc.addTransceiver(camera.getVideoTracks()[0], {
      direction: 'sendonly',
      streams: [camera],
      sendEncodings: [{ rid: 'q', scaleResolutionDownBy: 4 }, { rid: 'h', scaleResolutionDownBy: 2 }, { rid: 'f' }],
    });
    const round = await window.publishRound(pc, 1);
    round.encodings = video.sender.getParameters().encodings
      .map((e) => `${e.rid ?? '-'}/${e.scaleResolutionDownBy ?? 1}`).join(' ');
    pc.close();
    return round;
  });
  save('publish_simulcast.offer.sdp', simulcast.offer);
  report('publish_simulcast: chromium applies our answer', simulcast.applied, simulcast.error);
  report('publish_simulcast: encodings left after the answer', simulcast.applied, simulcast.encodings);

  // 6: a data channel is rejected (port 0) and the rest goes on.
  const data = await page.evaluate(async () => {
    const pc = new RTCPeerConnection();
    const camera = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    for (const track of camera.getTracks()) pc.addTransceiver(track, { direction: 'sendonly', streams: [camera] });
    pc.createDataChannel('chat');
    const round = await window.publishRound(pc, 1);
    round.sctp = pc.sctp === null ? 'none' : pc.sctp.state;
    pc.close();
    return round;
  });
  save('publish_data_channel.offer.sdp', data.offer);
  report('publish_data_channel: chromium applies our answer', data.applied, data.error);
  report('publish_data_channel: no SCTP transport', data.sctp === 'none', data.sctp);
} finally {
  await browser.close();
  server.close();
  fs.rmSync(toolDir, { recursive: true, force: true });
}
console.log(failed ? 'capture: FAILED' : `capture: ok (${results.length} checks)`);
process.exit(failed ? 1 : 0);
