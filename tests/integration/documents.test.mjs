// Documents (docs/documents.md): uploads streamed to disk in constant memory,
// who may see what (shares with people and departments, expiry, classification),
// file names that are never paths, upload limits, types told from the content,
// downloads and previews, encryption at rest, versions, soft delete, comments.
// Virus scanning is in documents_scanning.test.mjs, crashes in documents_crash.test.mjs.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { assertProblem, PROBLEM, serverTest, startServer, waitFor } from './harness.mjs';
import {
  API,
  assertHidden,
  blobHashes,
  blobPath,
  createDocument,
  DOCUMENTS,
  download,
  elfBytes,
  filesUnder,
  listedIds,
  member,
  MiB,
  PNG_BYTES,
  pdfBytes,
  rawUpload,
  readPaths,
  sampleRss,
  sha256,
  share,
  shareOk,
  temporaryFiles,
  textBytes,
  uploadDocument,
  uploadVersion,
  vmRss,
} from './documents_helpers.mjs';
import { createMeeting, iso, meetingBody } from './meetings_helpers.mjs';

// A body above documents_max_bytes: the HTTP layer's problem, as for max_body_bytes.
const TOO_LARGE = 'payload-too-large';

// ---------------------------------------------------------------------------
// Streaming in constant memory

serverTest('a 50 MiB file goes up and comes down byte-identical while the server stays within 32 MiB of its memory', async (t) => {
  const server = await startServer();
  const owner = await member(server);
  const pid = server.process.pid;

  // A small round trip first, so that what is set up on first use (libmagic's
  // tables, the key, worker threads' arenas) is not counted against the big file.
  const warmUp = pdfBytes(MiB);
  const small = await createDocument(owner.client, warmUp, { fileName: 'warm-up.pdf' });
  const smallDown = await download(owner.client, `${DOCUMENTS}/${small.document.id}/content`);
  assert.equal(smallDown.sha256, sha256(warmUp));

  const bytes = pdfBytes(50 * MiB);
  const expected = sha256(bytes);
  const baseline = vmRss(pid);

  const uploadSampler = sampleRss(pid);
  const uploaded = await uploadDocument(owner.client, bytes, { title: 'Голям файл', fileName: 'голям.pdf' });
  const duringUpload = uploadSampler.stop();
  assert.equal(uploaded.status, 201, uploaded.text);
  assert.equal(uploaded.json.version.size, bytes.length);
  assert.equal(uploaded.json.version.sha256, expected);
  assert.equal(uploaded.json.version.media_type, 'application/pdf');

  const downloadSampler = sampleRss(pid);
  const downloaded = await download(owner.client, `${DOCUMENTS}/${uploaded.json.document.id}/content`);
  const duringDownload = downloadSampler.stop();
  assert.equal(downloaded.status, 200);
  assert.equal(downloaded.size, bytes.length);
  assert.equal(downloaded.sha256, expected, 'the download is byte-identical to the upload');

  const mib = (n) => (n / MiB).toFixed(1);
  t.diagnostic(
    `VmRSS baseline ${mib(baseline)} MiB; peak during upload ${mib(duringUpload.max)} MiB (${duringUpload.samples} samples), ` +
      `during download ${mib(duringDownload.max)} MiB (${duringDownload.samples} samples)`,
  );
  assert.ok(duringUpload.samples >= 5 && duringDownload.samples >= 5, 'memory was sampled while the bytes moved');
  assert.ok(
    duringUpload.max - baseline <= 32 * MiB,
    `upload: VmRSS rose by ${mib(duringUpload.max - baseline)} MiB (limit 32 MiB): the body is held in memory`,
  );
  assert.ok(
    duringDownload.max - baseline <= 32 * MiB,
    `download: VmRSS rose by ${mib(duringDownload.max - baseline)} MiB (limit 32 MiB): the file is held in memory`,
  );
});

// ---------------------------------------------------------------------------
// Who sees what

