DROP TABLE report_reminders;
DROP TABLE report_segment_revenue;
DROP TABLE periodic_reports;
