DROP TABLE credit_code_claims;
DROP TABLE recovery_codes;
ALTER TABLE enterprises DROP COLUMN verified_by, DROP COLUMN verified_at, DROP COLUMN verification_reason, DROP COLUMN verification;
ALTER TABLE sessions DROP COLUMN second_factor_failures, DROP COLUMN second_factor_at, DROP COLUMN second_factor;
ALTER TABLE users DROP COLUMN totp_last_step, DROP COLUMN totp_enabled_at, DROP COLUMN totp_pending_secret, DROP COLUMN totp_secret;
