-- A valid pet deleted, its mapping removed and its record rewritten as soft-deleted, though the export row carries no deletion mark.
DELETE FROM pets_pet WHERE id = (SELECT target_id FROM migration_externalidmapping WHERE source_type = 'pet' AND source_id = 'P3');
DELETE FROM migration_externalidmapping WHERE source_type = 'pet' AND source_id = 'P3';
UPDATE migration_migrationrecord SET status = 'skipped', reason = 'soft_deleted', target_id = NULL WHERE source_type = 'pet' AND source_id = 'P3';
