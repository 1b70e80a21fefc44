-- Notify: the notification centre (what a person sees in the app) and the
-- persistent e-mail outbox. Times are seconds since the Unix epoch (UTC); IDs are
-- opaque random strings.

CREATE TABLE notifications (
  id TEXT PRIMARY KEY,
  employee_id TEXT NOT NULL REFERENCES employees(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,                   -- "meeting.invited", "meeting.reminder", "call.missed", ...
  payload TEXT NOT NULL DEFAULT '{}',   -- JSON object: what the UI needs to write the text
  created_at INTEGER NOT NULL,
  read_at INTEGER,
  seq INTEGER NOT NULL                  -- order of recording (several may share a second)
);
CREATE UNIQUE INDEX notifications_seq ON notifications (seq);
-- Newest first per person, and the unread count.
CREATE INDEX notifications_employee ON notifications (employee_id, seq);

CREATE TABLE mail_outbox (
  id TEXT PRIMARY KEY,
  recipient TEXT NOT NULL,              -- the envelope recipient (RCPT TO)
  message TEXT NOT NULL,                -- the complete RFC 5322 message, built when queued
  created_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  sent_at INTEGER,
  failed_at INTEGER,                    -- given up after too many attempts
  last_error TEXT NOT NULL DEFAULT ''
);
-- The messages still to send, by when they are due.
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
