// Helpers for the documents tests: uploads that stream their body (a Buffer, or a
// generator of Buffers) on a connection of their own, downloads that hash the body
// as it arrives instead of keeping it, the server's resident memory from /proc, and
// the files of the data directory.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';

import { connectTls, parseRawResponse, PROBLEM, tlsOptions, watchSocket, withTimeout } from './harness.mjs';
import { person } from './meetings_helpers.mjs';

export const API = '/api/v1';
export const DOCUMENTS = `${API}/documents`;

// A 1×1 PNG.
export const PNG_BYTES = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

// A 64-bit little-endian ELF header (an x86-64 executable) and some padding: what
// libmagic calls application/x-executable.
export function elfBytes() {
  const header = Buffer.alloc(64);
  header.write('\x7fELF', 0, 'latin1');
  header[4] = 2; // ELFCLASS64
  header[5] = 1; // little-endian
  header[6] = 1; // EV_CURRENT
  header.writeUInt16LE(2, 16); // ET_EXEC
  header.writeUInt16LE(62, 18); // EM_X86_64
  header.writeUInt32LE(1, 20);
  return Buffer.concat([header, Buffer.alloc(256)]);
}

// `size` bytes that libmagic takes for a PDF: the header, then random bytes.
export function pdfBytes(size = 4096) {
  const header = Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1');
  const bytes = crypto.randomBytes(size);
  header.copy(bytes, 0);
  return bytes;
}

export const textBytes = (text) => Buffer.from(text, 'utf8');

export const sha256 = (bytes) => crypto.createHash('sha256').update(bytes).digest('hex');

// The query string of an upload. encodeURIComponent rather than URLSearchParams,
// which writes a space as '+'.
export function queryString(params) {
  const parts = [];
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
  }
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

// ---------------------------------------------------------------------------
// Uploads

function parseBody(buffer, headers) {
  const text = buffer.toString('utf8');
  let json;
  if (/json/.test(headers['content-type'] ?? '') && text.length > 0) json = JSON.parse(text);
  return { text, json };
}

