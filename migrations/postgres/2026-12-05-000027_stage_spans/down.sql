DROP TABLE stage_spans;
