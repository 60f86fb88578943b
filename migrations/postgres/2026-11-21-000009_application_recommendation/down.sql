DROP INDEX applications_recommending_idx;
ALTER TABLE applications DROP COLUMN recommended_at;
ALTER TABLE applications DROP COLUMN recommending_base_id;
