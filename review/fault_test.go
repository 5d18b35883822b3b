package review_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/petfriendly/recon/internal/pgtest"
	"github.com/petfriendly/recon/review"
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
	open, _, err := review.ListIssues(ctx, f.pool, review.IssueFilter{Unresolved: true})
	if err != nil || len(open) < 3 {
		t.Fatalf("open issues %v, %v", open, err)
	}
	weight, _, err := review.ListIssues(ctx, f.pool, review.IssueFilter{IssueType: "unknown_weight"})
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
	res := review.Resolution{Text: "revisado", By: "ana", At: testNow}
	tests := []struct {
		name string
		op   func(db review.DB) error
	}{
		{"batches", func(db review.DB) error { _, err := review.Batches(ctx, db); return err }},
		{"list issues", func(db review.DB) error {
			_, _, err := review.ListIssues(ctx, db, review.IssueFilter{Unresolved: true, Limit: 2})
			return err
		}},
		{"open issue types", func(db review.DB) error { _, err := review.OpenIssueTypes(ctx, db); return err }},
		{"issue detail", func(db review.DB) error {
			_, err := review.ShowIssue(ctx, db, weight[0].ID, review.ViewOptions{})
			return err
		}},
		{"pet's chain", func(db review.DB) error {
			_, err := review.Show(ctx, db, "pet", "P1", review.ViewOptions{})
			return err
		}},
		{"orphan's chain", func(db review.DB) error {
			_, err := review.Show(ctx, db, "record", "H4", review.ViewOptions{})
			return err
		}},
		{"record view", func(db review.DB) error {
			_, err := review.View(ctx, db, "client", "C1", 0, review.ViewOptions{})
			return err
		}},
		{"find", func(db review.DB) error { _, err := review.Find(ctx, db, "lun", 10); return err }},
		{"resolve one issue", func(db review.DB) error { _, err := review.ResolveIssue(ctx, db, open[0].ID, res); return err }},
		{"resolve issues", func(db review.DB) error {
			_, err := review.ResolveIssues(ctx, db, []int64{open[1].ID, open[2].ID}, res)
			return err
		}},
		{"correct", func(db review.DB) error {
			_, err := review.Correct(ctx, db, review.CorrectRequest{Type: "pet", SourceID: "P1", Reason: "r", By: "ana", At: testNow,
				Changes: []review.Change{{Field: "color", Value: "Negro azabache"}, {Field: "nombre", Value: "Lunita"}}})
			return err
		}},
		{"correct a client's e-mail, name and document", func(db review.DB) error {
			_, err := review.Correct(ctx, db, review.CorrectRequest{Type: "client", SourceID: "C2", Reason: "r", By: "ana", At: testNow,
				Changes: []review.Change{{Field: "email", Value: "maria@example.com"}, {Field: "nombre", Value: "María Muñoz Ruiz"},
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
