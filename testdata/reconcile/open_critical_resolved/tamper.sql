UPDATE migration_dataqualityissue SET resolved = true, resolution = 'revisado con la clínica', resolved_by_name = 'Dr. Pablo' WHERE severity = 'critical';
