-- The review workflow's own columns (shared::review): review_round counts the returns (an
-- approval of an earlier round no longer counts); returned_from is the stage a return for
-- supplement goes back to; proposal and proposed_amount_fen are the lead agency's proposal in
-- the decision stage (the amount is reserved from the program's budget while proposed);
-- stage_entered_on and stage_due_on are the Beijing dates the current stage began and ends
-- (its time limit in working days); assigned_reviewer_id is the lead agency's reviewer who
-- holds the application.
ALTER TABLE applications ADD COLUMN review_round INTEGER NOT NULL DEFAULT 0;
ALTER TABLE applications ADD COLUMN returned_from INTEGER;
ALTER TABLE applications ADD COLUMN proposal TEXT CHECK (proposal IN ('approve', 'reject'));
ALTER TABLE applications ADD COLUMN proposed_amount_fen BIGINT CHECK (proposed_amount_fen >= 0);
ALTER TABLE applications ADD COLUMN stage_entered_on DATE;
ALTER TABLE applications ADD COLUMN stage_due_on DATE;
ALTER TABLE applications ADD COLUMN assigned_reviewer_id BIGINT REFERENCES users (id);
-- The queue of a stage: applications of a program at a state, by deadline.
CREATE INDEX applications_stage_idx ON applications (state, stage_due_on, id);

-- Who acted in each step of the history, for staff (the applicant's timeline shows neither),
-- and the round it belongs to.
ALTER TABLE application_events ADD COLUMN actor_role TEXT;
ALTER TABLE application_events ADD COLUMN agency_id BIGINT REFERENCES agencies (id);
ALTER TABLE application_events ADD COLUMN round INTEGER NOT NULL DEFAULT 0;
-- Set on what only staff may read (an internal opinion).
ALTER TABLE application_events ADD COLUMN internal BOOLEAN NOT NULL DEFAULT FALSE;

-- What the budget holds back for proposed awards; with what is used it never passes the total.
ALTER TABLE programs ADD COLUMN budget_reserved_fen BIGINT NOT NULL DEFAULT 0
    CHECK (budget_reserved_fen >= 0 AND budget_used_fen + budget_reserved_fen <= budget_total_fen);

-- A return for supplement, one row per flagged field or material, with the applicant's answer:
-- a corrected value (a field), a new file (a material: answered_file_sha256), and/or a reply.
CREATE TABLE supplement_flags (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id BIGINT NOT NULL REFERENCES applications (id),
    round INTEGER NOT NULL,
    field TEXT,
    material_code TEXT,
    comment TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    due_on DATE NOT NULL,
    answer_value TEXT,
    answer_reply TEXT,
    answered_file_sha256 TEXT,
    answered_at TIMESTAMP,
    answered_by BIGINT REFERENCES users (id),
    CHECK ((field IS NULL) <> (material_code IS NULL))
);
CREATE INDEX supplement_flags_application_idx ON supplement_flags (application_id, round);

-- The signatures of a round's proposal: the lead agency's (its agency lead) and each co-review
-- agency's countersignature; one per agency per round.
CREATE TABLE decision_signatures (
    application_id BIGINT NOT NULL REFERENCES applications (id),
    round INTEGER NOT NULL,
    agency_id BIGINT NOT NULL REFERENCES agencies (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    signed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (application_id, round, agency_id)
);
