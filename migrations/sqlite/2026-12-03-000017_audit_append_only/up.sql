-- Audit records are append-only: the database refuses to change or remove one through any
-- connection, so a bug or an injected statement cannot rewrite history. The one change allowed
-- is linking a record written before the hash chain existed (its `seq` is still empty; done
-- once, at start-up). Whoever can write the database file can drop these triggers;
-- `uhd-portal verify-audit` still finds what was changed.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
FOR EACH ROW WHEN OLD.seq IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'audit records are append-only: UPDATE refused');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
FOR EACH ROW
BEGIN
    SELECT RAISE(ABORT, 'audit records are append-only: DELETE refused');
END;
