package audit

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/petfriendly/recon/internal/pgtest"
)

// The record view follows the id mapping both ways: an id without mapping
// has no target, a destination row recon did not create is named by its
// own id, and a failed lookup says which one failed.
func TestMappingLookups(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	if _, err := db.Pool.Exec(ctx, `INSERT INTO migration_externalidmapping
		(source_system, source_type, source_id, target_model, target_id, is_merged, created_at) VALUES
		('okvet', 'client', 'C1', 'vet_clinic.ownerprofile', 41, false, now()),
		('okvet', 'client', 'C1-dup', 'vet_clinic.ownerprofile', 41, true, now())`); err != nil {
		t.Fatal(err)
	}
	targets := []struct {
		id   string
		want int64
	}{
		{"C1", 41},
		{"C1-dup", 41},
		{"C404", 0},
		{"", 0},
	}
	for _, tt := range targets {
		if got, err := targetOf(ctx, db.Pool, "client", tt.id); got != tt.want || err != nil {
			t.Errorf("targetOf(client, %q) = %d, %v; want %d", tt.id, got, err, tt.want)
		}
	}
	sources := []struct {
		target int64
		want   string
	}{
		{41, "C1"}, // the surviving row, not the merged duplicate
		{7, "#7"},  // e.g. the placeholder owner
		{0, ""},
	}
	for _, tt := range sources {
		if got, err := sourceIDOf(ctx, db.Pool, "client", tt.target); got != tt.want || err != nil {
			t.Errorf("sourceIDOf(client, %d) = %q, %v; want %q", tt.target, got, err, tt.want)
		}
	}

	tracer := &pgtest.CancelNth{}
	cfg := db.Pool.Config()
	cfg.ConnConfig.Tracer = tracer
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	failures := []struct {
		name string
		op   func() error
		want string
	}{
		{"target", func() error { _, err := targetOf(ctx, pool, "client", "C1"); return err }, "find target of client C1: "},
		{"source id", func() error { _, err := sourceIDOf(ctx, pool, "client", 41); return err }, "find source id of client #41: "},
	}
	for _, tt := range failures {
		tracer.N.Store(1)
		tracer.Count.Store(0)
		err := tt.op()
		if !errors.Is(err, context.Canceled) || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s cancelled: err = %v, want %q… wrapping context.Canceled", tt.name, err, tt.want)
		}
	}
}
