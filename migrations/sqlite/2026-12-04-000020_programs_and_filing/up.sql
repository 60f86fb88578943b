-- Programs as versioned definitions, and filing an application (DOMAIN.md "Subsidy programs").
-- programs keeps what lists show (titles, window, budget, lead agency) and which version is
-- current; program_versions holds each version's whole definition as JSON
-- (shared::programs::ProgramDefinition) and which fields changed from the one before. An
-- application stays on the version it was filed under (program_version).
ALTER TABLE programs ADD COLUMN kind TEXT NOT NULL DEFAULT 'general';
ALTER TABLE programs ADD COLUMN current_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE agencies ADD COLUMN division_code TEXT;

CREATE TABLE program_versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    program_id BIGINT NOT NULL REFERENCES programs (id),
    version INTEGER NOT NULL CHECK (version > 0),
    definition TEXT NOT NULL,
    changes TEXT NOT NULL DEFAULT '[]',
    created_at TIMESTAMP NOT NULL,
    created_by BIGINT REFERENCES users (id),
    UNIQUE (program_id, version)
);

-- project: the project fields as JSON (shared::filing::Project); computed_amount_fen: what the
-- amount rule gives for them (NULL while an input is missing); verification_code: printed on
-- the form, checked at /verify/<code>.
ALTER TABLE applications ADD COLUMN program_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE applications ADD COLUMN project TEXT NOT NULL DEFAULT '{}';
ALTER TABLE applications ADD COLUMN computed_amount_fen BIGINT;
ALTER TABLE applications ADD COLUMN verification_code TEXT;
ALTER TABLE applications ADD COLUMN created_by BIGINT REFERENCES users (id);
ALTER TABLE applications ADD COLUMN withdrawn_at TIMESTAMP;
ALTER TABLE applications ADD COLUMN withdraw_reason TEXT;
ALTER TABLE applications ADD COLUMN recommending_agency_id BIGINT REFERENCES agencies (id);
ALTER TABLE applications ADD COLUMN acceptance_due_on DATE;
ALTER TABLE applications ADD COLUMN accepted_at TIMESTAMP;
CREATE UNIQUE INDEX applications_verification_code_idx ON applications (verification_code);
-- One application per company per program call once submitted: drafts (0), withdrawn (9)
-- and rejected (10) ones do not count.
CREATE UNIQUE INDEX applications_one_per_call_idx ON applications (program_id, enterprise_id) WHERE state NOT IN (0, 9, 10);
-- A company's applications, newest first (it serves what the index on enterprise_id alone did).
CREATE INDEX applications_enterprise_list_idx ON applications (enterprise_id, id);
DROP INDEX applications_enterprise_idx;

-- The duplicate-funding keys of each application, normalised (shared::filing::normalize_key).
-- active: the application is open or funded (submitted and not withdrawn or rejected); an
-- active key is unique across all applications of all programs.
CREATE TABLE application_keys (
    application_id BIGINT NOT NULL REFERENCES applications (id),
    kind TEXT NOT NULL CHECK (kind IN ('patent', 'model_serial', 'licence')),
    key TEXT NOT NULL,
    shown TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (application_id, kind, key)
);
CREATE UNIQUE INDEX application_keys_active_idx ON application_keys (kind, key) WHERE active;

-- One file per material of the checklist; the bytes are in storage under their SHA-256.
-- uploaded_by is empty only for generated demo data.
CREATE TABLE application_materials (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id BIGINT NOT NULL REFERENCES applications (id),
    material_code TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_at TIMESTAMP NOT NULL,
    uploaded_by BIGINT REFERENCES users (id),
    UNIQUE (application_id, material_code)
);

-- What happened to an application, as its applicant sees it (the audit log has the rest).
CREATE TABLE application_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id BIGINT NOT NULL REFERENCES applications (id),
    at TIMESTAMP NOT NULL,
    kind TEXT NOT NULL,
    from_state INTEGER,
    to_state INTEGER,
    actor_user_id BIGINT REFERENCES users (id),
    note TEXT
);
CREATE INDEX application_events_application_idx ON application_events (application_id, id);

-- Every application form (申报书) issued: its SHA-256, so /verify/<code> shows the fingerprint
-- of each document the portal issued for the application.
CREATE TABLE application_forms (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id BIGINT NOT NULL REFERENCES applications (id),
    sha256 TEXT NOT NULL,
    issued_at TIMESTAMP NOT NULL,
    issued_to BIGINT REFERENCES users (id)
);
CREATE INDEX application_forms_application_idx ON application_forms (application_id, id);

-- Bans from applying (a revocation for fraud, a credit blacklist): program_id NULL means every
-- program; the ban holds up to and including ends_on.
CREATE TABLE enterprise_bans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    program_id BIGINT REFERENCES programs (id),
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    reason TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CHECK (ends_on >= starts_on)
);
CREATE INDEX enterprise_bans_enterprise_idx ON enterprise_bans (enterprise_id, ends_on);

UPDATE agencies SET division_code = '310115' WHERE code = 'sh-pudong';
UPDATE agencies SET division_code = '310106' WHERE code = 'sh-jingan';
UPDATE agencies SET division_code = '440104' WHERE code = 'gz-yuexiu';
UPDATE agencies SET division_code = '440112' WHERE code = 'gz-huangpu';
UPDATE agencies SET division_code = '440118' WHERE code = 'gz-zengcheng';
