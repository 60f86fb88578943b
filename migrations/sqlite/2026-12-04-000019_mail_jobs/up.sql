-- Mail is one kind of job: each queued message has a `mail` job naming its outbox row, and the
-- job carries the attempts, the back-off, the claim and the last error. Messages still waiting
-- become jobs (due when their next attempt was); messages given up (12 attempts) become failed
-- jobs with their last error, which a system admin sees and can retry. The outbox keeps only
-- the message and when it was sent.
INSERT INTO jobs (kind, payload, status, run_at, attempts, max_attempts, last_error, created_at, updated_at, finished_at)
SELECT 'mail', '{"outbox_id":' || id || '}',
       CASE WHEN attempts < 12 THEN 'pending' ELSE 'failed' END,
       next_attempt_at, attempts, MAX(12, attempts), last_error, created_at, next_attempt_at,
       CASE WHEN attempts < 12 THEN NULL ELSE next_attempt_at END
FROM mail_outbox
WHERE sent_at IS NULL
ORDER BY id;

DROP INDEX mail_outbox_due_idx;
ALTER TABLE mail_outbox DROP COLUMN attempts;
ALTER TABLE mail_outbox DROP COLUMN next_attempt_at;
ALTER TABLE mail_outbox DROP COLUMN claimed_until;
ALTER TABLE mail_outbox DROP COLUMN last_error;
-- Messages still to send (the mail job reads one by id; this serves the admin's look).
CREATE INDEX mail_outbox_unsent_idx ON mail_outbox (sent_at);
