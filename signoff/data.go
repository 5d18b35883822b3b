package signoff

import (
	"context"
	"slices"

	"github.com/petfriendly/recon/reconcile"
	"github.com/petfriendly/recon/reports"
)

// DataCheck tells whether the destination still holds what was approved.
type DataCheck struct {
	Unchanged          bool     `json:"unchanged"`
	ContentFingerprint string   `json:"content_fingerprint"` // of the destination now
	Changed            []string `json:"changed_tables"`      // tables whose content moved, when the approved run is stored
	// RunStored is false when the approved run (with the approved content
	// fingerprint) is not in this database: the changed tables cannot be named.
	RunStored bool `json:"run_stored"`
}

// CompareData compares the approved identity with a fresh verification of
// the destination, naming the changed tables from the approved run's
// per-table hashes when that run is stored in db.
func CompareData(ctx context.Context, db reconcile.Querier, approved reports.SignoffIdentity, now reconcile.Result) (DataCheck, error) {
	d := DataCheck{ContentFingerprint: now.ContentFingerprint, Unchanged: now.ContentFingerprint == approved.ContentFingerprint}
	ids, err := reconcile.RunIDs(ctx, db)
	if err != nil {
		return d, err
	}
	if !slices.Contains(ids, approved.RunID) {
		return d, nil
	}
	run, err := reconcile.LoadRun(ctx, db, approved.RunID)
	if err != nil {
		return d, err
	}
	if run.ContentFingerprint != approved.ContentFingerprint {
		return d, nil
	}
	d.RunStored = true
	if !d.Unchanged {
		d.Changed = ChangedTables(run.Tables, now.Tables)
	}
	return d, nil
}
