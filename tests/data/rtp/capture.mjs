// Captures plain (unencrypted) RTP/RTCP between two RTCPeerConnections in one
// headless Chromium page, for the parser tests beside this file. Run inside a
// network namespace with only loopback, with tcpdump listening on lo; see README.md.
//
//   node capture.mjs <seconds> [remb|twobyte]
//
// "remb" removes transport-cc from the answer so that the receiver falls back to
// REMB (goog-remb). "twobyte" renumbers transport-cc from 3 to 17 in the SDP the
// receiver sees (and so in the answer the sender applies), which the one-byte form
// cannot carry: the sender then writes RFC 8285 two-byte extension blocks. Prints
// both SDPs and the receiver's statistics as JSON on stdout.
import http from 'node:http';
import { chromium } from 'playwright-core';

const seconds = Number(process.argv[2] ?? 5);
const mode = process.argv[3] ?? '';

const page = `<!doctype html><meta charset="utf-8"><title>capture</title><body><script>
async function run(seconds, mode) {
  const stream = await navigator.mediaDevices.getUserMedia({audio: true, video: {width: 320, height: 240}});
  const sender = new RTCPeerConnection();
  const receiver = new RTCPeerConnection();
  sender.onicecandidate = (e) => e.candidate && receiver.addIceCandidate(e.candidate);
  receiver.onicecandidate = (e) => e.candidate && sender.addIceCandidate(e.candidate);
  for (const track of stream.getTracks()) {
    const transceiver = sender.addTransceiver(track, {direction: 'sendonly', streams: [stream]});
    if (track.kind === 'video') {
      const vp8 = RTCRtpReceiver.getCapabilities('video').codecs.filter((c) => /VP8|rtx/.test(c.mimeType));
      transceiver.setCodecPreferences(vp8);
    }
  }
  const received = [];
  receiver.ontrack = (e) => {
    received.push(e.track.kind);
    const element = document.createElement(e.track.kind);
    element.srcObject = new MediaStream([e.track]);
    element.muted = true;
    element.play();
    document.body.append(element);
  };
  const offer = await sender.createOffer();
  await sender.setLocalDescription(offer);
  const remoteOffer = mode === 'twobyte' ? {type: 'offer', sdp: offer.sdp.replaceAll('a=extmap:3 ', 'a=extmap:17 ')} : offer;
  await receiver.setRemoteDescription(remoteOffer);
  const answer = await receiver.createAnswer();
  let answerSdp = answer.sdp;
  if (mode === 'remb') {
    answerSdp = answerSdp.split('\\r\\n').filter((l) => !/transport-wide-cc|transport-cc/.test(l)).join('\\r\\n');
  }
  await receiver.setLocalDescription({type: 'answer', sdp: answerSdp});
  await sender.setRemoteDescription({type: 'answer', sdp: answerSdp});
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const stats = [];
  (await receiver.getStats()).forEach((s) => {
    if (s.type === 'inbound-rtp') stats.push({kind: s.kind, packetsReceived: s.packetsReceived, packetsLost: s.packetsLost, nackCount: s.nackCount, pliCount: s.pliCount, codec: s.codecId});
  });
  const result = {offer: remoteOffer.sdp, answer: answerSdp, received, stats,
                  iceState: sender.iceConnectionState};
  sender.close();
  receiver.close();
  return result;
}
</script>`;

const server = http.createServer((request, response) => {
  response.writeHead(200, {'content-type': 'text/html'});
  response.end(page);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless=new', '--no-sandbox', '--disable-gpu', '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream', '--allow-loopback-in-peer-connection',
    '--disable-features=WebRtcHideLocalIpsWithMdns', '--disable-webrtc-encryption',
  ],
});
try {
  const tab = await browser.newPage();
  tab.on('console', (message) => process.stderr.write(`console: ${message.text()}\n`));
  await tab.goto(`http://localhost:${server.address().port}/`);
  const result = await tab.evaluate(([s, m]) => run(s, m), [seconds, mode]);
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
} finally {
  await browser.close();
  server.close();
}
