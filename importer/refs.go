package importer

import "context"

// refIndex maps external ids to destination ids, loaded once per batch, and
// remembers why an id has no mapping (rejected, orphaned...) so an orphan's
// warning can say why its parent is missing.
type refIndex struct {
	tx       dbTx
	virtual  *virtualState
	targets  map[string]map[string]int64 // source type -> source id -> target id
	merged   map[string]map[string]bool  // source type -> source id mapped to a survivor
	missing  map[string]map[string]string
	petOwner map[int64]int64 // pet target id -> owner target id (appointments)
	loaded   map[string]bool
}

func newRefIndex(tx dbTx, v *virtualState) *refIndex {
	return &refIndex{tx: tx, virtual: v, targets: map[string]map[string]int64{}, merged: map[string]map[string]bool{},
		missing: map[string]map[string]string{}, loaded: map[string]bool{}}
}

// load reads the mappings and the recorded failures of one source type.
func (r *refIndex) load(ctx context.Context, sourceType string) error {
	if r.loaded[sourceType] {
		return nil
	}
	r.loaded[sourceType] = true
	targets, merged, err := queryMappings(ctx, r.tx, sourceType)
	if err != nil {
		return err
	}
	failures, err := queryFailures(ctx, r.tx, sourceType)
	if err != nil {
		return err
	}
	missing := map[string]string{}
	for _, f := range failures {
		if f.status == StatusError {
			missing[f.sourceID] = "rejected (" + f.reason + ")"
		} else {
			missing[f.sourceID] = f.reason
		}
	}
	r.virtual.overlay(sourceType, targets, missing)
	r.targets[sourceType] = targets
	r.merged[sourceType] = merged
	r.missing[sourceType] = missing
	return nil
}

// isMerged tells a merged duplicate's mapping from an imported row's.
func (r *refIndex) isMerged(sourceType, id string) bool {
	return r.merged[sourceType][id]
}

func (r *refIndex) lookup(sourceType, id string) (int64, bool) {
	t, ok := r.targets[sourceType][id]
	return t, ok
}

func (r *refIndex) has(sourceType, id string) bool {
	_, ok := r.targets[sourceType][id]
	return ok
}

// why explains a missing reference.
func (r *refIndex) why(sourceType, id string) string {
	if reason, ok := r.missing[sourceType][id]; ok {
		return reason
	}
	return "unknown"
}

func (r *refIndex) set(sourceType, id string, target int64) {
	if r.targets[sourceType] == nil {
		r.targets[sourceType] = map[string]int64{}
	}
	r.targets[sourceType][id] = target
	r.virtual.stage(sourceType, id, target, "")
}

func (r *refIndex) markMissing(sourceType, id, reason string) {
	if r.missing[sourceType] == nil {
		r.missing[sourceType] = map[string]string{}
	}
	r.missing[sourceType][id] = reason
	r.virtual.stage(sourceType, id, 0, reason)
}

// loadPetOwners reads each pet's owner, to check appointment chains.
func (r *refIndex) loadPetOwners(ctx context.Context) error {
	owners, err := queryPetOwners(ctx, r.tx)
	if err != nil {
		return err
	}
	r.petOwner = owners
	for pet, owner := range r.virtual.petOwner {
		r.petOwner[pet] = owner
	}
	return nil
}

// virtualState carries a dry run's would-be results from one file to the
// next, since nothing reaches the database.
type virtualState struct {
	dryRun   bool // only a dry run carries its staged results to the next file
	targets  map[string]map[string]int64
	missing  map[string]map[string]string
	petOwner map[int64]int64
	owners   []ownerKey
	skus     map[string]int64
	staged   []staged
	stagedPO map[int64]int64
	stagedOK []ownerKey
	stagedSK map[string]int64
}

type staged struct {
	sourceType, id, reason string
	target                 int64
}

func newVirtualState(dryRun bool) *virtualState {
	return &virtualState{dryRun: dryRun, targets: map[string]map[string]int64{}, missing: map[string]map[string]string{},
		petOwner: map[int64]int64{}, skus: map[string]int64{}, stagedPO: map[int64]int64{}, stagedSK: map[string]int64{}}
}

func (v *virtualState) overlay(sourceType string, targets map[string]int64, missing map[string]string) {
	for id, t := range v.targets[sourceType] {
		targets[id] = t
	}
	for id, why := range v.missing[sourceType] {
		missing[id] = why
	}
}

func (v *virtualState) stage(sourceType, id string, target int64, reason string) {
	if !v.dryRun {
		// A real import discards what it staged (runBatch): keeping one
		// entry per mapped row only cost memory, ~56 bytes a row of the
		// largest file.
		return
	}
	v.staged = append(v.staged, staged{sourceType, id, reason, target})
}

// commit makes a finished dry-run batch visible to the next file.
func (v *virtualState) commit() {
	for _, s := range v.staged {
		if s.target != 0 {
			if v.targets[s.sourceType] == nil {
				v.targets[s.sourceType] = map[string]int64{}
			}
			v.targets[s.sourceType][s.id] = s.target
		} else {
			if v.missing[s.sourceType] == nil {
				v.missing[s.sourceType] = map[string]string{}
			}
			v.missing[s.sourceType][s.id] = s.reason
		}
	}
	for k, o := range v.stagedPO {
		v.petOwner[k] = o
	}
	v.owners = append(v.owners, v.stagedOK...)
	for k, t := range v.stagedSK {
		v.skus[k] = t
	}
	v.discard()
}

// discard forgets what a batch staged (a real import, or a failed one).
func (v *virtualState) discard() {
	v.staged = v.staged[:0]
	v.stagedPO = map[int64]int64{}
	v.stagedOK = nil
	v.stagedSK = map[string]int64{}
}
