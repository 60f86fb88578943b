-- Reference data: industry bases, agencies, chain segments, subsidy programs, the working-day
-- calendar and the record of which seed files were loaded.
CREATE TABLE bases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    city_zh TEXT NOT NULL,
    city_en TEXT NOT NULL,
    district_zh TEXT NOT NULL,
    district_en TEXT NOT NULL,
    division_code TEXT NOT NULL,
    description_zh TEXT NOT NULL,
    description_en TEXT NOT NULL,
    sort_order INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE agencies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    city_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE segments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    parent_code TEXT,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    sort_order INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE programs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    title_zh TEXT NOT NULL,
    title_en TEXT NOT NULL,
    summary_zh TEXT NOT NULL,
    summary_en TEXT NOT NULL,
    lead_agency_id BIGINT NOT NULL REFERENCES agencies (id),
    city_code TEXT NOT NULL,
    call_opens_at TIMESTAMP NOT NULL,
    call_closes_at TIMESTAMP NOT NULL,
    budget_total_fen BIGINT NOT NULL,
    budget_used_fen BIGINT NOT NULL DEFAULT 0,
    notice_working_days INTEGER NOT NULL DEFAULT 5,
    supplement_working_days INTEGER NOT NULL DEFAULT 5,
    rules_json TEXT NOT NULL DEFAULT '{}',
    sort_order INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (call_closes_at > call_opens_at),
    CHECK (budget_total_fen >= 0 AND budget_used_fen >= 0)
);

CREATE TABLE program_agencies (
    program_id BIGINT NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    agency_id BIGINT NOT NULL REFERENCES agencies (id),
    role TEXT NOT NULL,
    PRIMARY KEY (program_id, agency_id)
);

CREATE TABLE program_materials (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    program_id BIGINT NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    required BOOLEAN NOT NULL,
    sort_order INTEGER NOT NULL DEFAULT 0,
    UNIQUE (program_id, code)
);

CREATE TABLE calendar_days (
    day DATE PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    provisional BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE seed_versions (
    name TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    checksum TEXT NOT NULL,
    applied_at TIMESTAMP NOT NULL
);
