-- Second factor (TOTP, RFC 6238) and one-time recovery codes. `totp_last_step` is the time
-- step of the last code accepted: a code is never accepted twice.
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_pending_secret TEXT;
ALTER TABLE users ADD COLUMN totp_enabled_at TIMESTAMP;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;

-- A session opened with the right password but before the second factor is `required` (or
-- `enrol`: a staff account without one must enrol first) and can do nothing else;
-- `second_factor_at` is the last time this session passed it (sensitive actions need it recent).
ALTER TABLE sessions ADD COLUMN second_factor TEXT NOT NULL DEFAULT 'done' CHECK (second_factor IN ('done', 'required', 'enrol'));
ALTER TABLE sessions ADD COLUMN second_factor_at TIMESTAMP;
ALTER TABLE sessions ADD COLUMN second_factor_failures INTEGER NOT NULL DEFAULT 0;

-- A company is verified (its business licence checked against its credit code and name)
-- before it may file applications.
ALTER TABLE enterprises ADD COLUMN verification TEXT NOT NULL DEFAULT 'pending' CHECK (verification IN ('pending', 'verified', 'refused'));
ALTER TABLE enterprises ADD COLUMN verification_reason TEXT;
ALTER TABLE enterprises ADD COLUMN verified_at TIMESTAMP;
-- (No REFERENCES here: SQLite cannot drop a foreign-key column in the down migration.)
ALTER TABLE enterprises ADD COLUMN verified_by BIGINT;

CREATE TABLE recovery_codes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX recovery_codes_user_idx ON recovery_codes (user_id, used_at);

-- A company whose credit code somebody else registered claims it with its licence; a system
-- admin resolves the claim (the rightful company takes the code over). One open claim per code
-- and claimant.
CREATE TABLE credit_code_claims (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    claimant_user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    company_name TEXT NOT NULL,
    licence_sha256 TEXT NOT NULL,
    licence_content_type TEXT NOT NULL,
    licence_size_bytes BIGINT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'granted', 'refused')),
    reason TEXT,
    created_at TIMESTAMP NOT NULL,
    resolved_at TIMESTAMP,
    resolved_by BIGINT REFERENCES users (id)
);
CREATE UNIQUE INDEX credit_code_claims_one_open_idx ON credit_code_claims (enterprise_id, claimant_user_id) WHERE status = 'open';
