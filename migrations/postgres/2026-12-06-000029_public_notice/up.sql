-- Public notice (公示) of proposed awards, objections to them, the awards approved after the
-- notice and their money (DOMAIN.md, steps 6 to 9). backend/src/review/.

-- One notice of a program's proposed awards: public from the day it was published through
-- closes_on (the last day of the window, counted in working days on the portal's calendar).
CREATE TABLE notices (
    id BIGSERIAL PRIMARY KEY,
    program_id BIGINT NOT NULL REFERENCES programs (id),
    published_by BIGINT NOT NULL REFERENCES users (id),
    published_at TIMESTAMP NOT NULL,
    published_on DATE NOT NULL,
    closes_on DATE NOT NULL,
    working_days INTEGER NOT NULL CHECK (working_days > 0),
    CHECK (closes_on > published_on)
);
CREATE INDEX notices_program_idx ON notices (program_id, id);

-- The awards a notice lists, as published (company, project and amount do not change on the
-- public page afterwards). An application is on notice once: the primary key.
CREATE TABLE notice_items (
    application_id BIGINT PRIMARY KEY REFERENCES applications (id),
    notice_id BIGINT NOT NULL REFERENCES notices (id),
    company_name TEXT NOT NULL,
    credit_code TEXT NOT NULL,
    project_title TEXT NOT NULL,
    amount_fen BIGINT NOT NULL CHECK (amount_fen > 0)
);
CREATE INDEX notice_items_notice_idx ON notice_items (notice_id, application_id);

-- An identified objection to one award on notice. Who filed it is read by the lead agency
-- only. status: open, upheld (the award is rejected) or dismissed.
CREATE TABLE objections (
    id BIGSERIAL PRIMARY KEY,
    notice_id BIGINT NOT NULL REFERENCES notices (id),
    application_id BIGINT NOT NULL REFERENCES notice_items (application_id),
    objector_name TEXT NOT NULL,
    objector_email TEXT NOT NULL,
    objector_phone TEXT,
    objector_organisation TEXT,
    objector_id_number TEXT,
    objector_locale TEXT NOT NULL,
    facts TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'upheld', 'dismissed')),
    filed_at TIMESTAMP NOT NULL,
    due_on DATE NOT NULL,
    decided_at TIMESTAMP,
    decided_by BIGINT REFERENCES users (id),
    findings TEXT,
    CHECK (objector_organisation IS NOT NULL OR objector_id_number IS NOT NULL),
    CHECK ((status = 'open') = (decided_at IS NULL))
);
CREATE INDEX objections_application_idx ON objections (application_id, status);
CREATE INDEX objections_notice_idx ON objections (notice_id, id);

-- The evidence files of an objection, in storage by SHA-256.
CREATE TABLE objection_evidence (
    id BIGSERIAL PRIMARY KEY,
    objection_id BIGINT NOT NULL REFERENCES objections (id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL
);
CREATE INDEX objection_evidence_objection_idx ON objection_evidence (objection_id, id);

-- An award approved after its notice: the amount approved and the day; what has been paid
-- (never more than the amount), the acceptance (验收) with its report, and after a revocation
-- what is to be recovered (what was paid) and what has been.
CREATE TABLE awards (
    application_id BIGINT PRIMARY KEY REFERENCES applications (id),
    program_id BIGINT NOT NULL REFERENCES programs (id),
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    notice_id BIGINT NOT NULL REFERENCES notices (id),
    amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
    approved_on DATE NOT NULL,
    approved_at TIMESTAMP NOT NULL,
    paid_fen BIGINT NOT NULL DEFAULT 0,
    accepted_on DATE,
    acceptance_report TEXT,
    revoked_on DATE,
    revoke_reason TEXT,
    recover_fen BIGINT NOT NULL DEFAULT 0,
    recovered_fen BIGINT NOT NULL DEFAULT 0,
    closed_on DATE,
    -- The performance self-evaluation (绩效自评) the company files after closing, by its day.
    evaluation_due_on DATE,
    evaluation_filed_at TIMESTAMP,
    evaluation TEXT,
    CHECK (paid_fen >= 0 AND paid_fen <= amount_fen),
    CHECK (recover_fen >= 0 AND recover_fen <= paid_fen),
    CHECK (recovered_fen >= 0 AND recovered_fen <= recover_fen)
);

-- Each disbursement of an award, as the finance agency recorded it; a voucher is recorded once.
CREATE TABLE disbursements (
    id BIGSERIAL PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES awards (application_id),
    amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
    paid_on DATE NOT NULL,
    voucher_number TEXT NOT NULL,
    recorded_by BIGINT NOT NULL REFERENCES users (id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX disbursements_voucher_idx ON disbursements (voucher_number);
CREATE INDEX disbursements_application_idx ON disbursements (application_id, id);

-- Money recovered after a revocation; a voucher is recorded once.
CREATE TABLE recoveries (
    id BIGSERIAL PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES awards (application_id),
    amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
    recovered_on DATE NOT NULL,
    voucher_number TEXT NOT NULL,
    recorded_by BIGINT NOT NULL REFERENCES users (id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX recoveries_voucher_idx ON recoveries (voucher_number);
CREATE INDEX recoveries_application_idx ON recoveries (application_id, id);
CREATE INDEX awards_program_idx ON awards (program_id, approved_on);
CREATE INDEX awards_enterprise_idx ON awards (enterprise_id);

-- The documents issued for an application, each recorded with its fingerprint:
-- the application form, and the approval notice (立项通知).
ALTER TABLE application_forms ADD COLUMN kind TEXT NOT NULL DEFAULT 'application_form';
