// An upload cut off, by the client or by a server killed with SIGKILL, leaves no
// document and no stored file: only a temporary file (encrypted like the rest),
// which start-up removes. What was uploaded before is intact.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { countRows, serverTest, startServer, waitFor } from './harness.mjs';
import {
  blobHashes,
  createDocument,
  DOCUMENTS,
  download,
  listedIds,
  member,
  MiB,
  pdfBytes,
  sha256,
  streamUpload,
  temporaryFiles,
  textBytes,
  uploadDocument,
} from './documents_helpers.mjs';
import { restartServer } from './meetings_helpers.mjs';

const MARKER = 'EGOVBOX-UNFINISHED-UPLOAD-MARKER';

// `total` bytes of text with MARKER in every line, as 256 KiB pieces; the first
// `before` bytes come at once, then the generator waits for `gate`, forever if it
// is never opened.
async function* slowBody(total, before, gate) {
  const line = `${MARKER} ред от незавършено качване\n`;
  const piece = Buffer.from(line.repeat(Math.ceil((256 * 1024) / Buffer.byteLength(line)))).subarray(0, 256 * 1024);
  let sent = 0;
  while (sent < total) {
    if (sent >= before) await gate;
    const size = Math.min(piece.length, total - sent);
    sent += size;
    yield piece.subarray(0, size);
  }
}

function partSizes(dataDir) {
  return temporaryFiles(dataDir).map((file) => fs.statSync(path.join(dataDir, 'documents', 'tmp', file)).size);
}

serverTest('a server killed mid-upload shows no partial document after restart, empties documents/tmp, and keeps earlier files intact', async (t) => {
  const server = await startServer();
  const owner = await member(server);
  const earlier = [pdfBytes(3 * MiB), textBytes('по-рано качен текст\n')];
  const ids = [];
  for (const [i, bytes] of earlier.entries()) {
    ids.push((await createDocument(owner.client, bytes, { title: `По-рано ${i}`, fileName: `earlier-${i}` })).document.id);
  }
  const blobsBefore = blobHashes(server.dataDir);
  assert.equal(blobsBefore.length, 2);

  // 20 MiB announced, 4 MiB sent, then nothing more.
  const total = 20 * MiB;
  const upload = uploadDocument(owner.client, slowBody(total, 4 * MiB, new Promise(() => {})), {
    title: 'Недовършен',
    fileName: 'недовършен.txt',
    contentLength: total,
  }).then(
    (response) => ({ response }),
    (error) => ({ error }),
  );
  await waitFor(() => partSizes(server.dataDir).some((size) => size >= 3 * MiB), {
    message: 'the upload to be written to documents/tmp',
  });
  // The file on its way is encrypted too.
  for (const file of temporaryFiles(server.dataDir)) {
    const bytes = fs.readFileSync(path.join(server.dataDir, 'documents', 'tmp', file));
    assert.equal(bytes.indexOf(MARKER), -1, `documents/tmp/${file} holds the plaintext`);
  }

  const status = await server.kill();
  assert.equal(status.signal, 'SIGKILL');
  const outcome = await upload;
  assert.ok(outcome.error, `a killed server answers nothing: ${JSON.stringify(outcome.response)?.slice(0, 200)}`);
  const leftover = partSizes(server.dataDir);
  assert.ok(leftover.length > 0, 'the killed upload left its temporary file');

  const restarted = await restartServer(server, { clients: [owner.client] });
  assert.deepEqual(temporaryFiles(restarted.dataDir), [], 'start-up empties documents/tmp');
  assert.deepEqual((await listedIds(owner.client)).sort(), [...ids].sort(), 'no partial document is listed');
  assert.deepEqual(await listedIds(owner.client, '?scope=deleted'), []);
  assert.equal(countRows(restarted.dataDir, 'documents'), 2);
  assert.equal(countRows(restarted.dataDir, 'document_versions'), 2);
  assert.deepEqual(blobHashes(restarted.dataDir), blobsBefore, 'no stored file of the partial upload');
  for (const [i, bytes] of earlier.entries()) {
    const down = await download(owner.client, `${DOCUMENTS}/${ids[i]}/content`);
    assert.equal(down.status, 200);
    assert.equal(down.sha256, sha256(bytes), `the earlier document ${i} is intact`);
  }
  // And uploads work again.
  const after = pdfBytes(MiB);
  const { document } = await createDocument(owner.client, after);
  assert.equal((await download(owner.client, `${DOCUMENTS}/${document.id}/content`)).sha256, sha256(after));
  t.diagnostic(`killed with temporary files of ${leftover.join(', ')} bytes left; start-up removed them`);
});

serverTest('an upload the client cuts off leaves no document and no temporary file', async () => {
  const server = await startServer();
  const owner = await member(server);
  let cut;
  const gate = new Promise((resolve) => {
    cut = resolve;
  });
  const total = 8 * MiB;
  const upload = streamUpload(owner.client, `${DOCUMENTS}?file_name=cut.txt`, slowBody(total, 2 * MiB, gate), {
    contentLength: total,
  }).then(
    (response) => ({ response }),
    (error) => ({ error }),
  );
  await waitFor(() => partSizes(server.dataDir).some((size) => size >= MiB), { message: 'the upload to be under way' });
  // The client goes away: the generator throws and the request is destroyed.
  const generatorError = new Error('the client went away');
  cut(Promise.reject(generatorError));
  const outcome = await upload;
  assert.ok(outcome.error, `no answer to a request abandoned half-way: ${JSON.stringify(outcome.response)?.slice(0, 200)}`);

  await waitFor(() => temporaryFiles(server.dataDir).length === 0, { message: 'the temporary file to be removed' });
  assert.deepEqual(await listedIds(owner.client), []);
  assert.equal(countRows(server.dataDir, 'documents'), 0);
  assert.deepEqual(blobHashes(server.dataDir), []);
  assert.equal((await uploadDocument(owner.client, pdfBytes(1000))).status, 201, 'the server takes uploads as before');
});
