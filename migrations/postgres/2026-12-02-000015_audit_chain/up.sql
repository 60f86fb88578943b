-- One audit log for the whole portal, tamper-evident. Each record names the actor's role and
-- the object it concerns, and is a link of a hash chain: `seq` is its position (1, 2, ...),
-- `prev_hash` the hash of the record before it and `hash` the SHA-256 of its own content and
-- `prev_hash` (backend/src/accounts/audit.rs). `audit_chain_head` holds the last link: every
-- new record locks it, so records join the chain one at a time, and removing records from the
-- end shows too. Records written before this migration are linked when the server next starts
-- (up to `legacy_until`).
ALTER TABLE audit_events ADD COLUMN actor_role TEXT;
ALTER TABLE audit_events ADD COLUMN object_type TEXT;
ALTER TABLE audit_events ADD COLUMN object_id BIGINT;
ALTER TABLE audit_events ADD COLUMN seq BIGINT;
ALTER TABLE audit_events ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_events ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX audit_events_seq_idx ON audit_events (seq);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_user_id, occurred_at);
CREATE INDEX audit_events_object_idx ON audit_events (object_type, object_id, occurred_at);
CREATE INDEX audit_events_role_idx ON audit_events (actor_role, occurred_at);
CREATE TABLE audit_chain_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL,
    -- Records up to this id were written before the chain: linked at the next start. A record
    -- after it that is not linked was written around the portal.
    legacy_until BIGINT NOT NULL
);
INSERT INTO audit_chain_head (id, seq, hash, legacy_until) VALUES (1, 0, '', COALESCE((SELECT MAX(id) FROM audit_events), 0));
