-- Audit records are append-only: the database refuses to change or remove one, whoever asks
-- (the portal's own role included), so a bug or an injected statement cannot rewrite history.
-- The one change allowed is linking a record written before the hash chain existed (its `seq`
-- is still empty; done once, at start-up). Only a superuser who turns triggers off
-- (`SET session_replication_role = replica`), or the table's owner dropping this trigger, gets
-- past it: run the portal as a role that does not own its tables where that matters, and
-- `uhd-portal verify-audit` still finds what was changed.
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.seq IS NULL THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit records are append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
