-- Append-only audit log. Each entry carries the SHA-256 of the entry before it
-- (prev_hash) and of itself (hash), so a changed or removed row breaks the chain.
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,              -- 1, 2, 3, ... without gaps
  at INTEGER NOT NULL,
  actor_id TEXT,                        -- employee id, or NULL for the system / the CLI
  action TEXT NOT NULL,
  subject TEXT NOT NULL DEFAULT '',
  client_address TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT '{}',    -- JSON object
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);

-- The log is append-only for the application: updates and deletes are refused by
-- the database itself. (Someone with the file can still drop the triggers; the hash
-- chain is what catches that.)
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
