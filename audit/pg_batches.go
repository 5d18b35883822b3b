package audit

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// readBatches reads every batch with its issue counts, oldest first; Type
// is the batch type as stored.
func readBatches(ctx context.Context, db DB) ([]Batch, error) {
	rows, err := db.Query(ctx, `SELECT b.id, b.batch_type, b.source_file, b.source_sha256, b.source_profile, b.status,
			b.is_dry_run, b.operator, b.total_records, b.imported_count, b.updated_count, b.unchanged_count, b.duplicate_count,
			b.error_count, b.orphaned_count, b.skipped_count, COALESCE(i.total, 0), COALESCE(i.open, 0),
			b.started_at, b.completed_at, b.rolled_back_at, b.notes
		FROM migration_migrationbatch b
		LEFT JOIN (SELECT batch_id, count(*) AS total, count(*) FILTER (WHERE NOT resolved) AS open
			FROM migration_dataqualityissue GROUP BY batch_id) i ON i.batch_id = b.id
		ORDER BY b.id`)
	if err != nil {
		return nil, fmt.Errorf("list batches: %w", err)
	}
	out := []Batch{}
	var b Batch
	_, err = pgx.ForEachRow(rows, []any{&b.ID, &b.Type, &b.File, &b.SHA256, &b.Profile, &b.Status, &b.DryRun, &b.Operator,
		&b.Total, &b.Imported, &b.Updated, &b.Unchanged, &b.Merged, &b.Rejected, &b.Orphaned, &b.Skipped, &b.Issues, &b.OpenIssues,
		&b.StartedAt, &b.FinishedAt, &b.RolledBackAt, &b.Error}, func() error {
		out = append(out, b)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list batches: %w", err)
	}
	return out, nil
}

// readImportSpans reads the started..completed interval of each of the
// given batches that has both, by start.
func readImportSpans(ctx context.Context, db DB, batchIDs []int64) ([][2]time.Time, error) {
	rows, err := db.Query(ctx, `SELECT started_at, completed_at FROM migration_migrationbatch
		WHERE id = ANY($1) AND started_at IS NOT NULL AND completed_at IS NOT NULL ORDER BY started_at`, batchIDs)
	if err != nil {
		return nil, fmt.Errorf("read import times: %w", err)
	}
	var spans [][2]time.Time
	var from, to time.Time
	_, err = pgx.ForEachRow(rows, []any{&from, &to}, func() error {
		spans = append(spans, [2]time.Time{from, to})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read import times: %w", err)
	}
	return spans, nil
}

// readImportOperator reads the operator of the latest completed real
// import batch that names one; "" when none.
func readImportOperator(ctx context.Context, db DB) (string, error) {
	var op string
	err := db.QueryRow(ctx, `SELECT operator FROM migration_migrationbatch
		WHERE status = 'completed' AND NOT is_dry_run AND btrim(operator) <> ''
		ORDER BY completed_at DESC NULLS LAST, id DESC LIMIT 1`).Scan(&op)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read the import's operator: %w", err)
	}
	return op, nil
}
