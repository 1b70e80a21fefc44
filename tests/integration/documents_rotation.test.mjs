// Rotating the documents key: every stored file is re-encrypted under a new key,
// the old key is gone, and the documents read back intact; an interrupted
// rotation is finished, not mistaken for one already done; the command refuses
// while the server runs; a missing key with files stored stops the start.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { admin, runServeExpectingFailure, serverTest, settledEmployee, startServer } from './harness.mjs';
import { blobHashes, blobPath, createDocument, download, DOCUMENTS, pdfBytes, sha256 } from './documents_helpers.mjs';

const keyFile = (dataDir) => path.join(dataDir, 'keys', 'documents.key');
const retiredDir = (dataDir) => path.join(dataDir, 'keys', 'documents-retired');
// The id of the key a stored file is under: bytes 8 to 16, after the magic.
const keyIdOf = (file) => fs.readFileSync(file).subarray(8, 16).toString('hex');

async function serverWithDocuments(count) {
  const server = await startServer();
  const { client } = await settledEmployee(server);
  const documents = [];
  for (let i = 0; i < count; i++) {
    const bytes = Buffer.concat([pdfBytes(70_000 + i), crypto.randomBytes(1000)]);
    const created = await createDocument(client, bytes, { fileName: `file-${i}.pdf` });
    documents.push({ id: created.document.id, sha: sha256(bytes) });
  }
  return { server, client, documents };
}

async function assertReadable(server, client, documents) {
  for (const { id, sha } of documents) {
    const got = await download(client, `${DOCUMENTS}/${id}/content`);
    assert.equal(got.status, 200);
    assert.equal(got.sha256, sha, `document ${id} reads back intact`);
  }
}

serverTest('rotate-key re-encrypts every stored file under a new key and deletes the old one', async () => {
  const { server, client, documents } = await serverWithDocuments(3);
  const { dataDir } = server;
  const oldKey = fs.readFileSync(keyFile(dataDir));
  const oldIds = new Set(blobHashes(dataDir).map((hash) => keyIdOf(blobPath(dataDir, hash))));
  assert.equal(oldIds.size, 1);

  const refused = admin(dataDir, 'documents', 'rotate-key');
  assert.notEqual(refused.status, 0, 'refused while the server runs');
  assert.match(refused.stderr, /stop it/);
  assert.deepEqual(fs.readFileSync(keyFile(dataDir)), oldKey, 'the key is untouched');

  await server.stop();
  const rotated = admin(dataDir, 'documents', 'rotate-key');
  assert.equal(rotated.status, 0, rotated.stderr);
  assert.equal(rotated.json.reencrypted, 3);
  assert.equal(rotated.json.failed, 0);
  assert.notDeepEqual(fs.readFileSync(keyFile(dataDir)), oldKey, 'a new key');
  assert.deepEqual(fs.readdirSync(retiredDir(dataDir)), [], 'the retired key is deleted');
  for (const hash of blobHashes(dataDir)) {
    assert.equal(keyIdOf(blobPath(dataDir, hash)), rotated.json.key_id, 'under the new key');
  }

  const restarted = await startServer({ dataDir });
  client.server = restarted;
  await assertReadable(restarted, client, documents);
});

serverTest('an interrupted rotation is finished with a new key, and a resumed one keeps it', async () => {
  const { server, client, documents } = await serverWithDocuments(2);
  const { dataDir } = server;
  await server.stop();
  const oldKey = fs.readFileSync(keyFile(dataDir));

  // Stopped after retiring the key and before making the new one.
  fs.mkdirSync(retiredDir(dataDir), { recursive: true, mode: 0o700 });
  const [hash] = blobHashes(dataDir);
  const oldId = keyIdOf(blobPath(dataDir, hash));
  fs.writeFileSync(path.join(retiredDir(dataDir), `${oldId}.key`), oldKey, { mode: 0o600 });
  const finished = admin(dataDir, 'documents', 'rotate-key');
  assert.equal(finished.status, 0, finished.stderr);
  assert.equal(finished.json.resumed, false);
  assert.equal(finished.json.reencrypted, 2);
  assert.notDeepEqual(fs.readFileSync(keyFile(dataDir)), oldKey, 'the key did change');

  // Stopped after making the new key, before re-encrypting: resumed with that key.
  const newKey = fs.readFileSync(keyFile(dataDir));
  const again = admin(dataDir, 'documents', 'rotate-key');
  assert.equal(again.json.resumed, false, 'nothing was left to resume');
  const third = fs.readFileSync(keyFile(dataDir));
  assert.notDeepEqual(third, newKey);
  fs.writeFileSync(path.join(retiredDir(dataDir), `${oldId}.key`), oldKey, { mode: 0o600 });
  const resumed = admin(dataDir, 'documents', 'rotate-key');
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.equal(resumed.json.resumed, true);
  assert.equal(resumed.json.reencrypted, 0, 'every file is already under the current key');
  assert.deepEqual(fs.readFileSync(keyFile(dataDir)), third, 'the key made before is kept');
  assert.deepEqual(fs.readdirSync(retiredDir(dataDir)), [], 'and the retired key is deleted at the end');

  const restarted = await startServer({ dataDir });
  client.server = restarted;
  await assertReadable(restarted, client, documents);
});

serverTest('a missing key with documents stored stops the start instead of making a new one', async () => {
  const { server } = await serverWithDocuments(1);
  const { dataDir } = server;
  await server.stop();
  fs.renameSync(keyFile(dataDir), `${keyFile(dataDir)}.away`);
  const failed = runServeExpectingFailure({ dataDir });
  assert.notEqual(failed.status, 0);
  assert.match(failed.stderr, /documents key .* is missing/);
  assert.equal(fs.existsSync(keyFile(dataDir)), false, 'no new key was made');
});
