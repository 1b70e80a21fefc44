// The SMTP sink of the tests (../smtp_sink.mjs), checked against a real SMTP
// client: curl, which is libcurl's SMTP code, the same the server's outbox uses.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

import { startSmtpSink } from '../smtp_sink.mjs';

const run = promisify(execFile);

const CALENDAR = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//eGov box//test//BG',
  'METHOD:REQUEST',
  'BEGIN:VEVENT',
  'UID:meeting-42@egovbox.test',
  'SEQUENCE:0',
  'DTSTART:20261201T080000Z',
  'DTEND:20261201T090000Z',
  'SUMMARY:Оперативка',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

function base64Lines(text) {
  return Buffer.from(text).toString('base64').replace(/.{1,76}/g, '$&\r\n');
}

// A message shaped like an invitation: mixed { alternative { text/plain in
// quoted-printable, text/html in base64 }, text/calendar attachment in base64 },
// with a subject in two RFC 2047 words that split a Cyrillic letter between them.
function invitationMessage() {
  const subjectBytes = Buffer.from('Покана: Оперативка');
  const subject = `=?UTF-8?B?${subjectBytes.subarray(0, 7).toString('base64')}?=\r\n =?UTF-8?B?${subjectBytes
    .subarray(7)
    .toString('base64')}?=`;
  return [
    'From: "eGov box" <noreply@egovbox.test>',
    'To: ivan@example.org, maria@example.org',
    `Subject: ${subject}`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed;',
    ' boundary="outer-boundary"',
    '',
    'This is a multi-part message in MIME format.',
    '--outer-boundary',
    'Content-Type: multipart/alternative; boundary=inner',
    '',
    '--inner',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    // "Здравейте," and a line that starts with a dot (curl stuffs it, the sink unstuffs it).
    '=D0=97=D0=B4=D1=80=D0=B0=D0=B2=D0=B5=D0=B9=D1=82=D0=B5,',
    '.a line with a leading dot and a long soft-broken li=',
    'ne',
    '--inner',
    'Content-Type: text/html; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines('<p>Здравейте,</p>').trimEnd(),
    '--inner--',
    '',
    '--outer-boundary',
    'Content-Type: text/calendar; charset=UTF-8; method=REQUEST',
    "Content-Disposition: attachment; filename*=UTF-8''%D0%BF%D0%BE%D0%BA%D0%B0%D0%BD%D0%B0.ics",
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(CALENDAR).trimEnd(),
    '--outer-boundary--',
    '',
  ].join('\r\n');
}

async function curlSend(sink, file, { from = 'noreply@egovbox.test', to = [], extra = [] } = {}) {
  const args = ['--silent', '--show-error', '--url', sink.url, '--mail-from', from, '-T', file, ...extra];
  for (const rcpt of to) args.push('--mail-rcpt', rcpt);
  return run('curl', args, { timeout: 20_000 });
}

