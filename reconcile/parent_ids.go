package reconcile

import (
	"context"
	"strconv"
	"sync"

	"github.com/petfriendly/recon/source"
)

// parentIDs are the id maps of the referenced types, shared by the types
// verified at once: each loaded once, when a type first needs it, and
// dropped when the last type that references it is done.
type parentIDs struct {
	mu sync.Mutex
	// targets maps, per referenced source type, every mapped source id to
	// its target id (ids only).
	targets map[string]map[string]int64
	// reverse maps, per referenced type, a row id back to a source id;
	// built only when a parent differs from the one the source names.
	reverse map[string]map[int64]string
	// users counts, per referenced type, the types not yet done that
	// reference it.
	users map[string]int
}

func newParentIDs(types []source.Type) *parentIDs {
	p := &parentIDs{targets: map[string]map[string]int64{}, reverse: map[string]map[int64]string{}, users: map[string]int{}}
	for _, t := range types {
		for _, ref := range referencedTypes(t) {
			p.users[ref]++
		}
	}
	return p
}

// referencedTypes lists, once each, the source types t's parent columns
// reference.
func referencedTypes(t source.Type) []string {
	var refs []string
	for _, f := range parentColumns(t) {
		known := false
		for _, r := range refs {
			known = known || r == f.Ref
		}
		if !known {
			refs = append(refs, f.Ref)
		}
	}
	return refs
}

// of returns the source id -> target id map of a referenced type, reading
// it on db the first time. The map is only read once returned.
func (p *parentIDs) of(ctx context.Context, db Querier, ref string) (map[string]int64, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if m, ok := p.targets[ref]; ok {
		return m, nil
	}
	m, err := readAllTargets(ctx, db, ref)
	if err != nil {
		return nil, err
	}
	p.targets[ref] = m
	return m, nil
}

// done tells a type is verified: the maps no other type needs go.
func (p *parentIDs) done(t source.Type) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, ref := range referencedTypes(t) {
		if p.users[ref]--; p.users[ref] <= 0 {
			delete(p.targets, ref)
			delete(p.reverse, ref)
		}
	}
}

// sourceOf finds the source id a parent row stands for (the smallest, when
// merged duplicates share it), from the referenced type's id map.
func (p *parentIDs) sourceOf(ref string, targets map[string]int64, row int64) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	rev, ok := p.reverse[ref]
	if !ok {
		rev = make(map[int64]string, len(targets))
		for id, target := range targets {
			if cur, seen := rev[target]; !seen || id < cur {
				rev[target] = id
			}
		}
		p.reverse[ref] = rev
	}
	if id, ok := rev[row]; ok {
		return id
	}
	return "#" + strconv.FormatInt(row, 10) // a row no mapping names: the chain check reports it
}
