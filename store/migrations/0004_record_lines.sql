-- verify explains each line of an export file with the migration record the
-- importer wrote for it: records are read by batch and line range.
DROP INDEX IF EXISTS migration_migrationrecord_batch_idx;
CREATE INDEX migration_migrationrecord_batch_line_idx ON migration_migrationrecord (batch_id, line_number);
