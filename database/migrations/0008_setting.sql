-- Settings kept once per database with `recon db set KEY=VALUE`: `clinic`
-- is the clinic's name every report shows. Django's model is
-- migration.Setting (contrib/django, migration 0003_setting): no defaults.
CREATE TABLE migration_setting (
    key        varchar(50) PRIMARY KEY,
    value      text NOT NULL,
    updated_at timestamptz NOT NULL,
    updated_by text NOT NULL
);
