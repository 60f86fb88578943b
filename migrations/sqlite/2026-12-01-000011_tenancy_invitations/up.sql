-- A park manager's import naming a company that is already registered does not make it a
-- tenant: it invites the company, which accepts (and only then becomes an admitted tenant the
-- base can read) or declines. One open invitation per base and company.
CREATE TABLE tenancy_invitations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    base_id BIGINT NOT NULL REFERENCES bases (id),
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    segment_id BIGINT REFERENCES segments (id),
    invited_by BIGINT NOT NULL REFERENCES users (id),
    invited_at TIMESTAMP NOT NULL,
    -- NULL while open; then 'accepted' or 'declined'.
    response TEXT CHECK (response IN ('accepted', 'declined')),
    responded_by BIGINT REFERENCES users (id),
    responded_at TIMESTAMP,
    tenancy_id BIGINT REFERENCES tenancies (id)
);
CREATE UNIQUE INDEX tenancy_invitations_one_open_idx ON tenancy_invitations (base_id, enterprise_id) WHERE response IS NULL;
CREATE INDEX tenancy_invitations_enterprise_idx ON tenancy_invitations (enterprise_id, response);