// POSTs `body` to `urlPath` as `client`, on a connection of its own. `body` is a
// Buffer (sent with its Content-Length unless `chunked`) or an iterable / async
// iterable of Buffers (chunked unless `contentLength` is given). The body is
// written as the socket takes it; once a response begins, nothing more is written
// (a refusal may come before the end of the body, and the server then closes the
// connection). Resolves with {status, headers, text, json, sent}, `sent` being the
// body bytes handed to the socket; rejects when the connection fails before any
// response. Fails on a 5xx.
export function streamUpload(client, urlPath, body, { contentLength, chunked = false, headers = {}, timeoutMs = 60_000 } = {}) {
  const outgoing = { 'Content-Type': 'application/octet-stream', ...headers, Cookie: client.cookie };
  if (client.csrf) outgoing['X-CSRF-Token'] = client.csrf;
  const isBuffer = Buffer.isBuffer(body);
  if (contentLength !== undefined) outgoing['Content-Length'] = contentLength;
  else if (isBuffer && !chunked) outgoing['Content-Length'] = body.length;
  else outgoing['Transfer-Encoding'] = 'chunked';

  return new Promise((resolve, reject) => {
    let responded = false;
    let sent = 0;
    let wake = () => {};
    const req = https.request(
      { ...tlsOptions(client.server), method: 'POST', path: urlPath, headers: outgoing, agent: false, timeout: timeoutMs },
      (res) => {
        responded = true;
        wake();
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('error', (error) => reject(error));
        res.on('end', () => {
          const buffer = Buffer.concat(chunks);
          const { text, json } = parseBody(buffer, res.headers);
          assert.ok(res.statusCode < 500, `POST ${urlPath} answered ${res.statusCode} (never a 5xx): ${text.slice(0, 300)}`);
          resolve({ status: res.statusCode, headers: res.headers, text, json, sent });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`POST ${urlPath}: no response within ${timeoutMs} ms`)));
    req.on('error', (error) => {
      wake();
      // Writing on after a refusal may fail (EPIPE, ECONNRESET): the response counts.
      if (!responded) reject(error);
    });
    req.on('drain', () => wake());
    req.on('close', () => wake());

    (async () => {
      const pieces = isBuffer ? sliceBuffer(body, 256 * 1024) : body;
      for await (const piece of pieces) {
        if (responded || req.destroyed) return;
        sent += piece.length;
        if (!req.write(piece)) {
          await new Promise((resume) => {
            wake = resume;
          });
          wake = () => {};
        }
      }
      if (!responded && !req.destroyed) req.end();
    })().catch((error) => req.destroy(error));
  });
}

function* sliceBuffer(buffer, size) {
  for (let offset = 0; offset < buffer.length; offset += size) yield buffer.subarray(offset, offset + size);
}

// POST /documents with the file `body`. Options: title, fileName, classification,
// description, and those of streamUpload.
export function uploadDocument(client, body, { title, fileName = 'file.pdf', classification, description, ...options } = {}) {
  const query = queryString({ title, file_name: fileName, classification, description });
  return streamUpload(client, `${DOCUMENTS}${query}`, body, options);
}

export function uploadVersion(client, documentId, body, { fileName = 'file.pdf', ...options } = {}) {
  return streamUpload(client, `${DOCUMENTS}/${documentId}/versions${queryString({ file_name: fileName })}`, body, options);
}

// A POST of an upload on a raw TLS connection (as `client`, or anonymous when it
// is just {server}), for refusals that come before the end of the body: Node's client, still writing when the server closes, may see
// the connection reset before it reads the answer. Writes the head (`headers`
// added to the cookie and CSRF token), then `bodyBytes` of body: with
// `chunked`, as 64 KiB chunks without the final empty one, so the body never
// ends; otherwise as they are. Stops writing when an answer begins, and waits
// (sending nothing more) for the answer and the closing of the connection.
// Returns {status, headers, json, sent, ms}.
export async function rawUpload(client, urlPath, { headers = [], bodyBytes = 0, chunked = false, timeoutMs = 10_000 } = {}) {
  const socket = await connectTls(client.server);
  const closed = watchSocket(socket);
  let answered = false;
  let wake = () => {};
  socket.once('data', () => {
    answered = true;
    wake();
  });
  socket.on('drain', () => wake());
  socket.once('close', () => wake());
  const lines = [`POST ${urlPath} HTTP/1.1`, 'Host: localhost', 'Accept-Language: en', 'Content-Type: application/octet-stream'];
  if (client.cookie) lines.push(`Cookie: ${client.cookie}`, `X-CSRF-Token: ${client.csrf}`);
  lines.push(...headers);
  if (chunked) lines.push('Transfer-Encoding: chunked');
  const started = Date.now();
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  let sent = 0;
  const piece = pdfBytes(64 * 1024);
  while (sent < bodyBytes && !answered && !socket.destroyed) {
    const size = Math.min(piece.length, bodyBytes - sent);
    const data = chunked
      ? Buffer.concat([Buffer.from(`${size.toString(16)}\r\n`), piece.subarray(0, size), Buffer.from('\r\n')])
      : piece.subarray(0, size);
    sent += size;
    if (!socket.write(data)) {
      await new Promise((resume) => {
        wake = resume;
      });
      wake = () => {};
    }
  }
  const outcome = await withTimeout(closed, timeoutMs, `the server neither answered nor closed the connection within ${timeoutMs} ms`);
  return { ...parseRawResponse(outcome.data), sent, ms: Date.now() - started };
}

// Uploads and asserts 201; returns {document, version}.
export async function createDocument(client, body, options = {}) {
  const response = await uploadDocument(client, body, options);
  assert.equal(response.status, 201, `upload: ${response.text.slice(0, 300)}`);
  return response.json;
}

// ---------------------------------------------------------------------------
// Downloads

// GETs `urlPath` as `client`, hashing the body as it streams. Resolves with
// {status, headers, size, sha256, body}: `body` is kept only when it is small
// (at most `keepBytes`), else null. `onChunk` sees each piece as it arrives.
export function download(client, urlPath, { headers = {}, keepBytes = 1024 * 1024, onChunk, timeoutMs = 60_000 } = {}) {
  const outgoing = { ...headers };
  if (client.cookie) outgoing.Cookie = client.cookie;
  return new Promise((resolve, reject) => {
    const req = https.request(
      { ...tlsOptions(client.server), method: 'GET', path: urlPath, headers: outgoing, agent: false, timeout: timeoutMs },
      (res) => {
        const hash = crypto.createHash('sha256');
        let size = 0;
        let kept = [];
        res.on('data', (chunk) => {
          hash.update(chunk);
          size += chunk.length;
          if (kept && size <= keepBytes) kept.push(chunk);
          else kept = null;
          onChunk?.(chunk);
        });
        res.on('error', reject);
        res.on('end', () => {
          const body = kept ? Buffer.concat(kept) : null;
          const { text, json } = body ? parseBody(body, res.headers) : { text: '', json: undefined };
          assert.ok(res.statusCode < 500, `GET ${urlPath} answered ${res.statusCode} (never a 5xx): ${text.slice(0, 300)}`);
          resolve({ status: res.statusCode, headers: res.headers, size, sha256: hash.digest('hex'), body, text, json, complete: res.complete });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${urlPath}: no response within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

// ---------------------------------------------------------------------------
// People, shares

// A settled, signed-in employee (optionally in `department`), with their id and
// their department's id. Returns {employee, client, id, departmentId}.
export async function member(server, { department, name } = {}) {
  const someone = await person(server, { department, name });
  const me = await someone.client.get(`${API}/me`);
  assert.equal(me.status, 200, me.text);
  return { ...someone, id: me.json.id, departmentId: me.json.department?.id ?? null };
}

// POST /shares as `owner`; returns the response.
export function share(owner, documentId, kind, id, permission = 'view', expiresAt) {
  const body = { grantee: { kind, id }, permission };
  if (expiresAt !== undefined) body.expires_at = expiresAt;
  return owner.post(`${DOCUMENTS}/${documentId}/shares`, body);
}

export async function shareOk(owner, documentId, kind, id, permission = 'view', expiresAt) {
  const response = await share(owner, documentId, kind, id, permission, expiresAt);
  assert.equal(response.status, 201, `share with ${kind} ${id}: ${response.text}`);
  return response.json;
}

// The ids of the documents `client` finds with `query` (e.g. '?scope=deleted').
export async function listedIds(client, query = '') {
  const response = await client.get(`${DOCUMENTS}${query}`);
  assert.equal(response.status, 200, response.text);
  return response.json.documents.map((d) => d.id);
}

// Every way to reach a document that someone who may not view it must find
// closed with 404 document-not-found.
export function readPaths(documentId) {
  const base = `${DOCUMENTS}/${documentId}`;
  return [base, `${base}/versions`, `${base}/content`, `${base}/versions/1/content`, `${base}/preview`,
    `${base}/versions/1/preview`, `${base}/shares`, `${base}/comments`];
}

// Asserts that `client` gets 404 document-not-found on every read path of the document.
export async function assertHidden(client, documentId, why) {
  for (const urlPath of readPaths(documentId)) {
    const response = await download(client, urlPath);
    assert.equal(response.status, 404, `${why}: GET ${urlPath} answered ${response.status}: ${response.text.slice(0, 200)}`);
    assert.equal(response.json?.type, `${PROBLEM}document-not-found`, `${why}: GET ${urlPath}: ${response.text.slice(0, 200)}`);
  }
  assert.ok(!(await listedIds(client)).includes(documentId), `${why}: the document is not listed`);
}

// ---------------------------------------------------------------------------
// The server process and its files

// The resident set size of process `pid`, in bytes (VmRSS in /proc/<pid>/status).
export function vmRss(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  assert.ok(match, `no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

// Samples vmRss(pid) every `intervalMs` until stop(), which returns {max, samples}.
export function sampleRss(pid, intervalMs = 10) {
  let max = vmRss(pid);
  let samples = 1;
  const timer = setInterval(() => {
    try {
      max = Math.max(max, vmRss(pid));
      samples += 1;
    } catch {
      // the process is gone; the test notices on its own
    }
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      max = Math.max(max, vmRss(pid));
      return { max, samples: samples + 1 };
    },
  };
}

export const MiB = 1024 * 1024;

// Every regular file under `dir`, as paths relative to it.
export function filesUnder(dir) {
  const found = [];
  const walk = (relative) => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const child = path.join(relative, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) found.push(child);
    }
  };
  if (fs.existsSync(dir)) walk('');
  return found.sort();
}

// The stored blob files (documents/blobs/xx/<sha256>), as their hashes.
export function blobHashes(dataDir) {
  return filesUnder(path.join(dataDir, 'documents', 'blobs')).map((file) => path.basename(file));
}

export function temporaryFiles(dataDir) {
  return filesUnder(path.join(dataDir, 'documents', 'tmp'));
}

export function blobPath(dataDir, hash) {
  return path.join(dataDir, 'documents', 'blobs', hash.slice(0, 2), hash);
}
