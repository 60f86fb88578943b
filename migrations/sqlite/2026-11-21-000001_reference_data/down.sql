DROP TABLE seed_versions;
DROP TABLE calendar_days;
DROP TABLE program_materials;
DROP TABLE program_agencies;
DROP TABLE programs;
DROP TABLE segments;
DROP TABLE agencies;
DROP TABLE bases;