serverTest('someone a document is not shared with gets 404 document-not-found for all of it; a view share opens it', async () => {
  const server = await startServer();
  const owner = await member(server);
  const stranger = await member(server);
  const bytes = pdfBytes(5000);
  const { document } = await createDocument(owner.client, bytes, { title: 'Заповед за командировка', fileName: 'заповед.pdf' });
  assert.equal(document.classification, 'internal', 'internal is the default');
  assert.equal(document.permission, 'manage');

  await assertHidden(stranger.client, document.id, 'no share');
  // Exactly the answer for an id that does not exist.
  const missing = await stranger.client.get(`${DOCUMENTS}/AAAAAAAAAAAAAAAAAAAAAA`);
  const hidden = await stranger.client.get(`${DOCUMENTS}/${document.id}`);
  assertProblem(missing, 404, 'document-not-found');
  assertProblem(hidden, 404, 'document-not-found');
  assert.equal(hidden.text, missing.text, 'a hidden document reads like a missing one');
  assert.ok(!hidden.text.includes('Заповед'), 'not a word of the document');
  // Nor can they act on it.
  assertProblem(await stranger.client.post(`${DOCUMENTS}/${document.id}/comments`, { body: 'Здравейте' }), 404, 'document-not-found');
  assertProblem(await share(stranger.client, document.id, 'employee', stranger.id, 'manage'), 404, 'document-not-found');
  assertProblem(await uploadVersion(stranger.client, document.id, pdfBytes(1000)), 404, 'document-not-found');
  assertProblem(await stranger.client.delete(`${DOCUMENTS}/${document.id}`), 404, 'document-not-found');
  assert.deepEqual(await listedIds(stranger.client, `?q=${encodeURIComponent('заповед')}`), []);

  await shareOk(owner.client, document.id, 'employee', stranger.id, 'view');
  for (const urlPath of readPaths(document.id)) {
    const response = await download(stranger.client, urlPath);
    assert.equal(response.status, 200, `with a view share, GET ${urlPath}: ${response.text.slice(0, 200)}`);
  }
  const opened = await stranger.client.get(`${DOCUMENTS}/${document.id}`);
  assert.equal(opened.json.permission, 'view');
  assert.equal((await download(stranger.client, `${DOCUMENTS}/${document.id}/content`)).sha256, sha256(bytes));
  assert.deepEqual(await listedIds(stranger.client, '?scope=shared'), [document.id]);
  assert.deepEqual(await listedIds(stranger.client, `?q=${encodeURIComponent('ЗАПОВЕД')}`), [document.id]);
  assert.deepEqual(await listedIds(stranger.client, '?scope=mine'), []);
});

serverTest('a department share reaches its members only; public is for everyone; restricted is never shared with a department', async () => {
  const server = await startServer();
  const finance = 'Дирекция „Финанси“';
  const owner = await member(server, { department: 'Кметство' });
  const accountant = await member(server, { department: finance });
  const outsider = await member(server, { department: 'Дирекция „Образование“' });
  const loner = await member(server);
  assert.ok(accountant.departmentId, '/me names the department');

  const { document: budget } = await createDocument(owner.client, pdfBytes(3000), { title: 'Бюджет 2027' });
  await shareOk(owner.client, budget.id, 'department', accountant.departmentId, 'view');
  assert.equal((await accountant.client.get(`${DOCUMENTS}/${budget.id}`)).status, 200, 'a member of the department sees it');
  assert.equal((await download(accountant.client, `${DOCUMENTS}/${budget.id}/content`)).status, 200);
  assert.deepEqual(await listedIds(accountant.client), [budget.id]);
  await assertHidden(outsider.client, budget.id, 'member of another department');
  await assertHidden(loner.client, budget.id, 'no department');

  // Public: every employee sees it and finds it, with view only.
  const { document: notice } = await createDocument(owner.client, pdfBytes(2000), { title: 'Съобщение', classification: 'public' });
  for (const someone of [accountant, outsider, loner]) {
    const seen = await someone.client.get(`${DOCUMENTS}/${notice.id}`);
    assert.equal(seen.status, 200, seen.text);
    assert.equal(seen.json.permission, 'view');
    assert.ok((await listedIds(someone.client)).includes(notice.id), 'a public document is listed for everyone');
    assert.equal((await download(someone.client, `${DOCUMENTS}/${notice.id}/content`)).status, 200);
  }
  assert.deepEqual(await listedIds(loner.client, '?classification=public'), [notice.id]);

  // Restricted: named employees only.
  const { document: secret } = await createDocument(owner.client, pdfBytes(2000), { title: 'Дисциплинарно', classification: 'restricted' });
  assertProblem(await share(owner.client, secret.id, 'department', accountant.departmentId, 'view'), 409, 'restricted-document-share');
  await assertHidden(accountant.client, secret.id, 'refused department share of a restricted document');
  await shareOk(owner.client, secret.id, 'employee', accountant.id, 'view');
  assert.equal((await accountant.client.get(`${DOCUMENTS}/${secret.id}`)).status, 200, 'a named employee sees it');
  await assertHidden(outsider.client, secret.id, 'restricted, not named');
  // A document shared with a department cannot be made restricted.
  const patched = await owner.client.request('PATCH', `${DOCUMENTS}/${budget.id}`, { json: { classification: 'restricted' } });
  assertProblem(patched, 409, 'restricted-document-share');
  assert.equal((await owner.client.get(`${DOCUMENTS}/${budget.id}`)).json.classification, 'internal');
});

