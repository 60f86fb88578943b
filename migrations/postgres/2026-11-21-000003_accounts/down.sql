DROP TABLE mail_outbox;
DROP TABLE audit_events;
DROP TABLE login_failures;
DROP TABLE invitations;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE expert_profiles;
DROP TABLE user_roles;
DROP TABLE users;
-- Companies registered without a profile cannot be kept by the older schema.
DELETE FROM enterprise_segments WHERE enterprise_id IN (SELECT id FROM enterprises WHERE legal_representative IS NULL OR address IS NULL OR registered_capital_fen IS NULL OR founded_on IS NULL OR employees IS NULL);
DELETE FROM tenancies WHERE enterprise_id IN (SELECT id FROM enterprises WHERE legal_representative IS NULL OR address IS NULL OR registered_capital_fen IS NULL OR founded_on IS NULL OR employees IS NULL);
DELETE FROM applications WHERE enterprise_id IN (SELECT id FROM enterprises WHERE legal_representative IS NULL OR address IS NULL OR registered_capital_fen IS NULL OR founded_on IS NULL OR employees IS NULL);
DELETE FROM enterprises WHERE legal_representative IS NULL OR address IS NULL OR registered_capital_fen IS NULL OR founded_on IS NULL OR employees IS NULL;
ALTER TABLE enterprises
    ALTER COLUMN legal_representative SET NOT NULL,
    ALTER COLUMN address SET NOT NULL,
    ALTER COLUMN registered_capital_fen SET NOT NULL,
    ALTER COLUMN founded_on SET NOT NULL,
    ALTER COLUMN employees SET NOT NULL;
