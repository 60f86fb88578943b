-- In-app notifications (the list and the unread count in the header), in the recipient's
-- language, each with the page it is about. The same text goes by email unless the person
-- turned off that kind (users.email_off, a JSON list of kinds that are not obligatory).
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    application_id BIGINT REFERENCES applications (id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    read_at TIMESTAMP
);
CREATE INDEX notifications_user_idx ON notifications (user_id, id);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;
ALTER TABLE users ADD COLUMN email_off TEXT NOT NULL DEFAULT '[]';
