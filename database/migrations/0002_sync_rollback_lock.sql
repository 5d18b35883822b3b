-- Re-import, rollback and locking support.

-- Who holds recon's import/rollback advisory lock on this database, so a
-- second process can say whom it is waiting for. The advisory lock itself is
-- the truth: a row left by a dead process is ignored (its backend_pid no
-- longer holds the lock) and overwritten by the next holder.
CREATE TABLE migration_lockholder (
    id           smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    backend_pid  integer NOT NULL,              -- pg_backend_pid() of the lock connection
    client_pid   integer NOT NULL,              -- recon's process id
    host         text NOT NULL DEFAULT '',
    pid_ns       text NOT NULL DEFAULT '',      -- PID namespace, so containers sharing a host name are told apart
    command      text NOT NULL DEFAULT '',      -- import or rollback
    operator     text NOT NULL DEFAULT '',
    batch_id     bigint,                        -- batch being imported or rolled back, when known
    acquired_at  timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- What a rollback removed and restored, per table, for the audit trail.
ALTER TABLE migration_migrationbatch ADD COLUMN rollback_summary jsonb;

-- Rollback finds the batches that created or updated a destination row.
CREATE INDEX migration_migrationrecord_target_idx ON migration_migrationrecord (target_model, target_id)
    WHERE target_id IS NOT NULL;

-- Rollback's dependency checks follow every foreign key to the rows a batch
-- created; these were the ones without an index.
CREATE INDEX appointments_appointment_owner_idx ON appointments_appointment (owner_id);
CREATE INDEX documents_document_owner_idx ON documents_document (owner_id);
CREATE INDEX billing_invoiceitem_product_idx ON billing_invoiceitem (product_id);
-- A media file is removed only when no document references its content.
CREATE INDEX documents_document_sha256_idx ON documents_document (sha256);
