DROP TABLE expert_scores;
DROP TABLE expert_assignments;
ALTER TABLE applications DROP COLUMN expert_result_milli;
ALTER TABLE applications DROP COLUMN excluded_orgs;
ALTER TABLE expert_profiles DROP COLUMN updated_at;
ALTER TABLE expert_profiles DROP COLUMN related_parties;
ALTER TABLE expert_profiles DROP COLUMN past_employers;
