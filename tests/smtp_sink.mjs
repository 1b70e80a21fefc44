// A tiny SMTP server for tests: listens on 127.0.0.1 only, speaks enough of
// RFC 5321 for libcurl's SMTP client (plain, no STARTTLS), and keeps every
// message it accepts, parsed:
//
//   const sink = await startSmtpSink({ port: 0 });
//   // server configured with smtp_url = `smtp://127.0.0.1:${sink.port}`
//   const [message] = await sink.waitForMessages(1, 5000);
//   message.from, message.to, message.subject, message.headers['content-type'],
//   message.parts.find((part) => part.contentType === 'text/calendar').text
//   await sink.close();
//
// A message is {from, to: [addresses], data (the raw message as UTF-8 text, dots
// unstuffed), raw (the same as bytes), size, headers (lower-case names -> first
// value, RFC 2047 words left as sent), headerList ([name, value] in order), subject
// (RFC 2047 decoded), parts, auth ({user, password} when the client authenticated),
// receivedAt}. `parts` are the leaf parts of the MIME tree (multipart/* of any
// kind, nested, taken apart depth first; a single-part message is one part):
// {contentType (lower-case type/subtype, no parameters), params (lower-case
// names), disposition, filename, charset, headers, bytes (decoded body), text
// (bytes decoded with the part's charset, UTF-8 by default)}.
//
// Failures for retry tests: set `sink.failures.mail`, `.rcpt` or `.data` to a full
// reply line (e.g. '451 4.3.0 try again later') and that stage of every
// transaction answers it until it is set back to null; a failed message is not kept.
import net from 'node:net';

const MAX_MESSAGE_BYTES = 25 * 1024 * 1024;
const MAX_LINE_BYTES = 4096; // RFC 5321 §4.5.3.1.4 allows 512 for a command line; be generous
const HOST = '127.0.0.1';

export async function startSmtpSink({ port = 0, auth = false, hostname = 'smtp-sink.test' } = {}) {
  const messages = [];
  const waiters = new Set();
  const sockets = new Set();
  const sink = {
    port: 0,
    url: '',
    messages,
    failures: { mail: null, rcpt: null, data: null },
    // Every transcript line (C: / S:), for debugging a failing test.
    transcript: [],
    waitForMessages,
    clear() {
      messages.length = 0;
    },
    close,
  };

  function waitForMessages(count, timeoutMs = 5000) {
    if (messages.length >= count) return Promise.resolve(messages.slice());
    return new Promise((resolve, reject) => {
      const waiter = {
        count,
        resolve,
        timer: setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`SMTP sink: ${messages.length} of ${count} messages after ${timeoutMs} ms`));
        }, timeoutMs),
      };
      waiters.add(waiter);
    });
  }

  function store(message) {
    messages.push(message);
    for (const waiter of [...waiters]) {
      if (messages.length >= waiter.count) {
        clearTimeout(waiter.timer);
        waiters.delete(waiter);
        waiter.resolve(messages.slice());
      }
    }
  }

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {}); // a client that goes away is not a test failure
    serveSession(socket, { sink, auth, hostname, store });
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: HOST, port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  sink.port = server.address().port;
  sink.url = `smtp://${HOST}:${sink.port}`;

  function close() {
    for (const waiter of waiters) clearTimeout(waiter.timer);
    waiters.clear();
    for (const socket of sockets) socket.destroy();
    return new Promise((resolve) => server.close(() => resolve()));
  }

  return sink;
}

