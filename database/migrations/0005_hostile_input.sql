-- Physical line accounting of a batch's file (CSV), so verification can say
-- that every line of the export is accounted for: the non-empty lines after
-- the header are the records' first lines (total_rows records, one per row)
-- plus blank_rows (rows of empty cells, no record), continuation_lines
-- (further lines of rows whose quoted cells hold line breaks: multi-line
-- notes) and merged_lines (lines a quoting error swallowed into the row
-- before them; each such row is rejected with a critical
-- quote_merged_lines issue whose source_value is the line range, "7-8").
ALTER TABLE migration_migrationbatch
    ADD COLUMN blank_rows         integer NOT NULL DEFAULT 0,
    ADD COLUMN continuation_lines integer NOT NULL DEFAULT 0,
    ADD COLUMN merged_lines       integer NOT NULL DEFAULT 0;

-- A re-run does not open a second copy of an issue already open for the
-- same source row, issue type and field: the open issue (kept with the batch
-- and record that first raised it) is linked here to each later batch and
-- record that raised it again.
CREATE TABLE migration_issuebatch (
    issue_id   bigint NOT NULL REFERENCES migration_dataqualityissue(id) ON DELETE CASCADE,
    batch_id   bigint NOT NULL REFERENCES migration_migrationbatch(id) ON DELETE CASCADE,
    record_id  bigint NOT NULL REFERENCES migration_migrationrecord(id) ON DELETE CASCADE,
    PRIMARY KEY (issue_id, batch_id, record_id)
);
CREATE INDEX migration_issuebatch_batch_idx ON migration_issuebatch (batch_id);
CREATE INDEX migration_dataqualityissue_open_source_idx ON migration_dataqualityissue (source_type, source_id) WHERE NOT is_resolved;
