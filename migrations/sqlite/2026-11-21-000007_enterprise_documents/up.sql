-- A company's documents (business licence, certificates). The bytes live in the storage layer
-- under their SHA-256 (content-addressed, outside the web root); this row says whose they are.
CREATE TABLE enterprise_documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_by BIGINT,
    uploaded_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP
);
CREATE INDEX enterprise_documents_enterprise_idx ON enterprise_documents (enterprise_id, deleted_at);
