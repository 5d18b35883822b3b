package signoff

import (
	"context"
	"slices"

	"github.com/petfriendly/recon/internal/approval"
	"github.com/petfriendly/recon/reconcile"
)

// DataCheck tells whether the destination still holds what was approved.
type DataCheck struct {
	Unchanged          bool     `json:"unchanged"`
	ContentFingerprint string   `json:"content_fingerprint"` // of the destination now
	Changed            []string `json:"changed_tables"`      // tables whose content moved, when the approved run is stored
	// RunStored is false when the approved run (with the approved content
	// fingerprint) is not in this database: the changed tables cannot be named.
	RunStored bool `json:"run_stored"`
	// Verdict is the fresh verification's (approval.Verdict), Approved
	// the approved run's ("ready" when it is not stored: only a ready run
	// can be recorded). Worse is set when the fresh one is not as good:
	// the data is then not "unchanged" whatever its fingerprint.
	Verdict  string `json:"verdict"`
	Approved string `json:"approved_verdict"`
	Worse    bool   `json:"verdict_worse"`
	// ContentSame: the content fingerprint is the approved one.
	ContentSame bool `json:"content_same"`
}

// verdictRank orders verdicts from worst to best.
func verdictRank(code string) int {
	switch code {
	case approval.VerdictReady:
		return 2
	case approval.VerdictCriticalOpen:
		return 1
	}
	return 0
}

// CompareData compares the approved identity with a fresh verification of
// the destination, naming the changed tables from the approved run's
// per-table hashes when that run is stored in db.
func CompareData(ctx context.Context, db reconcile.Querier, approved approval.Identity, now reconcile.Result) (DataCheck, error) {
	return compareData(ctx, runsOf(db), approved, now)
}

// compareData is CompareData on the stored runs rs.
func compareData(ctx context.Context, rs runs, approved approval.Identity, now reconcile.Result) (d DataCheck, err error) {
	d = DataCheck{ContentFingerprint: now.ContentFingerprint, Verdict: approval.Verdict(now.OK, now.SignoffReady), Approved: approval.VerdictReady}
	// The content alone is not the approval: the fresh verdict must be as
	// good as the approved run's (a stray row, a lost correction...).
	defer func() {
		d.Worse = verdictRank(d.Verdict) < verdictRank(d.Approved)
		d.ContentSame = now.ContentFingerprint == approved.ContentFingerprint
		d.Unchanged = d.ContentSame && !d.Worse
	}()
	ids, err := rs.RunIDs(ctx)
	if err != nil {
		return d, err
	}
	if !slices.Contains(ids, approved.RunID) {
		return d, nil
	}
	var run reconcile.Result
	run, err = rs.LoadRun(ctx, approved.RunID)
	if err != nil {
		return d, err
	}
	if run.ContentFingerprint != approved.ContentFingerprint {
		return d, nil
	}
	d.RunStored, d.Approved = true, approval.Verdict(run.OK, run.SignoffReady)
	if now.ContentFingerprint != approved.ContentFingerprint {
		d.Changed = ChangedTables(run.Tables, now.Tables)
	}
	return d, nil
}
