DROP INDEX tenancies_one_open_idx;
