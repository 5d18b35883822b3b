package database_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/petfriendly/recon/database"
	"github.com/petfriendly/recon/internal/pgtest"
)

// TestExpectedSchemaCancelledAtEveryStatement reads the expected schema
// with each statement cancelled in turn: every failure wraps
// context.Canceled and says which step failed, no scratch schema is left
// behind, and the first run that completes reads the same schema as an
// uncancelled one.
func TestExpectedSchemaCancelledAtEveryStatement(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenEmptyDB(t)
	ctx := context.Background()
	want, err := database.ExpectedSchema(ctx, db.Pool)
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Columns) == 0 || len(want.Constraints) == 0 {
		t.Fatalf("expected schema of %d columns, %d constraints", len(want.Columns), len(want.Constraints))
	}
	tracer := &pgtest.CancelNth{}
	cfg := db.Pool.Config()
	cfg.ConnConfig.Tracer = tracer
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	steps := map[string]bool{}
	for n := int64(1); ; n++ {
		tracer.N.Store(n)
		tracer.Count.Store(0)
		got, err := database.ExpectedSchema(ctx, pool)
		var left int
		if qerr := db.Pool.QueryRow(ctx, `SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'recon\_expected\_%'`).Scan(&left); qerr != nil {
			t.Fatal(qerr)
		}
		if left != 0 {
			t.Errorf("statement %d cancelled: %d scratch schemas left", n, left)
		}
		if err == nil {
			if !reflect.DeepEqual(got, want) {
				t.Errorf("statement %d: the completed run read another schema", n)
			}
			break
		}
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("statement %d cancelled: err = %v, want context.Canceled", n, err)
		}
		step, _, _ := strings.Cut(err.Error(), ": ")
		if strings.HasPrefix(err.Error(), "expected schema: migration ") {
			step = "expected schema: migration"
		} else if strings.HasPrefix(err.Error(), "expected schema: create a scratch schema") {
			step = "expected schema: create"
		}
		steps[step] = true
	}
	for _, s := range []string{"expected schema", "expected schema: create", "expected schema: migration", "read schema", "read constraints"} {
		if !steps[s] {
			t.Errorf("no cancelled statement failed in step %q; steps seen: %v", s, steps)
		}
	}
}
