-- How long each application stayed at each stage of the review, written by the step that moves
-- it on (backend::review::actions::store_step): the working days from the day it entered to the
-- day it left, by the portal's calendar. The agency lead's dashboard averages them per program
-- and stage.
CREATE TABLE stage_spans (
    id BIGSERIAL PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES applications (id),
    program_id BIGINT NOT NULL REFERENCES programs (id),
    state INTEGER NOT NULL,
    round INTEGER NOT NULL,
    entered_on DATE NOT NULL,
    left_on DATE NOT NULL,
    working_days INTEGER NOT NULL CHECK (working_days >= 0),
    CHECK (left_on >= entered_on)
);
CREATE INDEX stage_spans_program_idx ON stage_spans (program_id, state);
CREATE INDEX stage_spans_application_idx ON stage_spans (application_id);
