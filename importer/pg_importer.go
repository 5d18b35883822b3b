package importer

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/petfriendly/recon/source"
)

// inTx runs fn in one transaction of the pool, committed when fn returns
// nil and rolled back otherwise.
func (im *Importer) inTx(ctx context.Context, fn func(tx dbTx) error) error {
	return pgx.BeginFunc(ctx, im.pool, fn)
}

// checkReferences checks the foreign keys of the rows written now rather
// than at commit (deferred), so a failure names the step that broke them.
// With the triggers off, one anti-join per foreign key does it
// (pg_refcheck.go).
func checkReferences(ctx context.Context, tx dbTx, bulk bool) error {
	if bulk {
		return checkReferencesInBulk(ctx, tx)
	}
	if _, err := tx.Exec(ctx, `SET CONSTRAINTS ALL IMMEDIATE`); err != nil {
		return fmt.Errorf("check references of the rows written: %w", err)
	}
	return nil
}

// completeBatch marks a batch completed with its counts and the file's.
func completeBatch(ctx context.Context, tx dbTx, batchID int64, now time.Time, counts batchCounts, info source.FileInfo) error {
	_, err := tx.Exec(ctx, `UPDATE migration_migrationbatch SET status = 'completed', completed_at = $2,
			total_records = $3, imported_count = $4, duplicate_count = $5, error_count = $6, orphaned_count = $7, skipped_count = $8,
			updated_count = $9, unchanged_count = $10, blank_rows = $11, continuation_lines = $12, merged_lines = $13
			WHERE id = $1`, batchID, now, counts.read, counts.imported, counts.merged, counts.rejected,
		counts.orphaned, counts.skipped, counts.updated, counts.unchanged, info.BlankRows, info.ContinuationLines, info.MergedLines)
	if err != nil {
		return fmt.Errorf("complete batch: %w", err)
	}
	return nil
}

// New checks the options and returns an Importer.
func New(pool *pgxpool.Pool, opts Options) (*Importer, error) {
	if pool == nil {
		return nil, errors.New("importer: no database")
	}
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Importer{pool: pool, opts: opts, virtual: newVirtualState(opts.DryRun)}, nil
}

func (im *Importer) createBatch(ctx context.Context, t source.Type, path, hash, profile string) (int64, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	opts := map[string]any{"orphans": im.opts.Orphans, "batch_size": im.opts.BatchSize}
	var id int64
	// created_by is the active user whose e-mail is the operator's name,
	// if any; recon never creates users for operators.
	err = im.pool.QueryRow(ctx, `INSERT INTO migration_migrationbatch
		(batch_type, source_file, source_sha256, source_profile, status, is_dry_run, operator, options, started_at, created_at,
		 created_by_id, source_system, notes, total_records, imported_count, updated_count, unchanged_count, duplicate_count,
		 error_count, orphaned_count, skipped_count, blank_rows, continuation_lines, merged_lines)
		VALUES ($1, $2, $3, $4, 'running', $5, $6, $7::jsonb || jsonb_build_object('server_started_at', pg_postmaster_start_time()), $8, $8,
		 (SELECT u.id FROM accounts_user u WHERE u.is_active AND $6 <> '' AND lower(u.email) = lower($6) ORDER BY u.id LIMIT 1),
		 'okvet', '', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) RETURNING id`,
		t.BatchType, abs, hash, profile, im.opts.DryRun, im.opts.Operator, opts, im.opts.Now()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("create batch: %w", err)
	}
	return id, nil
}

func (im *Importer) failBatch(ctx context.Context, id int64, cause error) error {
	_, err := im.pool.Exec(ctx, `UPDATE migration_migrationbatch
		SET status = 'failed', notes = $2, completed_at = $3 WHERE id = $1`, id, cause.Error(), im.opts.Now())
	return err
}
