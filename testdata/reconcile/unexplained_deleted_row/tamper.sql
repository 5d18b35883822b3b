DELETE FROM medical_medicalrecord WHERE id = (SELECT target_id FROM migration_externalidmapping WHERE source_type='record' AND source_id='H2');
