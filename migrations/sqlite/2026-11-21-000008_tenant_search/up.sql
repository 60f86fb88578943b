-- The park manager's tenant list reads one base's tenancies in the order it shows them. The
-- company's name and credit code are copied onto each tenancy (kept in step by triggers,
-- whatever writes them) so that one index serves the base and status filter, the search and
-- the sort, and a page is one query over `tenancies` that reads only the rows it shows.
ALTER TABLE tenancies ADD COLUMN enterprise_name TEXT NOT NULL DEFAULT '';
ALTER TABLE tenancies ADD COLUMN enterprise_credit_code TEXT NOT NULL DEFAULT '';
UPDATE tenancies SET
    enterprise_name = (SELECT name_zh FROM enterprises WHERE enterprises.id = tenancies.enterprise_id),
    enterprise_credit_code = (SELECT credit_code FROM enterprises WHERE enterprises.id = tenancies.enterprise_id);

CREATE TRIGGER tenancies_copy_enterprise_name AFTER INSERT ON tenancies
BEGIN
    UPDATE tenancies SET
        enterprise_name = (SELECT name_zh FROM enterprises WHERE id = NEW.enterprise_id),
        enterprise_credit_code = (SELECT credit_code FROM enterprises WHERE id = NEW.enterprise_id)
    WHERE id = NEW.id;
END;

CREATE TRIGGER enterprises_name_to_tenancies AFTER UPDATE OF name_zh, credit_code ON enterprises
BEGIN
    UPDATE tenancies SET enterprise_name = NEW.name_zh, enterprise_credit_code = NEW.credit_code
    WHERE enterprise_id = NEW.id;
END;

CREATE INDEX tenancies_base_name_idx ON tenancies (base_id, enterprise_name, id);
CREATE INDEX tenancies_base_status_name_idx ON tenancies (base_id, status, enterprise_name, id);
CREATE INDEX tenancies_base_applied_idx ON tenancies (base_id, applied_at, id);
CREATE INDEX tenancies_base_status_applied_idx ON tenancies (base_id, status, applied_at, id);
