package signoff

import (
	"context"

	"github.com/petfriendly/recon/reconcile"
)

// runs is where signoff reads the stored verification runs an approval
// names.
type runs interface {
	RunIDs(ctx context.Context) ([]int64, error)
	LoadRun(ctx context.Context, id int64) (reconcile.Result, error)
}

// runsOf is reconcile's PostgreSQL adapter on db: the one place signoff
// names it.
func runsOf(db reconcile.Querier) runs {
	return reconcile.Store{DB: db}
}
