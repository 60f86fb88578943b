-- Scheduled work that survives a restart: report reminders now, the review stages' reminders
-- and escalations later. A job is pending until its run_at; a worker claims it (status
-- running, claimed_by, claimed_until = now + the lease) and, in one transaction, applies its
-- effect and marks it done; a failure puts it back to pending with a later run_at and its
-- last_error, until max_attempts, when it is failed (a system admin can retry it). A running
-- job whose claim expired (its process died) is claimed again; its effect was never committed.
-- dedup_key, when set, makes scheduling the same thing twice one job.
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    dedup_key TEXT UNIQUE,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'failed')),
    run_at TIMESTAMP NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts INTEGER NOT NULL CHECK (max_attempts > 0),
    claimed_by TEXT,
    claimed_until TIMESTAMP,
    last_error TEXT,
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    CHECK ((status = 'running') = (claimed_until IS NOT NULL))
);
-- What a worker looks for: pending and due, or running with an expired claim.
CREATE INDEX jobs_due_idx ON jobs (status, run_at);
CREATE INDEX jobs_claims_idx ON jobs (status, claimed_until);
