-- A valid pet deleted, its mapping removed and its record rewritten as rejected, with a matching critical issue.
DELETE FROM pets_pet WHERE id = (SELECT target_id FROM migration_externalidmapping WHERE source_type = 'pet' AND source_id = 'P3');
DELETE FROM migration_externalidmapping WHERE source_type = 'pet' AND source_id = 'P3';
UPDATE migration_migrationrecord SET status = 'error', reason = 'empty_name', target_id = NULL WHERE source_type = 'pet' AND source_id = 'P3';
INSERT INTO migration_dataqualityissue (batch_id, record_id, source_type, source_id, severity, issue_type, field_name, description, source_value,
	resolved, resolution, resolved_by_name, created_at)
SELECT batch_id, id, 'pet', 'P3', 'critical', 'empty_name', 'nombre', 'pet name is empty', '', false, '', '', created_at
FROM migration_migrationrecord WHERE source_type = 'pet' AND source_id = 'P3';
