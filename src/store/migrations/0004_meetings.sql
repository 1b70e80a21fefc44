-- Meetings: rooms (personal and halls), meetings with recurrence and single-occurrence
-- exceptions, invitations (with RSVP and reminder choices), reminders already sent,
-- knocks on personal rooms, one-to-one calls, calendar feed tokens, presence choice.
-- Times are seconds since the Unix epoch (UTC). The start of a meeting is also kept
-- as a Europe/Sofia wall time, from which recurrences are expanded.

CREATE TABLE rooms (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('personal', 'hall')),
  owner_id TEXT UNIQUE REFERENCES employees(id) ON DELETE CASCADE,  -- personal rooms only
  name TEXT NOT NULL DEFAULT '',                                     -- halls; a personal room takes its owner's name
  description TEXT NOT NULL DEFAULT '',
  capacity INTEGER,
  lobby INTEGER NOT NULL DEFAULT 0,
  archived_at INTEGER,
  created_at INTEGER NOT NULL,
  CHECK ((kind = 'personal') = (owner_id IS NOT NULL))
);

-- Every employee has a personal room, made in the same transaction as the employee.
INSERT INTO rooms (id, kind, owner_id, created_at)
  SELECT lower(hex(randomblob(12))), 'personal', id, created_at FROM employees;
CREATE TRIGGER employees_personal_room AFTER INSERT ON employees
BEGIN
  INSERT INTO rooms (id, kind, owner_id, created_at) VALUES (lower(hex(randomblob(12))), 'personal', NEW.id, NEW.created_at);
END;

CREATE TABLE meetings (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  agenda TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL CHECK (kind IN ('one-to-one', 'operational', 'general')),
  room_id TEXT NOT NULL REFERENCES rooms(id),
  organiser_id TEXT NOT NULL REFERENCES employees(id),
  starts_at INTEGER NOT NULL,          -- first occurrence
  ends_at INTEGER NOT NULL,
  local_start TEXT NOT NULL,           -- the same start as Europe/Sofia wall time, YYYY-MM-DDTHH:MM:SS
  recurrence TEXT,                     -- RRULE, or NULL for a single meeting
  last_ends_at INTEGER,                -- end of the last occurrence; NULL when the recurrence never ends
  status TEXT NOT NULL CHECK (status IN ('scheduled', 'cancelled')),
  sequence INTEGER NOT NULL DEFAULT 0, -- iCalendar SEQUENCE, increased on every change
  reminder_offsets TEXT NOT NULL,      -- JSON array of seconds before the start
  ad_hoc INTEGER NOT NULL DEFAULT 0,   -- opened by entering a personal room, a knock or a call
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX meetings_room ON meetings (room_id, starts_at);

CREATE TABLE meeting_exceptions (
  meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  original_start INTEGER NOT NULL,
  starts_at INTEGER,                   -- moved occurrence; NULL when only cancelled
  ends_at INTEGER,
  cancelled INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (meeting_id, original_start)
);

CREATE TABLE invitations (
  meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  employee_id TEXT NOT NULL REFERENCES employees(id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('host', 'co-host', 'participant')),
  response TEXT NOT NULL DEFAULT 'needs-action'
    CHECK (response IN ('needs-action', 'accepted', 'declined', 'tentative')),
  comment TEXT NOT NULL DEFAULT '',
  responded_at INTEGER,
  reminder_offsets TEXT,               -- JSON array; NULL follows the meeting's defaults
  invited_at INTEGER NOT NULL,
  PRIMARY KEY (meeting_id, employee_id)
);
CREATE INDEX invitations_employee ON invitations (employee_id);

-- One row per reminder delivered (or skipped as superseded): the primary key makes it once only.
CREATE TABLE reminders_sent (
  meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  occurrence INTEGER NOT NULL,         -- original start of the occurrence
  employee_id TEXT NOT NULL REFERENCES employees(id) ON DELETE CASCADE,
  offset_seconds INTEGER NOT NULL,
  sent_at INTEGER NOT NULL,
  PRIMARY KEY (meeting_id, occurrence, employee_id, offset_seconds)
);

CREATE TABLE knocks (
  id TEXT PRIMARY KEY,
  room_id TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  employee_id TEXT NOT NULL REFERENCES employees(id) ON DELETE CASCADE,
  status TEXT NOT NULL CHECK (status IN ('pending', 'admitted', 'declined', 'withdrawn')),
  meeting_id TEXT REFERENCES meetings(id),
  created_at INTEGER NOT NULL,
  decided_at INTEGER
);
CREATE INDEX knocks_room ON knocks (room_id, status);

CREATE TABLE calls (
  id TEXT PRIMARY KEY,
  caller_id TEXT NOT NULL REFERENCES employees(id) ON DELETE CASCADE,
  callee_id TEXT NOT NULL REFERENCES employees(id) ON DELETE CASCADE,
  status TEXT NOT NULL CHECK (status IN ('ringing', 'accepted', 'declined', 'missed', 'cancelled')),
  meeting_id TEXT REFERENCES meetings(id),
  created_at INTEGER NOT NULL,
  ended_at INTEGER
);
CREATE INDEX calls_ringing ON calls (status, created_at);

CREATE TABLE calendar_feeds (
  employee_id TEXT PRIMARY KEY REFERENCES employees(id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,     -- SHA-256 hex of the token in the URL
  created_at INTEGER NOT NULL
);

CREATE TABLE presence_choices (
  employee_id TEXT PRIMARY KEY REFERENCES employees(id) ON DELETE CASCADE,
  do_not_disturb INTEGER NOT NULL DEFAULT 0
);
