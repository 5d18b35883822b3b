package reconcile

import (
	"context"

	"github.com/petfriendly/recon/source"
)

// Store is reconcile's PostgreSQL adapter for the packages that read what
// verify reads or stores (review, signoff). They consume it through small
// interfaces of their own, so none of them calls reconcile's queries.
type Store struct {
	DB Querier
}

// Dest returns the mapped destination rows of the given source ids of one
// type, each field in the canonical text verify compares (ReadDest).
func (s Store) Dest(ctx context.Context, t source.Type, ids []string) (map[string]Dest, error) {
	return readDest(ctx, s.DB, t, ids)
}

// Corrections returns the audited corrections of one source row, oldest
// first (ReadCorrections).
func (s Store) Corrections(ctx context.Context, sourceType, sourceID string) ([]Correction, error) {
	return readCorrections(ctx, s.DB, sourceType, sourceID, false)
}

// RunIDs lists the stored verification runs, oldest first.
func (s Store) RunIDs(ctx context.Context) ([]int64, error) {
	return RunIDs(ctx, s.DB)
}

// LoadRun reads a stored verification run; id 0 means the latest.
func (s Store) LoadRun(ctx context.Context, id int64) (Result, error) {
	return LoadRun(ctx, s.DB, id)
}
