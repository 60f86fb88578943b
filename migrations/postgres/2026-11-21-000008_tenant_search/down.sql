DROP INDEX tenancies_base_status_applied_idx;
DROP INDEX tenancies_base_applied_idx;
DROP INDEX tenancies_base_status_name_idx;
DROP INDEX tenancies_base_name_idx;
DROP TRIGGER enterprises_name_to_tenancies ON enterprises;
DROP FUNCTION enterprises_name_to_tenancies();
DROP TRIGGER tenancies_copy_enterprise_name ON tenancies;
DROP FUNCTION tenancies_copy_enterprise_name();
ALTER TABLE tenancies DROP COLUMN enterprise_name;
