-- C3 is rightly rejected (no phone, mobile or e-mail), but its critical issue now names another problem.
UPDATE migration_dataqualityissue SET issue_type = 'invalid_email' WHERE source_type = 'client' AND source_id = 'C3' AND severity = 'critical';
