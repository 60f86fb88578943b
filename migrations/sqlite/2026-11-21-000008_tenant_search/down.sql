DROP INDEX tenancies_base_status_applied_idx;
DROP INDEX tenancies_base_applied_idx;
DROP INDEX tenancies_base_status_name_idx;
DROP INDEX tenancies_base_name_idx;
DROP TRIGGER enterprises_name_to_tenancies;
DROP TRIGGER tenancies_copy_enterprise_name;
ALTER TABLE tenancies DROP COLUMN enterprise_credit_code;
ALTER TABLE tenancies DROP COLUMN enterprise_name;
