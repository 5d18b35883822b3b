UPDATE migration_dataqualityissue SET resolved = true, resolution = '', resolved_by_name = 'Dr. Pablo' WHERE severity = 'critical';
