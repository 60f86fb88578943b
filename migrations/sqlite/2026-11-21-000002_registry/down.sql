DROP TABLE applications;
DROP TABLE tenancies;
DROP TABLE enterprise_segments;
DROP TABLE enterprises;
