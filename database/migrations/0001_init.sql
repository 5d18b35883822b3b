-- Destination tables mirror the Pet-Friendly Django models (app_model names);
-- migration_* tables track every batch, row, mapping and quality issue.

CREATE TABLE accounts_user (
    id            bigserial PRIMARY KEY,
    email         text NOT NULL UNIQUE,
    first_name    text NOT NULL DEFAULT '',
    last_name     text NOT NULL DEFAULT '',
    role          text NOT NULL DEFAULT 'owner',
    password      text NOT NULL DEFAULT '!',          -- unusable: owners set it on first login
    is_active     boolean NOT NULL DEFAULT true,
    date_joined   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE vet_clinic_ownerprofile (
    id               bigserial PRIMARY KEY,
    user_id          bigint NOT NULL UNIQUE REFERENCES accounts_user(id) ON DELETE CASCADE,
    full_name        text NOT NULL DEFAULT '',
    phone            text NOT NULL DEFAULT '',
    mobile           text NOT NULL DEFAULT '',
    document_type    text NOT NULL DEFAULT '',
    document_number  text NOT NULL DEFAULT '',
    address          text NOT NULL DEFAULT '',
    city             text NOT NULL DEFAULT '',
    notes            text NOT NULL DEFAULT '',
    data_consent     boolean NOT NULL DEFAULT false,
    data_consent_at  timestamptz,
    registered_at    timestamptz,
    is_placeholder   boolean NOT NULL DEFAULT false,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX vet_clinic_ownerprofile_document_idx ON vet_clinic_ownerprofile (document_type, document_number);

CREATE TABLE pets_pet (
    id                bigserial PRIMARY KEY,
    owner_id          bigint NOT NULL REFERENCES vet_clinic_ownerprofile(id) ON DELETE CASCADE,
    name              text NOT NULL,
    species           text NOT NULL DEFAULT 'other',
    species_raw       text NOT NULL DEFAULT '',
    breed             text NOT NULL DEFAULT '',
    sex               text NOT NULL DEFAULT 'unknown',
    birth_date        date,
    weight_kg         numeric(8,3),
    color             text NOT NULL DEFAULT '',
    microchip_number  text NOT NULL DEFAULT '',
    is_sterilized     boolean NOT NULL DEFAULT false,
    is_deceased       boolean NOT NULL DEFAULT false,
    notes             text NOT NULL DEFAULT '',
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pets_pet_owner_idx ON pets_pet (owner_id);

CREATE TABLE medical_medicalrecord (
    id               bigserial PRIMARY KEY,
    pet_id           bigint NOT NULL REFERENCES pets_pet(id) ON DELETE CASCADE,
    date             timestamptz NOT NULL,
    record_type      text NOT NULL DEFAULT '',
    description      text NOT NULL DEFAULT '',
    diagnosis        text NOT NULL DEFAULT '',
    treatment        text NOT NULL DEFAULT '',
    notes            text NOT NULL DEFAULT '',
    vet_external_id  text NOT NULL DEFAULT '',
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX medical_medicalrecord_pet_idx ON medical_medicalrecord (pet_id);

CREATE TABLE medical_vaccinationrecord (
    id               bigserial PRIMARY KEY,
    pet_id           bigint NOT NULL REFERENCES pets_pet(id) ON DELETE CASCADE,
    vaccine_name     text NOT NULL,
    applied_on       date NOT NULL,
    next_due_on      date,
    batch_number     text NOT NULL DEFAULT '',
    laboratory       text NOT NULL DEFAULT '',
    vet_external_id  text NOT NULL DEFAULT '',
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX medical_vaccinationrecord_pet_idx ON medical_vaccinationrecord (pet_id);

CREATE TABLE appointments_appointment (
    id                bigserial PRIMARY KEY,
    pet_id            bigint NOT NULL REFERENCES pets_pet(id) ON DELETE CASCADE,
    owner_id          bigint REFERENCES vet_clinic_ownerprofile(id) ON DELETE CASCADE,
    starts_at         timestamptz NOT NULL,
    duration_minutes  integer,
    reason            text NOT NULL DEFAULT '',
    status            text NOT NULL DEFAULT 'scheduled',
    status_raw        text NOT NULL DEFAULT '',
    vet_external_id   text NOT NULL DEFAULT '',
    notes             text NOT NULL DEFAULT '',
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX appointments_appointment_pet_idx ON appointments_appointment (pet_id);

CREATE TABLE inventory_product (
    id            bigserial PRIMARY KEY,
    sku           text NOT NULL DEFAULT '',
    name          text NOT NULL DEFAULT '',
    category      text NOT NULL DEFAULT '',
    product_type  text NOT NULL DEFAULT '',
    price         numeric(14,2),
    cost          numeric(14,2),
    stock         integer,
    unit          text NOT NULL DEFAULT '',
    is_active     boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inventory_product_sku_idx ON inventory_product (sku);

CREATE TABLE billing_invoice (
    id              bigserial PRIMARY KEY,
    owner_id        bigint NOT NULL REFERENCES vet_clinic_ownerprofile(id) ON DELETE CASCADE,
    number          text NOT NULL DEFAULT '',
    issued_on       date,
    subtotal        numeric(14,2),
    discount        numeric(14,2),
    tax             numeric(14,2),
    total           numeric(14,2),
    status          text NOT NULL DEFAULT '',
    payment_method  text NOT NULL DEFAULT '',
    notes           text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX billing_invoice_owner_idx ON billing_invoice (owner_id);

CREATE TABLE billing_invoiceitem (
    id           bigserial PRIMARY KEY,
    invoice_id   bigint NOT NULL REFERENCES billing_invoice(id) ON DELETE CASCADE,
    product_id   bigint REFERENCES inventory_product(id) ON DELETE SET NULL,
    description  text NOT NULL DEFAULT '',
    quantity     numeric(12,3),
    unit_price   numeric(14,2),
    discount     numeric(14,2),
    tax          numeric(14,2),
    total        numeric(14,2),
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX billing_invoiceitem_invoice_idx ON billing_invoiceitem (invoice_id);

CREATE TABLE documents_document (
    id             bigserial PRIMARY KEY,
    pet_id         bigint NOT NULL REFERENCES pets_pet(id) ON DELETE CASCADE,
    owner_id       bigint REFERENCES vet_clinic_ownerprofile(id) ON DELETE CASCADE,
    file           text NOT NULL,                 -- path inside the media store
    original_path  text NOT NULL DEFAULT '',      -- path as written in the export
    document_type  text NOT NULL DEFAULT '',
    description    text NOT NULL DEFAULT '',
    document_date  date,
    size_bytes     bigint NOT NULL DEFAULT 0,
    sha256         text NOT NULL DEFAULT '',
    uploaded_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX documents_document_pet_idx ON documents_document (pet_id);

CREATE TABLE migration_migrationbatch (
    id              bigserial PRIMARY KEY,
    batch_type      text NOT NULL CHECK (batch_type IN ('clients','pets','medical_records','vaccinations',
                        'appointments','invoices','invoice_items','products','documents')),
    source_system   text NOT NULL DEFAULT 'okvet',
    source_file     text NOT NULL DEFAULT '',
    source_sha256   text NOT NULL DEFAULT '',
    source_profile  text NOT NULL DEFAULT '',
    status          text NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending','running','completed','failed','rolled_back')),
    is_dry_run      boolean NOT NULL DEFAULT false,
    operator        text NOT NULL DEFAULT '',
    options         jsonb NOT NULL DEFAULT '{}'::jsonb,
    total_rows      integer NOT NULL DEFAULT 0,
    imported_rows   integer NOT NULL DEFAULT 0,
    updated_rows    integer NOT NULL DEFAULT 0,
    unchanged_rows  integer NOT NULL DEFAULT 0,
    duplicate_rows  integer NOT NULL DEFAULT 0,
    error_rows      integer NOT NULL DEFAULT 0,
    orphaned_rows   integer NOT NULL DEFAULT 0,
    skipped_rows    integer NOT NULL DEFAULT 0,
    error_message   text NOT NULL DEFAULT '',
    started_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    rolled_back_at  timestamptz
);
CREATE INDEX migration_migrationbatch_type_idx ON migration_migrationbatch (batch_type, status);

CREATE TABLE migration_migrationrecord (
    id                 bigserial PRIMARY KEY,
    batch_id           bigint NOT NULL REFERENCES migration_migrationbatch(id) ON DELETE CASCADE,
    source_type        text NOT NULL,
    source_id          text NOT NULL DEFAULT '',
    line_number        integer NOT NULL,
    status             text NOT NULL CHECK (status IN ('imported','duplicate','error','skipped','updated','unchanged')),
    reason             text NOT NULL DEFAULT '',   -- e.g. orphaned, merged_into:<id>, soft_deleted
    raw_data           jsonb NOT NULL DEFAULT '{}'::jsonb,
    raw_line           text NOT NULL DEFAULT '',
    validation_errors  jsonb NOT NULL DEFAULT '[]'::jsonb,
    target_model       text NOT NULL DEFAULT '',
    target_id          bigint,
    previous_values    jsonb,                      -- destination row before an update, for rollback
    created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX migration_migrationrecord_batch_idx ON migration_migrationrecord (batch_id);
CREATE INDEX migration_migrationrecord_source_idx ON migration_migrationrecord (source_type, source_id);

CREATE TABLE migration_externalidmapping (
    id             bigserial PRIMARY KEY,
    source_system  text NOT NULL DEFAULT 'okvet',
    source_type    text NOT NULL CHECK (source_type IN ('client','pet','record','vaccine','appointment',
                       'invoice','invoice_item','product','document')),
    source_id      text NOT NULL,
    target_model   text NOT NULL,
    target_id      bigint NOT NULL,
    batch_id       bigint REFERENCES migration_migrationbatch(id) ON DELETE SET NULL,
    is_merged      boolean NOT NULL DEFAULT false,  -- a duplicate mapped to its surviving row
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (source_system, source_type, source_id)
);
CREATE INDEX migration_externalidmapping_target_idx ON migration_externalidmapping (target_model, target_id);
CREATE INDEX migration_externalidmapping_batch_idx ON migration_externalidmapping (batch_id);

CREATE TABLE migration_dataqualityissue (
    id               bigserial PRIMARY KEY,
    batch_id         bigint REFERENCES migration_migrationbatch(id) ON DELETE CASCADE,
    record_id        bigint REFERENCES migration_migrationrecord(id) ON DELETE CASCADE,
    source_type      text NOT NULL DEFAULT '',
    source_id        text NOT NULL DEFAULT '',
    severity         text NOT NULL CHECK (severity IN ('critical','warning','info')),
    issue_type       text NOT NULL,
    field_name       text NOT NULL DEFAULT '',
    description      text NOT NULL DEFAULT '',
    source_value     text NOT NULL DEFAULT '',
    is_resolved      boolean NOT NULL DEFAULT false,
    resolution       text NOT NULL DEFAULT '',
    resolved_by      text NOT NULL DEFAULT '',
    resolved_at      timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX migration_dataqualityissue_batch_idx ON migration_dataqualityissue (batch_id);
CREATE INDEX migration_dataqualityissue_open_idx ON migration_dataqualityissue (severity, issue_type) WHERE NOT is_resolved;

CREATE TABLE migration_verificationrun (
    id             bigserial PRIMARY KEY,
    run_at         timestamptz NOT NULL DEFAULT now(),
    operator       text NOT NULL DEFAULT '',
    ok             boolean NOT NULL,
    signoff_ready  boolean NOT NULL,
    fingerprint    text NOT NULL,
    summary        jsonb NOT NULL
);
