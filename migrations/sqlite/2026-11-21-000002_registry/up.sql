-- The enterprise registry, tenancies in bases and subsidy applications.
CREATE TABLE enterprises (
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
CREATE INDEX enterprises_name_zh_idx ON enterprises (name_zh);

CREATE TABLE enterprise_segments (
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    segment_id BIGINT NOT NULL REFERENCES segments (id),
    PRIMARY KEY (enterprise_id, segment_id)
);
CREATE INDEX enterprise_segments_segment_idx ON enterprise_segments (segment_id, enterprise_id);

-- status: 0 applied, 1 admitted, 2 suspended, 3 moved out, 4 rejected
CREATE TABLE tenancies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    base_id BIGINT NOT NULL REFERENCES bases (id),
    status INTEGER NOT NULL,
    applied_at TIMESTAMP NOT NULL,
    admitted_at TIMESTAMP,
    ended_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX tenancies_base_status_idx ON tenancies (base_id, status, enterprise_id);
CREATE INDEX tenancies_enterprise_idx ON tenancies (enterprise_id);

-- state: the workflow state as an integer (see backend/src/applications)
CREATE TABLE applications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    program_id BIGINT NOT NULL REFERENCES programs (id),
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    state INTEGER NOT NULL,
    title TEXT NOT NULL,
    amount_requested_fen BIGINT NOT NULL CHECK (amount_requested_fen >= 0),
    amount_approved_fen BIGINT,
    submitted_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX applications_enterprise_idx ON applications (enterprise_id);
CREATE INDEX applications_program_state_idx ON applications (program_id, state);
