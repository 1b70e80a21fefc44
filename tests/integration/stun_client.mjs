// A small ICE connectivity-check client for the tests (RFC 8489, RFC 8445 §7.2.2):
// builds a Binding request with USERNAME, PRIORITY, ICE-CONTROLLING, optional
// USE-CANDIDATE, MESSAGE-INTEGRITY (HMAC-SHA1 with the server's ICE password)
// and FINGERPRINT, sends it over UDP, and reads the answer if one comes.
import crypto from 'node:crypto';
import dgram from 'node:dgram';

const MAGIC_COOKIE = 0x2112a442;
const BINDING_REQUEST = 0x0001;
const BINDING_SUCCESS = 0x0101;
const ATTRIBUTE = {
  username: 0x0006,
  messageIntegrity: 0x0008,
  xorMappedAddress: 0x0020,
  priority: 0x0024,
  useCandidate: 0x0025,
  fingerprint: 0x8028,
  iceControlling: 0x802a,
};

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function attribute(type, value) {
  const padded = Buffer.alloc(4 + Math.ceil(value.length / 4) * 4);
  padded.writeUInt16BE(type, 0);
  padded.writeUInt16BE(value.length, 2);
  value.copy(padded, 4);
  return padded;
}

// The request's bytes and its transaction id.
export function bindingRequest({ username, password, useCandidate = true, fingerprint = true }) {
  const transactionId = crypto.randomBytes(12);
  const priority = Buffer.alloc(4);
  priority.writeUInt32BE(0x6e0001ff);
  const tieBreaker = crypto.randomBytes(8);
  let body = Buffer.concat([
    attribute(ATTRIBUTE.username, Buffer.from(username, 'utf8')),
    attribute(ATTRIBUTE.priority, priority),
    attribute(ATTRIBUTE.iceControlling, tieBreaker),
    ...(useCandidate ? [attribute(ATTRIBUTE.useCandidate, Buffer.alloc(0))] : []),
  ]);
  const header = (length) => {
    const h = Buffer.alloc(20);
    h.writeUInt16BE(BINDING_REQUEST, 0);
    h.writeUInt16BE(length, 2);
    h.writeUInt32BE(MAGIC_COOKIE, 4);
    transactionId.copy(h, 8);
    return h;
  };
  // RFC 8489 §14.5: the HMAC covers the header with the length up to and including MESSAGE-INTEGRITY.
  const integrity = crypto
    .createHmac('sha1', Buffer.from(password, 'utf8'))
    .update(Buffer.concat([header(body.length + 24), body]))
    .digest();
  body = Buffer.concat([body, attribute(ATTRIBUTE.messageIntegrity, integrity)]);
  if (fingerprint) {
    const value = Buffer.alloc(4);
    value.writeUInt32BE((crc32(Buffer.concat([header(body.length + 8), body])) ^ 0x5354554e) >>> 0);
    body = Buffer.concat([body, attribute(ATTRIBUTE.fingerprint, value)]);
  }
  return { bytes: Buffer.concat([header(body.length), body]), transactionId };
}

// Sends a Binding request from `socket` (a bound dgram socket) and resolves with the
// success response's XOR-MAPPED-ADDRESS ({address, port}), or null when nothing
// answers within `timeoutMs`.
export function checkConnectivity(socket, { host, port, username, password, timeoutMs = 1000, ...options }) {
  const { bytes, transactionId } = bindingRequest({ username, password, ...options });
  return new Promise((resolve) => {
    const onMessage = (message) => {
      if (message.length < 20 || !message.subarray(8, 20).equals(transactionId)) return;
      cleanup();
      resolve(message.readUInt16BE(0) === BINDING_SUCCESS ? xorMappedAddress(message) : { error: message.readUInt16BE(0) });
    };
    const timer = setTimeout(() => {
      cleanup();
      resolve(null);
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      socket.off('message', onMessage);
    };
    socket.on('message', onMessage);
    socket.send(bytes, port, host);
  });
}

function xorMappedAddress(message) {
  let at = 20;
  while (at + 4 <= message.length) {
    const type = message.readUInt16BE(at);
    const length = message.readUInt16BE(at + 2);
    if (type === ATTRIBUTE.xorMappedAddress && length >= 8) {
      const port = message.readUInt16BE(at + 6) ^ (MAGIC_COOKIE >>> 16);
      const raw = message.readUInt32BE(at + 8) ^ MAGIC_COOKIE;
      return { address: [raw >>> 24, (raw >>> 16) & 255, (raw >>> 8) & 255, raw & 255].join('.'), port };
    }
    at += 4 + Math.ceil(length / 4) * 4;
  }
  return { address: null, port: null };
}

export async function udpSocket() {
  const socket = dgram.createSocket('udp4');
  await new Promise((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return socket;
}
