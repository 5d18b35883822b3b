-- P1's name was corrected (audited) to Lunita, then an import that ran at the same time wrote the export's Luna back:
-- the destination equals the export, so no field differs, but the correction is lost.
INSERT INTO migration_correction (source_system, source_type, source_id, field_name, target_model, target_id, column_name, old_value, new_value, input_value, reason, corrected_by, corrected_at)
SELECT 'okvet', 'pet', 'P1', 'nombre', 'pets_pet', target_id, 'name', 'Luna', 'Lunita', 'lunita ', 'la dueña confirma el nombre', 'Dr. Pablo', '2026-10-30 09:00:00-05'
FROM migration_externalidmapping WHERE source_type='pet' AND source_id='P1';