// One SMTP session on `socket`: commands line by line, then the message bytes
// after DATA up to CRLF.CRLF, then commands again (pipelined input is kept).
function serveSession(socket, { sink, auth, hostname, store }) {
  let buffer = Buffer.alloc(0);
  let mode = 'command'; // 'command' | 'data' | 'auth-plain' | 'auth-login-user' | 'auth-login-password'
  let greeted = false;
  let transaction = null; // {from, to: [], size}
  let authenticated = null;
  let loginUser = '';

  const reply = (line) => {
    sink.transcript.push(`S: ${line}`);
    if (!socket.destroyed) socket.write(`${line}\r\n`);
  };

  reply(`220 ${hostname} ESMTP test sink`);

  socket.on('data', (chunk) => {
    buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
    for (;;) {
      if (mode === 'data') {
        const message = takeMessage();
        if (message === null) {
          if (buffer.length > MAX_MESSAGE_BYTES + 1024) {
            reply('552 5.3.4 message too big');
            socket.end();
          }
          return;
        }
        mode = 'command';
        finishData(message);
        continue;
      }
      const end = buffer.indexOf('\n');
      if (end < 0) {
        if (buffer.length > MAX_LINE_BYTES) {
          reply('500 5.5.2 line too long');
          socket.end();
        }
        return;
      }
      const line = buffer.subarray(0, end).toString('utf8').replace(/\r$/, '');
      buffer = buffer.subarray(end + 1);
      sink.transcript.push(`C: ${line}`);
      handleLine(line);
      if (socket.destroyed || socket.writableEnded) return;
    }
  });

  // The message bytes up to CRLF.CRLF (RFC 5321 §4.1.1.4), dot-unstuffed
  // (§4.5.2); null while the end has not arrived.
  function takeMessage() {
    let end;
    let rest;
    if (buffer.subarray(0, 3).toString('latin1') === '.\r\n') {
      end = 0; // an empty message: the terminator right after the 354
      rest = 3;
    } else {
      const at = buffer.indexOf('\r\n.\r\n');
      if (at < 0) return null;
      end = at + 2; // the CRLF before the dot ends the last line of the message
      rest = at + 5;
    }
    const stuffed = buffer.subarray(0, end).toString('latin1');
    buffer = buffer.subarray(rest);
    const unstuffed = stuffed.replace(/(^|\r\n)\./g, '$1');
    return Buffer.from(unstuffed, 'latin1');
  }

  function finishData(raw) {
    const { from, to } = transaction;
    transaction = null;
    if (sink.failures.data) {
      reply(sink.failures.data);
      return;
    }
    const message = { from, to, ...parseMessage(raw), receivedAt: new Date() };
    if (authenticated) message.auth = { ...authenticated };
    store(message);
    reply(`250 2.0.0 OK: queued as ${String(sink.messages.length).padStart(6, '0')}`);
  }

  function handleLine(line) {
    if (mode === 'auth-plain') {
      mode = 'command';
      finishAuthPlain(line);
      return;
    }
    if (mode === 'auth-login-user') {
      loginUser = decodeBase64Text(line);
      mode = 'auth-login-password';
      reply(`334 ${Buffer.from('Password:').toString('base64')}`);
      return;
    }
    if (mode === 'auth-login-password') {
      mode = 'command';
      authenticated = { user: loginUser, password: decodeBase64Text(line) };
      reply('235 2.7.0 Authentication successful');
      return;
    }

    const space = line.indexOf(' ');
    const verb = (space < 0 ? line : line.slice(0, space)).toUpperCase();
    const argument = space < 0 ? '' : line.slice(space + 1).trim();
    switch (verb) {
      case 'EHLO':
        greeted = true;
        transaction = null;
        reply(`250-${hostname} greets ${argument || 'client'}`);
        reply('250-8BITMIME');
        reply('250-SMTPUTF8');
        if (auth) reply('250-AUTH PLAIN LOGIN');
        reply(`250 SIZE ${MAX_MESSAGE_BYTES}`);
        return;
      case 'HELO':
        greeted = true;
        transaction = null;
        reply(`250 ${hostname}`);
        return;
      case 'AUTH':
        return startAuth(argument);
      case 'MAIL': {
        if (!greeted) return reply('503 5.5.1 EHLO or HELO first');
        if (transaction) return reply('503 5.5.1 nested MAIL command');
        const match = /^FROM:\s*<([^>]*)>(.*)$/i.exec(argument);
        if (!match) return reply('501 5.5.4 syntax: MAIL FROM:<address>');
        const size = /\bSIZE=(\d+)/i.exec(match[2]);
        if (size && Number(size[1]) > MAX_MESSAGE_BYTES) return reply('552 5.3.4 message size exceeds fixed limit');
        if (sink.failures.mail) return reply(sink.failures.mail);
        transaction = { from: match[1], to: [] };
        return reply('250 2.1.0 OK');
      }
      case 'RCPT': {
        if (!transaction) return reply('503 5.5.1 need MAIL before RCPT');
        const match = /^TO:\s*<([^>]*)>/i.exec(argument);
        if (!match || match[1] === '') return reply('501 5.5.4 syntax: RCPT TO:<address>');
        if (sink.failures.rcpt) return reply(sink.failures.rcpt);
        transaction.to.push(match[1]);
        return reply('250 2.1.5 OK');
      }
      case 'DATA':
        if (!transaction) return reply('503 5.5.1 need MAIL command');
        if (transaction.to.length === 0) return reply('554 5.5.1 no valid recipients');
        mode = 'data';
        return reply('354 End data with <CR><LF>.<CR><LF>');
      case 'RSET':
        transaction = null;
        return reply('250 2.0.0 OK');
      case 'NOOP':
        return reply('250 2.0.0 OK');
      case 'VRFY':
        return reply('252 2.1.5 cannot VRFY, but will accept the message');
      case 'HELP':
        return reply('214 2.0.0 EHLO HELO MAIL RCPT DATA RSET NOOP QUIT');
      case 'QUIT':
        reply('221 2.0.0 bye');
        socket.end();
        return;
      case 'STARTTLS':
        return reply('502 5.5.1 this test sink speaks plain SMTP only');
      default:
        return reply('502 5.5.2 command not recognised');
    }
  }

  // RFC 4954 AUTH with the PLAIN (RFC 4616) or LOGIN mechanism; any credentials pass.
  function startAuth(argument) {
    if (!auth) return reply('502 5.5.1 AUTH not advertised');
    const [mechanism, initial] = argument.split(/\s+/);
    switch ((mechanism ?? '').toUpperCase()) {
      case 'PLAIN':
        if (initial) return finishAuthPlain(initial);
        mode = 'auth-plain';
        return reply('334 ');
      case 'LOGIN':
        if (initial) {
          loginUser = decodeBase64Text(initial);
          mode = 'auth-login-password';
          return reply(`334 ${Buffer.from('Password:').toString('base64')}`);
        }
        mode = 'auth-login-user';
        return reply(`334 ${Buffer.from('Username:').toString('base64')}`);
      default:
        return reply('504 5.5.4 unrecognised authentication mechanism');
    }
  }

  function finishAuthPlain(encoded) {
    const [, user = '', password = ''] = decodeBase64Text(encoded).split('\0');
    authenticated = { user, password };
    reply('235 2.7.0 Authentication successful');
  }
}

