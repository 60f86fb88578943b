ALTER TABLE applications DROP COLUMN declarations;
