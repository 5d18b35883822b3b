-- verify explains each line of an export file with the migration record the
-- importer wrote for it: records are read by batch and line range.
DROP INDEX IF EXISTS migration_migrationrecord_batch_idx;
CREATE INDEX migration_migrationrecord_batch_line_idx ON migration_migrationrecord (batch_id, line_number);
-- The audit-trail check of verify reads the rejected and orphaned records
-- and looks each one's issue up by record; the foreign key needed an index
-- anyway (deleting records cascades to their issues).
CREATE INDEX migration_migrationrecord_problem_idx ON migration_migrationrecord (batch_id)
    WHERE status = 'error' OR reason = 'orphaned';
CREATE INDEX migration_dataqualityissue_record_idx ON migration_dataqualityissue (record_id);