function decodeBase64Text(text) {
  return Buffer.from(text.trim(), 'base64').toString('utf8');
}

// ---------------------------------------------------------------------------
// Message parsing (RFC 5322 headers, RFC 2045-2047 and 2231 MIME)

// Parses the raw message bytes; returns {data, raw, size, headers, headerList, subject, parts}.
export function parseMessage(raw) {
  const entity = parseEntity(raw.toString('latin1'));
  return {
    data: raw.toString('utf8'),
    raw,
    size: raw.length,
    headers: entity.headers,
    headerList: entity.headerList,
    subject: decodeEncodedWords(entity.headers.subject ?? ''),
    parts: leafParts(entity),
  };
}

// Splits a MIME entity (a latin1 string, one char per byte) into headers and body.
function parseEntity(binary) {
  const split = /\r?\n\r?\n/.exec(binary);
  const head = split ? binary.slice(0, split.index) : binary;
  const body = split ? binary.slice(split.index + split[0].length) : '';
  const headerList = [];
  for (const line of head.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && headerList.length > 0) {
      headerList.at(-1)[1] += ` ${line.trim()}`; // RFC 5322 §2.2.3 unfolding
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    // Header bytes may be UTF-8 (RFC 6532, with SMTPUTF8).
    const value = Buffer.from(line.slice(colon + 1).trim(), 'latin1').toString('utf8');
    headerList.push([line.slice(0, colon).trim().toLowerCase(), value]);
  }
  const headers = {};
  for (const [name, value] of headerList) if (!(name in headers)) headers[name] = value;
  return { headers, headerList, body };
}

function leafParts(entity, defaultType = 'text/plain') {
  const { type, params } = parseHeaderValue(entity.headers['content-type'] ?? defaultType);
  if (type.startsWith('multipart/') && params.boundary) {
    // A part of multipart/digest defaults to message/rfc822, of anything else to text/plain.
    const childDefault = type === 'multipart/digest' ? 'message/rfc822' : 'text/plain';
    return splitMultipart(entity.body, params.boundary).flatMap((child) => leafParts(parseEntity(child), childDefault));
  }
  const disposition = parseHeaderValue(entity.headers['content-disposition'] ?? '');
  const bytes = decodeTransfer(entity.body, entity.headers['content-transfer-encoding']);
  const charset = params.charset ?? 'utf-8';
  let filename = disposition.params.filename ?? params.name ?? null;
  if (filename !== null) filename = decodeEncodedWords(filename);
  return [
    {
      contentType: type,
      params,
      disposition: disposition.type || null,
      filename,
      charset,
      headers: entity.headers,
      bytes,
      text: decodeText(bytes, charset),
    },
  ];
}

// RFC 2046 §5.1.1: the body parts between "--boundary" delimiter lines; the CRLF
// before a delimiter belongs to the delimiter. Preamble and epilogue are dropped.
function splitMultipart(body, boundary) {
  const parts = [];
  const delimiter = new RegExp(`(?:^|\\r?\\n)--${escapeRegExp(boundary)}(--)?[ \\t]*(?:\\r?\\n|$)`, 'g');
  let start = -1;
  for (const match of body.matchAll(delimiter)) {
    if (start >= 0) parts.push(body.slice(start, match.index));
    if (match[1]) return parts; // the close delimiter
    start = match.index + match[0].length;
  }
  if (start >= 0) parts.push(body.slice(start)); // no close delimiter: be lenient
  return parts;
}

