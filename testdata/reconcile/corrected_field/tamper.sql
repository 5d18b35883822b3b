-- P1's name corrected through recon (audited): verify lists the correction and counts no mismatch.
UPDATE pets_pet SET name = 'Lunita' WHERE id = (SELECT target_id FROM migration_externalidmapping WHERE source_type='pet' AND source_id='P1');
INSERT INTO migration_correction (source_system, source_type, source_id, field_name, target_model, target_id, column_name, old_value, new_value, input_value, reason, corrected_by, corrected_at)
SELECT 'okvet', 'pet', 'P1', 'nombre', 'pets_pet', target_id, 'name', 'Luna', 'Lunita', 'lunita ', 'la dueña confirma el nombre', 'Dr. Pablo', '2026-10-30 09:00:00-05'
FROM migration_externalidmapping WHERE source_type='pet' AND source_id='P1';
-- C2's mobile was corrected, then changed again outside recon: the correction does not cover it, a mismatch remains.
INSERT INTO migration_correction (source_system, source_type, source_id, field_name, target_model, target_id, column_name, old_value, new_value, input_value, reason, corrected_by, corrected_at)
SELECT 'okvet', 'client', 'C2', 'celular', 'vet_clinic_ownerprofile', target_id, 'mobile', '+573109998877', '+573001111111', '300 111 1111', 'número nuevo', 'Dr. Pablo', '2026-10-30 09:05:00-05'
FROM migration_externalidmapping WHERE source_type='client' AND source_id='C2';
UPDATE vet_clinic_ownerprofile SET mobile = '+573000000000' WHERE id = (SELECT target_id FROM migration_externalidmapping WHERE source_type='client' AND source_id='C2');
