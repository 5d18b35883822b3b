-- Manual corrections: every edit an operator makes to a migrated destination
-- field after the import, with who, when, why and the value before and
-- after, so verification can tell an audited correction from tampering.

CREATE TABLE migration_correction (
    id             bigserial PRIMARY KEY,
    source_system  text NOT NULL DEFAULT 'okvet',
    source_type    text NOT NULL CHECK (source_type IN ('client','pet','record','vaccine','appointment',
                       'invoice','invoice_item','product','document')),
    source_id      text NOT NULL,
    field_name     text NOT NULL,                 -- canonical source field (source/types.go), e.g. nombre
    target_model   text NOT NULL,                 -- destination table
    target_id      bigint NOT NULL,
    column_name    text NOT NULL,                 -- destination column written
    old_value      text NOT NULL DEFAULT '',      -- destination value before, canonical text
    new_value      text NOT NULL DEFAULT '',      -- destination value after, canonical text
    input_value    text NOT NULL DEFAULT '',      -- what the operator typed
    reason         text NOT NULL CHECK (btrim(reason) <> ''),
    corrected_by   text NOT NULL CHECK (btrim(corrected_by) <> ''),
    corrected_at   timestamptz NOT NULL,
    issue_id       bigint REFERENCES migration_dataqualityissue(id) ON DELETE SET NULL
);
-- Verification looks up the latest correction of each (type, id, field).
CREATE INDEX migration_correction_source_idx ON migration_correction (source_type, source_id, field_name, id);
