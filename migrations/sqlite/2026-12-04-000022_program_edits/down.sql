DROP TABLE program_edits;
