// Virus scanning of documents with a real clamd (tests/clamd.mjs: Debian's
// clamav-daemon with a one-signature database that knows only the EICAR test
// file). An infected upload is refused and leaves nothing; while clamd cannot be
// reached, uploads wait in pending-scan, hidden from everyone but the uploader,
// and are scanned again once it is back.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

import { assertProblem, countRows, makeTempDir, serverTest, sleep, sqlite, startServer, waitFor } from './harness.mjs';
import {
  API,
  blobHashes,
  createDocument,
  DOCUMENTS,
  download,
  listedIds,
  member,
  pdfBytes,
  sha256,
  shareOk,
  temporaryFiles,
  uploadDocument,
  uploadVersion,
} from './documents_helpers.mjs';

const CLAMD_HELPER = fileURLToPath(new URL('../clamd.mjs', import.meta.url));
const CLAMD_BINARY = '/usr/sbin/clamd';

// tests/clamd.mjs, or a test failure that says what is missing: scanning is an
// acceptance criterion, so it may not be skipped without a word.
async function clamdHelpers() {
  assert.ok(
    fs.existsSync(CLAMD_HELPER),
    `${CLAMD_HELPER} is missing: it starts the test clamd (startClamd, eicarBytes); the scanning tests cannot run without it`,
  );
  assert.ok(
    fs.existsSync(CLAMD_BINARY),
    `${CLAMD_BINARY} is not installed: run scripts/setup-deps.sh (it installs clamav-daemon); the scanning tests need a real clamd`,
  );
  return import(CLAMD_HELPER);
}

// A clamd in a directory of its own, stopped at the end of the test `t` (before
// the harness removes the directories).
async function clamdFor(t, dir) {
  const { startClamd } = await clamdHelpers();
  const clamd = await startClamd(dir ?? makeTempDir('egovbox-clamd-'));
  t.after(() => clamd.stop());
  return clamd;
}

function scanningEnv(clamd) {
  return { EGOVBOX_CLAMD_ADDRESS: clamd.socketPath, EGOVBOX_CLAMD_RETRY_INTERVAL: '300ms' };
}

function auditEntries(dataDir, action) {
  const rows = sqlite(dataDir, `SELECT actor_id, subject, detail FROM audit_log WHERE action = '${action}' ORDER BY seq;`);
  return rows === ''
    ? []
    : rows.split('\n').map((row) => {
        const [actor, subject, ...detail] = row.split('|');
        return { actor, subject, detail: JSON.parse(detail.join('|')) };
      });
}

async function notificationsOf(client, kind) {
  const response = await client.get(`${API}/notifications?limit=100`);
  assert.equal(response.status, 200, response.text);
  return response.json.notifications.filter((n) => n.kind === kind);
}

serverTest('with clamd, an infected file is refused with 422 and leaves nothing; a clean one is marked clean', async (t) => {
  const { eicarBytes } = await clamdHelpers();
  const clamd = await clamdFor(t);
  const server = await startServer({ env: scanningEnv(clamd) });
  const owner = await member(server);
  const eicar = eicarBytes();

  const infected = await uploadDocument(owner.client, eicar, { title: 'Фактура', fileName: 'фактура.txt' });
  const problem = assertProblem(infected, 422, 'document-infected');
  assert.match(problem.detail, /Eicar-Test-Signature/);
  assert.deepEqual(await listedIds(owner.client), [], 'no document is left');
  assert.equal(countRows(server.dataDir, 'documents'), 0);
  assert.equal(countRows(server.dataDir, 'document_versions'), 0);
  assert.deepEqual(blobHashes(server.dataDir), [], 'no stored file is left');
  await waitFor(() => temporaryFiles(server.dataDir).length === 0, { message: 'documents/tmp to be empty' });

  const [entry, ...more] = auditEntries(server.dataDir, 'document.infected');
  assert.equal(more.length, 0);
  assert.ok(entry, 'the refused infected upload is audited');
  assert.equal(entry.actor, owner.id);
  assert.equal(entry.detail.sha256, sha256(eicar));
  assert.equal(entry.detail.file_name, 'фактура.txt');
  assert.match(entry.detail.signature, /Eicar-Test-Signature/);

  const bytes = pdfBytes(200 * 1024);
  const clean = await createDocument(owner.client, bytes, { title: 'Чист', fileName: 'чист.pdf' });
  assert.equal(clean.version.scan_state, 'clean');
  assert.equal(clean.document.pending_scan, false);
  assert.equal((await download(owner.client, `${DOCUMENTS}/${clean.document.id}/content`)).sha256, sha256(bytes));

  // An infected new version goes; the document keeps its clean one.
  const version = await uploadVersion(owner.client, clean.document.id, eicar, { fileName: 'v2.txt' });
  assertProblem(version, 422, 'document-infected');
  const versions = await owner.client.get(`${DOCUMENTS}/${clean.document.id}/versions`);
  assert.deepEqual(versions.json.versions.map((v) => [v.number, v.scan_state]), [[1, 'clean']]);
  assert.deepEqual(blobHashes(server.dataDir), [sha256(bytes)]);
  assert.equal(auditEntries(server.dataDir, 'document.infected').length, 2);
});

