-- raw_line is written once (issue 30): it holds the row as written only for
-- rejected and orphaned rows (reject files) and for rows whose text
-- source.RebuildLine does not rebuild from source_data; it is '' for the
-- others, which source_data and the batch's source_sha256 already prove.
-- Readers rebuild a blank line with source.RebuildLine. The column stays
-- NOT NULL, as Django's TextField(blank=True) makes it; no row changes.
COMMENT ON COLUMN migration_migrationrecord.raw_line IS
    'the row as written, for rejected and orphaned rows and rows source_data does not rebuild; blank otherwise (source.RebuildLine)';
