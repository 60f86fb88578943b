ALTER TABLE users DROP COLUMN email_off;
DROP TABLE notifications;
