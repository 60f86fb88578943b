DROP TABLE award_files;
