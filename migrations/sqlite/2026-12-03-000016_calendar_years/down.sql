ALTER TABLE calendar_days ADD COLUMN provisional BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE calendar_days SET provisional = COALESCE((SELECT provisional FROM calendar_years WHERE year = CAST(strftime('%Y', calendar_days.day) AS INTEGER)), FALSE);
DROP TABLE calendar_years;
