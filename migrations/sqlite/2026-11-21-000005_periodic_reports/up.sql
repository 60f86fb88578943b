-- Periodic reports a tenant company files (quarterly by default: period '2026-Q3'; yearly:
-- '2026'). Money in fen, content in minutes.
CREATE TABLE periodic_reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    period TEXT NOT NULL,
    revenue_total_fen BIGINT NOT NULL CHECK (revenue_total_fen >= 0),
    rd_spend_fen BIGINT NOT NULL CHECK (rd_spend_fen >= 0),
    employees INTEGER NOT NULL CHECK (employees >= 0),
    content_4k_minutes BIGINT NOT NULL CHECK (content_4k_minutes >= 0),
    content_8k_minutes BIGINT NOT NULL CHECK (content_8k_minutes >= 0),
    patents_granted INTEGER NOT NULL CHECK (patents_granted >= 0),
    submitted_by BIGINT,
    submitted_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (enterprise_id, period)
);
CREATE INDEX periodic_reports_period_idx ON periodic_reports (period, enterprise_id);

CREATE TABLE report_segment_revenue (
    report_id BIGINT NOT NULL REFERENCES periodic_reports (id) ON DELETE CASCADE,
    segment_id BIGINT NOT NULL REFERENCES segments (id),
    revenue_fen BIGINT NOT NULL CHECK (revenue_fen >= 0),
    PRIMARY KEY (report_id, segment_id)
);

-- Reminders a park manager sent for a period (who was reminded, when).
CREATE TABLE report_reminders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    base_id BIGINT NOT NULL REFERENCES bases (id),
    period TEXT NOT NULL,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    sent_by BIGINT,
    sent_at TIMESTAMP NOT NULL
);
CREATE INDEX report_reminders_base_idx ON report_reminders (base_id, period);