serverTest("a meeting share reaches the meeting's invitees, who find the document on the meeting", async () => {
  const server = await startServer();
  const owner = await member(server);
  const invitee = await member(server);
  const outsider = await member(server);
  const meeting = await createMeeting(owner.client, meetingBody({ title: 'Сесия на общинския съвет', invitees: [invitee.id] }));
  const { document } = await createDocument(owner.client, pdfBytes(2000), { title: 'Материали за сесията' });
  await shareOk(owner.client, document.id, 'meeting', meeting.id, 'view');

  const onMeeting = await invitee.client.get(`${API}/meetings/${meeting.id}/documents`);
  assert.equal(onMeeting.status, 200, onMeeting.text);
  assert.deepEqual(onMeeting.json.documents.map((d) => d.id), [document.id]);
  assert.equal((await download(invitee.client, `${DOCUMENTS}/${document.id}/content`)).status, 200);
  await assertHidden(outsider.client, document.id, 'not invited');
  assertProblem(await outsider.client.get(`${API}/meetings/${meeting.id}/documents`), 404, 'meeting-not-found');

  const { document: secret } = await createDocument(owner.client, pdfBytes(2000), { classification: 'restricted' });
  assertProblem(await share(owner.client, secret.id, 'meeting', meeting.id, 'view'), 409, 'restricted-document-share');
  const listed = await invitee.client.get(`${API}/meetings/${meeting.id}/documents`);
  assert.deepEqual(listed.json.documents.map((d) => d.id), [document.id]);
});

serverTest('a share that has expired gives nothing', async () => {
  const server = await startServer();
  const owner = await member(server);
  const guest = await member(server);
  const { document } = await createDocument(owner.client, pdfBytes(2000), { title: 'Временен достъп' });
  // Whole seconds, as the API takes them; two to three seconds from now.
  const expiresMs = Math.ceil(Date.now() / 1000) * 1000 + 2000;
  const created = await shareOk(owner.client, document.id, 'employee', guest.id, 'view', iso(expiresMs));
  assert.equal(created.expires_at, iso(expiresMs));
  assert.equal((await guest.client.get(`${DOCUMENTS}/${document.id}`)).status, 200, 'the share works before it expires');
  assert.equal((await download(guest.client, `${DOCUMENTS}/${document.id}/content`)).status, 200);
  assert.ok(Date.now() < expiresMs - 200, 'the checks before expiry ran before it');

  await waitFor(async () => (await guest.client.get(`${DOCUMENTS}/${document.id}`)).status === 404, {
    timeoutMs: expiresMs - Date.now() + 3000,
    intervalMs: 100,
    message: 'the share to expire',
  });
  assert.ok(Date.now() >= expiresMs - 1000, `the share stopped working only at its expiry (${Date.now() - expiresMs} ms)`);
  await assertHidden(guest.client, document.id, 'expired share');
  // Sharing again with the same grantee replaces the expiry (here: none).
  const renewed = await shareOk(owner.client, document.id, 'employee', guest.id, 'comment');
  assert.equal(renewed.expires_at, null);
  assert.equal((await guest.client.get(`${DOCUMENTS}/${document.id}`)).json.permission, 'comment');
  const shares = await owner.client.get(`${DOCUMENTS}/${document.id}/shares`);
  assert.deepEqual(shares.json.shares.map((s) => [s.grantee.id, s.permission]), [[guest.id, 'comment']]);
  // A share may not be made already expired.
  const past = await share(owner.client, document.id, 'employee', guest.id, 'view', iso(Date.now() - 60_000));
  assertProblem(past, 400, 'invalid-field');
});

// ---------------------------------------------------------------------------
// File names

// The name and its two forms in a Content-Disposition header.
function dispositionNames(header) {
  const match = /^(attachment|inline); filename="([^"\\]*)"; filename\*=UTF-8''([A-Za-z0-9!#$&+\-.^_`|~%]+)$/.exec(header ?? '');
  assert.ok(match, `Content-Disposition is well-formed: ${JSON.stringify(header)}`);
  return { disposition: match[1], fallback: match[2], utf8: decodeURIComponent(match[3]) };
}

