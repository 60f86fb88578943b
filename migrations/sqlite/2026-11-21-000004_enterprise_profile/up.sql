-- The company profile beyond registration, its change history, and tenancy applications with
-- their decision history.
ALTER TABLE enterprises ADD COLUMN district TEXT;

-- kind: high_tech (高新技术企业), little_giant (专精特新"小巨人"), specialized (专精特新中小企业),
-- tech_sme (科技型中小企业), other
CREATE TABLE enterprise_qualifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    certificate_no TEXT NOT NULL,
    valid_from DATE,
    valid_until DATE
);
CREATE INDEX enterprise_qualifications_kind_idx ON enterprise_qualifications (kind, enterprise_id);
CREATE INDEX enterprise_qualifications_enterprise_idx ON enterprise_qualifications (enterprise_id);

CREATE TABLE enterprise_contacts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    title TEXT,
    phone TEXT,
    email TEXT
);
CREATE INDEX enterprise_contacts_enterprise_idx ON enterprise_contacts (enterprise_id);

-- Append-only: who changed which profile fields, from what to what (JSON).
CREATE TABLE enterprise_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    changed_at TIMESTAMP NOT NULL,
    user_id BIGINT,
    changes TEXT NOT NULL
);
CREATE INDEX enterprise_changes_enterprise_idx ON enterprise_changes (enterprise_id, changed_at);

ALTER TABLE tenancies ADD COLUMN segment_id BIGINT;
ALTER TABLE tenancies ADD COLUMN floor_space_m2 INTEGER;
ALTER TABLE tenancies ADD COLUMN staff_on_site INTEGER;
ALTER TABLE tenancies ADD COLUMN plan TEXT;
ALTER TABLE tenancies ADD COLUMN reason TEXT;

-- Append-only: every status change of a tenancy (status codes as in tenancies).
CREATE TABLE tenancy_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenancy_id BIGINT NOT NULL REFERENCES tenancies (id) ON DELETE CASCADE,
    occurred_at TIMESTAMP NOT NULL,
    user_id BIGINT,
    from_status INTEGER,
    to_status INTEGER NOT NULL,
    reason TEXT
);
CREATE INDEX tenancy_events_tenancy_idx ON tenancy_events (tenancy_id, occurred_at);