serverTest('while clamd is down uploads wait in pending-scan, seen by the uploader only, and are released when it is back', async (t) => {
  const { eicarBytes, startClamd } = await clamdHelpers();
  const clamdDir = makeTempDir('egovbox-clamd-');
  let clamd = await clamdFor(t, clamdDir);
  const server = await startServer({ env: scanningEnv(clamd) });
  const owner = await member(server);
  const colleague = await member(server);

  const v1 = pdfBytes(3000);
  const { document: shared } = await createDocument(owner.client, v1, { title: 'Споделен', fileName: 'v1.pdf' });
  await shareOk(owner.client, shared.id, 'employee', colleague.id, 'view');

  await clamd.stop();

  // A new document.
  const bytes = pdfBytes(100 * 1024);
  const pending = await uploadDocument(owner.client, bytes, { title: 'Чака проверка', fileName: 'чака.pdf' });
  assert.equal(pending.status, 202, pending.text);
  assert.equal(pending.json.version.scan_state, 'pending-scan');
  assert.equal(pending.json.document.pending_scan, true);
  const id = pending.json.document.id;
  await shareOk(owner.client, id, 'employee', colleague.id, 'view');
  const mine = await owner.client.get(`${DOCUMENTS}/${id}`);
  assert.equal(mine.status, 200, 'the uploader sees it');
  assert.equal(mine.json.pending_scan, true);
  assert.equal(mine.json.latest_version, null, 'nothing is released yet');
  assert.ok((await listedIds(owner.client)).includes(id));
  // Not even the uploader opens it.
  for (const suffix of ['content', 'preview', 'versions/1/content', 'versions/1/preview']) {
    assertProblem(await owner.client.get(`${DOCUMENTS}/${id}/${suffix}`), 409, 'document-pending-scan');
  }
  assertProblem(await colleague.client.get(`${DOCUMENTS}/${id}`), 404, 'document-not-found');
  assertProblem(await colleague.client.get(`${DOCUMENTS}/${id}/content`), 404, 'document-not-found');
  assert.ok(!(await listedIds(colleague.client)).includes(id), 'the colleague does not find it');

  // A new version of a document the colleague already sees: they keep seeing the old one.
  const v2 = pdfBytes(4000);
  const pendingVersion = await uploadVersion(owner.client, shared.id, v2, { fileName: 'v2.pdf' });
  assert.equal(pendingVersion.status, 202, pendingVersion.text);
  assert.equal(pendingVersion.json.version.number, 2);
  const seen = await colleague.client.get(`${DOCUMENTS}/${shared.id}`);
  assert.equal(seen.json.latest_version.number, 1);
  const theirVersions = await colleague.client.get(`${DOCUMENTS}/${shared.id}/versions`);
  assert.deepEqual(theirVersions.json.versions.map((v) => v.number), [1], 'the waiting version is not shown to others');
  assert.equal((await download(colleague.client, `${DOCUMENTS}/${shared.id}/content`)).sha256, sha256(v1));
  // To others it does not exist: the same answer as for a version never uploaded.
  const unscanned = await colleague.client.get(`${DOCUMENTS}/${shared.id}/versions/2/content`);
  const absent = await colleague.client.get(`${DOCUMENTS}/${shared.id}/versions/3/content`);
  assertProblem(unscanned, 404, 'document-version-not-found');
  assert.equal(unscanned.text, absent.text);
  assertProblem(await owner.client.get(`${DOCUMENTS}/${shared.id}/versions/2/content`), 409, 'document-pending-scan');

  // An infected file waits too, and is removed once scanned.
  const eicar = await uploadDocument(owner.client, eicarBytes(), { title: 'Вирус', fileName: 'вирус.txt' });
  assert.equal(eicar.status, 202, eicar.text);
  const eicarId = eicar.json.document.id;

  clamd = await startClamd(clamdDir);
  t.after(() => clamd.stop());
  const released = await waitFor(
    async () => {
      const response = await colleague.client.get(`${DOCUMENTS}/${id}`);
      return response.status === 200 && response.json;
    },
    { timeoutMs: 10_000, intervalMs: 100, message: 'the pending version to be scanned and released' },
  );
  assert.equal(released.latest_version.scan_state, 'clean');
  assert.equal((await download(colleague.client, `${DOCUMENTS}/${id}/content`)).sha256, sha256(bytes));
  assert.equal((await owner.client.get(`${DOCUMENTS}/${id}`)).json.pending_scan, false);
  await waitFor(async () => (await colleague.client.get(`${DOCUMENTS}/${shared.id}`)).json.latest_version.number === 2, {
    message: 'the pending version 2 to be released',
  });
  assert.equal((await download(colleague.client, `${DOCUMENTS}/${shared.id}/content`)).sha256, sha256(v2));

  await waitFor(async () => (await owner.client.get(`${DOCUMENTS}/${eicarId}`)).status === 404, {
    message: 'the infected pending upload to be removed',
  });
  assert.ok(!blobHashes(server.dataDir).includes(sha256(eicarBytes())), 'its stored file is removed');
  const entries = auditEntries(server.dataDir, 'document.infected');
  assert.deepEqual(entries.map((e) => [e.actor, e.subject]), [[owner.id, eicarId]]);
  // The uploader, no longer waiting for the answer, is told.
  const infectedNotes = await notificationsOf(owner.client, 'document.infected');
  assert.deepEqual(infectedNotes.map((n) => n.payload.file_name), ['вирус.txt']);
  const passedNotes = await notificationsOf(owner.client, 'document.scan_passed');
  assert.deepEqual(passedNotes.map((n) => n.payload.file_name).sort(), ['v2.pdf', 'чака.pdf'].sort());
});

serverTest('a file scanned while its upload waits is scanned once: the uploader, answered already, gets no notification', async (t) => {
  const clamd = await clamdFor(t);
  // The retry job runs often; an 8 MiB file takes clamd longer than that.
  const server = await startServer({ env: { ...scanningEnv(clamd), EGOVBOX_CLAMD_RETRY_INTERVAL: '100ms' } });
  const owner = await member(server);
  for (let i = 0; i < 3; i++) {
    const uploaded = await createDocument(owner.client, pdfBytes(8 * 1024 * 1024), { fileName: `голям-${i}.pdf` });
    assert.equal(uploaded.version.scan_state, 'clean');
  }
  // A scan the retry job started meanwhile would end within a few of its rounds.
  await sleep(500);
  const told = await notificationsOf(owner.client, 'document.scan_passed');
  assert.deepEqual(
    told.map((n) => n.payload.file_name),
    [],
    'an upload answered 201 was also scanned by the retry job, which told the uploader it passed',
  );
});
