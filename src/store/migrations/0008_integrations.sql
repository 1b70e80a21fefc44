-- Third-party portals (docs/integrations.md): the requests, the security officer's
-- decisions, and what an approved integration holds: an OpenID Connect client,
-- consents, authorization codes, refresh tokens, API tokens. Every secret is kept
-- only as its SHA-256.
CREATE TABLE integrations (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('link', 'embed', 'sso', 'api')),
  owner TEXT NOT NULL,                      -- who answers for the portal (organisation, contact)
  purpose TEXT NOT NULL,
  launch_url TEXT NOT NULL,                 -- what the tile opens or the frame shows ('' for api)
  origins TEXT NOT NULL,                    -- JSON array of https origins
  redirect_uris TEXT NOT NULL,              -- JSON array (sso)
  scopes TEXT NOT NULL,                     -- JSON array of requested scopes
  visible_roles TEXT NOT NULL,              -- JSON array; [] = every role
  visible_departments TEXT NOT NULL,        -- JSON array of department ids; [] = every department
  status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'suspended', 'revoked')),
  requested_by TEXT NOT NULL REFERENCES employees(id),
  requested_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  client_id TEXT UNIQUE,                    -- sso: given at the request, usable only while approved
  client_secret_hash TEXT                   -- sso: made at approval, shown once
);
CREATE INDEX integrations_by_status ON integrations(status);

CREATE TABLE integration_decisions (
  id TEXT PRIMARY KEY,
  integration_id TEXT NOT NULL REFERENCES integrations(id),
  actor_id TEXT NOT NULL REFERENCES employees(id),
  action TEXT NOT NULL CHECK (action IN ('requested', 'approved', 'rejected', 'suspended', 'reinstated', 'revoked')),
  reason TEXT NOT NULL DEFAULT '',
  at INTEGER NOT NULL
);
CREATE INDEX integration_decisions_by_integration ON integration_decisions(integration_id, at);

CREATE TABLE oidc_consents (
  employee_id TEXT NOT NULL REFERENCES employees(id),
  client_id TEXT NOT NULL,
  scopes TEXT NOT NULL,                     -- JSON array granted
  granted_at INTEGER NOT NULL,
  PRIMARY KEY (employee_id, client_id)
);

CREATE TABLE oidc_codes (
  code_hash TEXT PRIMARY KEY,
  client_id TEXT NOT NULL,
  employee_id TEXT NOT NULL REFERENCES employees(id),
  redirect_uri TEXT NOT NULL,
  scopes TEXT NOT NULL,
  nonce TEXT,
  code_challenge TEXT NOT NULL,             -- S256
  auth_time INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);

CREATE TABLE oidc_refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  client_id TEXT NOT NULL,
  employee_id TEXT NOT NULL REFERENCES employees(id),
  scopes TEXT NOT NULL,
  family TEXT NOT NULL,                     -- one sign-in's chain of rotations
  issued_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,                          -- rotated: a second use revokes the family
  revoked_at INTEGER
);
CREATE INDEX oidc_refresh_tokens_by_client ON oidc_refresh_tokens(client_id);

CREATE TABLE oidc_access_tokens (
  token_hash TEXT PRIMARY KEY,              -- opaque bearer for userinfo
  client_id TEXT NOT NULL,
  employee_id TEXT NOT NULL REFERENCES employees(id),
  scopes TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX oidc_access_tokens_by_client ON oidc_access_tokens(client_id);

CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  integration_id TEXT NOT NULL REFERENCES integrations(id),
  token_hash TEXT NOT NULL UNIQUE,
  scopes TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX api_tokens_by_integration ON api_tokens(integration_id);
