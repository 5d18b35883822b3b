UPDATE migration_dataqualityissue SET is_resolved = true, resolution = 'revisado con la clínica', resolved_by = 'Dr. Pablo' WHERE severity = 'critical';
