ALTER TABLE application_forms DROP COLUMN kind;
DROP TABLE recoveries;
DROP TABLE disbursements;
DROP TABLE awards;
DROP TABLE objection_evidence;
DROP TABLE objections;
DROP TABLE notice_items;
DROP TABLE notices;
