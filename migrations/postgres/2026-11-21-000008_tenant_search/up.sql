-- The park manager's tenant list reads one base's tenancies in the order it shows them. The
-- company's name and credit code are copied onto each tenancy (kept in step by triggers,
-- whatever writes them) so that one index serves the base and status filter, the search and
-- the sort, and a page is one query over `tenancies` that reads only the rows it shows.
ALTER TABLE tenancies ADD COLUMN enterprise_name TEXT NOT NULL DEFAULT '';
ALTER TABLE tenancies ADD COLUMN enterprise_credit_code TEXT NOT NULL DEFAULT '';
UPDATE tenancies SET enterprise_name = enterprises.name_zh, enterprise_credit_code = enterprises.credit_code
FROM enterprises WHERE enterprises.id = tenancies.enterprise_id;

CREATE FUNCTION tenancies_copy_enterprise_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT name_zh, credit_code INTO NEW.enterprise_name, NEW.enterprise_credit_code
    FROM enterprises WHERE id = NEW.enterprise_id;
    RETURN NEW;
END;
$$;
CREATE TRIGGER tenancies_copy_enterprise_name BEFORE INSERT OR UPDATE OF enterprise_id ON tenancies
    FOR EACH ROW EXECUTE FUNCTION tenancies_copy_enterprise_name();

CREATE FUNCTION enterprises_name_to_tenancies() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tenancies SET enterprise_name = NEW.name_zh, enterprise_credit_code = NEW.credit_code
    WHERE enterprise_id = NEW.id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER enterprises_name_to_tenancies AFTER UPDATE OF name_zh, credit_code ON enterprises
    FOR EACH ROW WHEN (OLD.name_zh IS DISTINCT FROM NEW.name_zh OR OLD.credit_code IS DISTINCT FROM NEW.credit_code)
    EXECUTE FUNCTION enterprises_name_to_tenancies();

CREATE INDEX tenancies_base_name_idx ON tenancies (base_id, enterprise_name, id);
CREATE INDEX tenancies_base_status_name_idx ON tenancies (base_id, status, enterprise_name, id);
CREATE INDEX tenancies_base_applied_idx ON tenancies (base_id, applied_at, id);
CREATE INDEX tenancies_base_status_applied_idx ON tenancies (base_id, status, applied_at, id);
