-- P1's row says it is another OkVet pet: its external_id no longer matches the mapping that targets it.
UPDATE pets_pet SET external_id = 'P9' WHERE id = (SELECT target_id FROM migration_externalidmapping WHERE source_type='pet' AND source_id='P1');
