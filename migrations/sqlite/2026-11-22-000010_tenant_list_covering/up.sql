-- The tenant list's sort indexes also carry every column a page shows or filters on (SQLite has
-- no INCLUDE: they trail the key), so a page is read from the index alone, without a lookup
-- in the table for each tenancy a name search skips.
DROP INDEX tenancies_base_name_idx;
DROP INDEX tenancies_base_status_name_idx;
DROP INDEX tenancies_base_applied_idx;
DROP INDEX tenancies_base_status_applied_idx;
CREATE INDEX tenancies_base_name_idx ON tenancies
    (base_id, enterprise_name, id, status, enterprise_id, enterprise_credit_code, segment_id, applied_at);
CREATE INDEX tenancies_base_status_name_idx ON tenancies
    (base_id, status, enterprise_name, id, enterprise_id, enterprise_credit_code, segment_id, applied_at);
CREATE INDEX tenancies_base_applied_idx ON tenancies
    (base_id, applied_at, id, status, enterprise_id, enterprise_name, enterprise_credit_code, segment_id);
CREATE INDEX tenancies_base_status_applied_idx ON tenancies
    (base_id, status, applied_at, id, enterprise_id, enterprise_name, enterprise_credit_code, segment_id);
