package audit

import (
	"context"

	"github.com/petfriendly/recon/reconcile"
	"github.com/petfriendly/recon/source"
)

// destinations is what review reads as verify reads it: destination rows
// in the canonical form verify compares, and a row's audited corrections.
type destinations interface {
	Dest(ctx context.Context, t source.Type, ids []string) (map[string]reconcile.Dest, error)
	Corrections(ctx context.Context, sourceType, sourceID string) ([]reconcile.Correction, error)
}

// destinationsOf is reconcile's PostgreSQL adapter on db: the one place
// review names it.
func destinationsOf(db reconcile.Querier) destinations {
	return reconcile.Store{DB: db}
}
