UPDATE pets_pet SET name = 'Lunita' WHERE id = (SELECT target_id FROM migration_externalidmapping WHERE source_type='pet' AND source_id='P1');
UPDATE vet_clinic_ownerprofile SET mobile = '+573000000000' WHERE id = (SELECT target_id FROM migration_externalidmapping WHERE source_type='client' AND source_id='C2');
