package importer

import (
	"context"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/petfriendly/recon/internal/pgtest"
)

// TestTrackedTablesCoverContract: the tracking tables' COPY columns exist
// and include every NOT NULL column without a default.
func TestTrackedTablesCoverContract(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	for _, tt := range trackedTables() {
		rows, err := db.Pool.Query(context.Background(), `SELECT column_name, is_nullable = 'NO' AND column_default IS NULL
			FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`, tt.table)
		if err != nil {
			t.Fatal(err)
		}
		type col struct {
			Name     string
			Required bool
		}
		cols, err := pgx.CollectRows(rows, pgx.RowToStructByPos[col])
		if err != nil {
			t.Fatal(err)
		}
		var have []string
		for _, c := range cols {
			have = append(have, c.Name)
			if c.Required && !slices.Contains(tt.columns, c.Name) {
				t.Errorf("%s.%s is NOT NULL without default but the importer does not write it", tt.table, c.Name)
			}
		}
		for _, name := range tt.columns {
			if !slices.Contains(have, name) {
				t.Errorf("%s.%s does not exist", tt.table, name)
			}
		}
	}
}
