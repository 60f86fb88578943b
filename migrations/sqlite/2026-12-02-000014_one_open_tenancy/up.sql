-- One open application or tenancy (applied 0, admitted 1, suspended 2) per company and base,
-- kept by the database: two requests at once can both pass the check in code, only one row
-- can be written. Rejected (4) and moved-out (3) tenancies stay as history, any number of them.
CREATE UNIQUE INDEX tenancies_one_open_idx ON tenancies (enterprise_id, base_id) WHERE status IN (0, 1, 2);
