-- The row-by-row report of a refused tenant import, kept for the park manager to download.
CREATE TABLE import_reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    base_id BIGINT NOT NULL REFERENCES bases (id),
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    rows_json TEXT NOT NULL
);
CREATE INDEX import_reports_user_idx ON import_reports (user_id, created_at);
