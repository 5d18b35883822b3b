UPDATE migration_dataqualityissue SET resolved = true, resolution = 'revisado con la clínica', resolved_by_name = 'Dr. Pablo', resolved_at = '2025-01-02T10:00:00Z' WHERE severity = 'critical';
