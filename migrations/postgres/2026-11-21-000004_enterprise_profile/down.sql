DROP TABLE tenancy_events;
ALTER TABLE tenancies DROP COLUMN reason, DROP COLUMN plan, DROP COLUMN staff_on_site, DROP COLUMN floor_space_m2, DROP COLUMN segment_id;
DROP TABLE enterprise_changes;
DROP TABLE enterprise_contacts;
DROP TABLE enterprise_qualifications;
ALTER TABLE enterprises DROP COLUMN district;
