UPDATE pets_pet SET color = '', weight = NULL WHERE id = (SELECT target_id FROM migration_externalidmapping WHERE source_type='pet' AND source_id='P2');
