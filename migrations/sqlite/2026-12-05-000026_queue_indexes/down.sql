CREATE INDEX applications_program_state_idx ON applications (program_id, state);
DROP INDEX applications_queue_agency_idx;
DROP INDEX applications_queue_base_idx;
DROP INDEX applications_queue_program_idx;
