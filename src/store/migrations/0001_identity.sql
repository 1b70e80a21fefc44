-- Identity: departments, employees, roles, second factor, sessions.
-- Times are seconds since the Unix epoch (UTC); IDs are opaque random strings.

CREATE TABLE departments (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);

CREATE TABLE employees (
  id TEXT PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,            -- personal code, normalised (upper case, no dash)
  name TEXT NOT NULL,
  search_text TEXT NOT NULL,            -- name, position and code folded to lower case, for search
  email TEXT NOT NULL,
  department_id TEXT REFERENCES departments(id),
  position TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('active', 'suspended')),
  password_hash TEXT NOT NULL,
  must_change_password INTEGER NOT NULL,
  totp_secret TEXT,                     -- base32; set once enrolment is confirmed
  totp_pending_secret TEXT,             -- base32; between "start" and "confirm"
  totp_last_step INTEGER,               -- RFC 6238 time step last accepted (no replay)
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX employees_email ON employees (lower(email));
CREATE INDEX employees_department ON employees (department_id);

CREATE TABLE employee_roles (
  employee_id TEXT NOT NULL REFERENCES employees(id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('employee', 'councillor', 'clerk', 'administrator', 'security_officer')),
  PRIMARY KEY (employee_id, role)
);

CREATE TABLE recovery_codes (
  employee_id TEXT NOT NULL REFERENCES employees(id) ON DELETE CASCADE,
  code_hash TEXT NOT NULL,              -- SHA-256 hex of the normalised code
  used_at INTEGER,
  PRIMARY KEY (employee_id, code_hash)
);

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,      -- SHA-256 hex of the cookie value; the value itself is never stored
  employee_id TEXT NOT NULL REFERENCES employees(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,          -- absolute expiry
  user_agent TEXT NOT NULL DEFAULT '',
  client_address TEXT NOT NULL DEFAULT '',
  revoked_at INTEGER
);
CREATE INDEX sessions_employee ON sessions (employee_id);
