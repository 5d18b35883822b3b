package signoff

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/petfriendly/recon/reconcile"
)

// signoff's PostgreSQL adapter: every statement of the package is here
// (the stored runs are read through runs, runs.go).

// insertRecord records rec and returns its id; inserted is false when the
// file was recorded before (nothing is written then).
func insertRecord(ctx context.Context, db reconcile.Execer, rec Record) (id int64, inserted bool, err error) {
	var signedAt *time.Time
	if !rec.SignedAt.IsZero() {
		signedAt = &rec.SignedAt
	}
	err = db.QueryRow(ctx, `INSERT INTO migration_signoff (run_id, signer, issuer, self_signed, signed_at, reason, fingerprint,
			content_fingerprint, file_sha256, recorded_at, recorded_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		ON CONFLICT (file_sha256) DO NOTHING RETURNING id`,
		rec.RunID, rec.Signer, rec.Issuer, rec.SelfSigned, signedAt, rec.Reason, rec.Fingerprint, rec.ContentFingerprint,
		rec.FileSHA256, rec.RecordedAt, rec.RecordedBy).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("record sign-off: %w", err)
	}
	return id, true, nil
}

// recordOfFile reads the sign-off recorded for the file with this hash,
// or nil.
func recordOfFile(ctx context.Context, db reconcile.Querier, sha256 string) (*Record, error) {
	return load(ctx, db, `WHERE file_sha256 = $1`, sha256)
}

// latestRecord reads the most recently recorded sign-off, or nil.
func latestRecord(ctx context.Context, db reconcile.Querier) (*Record, error) {
	return load(ctx, db, `ORDER BY id DESC LIMIT 1`)
}

func load(ctx context.Context, db reconcile.Querier, where string, args ...any) (*Record, error) {
	var r Record
	var signedAt *time.Time
	err := db.QueryRow(ctx, `SELECT id, run_id, signer, issuer, self_signed, signed_at, reason, fingerprint, content_fingerprint,
			file_sha256, recorded_at, recorded_by FROM migration_signoff `+where, args...).
		Scan(&r.ID, &r.RunID, &r.Signer, &r.Issuer, &r.SelfSigned, &signedAt, &r.Reason, &r.Fingerprint, &r.ContentFingerprint,
			&r.FileSHA256, &r.RecordedAt, &r.RecordedBy)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load sign-off: %w", err)
	}
	if signedAt != nil {
		r.SignedAt = *signedAt
	}
	return &r, nil
}
