-- The in-meeting chat: messages kept with their meeting, read and written by those
-- who may see the meeting. Times are seconds since the Unix epoch (UTC); IDs are
-- opaque random strings. Messages are not audited one by one.

CREATE TABLE meeting_chat_messages (
  id TEXT PRIMARY KEY,
  meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,                 -- 1, 2, ... per meeting: the order of posting (several may share a second)
  author_id TEXT NOT NULL REFERENCES employees(id),
  text TEXT NOT NULL,                   -- trimmed UTF-8, 1..2000 code points, no control characters but LF and tab
  sent_at INTEGER NOT NULL
);
-- A meeting's messages in order, newest first for paging; also makes seq unique per meeting.
CREATE UNIQUE INDEX meeting_chat_messages_order ON meeting_chat_messages (meeting_id, seq);
