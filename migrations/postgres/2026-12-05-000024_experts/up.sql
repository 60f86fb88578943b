-- The expert pool's ties for the recusal rules (shared::experts::ExpertTies): earlier employers
-- with the day each employment ended, and declared related parties, as JSON lists.
ALTER TABLE expert_profiles ADD COLUMN past_employers TEXT NOT NULL DEFAULT '[]';
ALTER TABLE expert_profiles ADD COLUMN related_parties TEXT NOT NULL DEFAULT '[]';
ALTER TABLE expert_profiles ADD COLUMN updated_at TIMESTAMP;

-- Up to three organisations (credit codes, a JSON list) the applicant asks to keep off its
-- expert panel; the panel's result in thousandths of a point once the expert stage completes.
ALTER TABLE applications ADD COLUMN excluded_orgs TEXT NOT NULL DEFAULT '[]';
ALTER TABLE applications ADD COLUMN expert_result_milli BIGINT;

-- An expert drawn for an application in a review round: drawn, then confirmed (no conflict of
-- interest) or recused with a reason; scored once (total: the weighted total of the sheet).
CREATE TABLE expert_assignments (
    id BIGSERIAL PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES applications (id),
    program_id BIGINT NOT NULL REFERENCES programs (id),
    round INTEGER NOT NULL,
    expert_user_id BIGINT NOT NULL REFERENCES users (id),
    specialty TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('drawn', 'confirmed', 'recused')),
    drawn_at TIMESTAMP NOT NULL,
    drawn_by BIGINT REFERENCES users (id),
    declared_at TIMESTAMP,
    recusal_reason TEXT,
    scored_at TIMESTAMP,
    total INTEGER,
    UNIQUE (application_id, round, expert_user_id),
    CHECK (status <> 'recused' OR recusal_reason IS NOT NULL),
    CHECK (scored_at IS NULL OR status = 'confirmed')
);
CREATE INDEX expert_assignments_expert_idx ON expert_assignments (expert_user_id, program_id);

-- One line of an expert's score sheet.
CREATE TABLE expert_scores (
    assignment_id BIGINT NOT NULL REFERENCES expert_assignments (id),
    code TEXT NOT NULL,
    score INTEGER NOT NULL CHECK (score >= 0),
    comment TEXT NOT NULL,
    PRIMARY KEY (assignment_id, code)
);
