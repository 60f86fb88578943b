PRAGMA foreign_keys = OFF;
BEGIN;
DROP TABLE mail_outbox;
DROP TABLE audit_events;
DROP TABLE login_failures;
DROP TABLE invitations;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE expert_profiles;
DROP TABLE user_roles;
DROP TABLE users;
CREATE TABLE enterprises_old (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    credit_code TEXT NOT NULL UNIQUE,
    name_zh TEXT NOT NULL,
    name_en TEXT,
    legal_representative TEXT NOT NULL,
    address TEXT NOT NULL,
    division_code TEXT NOT NULL,
    registered_capital_fen BIGINT NOT NULL CHECK (registered_capital_fen >= 0),
    founded_on DATE NOT NULL,
    employees INTEGER NOT NULL CHECK (employees >= 0),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- Companies registered without a profile cannot be kept by the older schema.
INSERT INTO enterprises_old SELECT id, credit_code, name_zh, name_en, legal_representative, address,
    division_code, registered_capital_fen, founded_on, employees, created_at, updated_at FROM enterprises
    WHERE legal_representative IS NOT NULL AND address IS NOT NULL AND registered_capital_fen IS NOT NULL
      AND founded_on IS NOT NULL AND employees IS NOT NULL;
DELETE FROM enterprise_segments WHERE enterprise_id NOT IN (SELECT id FROM enterprises_old);
DELETE FROM tenancies WHERE enterprise_id NOT IN (SELECT id FROM enterprises_old);
DELETE FROM applications WHERE enterprise_id NOT IN (SELECT id FROM enterprises_old);
DROP TABLE enterprises;
ALTER TABLE enterprises_old RENAME TO enterprises;
CREATE INDEX enterprises_name_zh_idx ON enterprises (name_zh);
COMMIT;
PRAGMA foreign_keys = ON;
