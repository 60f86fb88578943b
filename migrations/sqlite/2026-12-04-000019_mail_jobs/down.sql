DROP INDEX mail_outbox_unsent_idx;
ALTER TABLE mail_outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mail_outbox ADD COLUMN next_attempt_at TIMESTAMP NOT NULL DEFAULT '1970-01-01 00:00:00';
ALTER TABLE mail_outbox ADD COLUMN claimed_until TIMESTAMP;
ALTER TABLE mail_outbox ADD COLUMN last_error TEXT;
UPDATE mail_outbox SET next_attempt_at = created_at;
CREATE INDEX mail_outbox_due_idx ON mail_outbox (sent_at, next_attempt_at);
DELETE FROM jobs WHERE kind = 'mail';
