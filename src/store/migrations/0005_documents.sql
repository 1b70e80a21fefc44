-- Documents: files with versions, shares and comments. The bytes live in the
-- encrypted blob store under <data>/documents, named by the SHA-256 of the
-- plaintext; these tables hold everything else. Times are seconds since the Unix
-- epoch (UTC); IDs are opaque random strings.

CREATE TABLE documents (
  id TEXT PRIMARY KEY,
  owner_id TEXT NOT NULL REFERENCES employees(id),
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  classification TEXT NOT NULL CHECK (classification IN ('public', 'internal', 'restricted')),
  search_text TEXT NOT NULL,            -- title, description and file names folded to lower case
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  deleted_at INTEGER,                   -- soft delete; purged 30 days later
  deleted_by TEXT
);
CREATE INDEX documents_owner ON documents (owner_id);
CREATE INDEX documents_deleted ON documents (deleted_at) WHERE deleted_at IS NOT NULL;

CREATE TABLE document_versions (
  document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  number INTEGER NOT NULL,              -- 1, 2, ... per document
  uploader_id TEXT NOT NULL REFERENCES employees(id),
  uploaded_at INTEGER NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,                 -- lower-case hex of the plaintext; names the blob
  media_type TEXT NOT NULL,             -- from libmagic
  file_name TEXT NOT NULL,              -- sanitised original name, for display and download only
  scan_state TEXT NOT NULL CHECK (scan_state IN ('clean', 'not-scanned', 'pending-scan')),
  PRIMARY KEY (document_id, number)
);
CREATE INDEX document_versions_blob ON document_versions (sha256);
CREATE INDEX document_versions_uploader ON document_versions (uploader_id);
CREATE INDEX document_versions_pending ON document_versions (uploaded_at) WHERE scan_state = 'pending-scan';

CREATE TABLE document_shares (
  id TEXT PRIMARY KEY,
  document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  grantee_kind TEXT NOT NULL CHECK (grantee_kind IN ('employee', 'department', 'meeting')),
  grantee_id TEXT NOT NULL,
  permission TEXT NOT NULL CHECK (permission IN ('view', 'comment', 'edit', 'manage')),
  expires_at INTEGER,
  created_by TEXT NOT NULL REFERENCES employees(id),
  created_at INTEGER NOT NULL,
  UNIQUE (document_id, grantee_kind, grantee_id)
);
CREATE INDEX document_shares_grantee ON document_shares (grantee_kind, grantee_id);

CREATE TABLE document_comments (
  id TEXT PRIMARY KEY,
  document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  author_id TEXT NOT NULL REFERENCES employees(id),
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  seq INTEGER NOT NULL                  -- order of writing (several may share a second)
);
CREATE INDEX document_comments_document ON document_comments (document_id, seq);
