package review

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/petfriendly/recon/source"
)

// Batch is one import of one file (migration_migrationbatch).
type Batch struct {
	ID           int64      `json:"id"`
	Type         string     `json:"type"` // source.Type name
	File         string     `json:"file"`
	SHA256       string     `json:"sha256"`
	Profile      string     `json:"profile"`
	Status       string     `json:"status"` // pending, running, completed, failed, rolled_back
	DryRun       bool       `json:"dry_run"`
	Operator     string     `json:"operator"`
	Total        int        `json:"total_rows"`
	Imported     int        `json:"imported"`
	Updated      int        `json:"updated"`
	Unchanged    int        `json:"unchanged"`
	Merged       int        `json:"merged_duplicates"`
	Rejected     int        `json:"rejected"`
	Orphaned     int        `json:"orphaned"`
	Skipped      int        `json:"skipped"`
	Issues       int        `json:"issues"`
	OpenIssues   int        `json:"open_issues"`
	StartedAt    *time.Time `json:"started_at"`  // null while pending
	FinishedAt   *time.Time `json:"finished_at"` // completed_at
	RolledBackAt *time.Time `json:"rolled_back_at"`
	Error        string     `json:"error,omitempty"` // notes: why the batch failed
}

// Batches lists every batch, oldest first.
func Batches(ctx context.Context, db DB) ([]Batch, error) {
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
		if t, ok := source.TypeByName(b.Type); ok {
			b.Type = t.Name
		}
		out = append(out, b)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list batches: %w", err)
	}
	return out, nil
}

// ImportTime is how long the given batches were running: their
// started..completed intervals merged, so batches imported at once count
// once and the pause between two import sessions does not count.
func ImportTime(ctx context.Context, db DB, batchIDs []int64) (time.Duration, error) {
	rows, err := db.Query(ctx, `SELECT started_at, completed_at FROM migration_migrationbatch
		WHERE id = ANY($1) AND started_at IS NOT NULL AND completed_at IS NOT NULL ORDER BY started_at`, batchIDs)
	if err != nil {
		return 0, fmt.Errorf("read import times: %w", err)
	}
	var spans [][2]time.Time
	var from, to time.Time
	_, err = pgx.ForEachRow(rows, []any{&from, &to}, func() error {
		spans = append(spans, [2]time.Time{from, to})
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("read import times: %w", err)
	}
	return mergedLength(spans), nil
}

// mergedLength is the length of the union of intervals sorted by start.
func mergedLength(spans [][2]time.Time) time.Duration {
	var total time.Duration
	var cur [2]time.Time
	for i, s := range spans {
		switch {
		case i == 0:
			cur = s
		case !s[0].After(cur[1]):
			if s[1].After(cur[1]) {
				cur[1] = s[1]
			}
		default:
			total += cur[1].Sub(cur[0])
			cur = s
		}
	}
	if len(spans) > 0 {
		total += cur[1].Sub(cur[0])
	}
	return total
}
