package importer

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// loadOpenIssues reads the open issues of earlier real, completed batches
// of a source type.
func loadOpenIssues(ctx context.Context, tx pgx.Tx, sourceType string) (map[issueKey]int64, error) {
	rows, err := tx.Query(ctx, `SELECT i.id, i.source_id, i.issue_type, i.field_name FROM migration_dataqualityissue i
		JOIN migration_migrationbatch b ON b.id = i.batch_id
		WHERE i.source_type = $1 AND NOT i.resolved AND i.record_id IS NOT NULL AND b.status = 'completed' AND NOT b.is_dry_run
		ORDER BY i.id`, sourceType)
	if err != nil {
		return nil, fmt.Errorf("load open issues: %w", err)
	}
	out := map[issueKey]int64{}
	var id int64
	var k issueKey
	_, err = pgx.ForEachRow(rows, []any{&id, &k.sourceID, &k.typ, &k.field}, func() error {
		if _, seen := out[k]; !seen {
			out[k] = id
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load open issues: %w", err)
	}
	return out, nil
}
