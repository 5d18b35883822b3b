-- Pet-Friendly's schema contract: after this step recon's schema is exactly
-- what Django's `manage.py migrate` creates from contrib/django's models
-- (tables, columns, types, nullability, unique, foreign-key and check
-- constraints; store's schema test compares the two catalogues). Existing
-- data is kept: columns are renamed, not recreated. Django sets no column
-- defaults and declares its foreign keys DEFERRABLE INITIALLY DEFERRED with
-- no ON DELETE action (deletes cascade in Django, not in the database), so
-- recon writes every NOT NULL column itself and deletes children first.

-- Users: Django's custom user (e-mail login).
ALTER TABLE accounts_user
    ALTER COLUMN email TYPE varchar(254),
    ALTER COLUMN password TYPE varchar(128),
    ALTER COLUMN role TYPE varchar(20),
    ADD COLUMN last_login timestamptz,
    ADD COLUMN is_staff boolean NOT NULL DEFAULT false,
    ADD COLUMN is_superuser boolean NOT NULL DEFAULT false;

-- Owners: created_at is when the owner registered (OkVet fecha_registro),
-- null when the export does not say.
ALTER TABLE vet_clinic_ownerprofile ALTER COLUMN created_at DROP NOT NULL;
UPDATE vet_clinic_ownerprofile p SET created_at = p.registered_at
    WHERE EXISTS (SELECT 1 FROM migration_externalidmapping m
                  WHERE m.target_model = 'vet_clinic_ownerprofile' AND m.target_id = p.id);
ALTER TABLE vet_clinic_ownerprofile DROP COLUMN registered_at;

-- Raw source values live in the migration record's source_data.
ALTER TABLE pets_pet DROP COLUMN species_raw;
ALTER TABLE pets_pet RENAME COLUMN weight_kg TO weight;
ALTER TABLE pets_pet ALTER COLUMN species TYPE varchar(20), ALTER COLUMN sex TYPE varchar(10);

ALTER TABLE medical_vaccinationrecord RENAME COLUMN applied_on TO date_given;
ALTER TABLE medical_vaccinationrecord RENAME COLUMN next_due_on TO next_due_date;
ALTER TABLE medical_vaccinationrecord RENAME COLUMN batch_number TO lot_number;
ALTER TABLE medical_vaccinationrecord RENAME COLUMN laboratory TO manufacturer;
ALTER TABLE medical_vaccinationrecord RENAME COLUMN vet_external_id TO administered_by;

ALTER TABLE appointments_appointment DROP COLUMN status_raw;
ALTER TABLE appointments_appointment ALTER COLUMN status TYPE varchar(20);

-- external_id (the OkVet id) on every destination row, filled from the
-- mappings for rows already migrated.
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['vet_clinic_ownerprofile', 'pets_pet', 'medical_medicalrecord', 'medical_vaccinationrecord',
        'appointments_appointment', 'inventory_product', 'billing_invoice', 'billing_invoiceitem', 'documents_document'] LOOP
        EXECUTE format('ALTER TABLE %I ADD COLUMN external_id varchar(100) NOT NULL DEFAULT %L', t, '');
        EXECUTE format('UPDATE %I d SET external_id = m.source_id FROM migration_externalidmapping m
            WHERE m.target_model = %L AND m.target_id = d.id AND NOT m.is_merged', t, t);
        EXECUTE format('CREATE INDEX %I ON %I (external_id)', t || '_external_id_idx', t);
    END LOOP;
END $$;

-- Batches: the story's names, batch types and created_by.
UPDATE migration_migrationbatch SET batch_type = 'medical' WHERE batch_type = 'medical_records';
UPDATE migration_migrationbatch SET batch_type = 'vaccines' WHERE batch_type = 'vaccinations';
ALTER TABLE migration_migrationbatch RENAME COLUMN total_rows TO total_records;
ALTER TABLE migration_migrationbatch RENAME COLUMN imported_rows TO imported_count;
ALTER TABLE migration_migrationbatch RENAME COLUMN updated_rows TO updated_count;
ALTER TABLE migration_migrationbatch RENAME COLUMN unchanged_rows TO unchanged_count;
ALTER TABLE migration_migrationbatch RENAME COLUMN duplicate_rows TO duplicate_count;
ALTER TABLE migration_migrationbatch RENAME COLUMN error_rows TO error_count;
ALTER TABLE migration_migrationbatch RENAME COLUMN orphaned_rows TO orphaned_count;
ALTER TABLE migration_migrationbatch RENAME COLUMN skipped_rows TO skipped_count;
ALTER TABLE migration_migrationbatch RENAME COLUMN finished_at TO completed_at;
ALTER TABLE migration_migrationbatch RENAME COLUMN error_message TO notes;
ALTER TABLE migration_migrationbatch
    ALTER COLUMN batch_type TYPE varchar(20),
    ALTER COLUMN source_file TYPE varchar(500),
    ALTER COLUMN status TYPE varchar(20),
    ALTER COLUMN source_system TYPE varchar(50),
    ALTER COLUMN started_at DROP NOT NULL,
    ADD COLUMN created_at timestamptz,
    ADD COLUMN created_by_id bigint;
UPDATE migration_migrationbatch SET created_at = started_at;
ALTER TABLE migration_migrationbatch ALTER COLUMN created_at SET NOT NULL;
CREATE INDEX migration_migrationbatch_created_by_idx ON migration_migrationbatch (created_by_id);

-- Records: source_data, error_message (the validation messages joined with
-- "; ") and duplicate_of (the surviving row of a merged duplicate).
ALTER TABLE migration_migrationrecord RENAME COLUMN raw_data TO source_data;
ALTER TABLE migration_migrationrecord
    ADD COLUMN error_message text NOT NULL DEFAULT '',
    ADD COLUMN duplicate_of integer,
    ALTER COLUMN source_id TYPE varchar(100),
    ALTER COLUMN source_type TYPE varchar(50),
    ALTER COLUMN status TYPE varchar(20),
    ALTER COLUMN target_model TYPE varchar(100),
    ALTER COLUMN target_id TYPE integer;
UPDATE migration_migrationrecord r SET error_message = (
        SELECT string_agg(CASE WHEN e->>'field' <> '' THEN (e->>'field') || ': ' ELSE '' END || (e->>'message'), '; ')
        FROM jsonb_array_elements(r.validation_errors) e)
    WHERE r.validation_errors <> '[]'::jsonb;
UPDATE migration_migrationrecord SET duplicate_of = target_id WHERE status = 'duplicate';

ALTER TABLE migration_externalidmapping
    ALTER COLUMN source_system TYPE varchar(50),
    ALTER COLUMN source_type TYPE varchar(50),
    ALTER COLUMN source_id TYPE varchar(100),
    ALTER COLUMN target_model TYPE varchar(100),
    ALTER COLUMN target_id TYPE integer;

-- Issues: resolved, resolved_by a user (the operator's name kept apart).
ALTER TABLE migration_dataqualityissue RENAME COLUMN is_resolved TO resolved;
ALTER TABLE migration_dataqualityissue RENAME COLUMN resolved_by TO resolved_by_name;
ALTER TABLE migration_dataqualityissue
    ADD COLUMN resolved_by_id bigint,
    ALTER COLUMN batch_id SET NOT NULL,
    ALTER COLUMN severity TYPE varchar(20),
    ALTER COLUMN issue_type TYPE varchar(100),
    ALTER COLUMN field_name TYPE varchar(100),
    ALTER COLUMN source_type TYPE varchar(50);
CREATE INDEX migration_dataqualityissue_resolved_by_idx ON migration_dataqualityissue (resolved_by_id);

-- Django models need a single-column key.
ALTER TABLE migration_issuebatch DROP CONSTRAINT migration_issuebatch_pkey;
ALTER TABLE migration_issuebatch ADD COLUMN id bigserial PRIMARY KEY;
ALTER TABLE migration_issuebatch ADD CONSTRAINT migration_issuebatch_issue_batch_record_uniq UNIQUE (issue_id, batch_id, record_id);

ALTER TABLE migration_correction
    ALTER COLUMN source_system TYPE varchar(50),
    ALTER COLUMN source_type TYPE varchar(50),
    ALTER COLUMN source_id TYPE varchar(100);
ALTER TABLE migration_signoff ALTER COLUMN file_sha256 TYPE varchar(64);

-- No column defaults, no foreign key or check but the contract's.
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT c.relname, con.conname
             FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
             WHERE c.relnamespace = current_schema()::regnamespace AND con.contype IN ('f', 'c')
               AND c.relname ~ '^(accounts|vet_clinic|pets|medical|appointments|billing|inventory|documents|migration)_' LOOP
        EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', r.relname, r.conname);
    END LOOP;
    FOR r IN SELECT c.relname, a.attname
             FROM pg_attrdef d JOIN pg_class c ON c.oid = d.adrelid
             JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
             WHERE c.relnamespace = current_schema()::regnamespace
               AND pg_get_expr(d.adbin, d.adrelid) NOT LIKE 'nextval(%'
               AND c.relname ~ '^(accounts|vet_clinic|pets|medical|appointments|billing|inventory|documents|migration)_' LOOP
        EXECUTE format('ALTER TABLE %I ALTER COLUMN %I DROP DEFAULT', r.relname, r.attname);
    END LOOP;
END $$;

ALTER TABLE migration_correction
    ADD CONSTRAINT migration_correction_reason_given CHECK (NOT (reason ~ '^\s*$')),
    ADD CONSTRAINT migration_correction_by_given CHECK (NOT (corrected_by ~ '^\s*$'));
ALTER TABLE migration_lockholder ADD CONSTRAINT migration_lockholder_single CHECK (id = 1);
ALTER TABLE migration_signoff ADD CONSTRAINT migration_signoff_by_given CHECK (NOT (recorded_by ~ '^\s*$'));

ALTER TABLE vet_clinic_ownerprofile ADD FOREIGN KEY (user_id) REFERENCES accounts_user (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE pets_pet ADD FOREIGN KEY (owner_id) REFERENCES vet_clinic_ownerprofile (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE medical_medicalrecord ADD FOREIGN KEY (pet_id) REFERENCES pets_pet (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE medical_vaccinationrecord ADD FOREIGN KEY (pet_id) REFERENCES pets_pet (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE appointments_appointment
    ADD FOREIGN KEY (pet_id) REFERENCES pets_pet (id) DEFERRABLE INITIALLY DEFERRED,
    ADD FOREIGN KEY (owner_id) REFERENCES vet_clinic_ownerprofile (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE billing_invoice ADD FOREIGN KEY (owner_id) REFERENCES vet_clinic_ownerprofile (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE billing_invoiceitem
    ADD FOREIGN KEY (invoice_id) REFERENCES billing_invoice (id) DEFERRABLE INITIALLY DEFERRED,
    ADD FOREIGN KEY (product_id) REFERENCES inventory_product (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE documents_document
    ADD FOREIGN KEY (pet_id) REFERENCES pets_pet (id) DEFERRABLE INITIALLY DEFERRED,
    ADD FOREIGN KEY (owner_id) REFERENCES vet_clinic_ownerprofile (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE migration_migrationbatch ADD FOREIGN KEY (created_by_id) REFERENCES accounts_user (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE migration_migrationrecord ADD FOREIGN KEY (batch_id) REFERENCES migration_migrationbatch (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE migration_externalidmapping ADD FOREIGN KEY (batch_id) REFERENCES migration_migrationbatch (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE migration_dataqualityissue
    ADD FOREIGN KEY (batch_id) REFERENCES migration_migrationbatch (id) DEFERRABLE INITIALLY DEFERRED,
    ADD FOREIGN KEY (record_id) REFERENCES migration_migrationrecord (id) DEFERRABLE INITIALLY DEFERRED,
    ADD FOREIGN KEY (resolved_by_id) REFERENCES accounts_user (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE migration_issuebatch
    ADD FOREIGN KEY (issue_id) REFERENCES migration_dataqualityissue (id) DEFERRABLE INITIALLY DEFERRED,
    ADD FOREIGN KEY (batch_id) REFERENCES migration_migrationbatch (id) DEFERRABLE INITIALLY DEFERRED,
    ADD FOREIGN KEY (record_id) REFERENCES migration_migrationrecord (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE migration_correction ADD FOREIGN KEY (issue_id) REFERENCES migration_dataqualityissue (id) DEFERRABLE INITIALLY DEFERRED;
