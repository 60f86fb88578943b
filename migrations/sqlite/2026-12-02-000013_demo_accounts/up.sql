-- Demo accounts (scripts/demo.sh): made only in development; a production server refuses to
-- start while any user is marked.
ALTER TABLE users ADD COLUMN is_demo BOOLEAN NOT NULL DEFAULT FALSE;
