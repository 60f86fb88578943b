-- Registration creates the company before its profile is filled in: the profile columns
-- become optional. SQLite cannot drop NOT NULL, so the table is rebuilt (the documented
-- 12-step procedure: foreign keys off, copy, swap, check).
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE enterprises_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    credit_code TEXT NOT NULL UNIQUE,
    name_zh TEXT NOT NULL,
    name_en TEXT,
    legal_representative TEXT,
    address TEXT,
    division_code TEXT NOT NULL,
    registered_capital_fen BIGINT CHECK (registered_capital_fen >= 0),
    founded_on DATE,
    employees INTEGER CHECK (employees >= 0),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO enterprises_new SELECT id, credit_code, name_zh, name_en, legal_representative, address,
    division_code, registered_capital_fen, founded_on, employees, created_at, updated_at FROM enterprises;
DROP TABLE enterprises;
ALTER TABLE enterprises_new RENAME TO enterprises;
CREATE INDEX enterprises_name_zh_idx ON enterprises (name_zh);

-- People and what they may do. Emails are stored lower-cased; `users.email` is unique.
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    display_name TEXT NOT NULL,
    phone TEXT,
    locale TEXT NOT NULL DEFAULT 'zh-CN',
    email_verified_at TIMESTAMP,
    disabled_at TIMESTAMP,
    password_changed_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX users_created_idx ON users (created_at);

-- role: enterprise_admin, enterprise_member, park_manager, agency_reviewer, agency_lead,
-- expert, system_admin. The scope column that applies to the role is set, the others NULL.
CREATE TABLE user_roles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    enterprise_id BIGINT REFERENCES enterprises (id),
    base_id BIGINT REFERENCES bases (id),
    agency_id BIGINT REFERENCES agencies (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX user_roles_user_idx ON user_roles (user_id);
CREATE INDEX user_roles_enterprise_idx ON user_roles (enterprise_id, role);
CREATE INDEX user_roles_role_idx ON user_roles (role, user_id);

CREATE TABLE expert_profiles (
    user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    specialties TEXT NOT NULL,
    employer_credit_code TEXT NOT NULL
);

-- A signed-in browser. The access token names the session; ending the session ends the token.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    ip TEXT,
    user_agent TEXT,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX sessions_user_idx ON sessions (user_id, revoked_at);

-- Personal API tokens; only the SHA-256 of the secret is stored. scope: read or write.
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    scope TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

-- An invitation by email to a role. `nonce` is embedded in the emailed token (single use).
CREATE TABLE invitations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL,
    role TEXT NOT NULL,
    enterprise_id BIGINT REFERENCES enterprises (id),
    base_id BIGINT REFERENCES bases (id),
    agency_id BIGINT REFERENCES agencies (id),
    specialties TEXT,
    employer_credit_code TEXT,
    locale TEXT NOT NULL,
    nonce TEXT NOT NULL UNIQUE,
    invited_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    accepted_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX invitations_email_idx ON invitations (email);

-- Failed sign-ins per email address, known or not, so a lockout reveals nothing.
CREATE TABLE login_failures (
    email TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    locked_until TIMESTAMP,
    updated_at TIMESTAMP NOT NULL
);

-- Append-only account events.
CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    occurred_at TIMESTAMP NOT NULL,
    event TEXT NOT NULL,
    actor_user_id BIGINT,
    subject_user_id BIGINT,
    email TEXT,
    ip TEXT,
    user_agent TEXT,
    detail TEXT NOT NULL
);
CREATE INDEX audit_events_time_idx ON audit_events (occurred_at);
CREATE INDEX audit_events_subject_idx ON audit_events (subject_user_id, occurred_at);
CREATE INDEX audit_events_event_idx ON audit_events (event, occurred_at);

-- Mail waiting to be sent; written in the transaction of the change that causes it.
CREATE TABLE mail_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    claimed_until TIMESTAMP,
    sent_at TIMESTAMP,
    last_error TEXT
);
CREATE INDEX mail_outbox_due_idx ON mail_outbox (sent_at, next_attempt_at);

COMMIT;
PRAGMA foreign_keys = ON;
