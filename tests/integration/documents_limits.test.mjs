// Uploads and the server's workers (docs/documents.md, "Uploads"): an upload holds
// a worker while its body arrives, so at most half the workers take uploads at once
// and one more is answered 503 uploads-busy with Retry-After; and a refused upload's
// connection is closed gently (the rest of the body is read and dropped), so a
// client that goes on sending the body, as a browser does, reads the answer rather
// than a reset.
import assert from 'node:assert/strict';
import https from 'node:https';

import { assertProblem, PROBLEM, serverTest, startServer, tlsOptions, waitFor } from './harness.mjs';
import {
  blobHashes,
  createDocument,
  DOCUMENTS,
  listedIds,
  member,
  MiB,
  pdfBytes,
  queryString,
  sha256,
  temporaryFiles,
} from './documents_helpers.mjs';

// A POST of `contentLength` bytes whose body the caller writes on `req` (and ends).
// `response` resolves with {status, headers, text, json} once the whole answer is
// in, whatever the status (a 503 is expected here), and rejects when the request
// fails before an answer begins. `failure` is the error seen first, if any, and
// whether it came before the answer.
function openUpload(client, urlPath, contentLength) {
  const headers = {
    'Content-Type': 'application/octet-stream',
    'Content-Length': contentLength,
    Cookie: client.cookie,
    'X-CSRF-Token': client.csrf,
  };
  const req = https.request({ ...tlsOptions(client.server), method: 'POST', path: urlPath, headers, agent: false });
  const upload = { req, answered: false, failure: null };
  upload.response = new Promise((resolve, reject) => {
    req.on('response', (res) => {
      upload.answered = true;
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const json = /json/.test(res.headers['content-type'] ?? '') && text ? JSON.parse(text) : undefined;
        resolve({ status: res.statusCode, headers: res.headers, text, json });
      });
    });
    req.on('error', (error) => {
      upload.failure ??= { code: error.code ?? error.message, beforeAnswer: !upload.answered };
      if (!upload.answered) reject(error);
    });
  });
  return upload;
}

// Writes `body` on `upload.req` in 64 KiB pieces, as fast as the socket takes them,
// answered or not (a browser sends the body it announced), until it is all written
// or the request has failed. Resolves with the bytes written.
async function writeWhole(upload, body) {
  const { req } = upload;
  let sent = 0;
  for (let offset = 0; offset < body.length && !req.destroyed && !upload.failure; offset += 64 * 1024) {
    const piece = body.subarray(offset, offset + 64 * 1024);
    sent += piece.length;
    if (!req.write(piece)) {
      await new Promise((resume) => {
        const wake = () => {
          req.off('drain', wake);
          req.off('close', wake);
          req.off('error', wake);
          resume();
        };
        req.on('drain', wake);
        req.on('close', wake);
        req.on('error', wake);
      });
    }
  }
  if (!req.destroyed && !upload.failure) req.end();
  return sent;
}

serverTest('with every upload slot taken, one more upload is 503 uploads-busy with Retry-After; others are still served', async () => {
  // Two workers: at most one streamed upload at a time.
  const server = await startServer({ env: { EGOVBOX_WORKER_THREADS: '2' } });
  const owner = await member(server);
  const colleague = await member(server);

  // The first upload sends 4 KiB and pauses, its connection open: it holds the slot.
  const slowBytes = pdfBytes(256 * 1024);
  const slow = openUpload(owner.client, `${DOCUMENTS}${queryString({ title: 'Бавен', file_name: 'slow.pdf' })}`, slowBytes.length);
  slow.response.catch(() => {}); // awaited below; a failure meanwhile must not be unhandled
  slow.req.write(slowBytes.subarray(0, 4096));
  await waitFor(() => temporaryFiles(server.dataDir).length === 1, { message: 'the first upload to stream into documents/tmp' });

  // Requests that take no body still get the other worker.
  assert.equal((await colleague.client.get(DOCUMENTS)).status, 200);

  const busyBytes = pdfBytes(8 * 1024);
  const busy = openUpload(colleague.client, `${DOCUMENTS}${queryString({ title: 'Отказан', file_name: 'busy.pdf' })}`, busyBytes.length);
  busy.req.end(busyBytes);
  const refused = await busy.response;
  assertProblem(refused, 503, 'uploads-busy');
  const retryAfter = refused.headers['retry-after'];
  assert.match(retryAfter ?? '', /^\d+$/, `Retry-After: ${retryAfter}`);
  assert.ok(Number(retryAfter) > 0, `Retry-After: ${retryAfter}`);
  assert.match(refused.headers.connection ?? '', /close/i, 'the connection of the refused upload is closed');

  // The first upload, still there, ends well.
  slow.req.end(slowBytes.subarray(4096));
  const done = await slow.response;
  assert.equal(done.status, 201, done.text);
  assert.equal(done.json.version.sha256, sha256(slowBytes));
  assert.equal(done.json.version.size, slowBytes.length);

  // Its slot is free again.
  const again = await createDocument(colleague.client, busyBytes, { title: 'Пак', fileName: 'again.pdf' });
  assert.deepEqual(await listedIds(colleague.client), [again.document.id], 'nothing of the refused upload was kept');
  assert.deepEqual(blobHashes(server.dataDir).sort(), [sha256(slowBytes), sha256(busyBytes)].sort());
  await waitFor(() => temporaryFiles(server.dataDir).length === 0, { message: 'documents/tmp to be empty' });
});

serverTest('an upload refused from its Content-Length is answered to a client that goes on sending the body, 5 times of 5', async (t) => {
  const limit = MiB;
  const server = await startServer({ env: { EGOVBOX_DOCUMENTS_MAX_BYTES: String(limit) } });
  const owner = await member(server);
  // Well beyond what the socket buffers take: without the drain, the close would
  // find unread bytes and reset the connection while the client still writes.
  const body = pdfBytes(16 * MiB);

  const outcomes = [];
  for (let attempt = 0; attempt < 5; attempt++) {
    const upload = openUpload(owner.client, `${DOCUMENTS}${queryString({ file_name: `big-${attempt}.pdf` })}`, body.length);
    const [sent, response] = await Promise.all([
      writeWhole(upload, body),
      upload.response.catch((error) => ({ status: 0, error: error.code ?? error.message })),
    ]);
    outcomes.push({ attempt, status: response.status, type: response.json?.type, error: response.error, sent, failure: upload.failure });
  }
  t.diagnostic(JSON.stringify(outcomes.map(({ status, sent, failure }) => ({ status, sent, failure }))));
  for (const outcome of outcomes) {
    assert.equal(outcome.status, 413, `attempt ${outcome.attempt}: no answer (${outcome.error}) after ${outcome.sent} bytes`);
    assert.equal(outcome.type, `${PROBLEM}payload-too-large`, `attempt ${outcome.attempt}`);
  }
  assert.deepEqual(await listedIds(owner.client), []);
  await waitFor(() => temporaryFiles(server.dataDir).length === 0, { message: 'documents/tmp to be empty' });
});
