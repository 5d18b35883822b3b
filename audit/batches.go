package audit

import (
	"context"
	"time"

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
	out, err := readBatches(ctx, db)
	if err != nil {
		return nil, err
	}
	for i, b := range out {
		if t, ok := source.TypeByName(b.Type); ok {
			out[i].Type = t.Name
		}
	}
	return out, nil
}

// ImportTime is how long the given batches were running: their
// started..completed intervals merged, so batches imported at once count
// once and the pause between two import sessions does not count.
func ImportTime(ctx context.Context, db DB, batchIDs []int64) (time.Duration, error) {
	spans, err := readImportSpans(ctx, db, batchIDs)
	if err != nil {
		return 0, err
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
