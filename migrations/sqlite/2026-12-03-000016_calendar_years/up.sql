-- The working-day calendar by year: whether the year's arrangement is final, where it comes
-- from, and whether a system admin changed it in the portal (a shipped calendar file then
-- leaves the year alone). Whether a year is provisional was a column of every day; it is a
-- property of the year, so a year with no holidays entered yet can be held too.
CREATE TABLE calendar_years (
    year INTEGER PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
    provisional BOOLEAN NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    edited_in_portal BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at TIMESTAMP NOT NULL,
    updated_by BIGINT REFERENCES users (id)
);
INSERT INTO calendar_years (year, provisional, source, updated_at)
SELECT CAST(strftime('%Y', day) AS INTEGER), MAX(provisional), '', CURRENT_TIMESTAMP
FROM calendar_days GROUP BY CAST(strftime('%Y', day) AS INTEGER);
ALTER TABLE calendar_days DROP COLUMN provisional;
-- The shipped calendar files load again (with their source) at the next `seed`.
DELETE FROM seed_versions WHERE name LIKE 'calendar/%';
