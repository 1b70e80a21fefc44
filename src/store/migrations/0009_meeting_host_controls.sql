-- What the hosts of a meeting decided while it was on (meetings::HostControls),
-- per occurrence (named by its original start, as in meeting_exceptions): locked
-- (no new joins), ended for everyone (nobody joins again), and the people removed
-- (their capability is refused and none is issued to them until a host lets
-- them back). Times are seconds since the Unix epoch (UTC).
CREATE TABLE meeting_sessions (
  meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  occurrence INTEGER NOT NULL,
  locked INTEGER NOT NULL DEFAULT 0,
  ended_at INTEGER,
  ended_by TEXT REFERENCES employees(id),
  PRIMARY KEY (meeting_id, occurrence)
);

CREATE TABLE meeting_removals (
  meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  occurrence INTEGER NOT NULL,
  employee_id TEXT NOT NULL REFERENCES employees(id) ON DELETE CASCADE,
  removed_at INTEGER NOT NULL,
  removed_by TEXT NOT NULL REFERENCES employees(id),
  PRIMARY KEY (meeting_id, occurrence, employee_id)
);
