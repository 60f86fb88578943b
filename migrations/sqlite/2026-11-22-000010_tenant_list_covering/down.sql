DROP INDEX tenancies_base_name_idx;
DROP INDEX tenancies_base_status_name_idx;
DROP INDEX tenancies_base_applied_idx;
DROP INDEX tenancies_base_status_applied_idx;
CREATE INDEX tenancies_base_name_idx ON tenancies (base_id, enterprise_name, id);
CREATE INDEX tenancies_base_status_name_idx ON tenancies (base_id, status, enterprise_name, id);
CREATE INDEX tenancies_base_applied_idx ON tenancies (base_id, applied_at, id);
CREATE INDEX tenancies_base_status_applied_idx ON tenancies (base_id, status, applied_at, id);
