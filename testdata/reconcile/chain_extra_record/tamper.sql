INSERT INTO medical_medicalrecord (pet_id, date, description) SELECT target_id, now(), 'agregado a mano' FROM migration_externalidmapping WHERE source_type='pet' AND source_id='P3';
