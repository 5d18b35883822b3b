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
