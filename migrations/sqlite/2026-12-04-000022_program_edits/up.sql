-- A program definition as a person typed it in the editor and the portal could not save (it
-- does not parse, or its checks failed, or a second-factor check came first): kept so that
-- nothing typed is lost, one per person and program code, until it is saved or discarded.
CREATE TABLE program_edits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id),
    city_code TEXT NOT NULL,
    sort_order INTEGER NOT NULL DEFAULT 0,
    definition TEXT NOT NULL,
    -- Why it was not saved: the TOML parser's message (line and column), else empty.
    problem TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    UNIQUE (code, user_id)
);
