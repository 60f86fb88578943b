-- The review queue's other two orders, each read straight from an index like the deadline
-- order (applications_queue_*_idx): the largest amount first (ties by id), the earliest
-- submission first. Without them a part of the queue was sorted whole for every page.
CREATE INDEX applications_queue_program_amount_idx ON applications (program_id, state, computed_amount_fen DESC, id);
CREATE INDEX applications_queue_base_amount_idx ON applications (recommending_base_id, state, computed_amount_fen DESC, id);
CREATE INDEX applications_queue_agency_amount_idx ON applications (recommending_agency_id, state, computed_amount_fen DESC, id);
CREATE INDEX applications_queue_program_submitted_idx ON applications (program_id, state, submitted_at, id);
CREATE INDEX applications_queue_base_submitted_idx ON applications (recommending_base_id, state, submitted_at, id);
CREATE INDEX applications_queue_agency_submitted_idx ON applications (recommending_agency_id, state, submitted_at, id);
