-- Digital sign-offs: each signed approval PDF recorded with `recon signoff
-- record`, kept content-addressed in the home's store (signoffs/<sha256>.pdf),
-- with the run and fingerprints it approves, so verify can tell whether the
-- data changed since the latest approval.

CREATE TABLE migration_signoff (
    id                  bigserial PRIMARY KEY,
    run_id              bigint NOT NULL,            -- migration_verificationrun.id named in the PDF
    signer              text NOT NULL,              -- the signer certificate's subject
    issuer              text NOT NULL DEFAULT '',
    self_signed         boolean NOT NULL,
    signed_at           timestamptz,                -- the signature's own time; NULL when it carries none
    reason              text NOT NULL DEFAULT '',
    fingerprint         text NOT NULL,              -- findings fingerprint in the PDF
    content_fingerprint text NOT NULL,              -- content fingerprint in the PDF
    file_sha256         text NOT NULL UNIQUE,       -- the signed PDF, stored as signoffs/<file_sha256>.pdf
    recorded_at         timestamptz NOT NULL,
    recorded_by         text NOT NULL CHECK (btrim(recorded_by) <> '')
);
