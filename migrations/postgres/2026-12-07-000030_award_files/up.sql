-- The files an award's record keeps beside its text: the acceptance report (验收报告) the lead
-- agency attaches, and the evidence behind a revocation for fraud. In storage by SHA-256.
-- kind: acceptance_report or revocation_evidence.
CREATE TABLE award_files (
    id BIGSERIAL PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES awards (application_id),
    kind TEXT NOT NULL CHECK (kind IN ('acceptance_report', 'revocation_evidence')),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL CHECK (size_bytes > 0),
    sha256 TEXT NOT NULL,
    uploaded_by BIGINT NOT NULL REFERENCES users (id),
    uploaded_at TIMESTAMP NOT NULL
);
CREATE INDEX award_files_application_idx ON award_files (application_id, id);
