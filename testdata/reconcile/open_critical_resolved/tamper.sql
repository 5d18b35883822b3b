UPDATE migration_dataqualityissue SET resolved = true, resolution = 'revisado con la clínica', resolved_by_name = 'Dr. Pablo', resolved_at = '2026-11-02 10:00:00-05' WHERE severity = 'critical';
