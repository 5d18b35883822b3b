DELETE FROM migration_dataqualityissue WHERE source_type='vaccine' AND source_id='V2';
DELETE FROM migration_migrationrecord WHERE source_type='vaccine' AND source_id='V2';
DELETE FROM medical_vaccinationrecord WHERE id = (SELECT target_id FROM migration_externalidmapping WHERE source_type='vaccine' AND source_id='V2');
DELETE FROM migration_externalidmapping WHERE source_type='vaccine' AND source_id='V2';
