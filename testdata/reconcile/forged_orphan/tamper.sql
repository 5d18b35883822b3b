-- A valid pet deleted, its mapping removed and its record rewritten as orphaned, though its owner C2 is migrated.
DELETE FROM pets_pet WHERE id = (SELECT target_id FROM migration_externalidmapping WHERE source_type = 'pet' AND source_id = 'P3');
DELETE FROM migration_externalidmapping WHERE source_type = 'pet' AND source_id = 'P3';
UPDATE migration_migrationrecord SET status = 'skipped', reason = 'orphaned', target_id = NULL WHERE source_type = 'pet' AND source_id = 'P3';
INSERT INTO migration_dataqualityissue (batch_id, record_id, source_type, source_id, severity, issue_type, field_name, description, source_value,
	resolved, resolution, resolved_by_name, created_at)
SELECT batch_id, id, 'pet', 'P3', 'critical', 'orphaned_record', 'id_cliente', 'client "C2" not in the destination (unknown)', 'C2', false, '', '', created_at
FROM migration_migrationrecord WHERE source_type = 'pet' AND source_id = 'P3';
