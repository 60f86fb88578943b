-- What the submitter declared when submitting (a JSON list of the declaration codes of
-- shared::applications::DECLARATIONS); null for a draft.
ALTER TABLE applications ADD COLUMN declarations TEXT;