function decodeTransfer(body, encoding = '7bit') {
  switch (encoding.trim().toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
    case 'quoted-printable':
      return Buffer.from(decodeQuotedPrintable(body), 'latin1');
    default: // 7bit, 8bit, binary
      return Buffer.from(body, 'latin1');
  }
}

// RFC 2045 §6.7 on a latin1 string; returns a latin1 string of the decoded bytes.
function decodeQuotedPrintable(text) {
  return text
    .replace(/[ \t]+(?=\r?\n)/g, '') // trailing whitespace is transport padding
    .replace(/=\r?\n/g, '') // soft line breaks
    .replace(/=([0-9A-Fa-f]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
}

function decodeText(bytes, charset) {
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return bytes.toString('utf8'); // an unknown charset label
  }
}

// "type/subtype; a=b; c*=utf-8''%D0%90" -> {type, params}, with RFC 2231
// continuations (name*0, name*1*) and charsets.
export function parseHeaderValue(value) {
  const [first = '', ...rest] = splitOutsideQuotes(value, ';');
  const pieces = new Map(); // name -> [{index, text, encoded}]
  for (const item of rest) {
    const equals = item.indexOf('=');
    if (equals < 0) continue;
    const key = item.slice(0, equals).trim().toLowerCase();
    let text = item.slice(equals + 1).trim();
    if (text.startsWith('"') && text.endsWith('"') && text.length >= 2) {
      text = text.slice(1, -1).replace(/\\(.)/g, '$1');
    }
    const match = /^([^*]+)(?:\*(\d+))?(\*)?$/.exec(key);
    if (!match) continue;
    const [, name, index, star] = match;
    if (!pieces.has(name)) pieces.set(name, []);
    pieces.get(name).push({ index: Number(index ?? 0), text, encoded: !!star });
  }
  const params = {};
  for (const [name, list] of pieces) {
    list.sort((a, b) => a.index - b.index);
    let charset = 'utf-8';
    let bytes = '';
    for (const [position, piece] of list.entries()) {
      let text = piece.text;
      if (piece.encoded) {
        if (position === 0) {
          const quote = /^([^']*)'[^']*'/.exec(text); // charset'language'
          if (quote) {
            charset = quote[1] || 'utf-8';
            text = text.slice(quote[0].length);
          }
        }
        bytes += percentOrHexToLatin1(text, '%');
      } else {
        bytes += Buffer.from(text, 'utf8').toString('latin1');
      }
    }
    params[name] = decodeText(Buffer.from(bytes, 'latin1'), charset);
  }
  return { type: first.trim().toLowerCase(), params };
}

function splitOutsideQuotes(text, separator) {
  const out = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && quoted) {
      current += c + (text[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === separator && !quoted) {
      out.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  out.push(current);
  return out;
}

// RFC 2047 encoded words (=?charset?B|Q?text?=). Whitespace between two adjacent
// encoded words is dropped (§6.2), and adjacent words in one charset are decoded
// together, so that a character split across two words (seen in the wild) survives.
export function decodeEncodedWords(text) {
  const word = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/y;
  let out = '';
  let pending = null; // {charset, bytes: []} of the run of encoded words being read
  let i = 0;
  const flush = () => {
    if (pending) out += decodeText(Buffer.concat(pending.bytes), pending.charset);
    pending = null;
  };
  while (i < text.length) {
    word.lastIndex = i;
    const match = word.exec(text);
    if (match) {
      const [, charset, encoding, encoded] = match;
      const label = charset.split('*')[0].toLowerCase(); // RFC 2231 §5: charset*language
      const bytes =
        encoding.toUpperCase() === 'B'
          ? Buffer.from(encoded, 'base64')
          : Buffer.from(percentOrHexToLatin1(encoded.replace(/_/g, ' '), '='), 'latin1');
      if (pending && pending.charset !== label) flush();
      pending ??= { charset: label, bytes: [] };
      pending.bytes.push(bytes);
      i = word.lastIndex;
      // Whitespace up to the next encoded word belongs to neither.
      const gap = /^[ \t\r\n]+(?==\?[^?\s]+\?[BbQq]\?[^?\s]*\?=)/.exec(text.slice(i));
      if (gap) i += gap[0].length;
      continue;
    }
    flush();
    out += text[i];
    i++;
  }
  flush();
  return out;
}

// Replaces each `marker`XX (two hex digits) with the byte XX; returns a latin1 string.
function percentOrHexToLatin1(text, marker) {
  const pattern = new RegExp(`${escapeRegExp(marker)}([0-9A-Fa-f]{2})`, 'g');
  return Buffer.from(text, 'utf8')
    .toString('latin1')
    .replace(pattern, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