function tempFile(name, content) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smtp-sink-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return { file, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

test('curl delivers a multipart invitation with a calendar attachment; the sink parses it', async (t) => {
  const sink = await startSmtpSink({ port: 0 });
  const eml = tempFile('invitation.eml', invitationMessage());
  t.after(async () => {
    await sink.close();
    eml.remove();
  });

  await curlSend(sink, eml.file, { to: ['ivan@example.org', 'maria@example.org'] });
  const [message] = await sink.waitForMessages(1, 5000);

  assert.equal(message.from, 'noreply@egovbox.test');
  assert.deepEqual(message.to, ['ivan@example.org', 'maria@example.org']);
  assert.equal(message.subject, 'Покана: Оперативка');
  assert.equal(message.headers.to, 'ivan@example.org, maria@example.org');
  assert.match(message.headers['content-type'], /^multipart\/mixed; boundary="outer-boundary"$/);
  assert.ok(message.data.startsWith('From: "eGov box" <noreply@egovbox.test>\r\n'), message.data.slice(0, 80));
  assert.ok(message.data.includes('\r\n.a line with a leading dot'), 'dot-unstuffed');
  assert.ok(!message.data.includes('\r\n..a line'), 'no stuffing left');
  assert.ok(message.data.endsWith('--outer-boundary--\r\n'), JSON.stringify(message.data.slice(-40)));

  assert.deepEqual(
    message.parts.map((part) => part.contentType),
    ['text/plain', 'text/html', 'text/calendar'],
  );
  const [plain, html, calendar] = message.parts;
  assert.equal(plain.text, 'Здравейте,\r\n.a line with a leading dot and a long soft-broken line');
  assert.equal(plain.filename, null);
  assert.equal(html.text, '<p>Здравейте,</p>');
  assert.equal(calendar.filename, 'покана.ics');
  assert.equal(calendar.disposition, 'attachment');
  assert.equal(calendar.params.method, 'REQUEST');
  assert.equal(calendar.text, CALENDAR);
  assert.match(calendar.text, /\r\nSUMMARY:Оперативка\r\n/);
});

test('several messages on one session, RSET and NOOP, and a plain single-part message', async (t) => {
  const sink = await startSmtpSink({ port: 0 });
  t.after(() => sink.close());

  const socket = net.connect({ host: '127.0.0.1', port: sink.port });
  t.after(() => socket.destroy());
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk) => {
    received += chunk;
  });
  const closed = new Promise((resolve) => socket.on('close', resolve));
  // Waits for the `count`-th reply line (a final line: code and a space).
  const replies = () => received.split('\r\n').filter((line) => /^\d{3} /.test(line));
  const until = async (count) => {
    const deadline = Date.now() + 5000;
    while (replies().length < count) {
      assert.ok(Date.now() < deadline, `no reply ${count}:\n${received}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return replies()[count - 1];
  };

  assert.match(await until(1), /^220 /);
  const steps = [
    ['MAIL FROM:<early@x>', /^503 /],
    ['HELO client.test', /^250 /],
    ['DATA', /^503 /],
    ['MAIL FROM:<a@x> SIZE=100', /^250 /],
    ['RCPT TO:<b@y>', /^250 /],
    ['RSET', /^250 /],
    ['RCPT TO:<b@y>', /^503 /],
    ['NOOP', /^250 /],
    ['MAIL FROM:<> SIZE=999999999999', /^552 /],
    ['MAIL FROM:<a@x>', /^250 /],
    ['RCPT TO:<b@y>', /^250 /],
    ['RCPT TO:<c@y>', /^250 /],
    ['DATA', /^354 /],
  ];
  for (const [index, [line, expected]] of steps.entries()) {
    socket.write(`${line}\r\n`);
    assert.match(await until(index + 2), expected, line);
  }
  socket.write('Subject: =?ISO-8859-1?Q?caf=E9_au_lait?=\r\nContent-Type: text/plain\r\n\r\nhello\r\n..dot\r\n.\r\n');
  assert.match(await until(steps.length + 2), /^250 /);
  // A second transaction, pipelined with the QUIT, with an empty sender (a bounce).
  socket.write('MAIL FROM:<>\r\nRCPT TO:<d@y>\r\nDATA\r\n');
  await until(steps.length + 5);
  socket.write('Subject: two\r\n\r\nsecond\r\n.\r\nQUIT\r\n');
  await closed;

  const messages = await sink.waitForMessages(2, 1000);
  assert.deepEqual(messages.map((message) => [message.from, message.to]), [
    ['a@x', ['b@y', 'c@y']],
    ['', ['d@y']],
  ]);
  assert.equal(messages[0].subject, 'café au lait');
  assert.deepEqual(messages[0].parts.map((part) => [part.contentType, part.text]), [['text/plain', 'hello\r\n.dot\r\n']]);
  assert.equal(messages[1].subject, 'two');
  assert.match(received, /\r\n221 /);
});

test('AUTH for a configured SMTP user, and a temporary failure that keeps nothing', async (t) => {
  const sink = await startSmtpSink({ port: 0, auth: true });
  const eml = tempFile('short.eml', 'Subject: hi\r\n\r\nbody\r\n');
  t.after(async () => {
    await sink.close();
    eml.remove();
  });

  sink.failures.data = '451 4.3.0 try again later';
  await assert.rejects(curlSend(sink, eml.file, { to: ['b@y'], extra: ['--user', 'egov:secret'] }), /451|rejected|failed/i);
  assert.equal(sink.messages.length, 0);

  sink.failures.data = null;
  for (const mechanism of ['PLAIN', 'LOGIN']) {
    await curlSend(sink, eml.file, { to: ['b@y'], extra: ['--user', 'egov:secret', '--login-options', `AUTH=${mechanism}`] });
  }
  const messages = await sink.waitForMessages(2, 5000);
  for (const message of messages) assert.deepEqual(message.auth, { user: 'egov', password: 'secret' });
  assert.equal(messages[0].parts[0].text, 'body\r\n');
  await assert.rejects(sink.waitForMessages(3, 100), /2 of 3 messages/);
});
