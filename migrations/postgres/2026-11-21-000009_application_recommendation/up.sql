-- The recommending unit (推荐单位) of an application when it is the applicant's base (fixed when
-- the application is submitted, by the program's rule) and when that base recommended it. The
-- park manager's tenant page lists the applications its base recommended.
ALTER TABLE applications ADD COLUMN recommending_base_id BIGINT REFERENCES bases (id);
ALTER TABLE applications ADD COLUMN recommended_at TIMESTAMP;
CREATE INDEX applications_recommending_idx ON applications (recommending_base_id, enterprise_id);
