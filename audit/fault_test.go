package audit_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/petfriendly/recon/audit"
	"github.com/petfriendly/recon/internal/pgtest"
)

// TestEveryOperationReportsACancelledStatement runs each review operation
// with each of its statements cancelled in turn: every cancellation comes
// back as an error wrapping context.Canceled (never a partial answer
// passed off as whole), nothing is written (corrections and resolutions
// are all or nothing), and the run after the last statement succeeds.
func TestEveryOperationReportsACancelledStatement(t *testing.T) {
	f := imported(t)
	ctx := context.Background()
	tracer := &pgtest.CancelNth{}
	cfg := f.pool.Config()
	cfg.ConnConfig.Tracer = tracer
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	open, _, err := audit.ListIssues(ctx, f.pool, audit.IssueFilter{Unresolved: true})
	if err != nil || len(open) < 3 {
		t.Fatalf("open issues %v, %v", open, err)
	}
	weight, _, err := audit.ListIssues(ctx, f.pool, audit.IssueFilter{IssueType: "unknown_weight"})
	if err != nil || len(weight) != 1 {
		t.Fatalf("unknown_weight issues %v, %v", weight, err)
	}
	state := func() string {
		var s string
		if err := f.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM migration_correction) || '/' ||
			(SELECT count(*) FROM migration_dataqualityissue WHERE resolved) || '/' ||
			(SELECT string_agg(color, ',' ORDER BY id) FROM pets_pet) || '/' ||
			(SELECT string_agg(u.email || u.first_name || u.last_name || p.document_number, ',' ORDER BY p.id)
				FROM vet_clinic_ownerprofile p JOIN accounts_user u ON u.id = p.user_id)`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	res := audit.Resolution{Text: "revisado", By: "ana", At: testNow}
	tests := []struct {
		name string
		op   func(db audit.DB) error
	}{
		{"batches", func(db audit.DB) error { _, err := audit.Batches(ctx, db); return err }},
		{"list issues", func(db audit.DB) error {
			_, _, err := audit.ListIssues(ctx, db, audit.IssueFilter{Unresolved: true, Limit: 2})
			return err
		}},
		{"open issue types", func(db audit.DB) error { _, err := audit.OpenIssueTypes(ctx, db); return err }},
		{"issue detail", func(db audit.DB) error {
			_, err := audit.ShowIssue(ctx, db, weight[0].ID, audit.ViewOptions{})
			return err
		}},
		{"pet's chain", func(db audit.DB) error {
			_, err := audit.Show(ctx, db, "pet", "P1", audit.ViewOptions{})
			return err
		}},
		{"orphan's chain", func(db audit.DB) error {
			_, err := audit.Show(ctx, db, "record", "H4", audit.ViewOptions{})
			return err
		}},
		{"record view", func(db audit.DB) error {
			_, err := audit.View(ctx, db, "client", "C1", 0, audit.ViewOptions{})
			return err
		}},
		{"find", func(db audit.DB) error { _, err := audit.Find(ctx, db, "lun", 10); return err }},
		{"resolve one issue", func(db audit.DB) error { _, err := audit.ResolveIssue(ctx, db, open[0].ID, res); return err }},
		{"resolve issues", func(db audit.DB) error {
			_, err := audit.ResolveIssues(ctx, db, []int64{open[1].ID, open[2].ID}, res)
			return err
		}},
		{"correct", func(db audit.DB) error {
			_, err := audit.Correct(ctx, db, audit.CorrectRequest{Type: "pet", SourceID: "P1", Reason: "r", By: "ana", At: testNow,
				Changes: []audit.Change{{Field: "color", Value: "Negro azabache"}, {Field: "nombre", Value: "Lunita"}}})
			return err
		}},
		{"correct a client's e-mail, name and document", func(db audit.DB) error {
			_, err := audit.Correct(ctx, db, audit.CorrectRequest{Type: "client", SourceID: "C2", Reason: "r", By: "ana", At: testNow,
				Changes: []audit.Change{{Field: "email", Value: "maria@example.com"}, {Field: "nombre", Value: "María Muñoz Ruiz"},
					{Field: "documento", Value: "52.000.112"}}})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := state()
			for n := int64(1); ; n++ {
				tracer.N.Store(n)
				tracer.Count.Store(0)
				err := tt.op(pool)
				if tracer.Count.Load() < n {
					if err != nil {
						t.Fatalf("with no statement cancelled: %v", err)
					}
					if n == 1 {
						t.Fatal("the operation sent no statement")
					}
					break
				}
				if !errors.Is(err, context.Canceled) {
					t.Errorf("statement %d of %d cancelled: err = %v, want context.Canceled", n, tracer.Count.Load(), err)
				}
				if got := state(); got != before {
					t.Fatalf("statement %d cancelled: state %s, want %s", n, got, before)
				}
			}
		})
	}
}
