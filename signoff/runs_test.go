package signoff

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/petfriendly/recon/internal/approval"
	"github.com/petfriendly/recon/reconcile"
)

// fakeRuns is a run store without a database: signoff reads runs only
// through the runs interface.
type fakeRuns struct {
	runs map[int64]reconcile.Result
	err  error
}

func (f fakeRuns) RunIDs(context.Context) ([]int64, error) {
	var ids []int64
	for id := range f.runs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids, f.err
}

func (f fakeRuns) LoadRun(_ context.Context, id int64) (reconcile.Result, error) {
	r, ok := f.runs[id]
	if !ok {
		return r, fmt.Errorf("verification run %d not found", id)
	}
	return r, nil
}

// TestCompareDataThroughRuns checks the comparison with an approval reads
// the approved run through the interface: stored or not, same content or
// not, and a failing store.
func TestCompareDataThroughRuns(t *testing.T) {
	tables := func(sum string) []reconcile.TableContent {
		return []reconcile.TableContent{{Type: "pets", Table: "pets_pet", Rows: 3, SHA256: sum}, {Type: "clients", Table: "vet_clinic_ownerprofile", Rows: 2, SHA256: "c"}}
	}
	approvedRun := reconcile.Result{OK: true, SignoffReady: true, ContentFingerprint: "A", Tables: tables("p")}
	ready := reconcile.Result{OK: true, SignoffReady: true, ContentFingerprint: "A", Tables: tables("p")}
	moved := reconcile.Result{OK: true, SignoffReady: true, ContentFingerprint: "B", Tables: tables("q")}
	identity := approval.Identity{RunID: 7, ContentFingerprint: "A"}
	broken := errors.New("store down")
	tests := []struct {
		name      string
		rs        fakeRuns
		now       reconcile.Result
		unchanged bool
		stored    bool
		changed   []string
		err       error
	}{
		{"unchanged", fakeRuns{runs: map[int64]reconcile.Result{7: approvedRun}}, ready, true, true, nil, nil},
		{"pets moved", fakeRuns{runs: map[int64]reconcile.Result{7: approvedRun}}, moved, false, true, []string{"pets_pet"}, nil},
		{"run not stored", fakeRuns{runs: map[int64]reconcile.Result{8: approvedRun}}, moved, false, false, nil, nil},
		{"store fails", fakeRuns{err: broken}, ready, true, false, nil, broken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := compareData(context.Background(), tt.rs, identity, tt.now)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if d.Unchanged != tt.unchanged || d.RunStored != tt.stored || !slices.Equal(d.Changed, tt.changed) {
				t.Errorf("unchanged %v stored %v changed %v; want %v %v %v", d.Unchanged, d.RunStored, d.Changed, tt.unchanged, tt.stored, tt.changed)
			}
		})
	}
}
