-- Attendance of meetings' media rooms, recorded from the SFU's events: who was
-- in, from when to when, and why they went. One row per visit (a tab joining).
CREATE TABLE meeting_attendance (
  participant_id TEXT PRIMARY KEY,
  meeting_id TEXT NOT NULL REFERENCES meetings(id),
  employee_id TEXT NOT NULL REFERENCES employees(id),
  joined_at INTEGER NOT NULL,
  left_at INTEGER,
  left_reason TEXT
);
CREATE INDEX meeting_attendance_by_meeting ON meeting_attendance(meeting_id, joined_at);