// Whether `target` is `directory` or below it.
function isInside(directory, target) {
  const relative = path.relative(directory, target);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

serverTest('file names are sanitised, never used as paths, and sent safely in Content-Disposition', async () => {
  const server = await startServer();
  const owner = await member(server);
  const dataDir = server.dataDir;
  const before = new Set(filesUnder(dataDir));
  // Where each hostile name would land if it were used as a path under the data
  // directory or the store. Some of those places are outside the data directory
  // (`../../etc/passwd` from /tmp/x is the real /etc/passwd): for them, the test
  // checks that their content is what it was.
  const hostileNames = ['../../etc/passwd', '..\\..\\Windows\\system.ini', '/etc/cron.d/evil'];
  const bases = [dataDir, path.join(dataDir, 'documents'), path.join(dataDir, 'documents', 'tmp'), path.join(dataDir, 'documents', 'blobs')];
  const targets = bases.flatMap((base) => hostileNames.map((name) => path.resolve(base, name.replaceAll('\\', '/'))));
  const contentOf = (file) => (fs.existsSync(file) ? fs.readFileSync(file).toString('base64') : null);
  const outsideBefore = new Map(targets.filter((t) => !isInside(dataDir, t)).map((t) => [t, contentOf(t)]));

  const cases = [
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\Windows\\system.ini', 'system.ini'],
    ['/etc/cron.d/evil', 'evil'],
    ['report\u0001\u0007\t\n\r\u001b\u001f\u007f\u0085\u202efdp.exe.txt', 'reportfdp.exe.txt'],
    ['\u202eelif\u2066.txt', 'elif.txt'],
    ['..', 'document'],
    ['...hidden.txt', 'hidden.txt'],
  ];
  const uploaded = [];
  for (const [name, clean] of cases) {
    const bytes = textBytes(`Съдържание на ${crypto.randomUUID()}\n`);
    const response = await uploadDocument(owner.client, bytes, { title: 'Име', fileName: name });
    assert.equal(response.status, 201, `${JSON.stringify(name)}: ${response.text}`);
    assert.equal(response.json.version.file_name, clean, `the name ${JSON.stringify(name)} is sanitised`);
    uploaded.push({ name, clean, bytes, id: response.json.document.id });
  }
  for (const { name, clean, bytes, id } of uploaded) {
    const down = await download(owner.client, `${DOCUMENTS}/${id}/content`);
    assert.equal(down.status, 200);
    assert.equal(down.sha256, sha256(bytes));
    const names = dispositionNames(down.headers['content-disposition']);
    assert.equal(names.disposition, 'attachment');
    assert.equal(names.fallback, clean, `filename= of ${JSON.stringify(name)}`);
    assert.equal(names.utf8, clean, `filename*= of ${JSON.stringify(name)}`);
    const versions = await owner.client.get(`${DOCUMENTS}/${id}/versions`);
    assert.equal(versions.json.versions[0].file_name, clean);
  }

  // NUL cannot even be sent: the server refuses a query with %00 as a whole.
  const nul = await uploadDocument(owner.client, textBytes('x\n'), { fileName: 'a\u0000b.txt' });
  assertProblem(nul, 400, 'bad-request');

  // A Cyrillic name with a quote and a semicolon: exact in filename*, made harmless
  // (ASCII, no quote, backslash, semicolon or percent) in the filename= fallback.
  const tricky = 'Доклад "за" 2024; 100%.txt';
  const { document } = await createDocument(owner.client, textBytes('доклад\n'), { fileName: tricky });
  const down = await download(owner.client, `${DOCUMENTS}/${document.id}/content`);
  const names = dispositionNames(down.headers['content-disposition']);
  assert.equal(names.utf8, tricky);
  assert.match(names.fallback, /^[\x20-\x7e]+$/);
  assert.doesNotMatch(names.fallback, /["\\;%]/);
  assert.ok(names.fallback.endsWith('.txt'));

  // Nothing landed where the names point, and every new file in the data
  // directory is a blob named by its content's hash (or the database).
  for (const target of targets) {
    if (outsideBefore.has(target)) assert.equal(contentOf(target), outsideBefore.get(target), `${target} is as it was`);
    else assert.ok(!fs.existsSync(target), `nothing written at ${target}`);
  }
  const hashes = new Set([...uploaded.map((u) => sha256(u.bytes)), sha256(textBytes('доклад\n'))]);
  for (const file of filesUnder(dataDir)) {
    if (before.has(file)) continue;
    const blob = /^documents\/blobs\/([0-9a-f]{2})\/([0-9a-f]{64})$/.exec(file);
    const database = /^egovbox\.db(-wal|-shm|-journal)?$/.test(file);
    assert.ok(database || (blob && blob[2].startsWith(blob[1]) && hashes.has(blob[2])), `unexpected file in the data directory: ${file}`);
  }
});

// ---------------------------------------------------------------------------
// Limits

serverTest('an upload above documents_max_bytes is refused with 413 from its Content-Length, before the body is read', async () => {
  const limit = MiB;
  // A long body timeout: a server that waited for the body would not answer in time.
  const server = await startServer({ env: { EGOVBOX_DOCUMENTS_MAX_BYTES: String(limit), EGOVBOX_BODY_TIMEOUT: '60s' } });
  const owner = await member(server);

  const refused = await rawUpload(owner.client, `${DOCUMENTS}?title=big&file_name=big.pdf`, {
    headers: [`Content-Length: ${100 * MiB}`],
    bodyBytes: 4096,
  });
  assert.equal(refused.status, 413, `answered ${refused.status}: ${JSON.stringify(refused.json)}`);
  assert.equal(refused.json?.type, PROBLEM + TOO_LARGE);
  assert.match(refused.json.detail, new RegExp(String(limit)));
  assert.ok(refused.ms < 5000, `answered after ${refused.ms} ms, with 4 KiB of 100 MiB sent`);
  assert.match(refused.headers.connection ?? '', /close/i, 'the connection is closed after the refusal');

  // Before the session is checked, and before a 100 Continue invites the body.
  const anonymous = await rawUpload({ server }, `${DOCUMENTS}?file_name=big.pdf`, { headers: [`Content-Length: ${100 * MiB}`] });
  assert.equal(anonymous.status, 413, `anonymous: answered ${anonymous.status}`);
  assert.equal(anonymous.json?.type, PROBLEM + TOO_LARGE);
  const expecting = await rawUpload(owner.client, `${DOCUMENTS}?file_name=big.pdf`, {
    headers: [`Content-Length: ${limit + 1}`, 'Expect: 100-continue'],
  });
  assert.equal(expecting.status, 413, `with Expect: 100-continue: answered ${expecting.status}`);

  // The same for a new version.
  const { document } = await createDocument(owner.client, pdfBytes(limit), { fileName: 'exactly-the-limit.pdf' });
  const version = await rawUpload(owner.client, `${DOCUMENTS}/${document.id}/versions?file_name=v2.pdf`, {
    headers: [`Content-Length: ${limit + 1}`],
    bodyBytes: 4096,
  });
  assert.equal(version.status, 413);
  assert.equal(version.json?.type, PROBLEM + TOO_LARGE);

  assert.deepEqual(await listedIds(owner.client), [document.id], 'nothing of the refused uploads was kept');
  assert.equal((await owner.client.get(`${DOCUMENTS}/${document.id}/versions`)).json.versions.length, 1);
  await waitFor(() => temporaryFiles(server.dataDir).length === 0, { message: 'documents/tmp to be empty' });
});

serverTest('a chunked upload passing documents_max_bytes is 413; a quota overrun is 413 document-quota-exceeded', async () => {
  const limit = MiB;
  const quota = 1.5 * MiB;
  const server = await startServer({
    env: { EGOVBOX_DOCUMENTS_MAX_BYTES: String(limit), EGOVBOX_DOCUMENTS_QUOTA_BYTES: String(quota) },
  });
  const owner = await member(server);
  const colleague = await member(server);

  // Chunked, no length up front: refused once the limit is passed, without
  // waiting for the end of the body (which never comes).
  const chunked = await rawUpload(owner.client, `${DOCUMENTS}?file_name=endless.pdf`, { chunked: true, bodyBytes: limit + 256 * 1024 });
  assert.equal(chunked.status, 413, `answered ${chunked.status}: ${JSON.stringify(chunked.json)}`);
  assert.equal(chunked.json?.type, PROBLEM + TOO_LARGE);
  assert.deepEqual(await listedIds(owner.client), []);
  await waitFor(() => temporaryFiles(server.dataDir).length === 0, { message: 'documents/tmp to be empty' });
  assert.deepEqual(blobHashes(server.dataDir), []);

  // A chunked body of exactly the limit is taken.
  const exact = pdfBytes(limit);
  const taken = await uploadDocument(owner.client, exact, { fileName: 'exact.pdf', chunked: true });
  assert.equal(taken.status, 201, taken.text);
  assert.equal(taken.json.version.sha256, sha256(exact));

  // 1 MiB of 1.5 MiB used: 600 KiB more does not fit, announced or streamed.
  // Announced, the Content-Length is enough: 4 KiB of the body are sent.
  const announced = await rawUpload(owner.client, `${DOCUMENTS}?file_name=over.pdf`, {
    headers: [`Content-Length: ${600 * 1024}`],
    bodyBytes: 4096,
  });
  assert.equal(announced.status, 413, `answered ${announced.status}: ${JSON.stringify(announced.json)}`);
  assert.equal(announced.json?.type, `${PROBLEM}document-quota-exceeded`);
  const streamed = await rawUpload(owner.client, `${DOCUMENTS}?file_name=over.pdf`, { chunked: true, bodyBytes: 600 * 1024 });
  assert.equal(streamed.status, 413, `answered ${streamed.status}: ${JSON.stringify(streamed.json)}`);
  assert.equal(streamed.json?.type, `${PROBLEM}document-quota-exceeded`);
  const version = await rawUpload(owner.client, `${DOCUMENTS}/${taken.json.document.id}/versions?file_name=v2.pdf`, {
    headers: [`Content-Length: ${600 * 1024}`],
    bodyBytes: 4096,
  });
  assert.equal(version.status, 413);
  assert.equal(version.json?.type, `${PROBLEM}document-quota-exceeded`);
  assert.deepEqual(await listedIds(owner.client), [taken.json.document.id]);
  assert.equal((await owner.client.get(`${DOCUMENTS}/${taken.json.document.id}/versions`)).json.versions.length, 1);
  // What fits still goes in, and the quota is each person's own.
  assert.equal((await uploadDocument(owner.client, pdfBytes(400 * 1024))).status, 201);
  assert.equal((await uploadDocument(colleague.client, pdfBytes(600 * 1024))).status, 201);
  await waitFor(() => temporaryFiles(server.dataDir).length === 0, { message: 'documents/tmp to be empty' });
  assert.equal(blobHashes(server.dataDir).length, 3, 'no file of a refused upload is kept');
});

// ---------------------------------------------------------------------------
// Types

serverTest("a file's type is told from its content, not from its name or Content-Type", async () => {
  const server = await startServer();
  const owner = await member(server);
  const asPdf = { fileName: 'report.pdf', headers: { 'Content-Type': 'application/pdf' } };

  const png = await createDocument(owner.client, PNG_BYTES, asPdf);
  assert.equal(png.version.media_type, 'image/png');
  assert.equal(png.version.file_name, 'report.pdf', 'the name is kept for display');
  const down = await download(owner.client, `${DOCUMENTS}/${png.document.id}/content`);
  assert.equal(down.headers['content-type'], 'image/png');
  assert.deepEqual(await listedIds(owner.client, '?type=image'), [png.document.id]);
  assert.deepEqual(await listedIds(owner.client, '?type=pdf'), []);

  const elf = await uploadDocument(owner.client, elfBytes(), asPdf);
  assert.match(assertProblem(elf, 415, 'document-type-not-allowed').detail, /application\/x-executable/);
  const html = textBytes('<!DOCTYPE html>\n<html><body><script>fetch("/api/v1/me")</script></body></html>\n');
  const page = await uploadDocument(owner.client, html, asPdf);
  assert.match(assertProblem(page, 415, 'document-type-not-allowed').detail, /text\/html/);
  const version = await uploadVersion(owner.client, png.document.id, elfBytes(), asPdf);
  assertProblem(version, 415, 'document-type-not-allowed');

  assert.deepEqual(await listedIds(owner.client), [png.document.id], 'nothing of the refused files was kept');
  await waitFor(() => temporaryFiles(server.dataDir).length === 0, { message: 'documents/tmp to be empty' });
  assert.deepEqual(blobHashes(server.dataDir), [sha256(PNG_BYTES)]);
});

// ---------------------------------------------------------------------------
// Downloads and previews

serverTest('downloads are attachments with nosniff and honour one Range; previews are inline for PDFs and images only', async () => {
  const server = await startServer();
  const owner = await member(server);
  const pdf = pdfBytes(5000);
  const { document } = await createDocument(owner.client, pdf, { fileName: 'отчет.pdf' });
  const content = `${DOCUMENTS}/${document.id}/content`;

  const whole = await download(owner.client, content);
  assert.equal(whole.status, 200);
  assert.equal(whole.headers['content-type'], 'application/pdf');
  assert.match(whole.headers['content-disposition'], /^attachment;/);
  assert.equal(whole.headers['x-content-type-options'], 'nosniff');
  assert.equal(whole.headers['accept-ranges'], 'bytes');
  assert.equal(whole.headers['content-length'], '5000');
  const etag = whole.headers.etag;
  assert.equal(etag, `"${sha256(pdf)}"`);

  const first = await download(owner.client, content, { headers: { Range: 'bytes=0-99' } });
  assert.equal(first.status, 206);
  assert.equal(first.headers['content-range'], 'bytes 0-99/5000');
  assert.deepEqual(first.body, pdf.subarray(0, 100));
  assert.match(first.headers['content-disposition'], /^attachment;/);
  assert.equal(first.headers['x-content-type-options'], 'nosniff');
  const last = await download(owner.client, content, { headers: { Range: 'bytes=4900-' } });
  assert.equal(last.status, 206);
  assert.equal(last.headers['content-range'], 'bytes 4900-4999/5000');
  assert.deepEqual(last.body, pdf.subarray(4900));
  // Deep into the file: the reader skips whole encrypted chunks correctly.
  const middle = await download(owner.client, `${DOCUMENTS}/${document.id}/versions/1/content`, { headers: { Range: 'bytes=3000-3009' } });
  assert.deepEqual(middle.body, pdf.subarray(3000, 3010));
  const beyond = await download(owner.client, content, { headers: { Range: 'bytes=5000-' } });
  assert.equal(beyond.status, 416);
  assert.equal(beyond.headers['content-range'], 'bytes */5000');
  assert.equal(beyond.json?.type, `${PROBLEM}range-not-satisfiable`);
  // If-Range naming another version: the whole file, not a piece of a different one.
  const stale = await download(owner.client, content, { headers: { Range: 'bytes=0-99', 'If-Range': '"0000"' } });
  assert.equal(stale.status, 200);
  assert.equal(stale.sha256, sha256(pdf));
  const current = await download(owner.client, content, { headers: { Range: 'bytes=0-99', 'If-Range': etag } });
  assert.equal(current.status, 206);

  const preview = await download(owner.client, `${DOCUMENTS}/${document.id}/preview`);
  assert.equal(preview.status, 200);
  assert.equal(preview.sha256, sha256(pdf));
  assert.match(preview.headers['content-disposition'], /^inline;/);
  assert.equal(preview.headers['content-type'], 'application/pdf');
  assert.equal(preview.headers['x-content-type-options'], 'nosniff');
  assert.match(preview.headers['content-security-policy'] ?? '', /(^|;)\s*sandbox\s*(;|$)/);
  assert.match(preview.headers['content-security-policy'] ?? '', /default-src 'none'/);
  const { document: image } = await createDocument(owner.client, PNG_BYTES, { fileName: 'снимка.png' });
  const imagePreview = await download(owner.client, `${DOCUMENTS}/${image.id}/versions/1/preview`);
  assert.equal(imagePreview.status, 200);
  assert.equal(imagePreview.headers['content-type'], 'image/png');
  assert.match(imagePreview.headers['content-disposition'], /^inline;/);

  const { document: text } = await createDocument(owner.client, textBytes('обикновен текст\n'), { fileName: 'бележка.txt' });
  for (const urlPath of [`${DOCUMENTS}/${text.id}/preview`, `${DOCUMENTS}/${text.id}/versions/1/preview`]) {
    const refused = await download(owner.client, urlPath);
    assert.equal(refused.status, 415, `${urlPath}: ${refused.text}`);
    assert.equal(refused.json?.type, `${PROBLEM}document-not-previewable`);
  }
  const noVersion = await download(owner.client, `${DOCUMENTS}/${document.id}/versions/2/content`);
  assert.equal(noVersion.status, 404);
  assert.equal(noVersion.json?.type, `${PROBLEM}document-version-not-found`);
});

// ---------------------------------------------------------------------------
// Encryption at rest

serverTest('the files on disk hold none of the plaintext', async () => {
  const server = await startServer();
  const owner = await member(server);
  const marker = `EGOVBOX-PLAINTEXT-${crypto.randomBytes(12).toString('hex')}`;
  const line = `Поверително: ${marker}\n`;
  // One 64 KiB chunk and several, and a second version.
  const short = textBytes(line);
  const long = textBytes(line.repeat(Math.ceil((300 * 1024) / Buffer.byteLength(line))));
  const { document } = await createDocument(owner.client, short, { title: 'Поверително', fileName: 'secret.txt' });
  const second = await uploadVersion(owner.client, document.id, long, { fileName: 'secret.txt' });
  assert.equal(second.status, 201, second.text);
  assert.equal((await download(owner.client, `${DOCUMENTS}/${document.id}/versions/1/content`)).sha256, sha256(short));
  assert.equal((await download(owner.client, `${DOCUMENTS}/${document.id}/content`)).sha256, sha256(long));

  const needle = Buffer.from(marker);
  const files = filesUnder(server.dataDir);
  assert.ok(files.includes(path.join('documents', 'blobs', sha256(short).slice(0, 2), sha256(short))));
  // Every file, the database included: the marker is only in the content.
  for (const file of files) {
    const bytes = fs.readFileSync(path.join(server.dataDir, file));
    assert.equal(bytes.indexOf(needle), -1, `${file} holds the plaintext`);
    assert.equal(bytes.indexOf(Buffer.from(marker, 'utf16le')), -1, `${file} holds the plaintext (UTF-16)`);
  }
  for (const hash of [sha256(short), sha256(long)]) {
    const blob = fs.readFileSync(blobPath(server.dataDir, hash));
    assert.equal(blob.subarray(0, 8).toString('latin1'), 'EGOVBLB1');
    assert.ok(blob.length > (hash === sha256(short) ? short.length : long.length), 'the blob carries authentication tags');
  }
  // Equal files are stored once.
  await createDocument(owner.client, short, { title: 'Копие', fileName: 'copy.txt' });
  assert.deepEqual(blobHashes(server.dataDir).sort(), [sha256(short), sha256(long)].sort());
  const key = fs.statSync(path.join(server.dataDir, 'keys', 'documents.key'));
  assert.equal(key.size, 32);
  assert.equal(key.mode & 0o777, 0o600);
});

// ---------------------------------------------------------------------------
// Versions, delete and restore, comments

serverTest('a new version keeps the old one; view may not add a version, edit may', async () => {
  const server = await startServer();
  const owner = await member(server);
  const viewer = await member(server);
  const editor = await member(server);
  const v1 = pdfBytes(3000);
  const v2 = pdfBytes(4000);
  const { document } = await createDocument(owner.client, v1, { fileName: 'план-v1.pdf' });
  await shareOk(owner.client, document.id, 'employee', viewer.id, 'view');
  await shareOk(owner.client, document.id, 'employee', editor.id, 'edit');

  const refused = await uploadVersion(viewer.client, document.id, pdfBytes(2000), { fileName: 'подмяна.pdf' });
  const problem = assertProblem(refused, 403, 'document-permission-denied');
  assert.ok(problem.detail.length > 0);
  const added = await uploadVersion(editor.client, document.id, v2, { fileName: 'план-v2.pdf' });
  assert.equal(added.status, 201, added.text);
  assert.equal(added.json.version.number, 2);
  assert.equal(added.json.version.uploader.id, editor.id);

  const versions = await viewer.client.get(`${DOCUMENTS}/${document.id}/versions`);
  assert.equal(versions.status, 200);
  assert.deepEqual(versions.json.versions.map((v) => [v.number, v.file_name, v.sha256, v.size, v.uploader.id]), [
    [2, 'план-v2.pdf', sha256(v2), v2.length, editor.id],
    [1, 'план-v1.pdf', sha256(v1), v1.length, owner.id],
  ]);
  assert.equal((await download(viewer.client, `${DOCUMENTS}/${document.id}/versions/1/content`)).sha256, sha256(v1));
  assert.equal((await download(viewer.client, `${DOCUMENTS}/${document.id}/versions/2/content`)).sha256, sha256(v2));
  assert.equal((await download(viewer.client, `${DOCUMENTS}/${document.id}/content`)).sha256, sha256(v2), 'content is the latest');
  const seen = await viewer.client.get(`${DOCUMENTS}/${document.id}`);
  assert.equal(seen.json.latest_version.number, 2);
  // Edit also changes the title, but not the classification (manage).
  const renamed = await editor.client.request('PATCH', `${DOCUMENTS}/${document.id}`, { json: { title: 'План 2027' } });
  assert.equal(renamed.status, 200, renamed.text);
  const reclassified = await editor.client.request('PATCH', `${DOCUMENTS}/${document.id}`, { json: { classification: 'public' } });
  assertProblem(reclassified, 403, 'document-permission-denied');
  assertProblem(await viewer.client.request('PATCH', `${DOCUMENTS}/${document.id}`, { json: { title: 'Моето' } }), 403, 'document-permission-denied');
});

serverTest('a deleted document is gone for everyone but its owner, who can restore it', async () => {
  const server = await startServer();
  const owner = await member(server);
  const colleague = await member(server);
  const bytes = pdfBytes(3000);
  const { document } = await createDocument(owner.client, bytes, { title: 'За изтриване' });
  await shareOk(owner.client, document.id, 'employee', colleague.id, 'edit');
  assert.deepEqual(await listedIds(colleague.client), [document.id]);

  assertProblem(await colleague.client.delete(`${DOCUMENTS}/${document.id}`), 403, 'document-permission-denied');
  const deleted = await owner.client.delete(`${DOCUMENTS}/${document.id}`);
  assert.equal(deleted.status, 204, deleted.text);
  const deletedAt = Date.now();

  await assertHidden(colleague.client, document.id, 'deleted');
  assert.deepEqual(await listedIds(colleague.client, '?scope=deleted'), []);
  assert.deepEqual(await listedIds(owner.client), [], 'not in the owner\'s list either');
  assertProblem(await owner.client.get(`${DOCUMENTS}/${document.id}/content`), 404, 'document-not-found');
  const bin = await owner.client.get(`${DOCUMENTS}?scope=deleted`);
  assert.equal(bin.status, 200);
  assert.deepEqual(bin.json.documents.map((d) => d.id), [document.id]);
  const [listed] = bin.json.documents;
  assert.ok(listed.deleted_at, 'deleted_at is set');
  const restorableUntil = Date.parse(listed.restorable_until);
  const thirtyDays = 30 * 86400 * 1000;
  assert.ok(Math.abs(restorableUntil - (deletedAt + thirtyDays)) < 5000, `restorable_until ${listed.restorable_until}: 30 days on`);
  assert.equal(restorableUntil - Date.parse(listed.deleted_at), thirtyDays);

  assertProblem(await colleague.client.post(`${DOCUMENTS}/${document.id}/restore`), 404, 'document-not-found');
  const restored = await owner.client.post(`${DOCUMENTS}/${document.id}/restore`);
  assert.equal(restored.status, 200, restored.text);
  assert.equal(restored.json.deleted_at, null);
  assert.deepEqual(await listedIds(owner.client), [document.id]);
  assert.deepEqual(await listedIds(owner.client, '?scope=deleted'), []);
  assert.deepEqual(await listedIds(colleague.client), [document.id], 'the share works again');
  assert.equal((await download(colleague.client, `${DOCUMENTS}/${document.id}/content`)).sha256, sha256(bytes));
  assertProblem(await owner.client.post(`${DOCUMENTS}/${document.id}/restore`), 409, 'document-not-deleted');
});

serverTest('comments need the comment permission', async () => {
  const server = await startServer();
  const owner = await member(server);
  const viewer = await member(server);
  const commenter = await member(server);
  const passerBy = await member(server);
  const { document } = await createDocument(owner.client, pdfBytes(2000), { classification: 'public' });
  await shareOk(owner.client, document.id, 'employee', viewer.id, 'view');
  await shareOk(owner.client, document.id, 'employee', commenter.id, 'comment');
  const comments = `${DOCUMENTS}/${document.id}/comments`;

  assertProblem(await viewer.client.post(comments, { body: 'Не бива' }), 403, 'document-permission-denied');
  assertProblem(await passerBy.client.post(comments, { body: 'Публичен, но само за четене' }), 403, 'document-permission-denied');
  const written = await commenter.client.post(comments, { body: 'Точка 3 да се преработи.' });
  assert.equal(written.status, 201, written.text);
  assert.equal(written.json.author.id, commenter.id);
  const byOwner = await owner.client.post(comments, { body: 'Съгласен.' });
  assert.equal(byOwner.status, 201, byOwner.text);

  const read = await viewer.client.get(comments);
  assert.equal(read.status, 200);
  assert.deepEqual(read.json.comments.map((c) => c.body), ['Точка 3 да се преработи.', 'Съгласен.']);
  assertProblem(await commenter.client.post(comments, { body: '   ' }), 400, 'invalid-field');
});
