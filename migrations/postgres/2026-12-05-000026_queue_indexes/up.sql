-- The review queue reads each part of a person's work in deadline order straight from an
-- index: a program's applications at one stage, a base's or a district's awaiting its
-- recommendation. Counting them reads the index alone.
CREATE INDEX applications_queue_program_idx ON applications (program_id, state, stage_due_on, id);
CREATE INDEX applications_queue_base_idx ON applications (recommending_base_id, state, stage_due_on, id);
CREATE INDEX applications_queue_agency_idx ON applications (recommending_agency_id, state, stage_due_on, id);
-- Its first two columns are those of applications_queue_program_idx.
DROP INDEX applications_program_state_idx;
