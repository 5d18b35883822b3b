package reconcile

import (
	"context"
	"fmt"
	"strconv"

	"github.com/petfriendly/recon/source"
)

// verifier runs one verification: the run's tally, what every type is
// compared with (read once when the run starts) and the caches the types
// share. Each type is verified on a copy with a tally of its own (forType).
type verifier struct {
	*tally
	db   Querier
	opts Options
	// corrected holds the latest audited correction of each corrected field.
	corrected map[CorrectionKey]Correction
	// chainNames names the chain check of each parent column, per type.
	chainNames map[string][]string
	// mappings counts the mappings per source type and target model.
	mappings map[string]map[string]int
	// lastRef is, per referenced source type, the index of the last type
	// that references it.
	lastRef map[string]int
	// parentTargets maps, per referenced source type, every mapped source id
	// to its target id: ids only, loaded once and dropped after the last
	// type that references it (lastRef).
	parentTargets map[string]map[string]int64
	// reverse maps, per referenced type, a row id back to a source id; built
	// only when a parent differs from the one the source names.
	reverse map[string]map[int64]string
	// exportHashes hashes each imported document's file in
	// the export, by destination row.
	exportHashes *hashQueue
	// realDirs caches the folders attachments sit in, symlinks resolved.
	realDirs map[string]resolved
}

// forType is the verifier a type is verified on: the run's shared state
// and a tally of the type's own, to merge into the run's.
func (v *verifier) forType() *verifier {
	tv := *v
	tv.tally = typeTally(v.res)
	return &tv
}

// targets returns the source id -> target id map of a referenced type.
func (v *verifier) targets(ctx context.Context, sourceType string) (map[string]int64, error) {
	if m, ok := v.parentTargets[sourceType]; ok {
		return m, nil
	}
	m, err := readAllTargets(ctx, v.db, sourceType)
	if err != nil {
		return nil, err
	}
	v.parentTargets[sourceType] = m
	return m, nil
}

// dropTargets forgets the id maps no type after typeIndex references.
func (v *verifier) dropTargets(typeIndex int) {
	for ref, last := range v.lastRef {
		if last <= typeIndex {
			delete(v.parentTargets, ref)
			delete(v.reverse, ref)
		}
	}
}

// sourceOf finds the source id a parent row stands for (the smallest, when
// merged duplicates share it), from the referenced type's id map.
func (v *verifier) sourceOf(ref string, targets map[string]int64, row int64) string {
	rev, ok := v.reverse[ref]
	if !ok {
		rev = make(map[int64]string, len(targets))
		for id, target := range targets {
			if cur, seen := rev[target]; !seen || id < cur {
				rev[target] = id
			}
		}
		v.reverse[ref] = rev
	}
	if id, ok := rev[row]; ok {
		return id
	}
	return "#" + strconv.FormatInt(row, 10) // a row no mapping names: the chain check reports it
}

// addContent folds a migrated row into its table's content sum: the
// destination's canonical values, and each parent as the source id it
// stands for when the link is right (so two databases loaded from the same
// export agree), else as the raw target id.
func (v *verifier) addContent(t source.Type, fields, parentCols []source.Field, rec source.Record, d Dest, links []parentLink,
	parents map[string]map[string]int64) {
	c, ok := v.content[t.Name]
	if !ok {
		c = &contentSum{}
		v.content[t.Name] = c
	}
	c.begin(rec.SourceID)
	for _, f := range fields {
		c.piece(f.Name, "=", d.Fields[f.Name])
	}
	for _, lc := range loginColumns(t) {
		c.piece(loginPrefix+lc.Name, "=", d.Fields[loginPrefix+lc.Name])
	}
	for i, f := range parentCols {
		l := links[i]
		switch {
		case l.mapped && l.got == l.want && l.ref != "":
			c.piece(f.Name, "=", l.ref)
		case l.got == 0:
			c.piece(f.Name, "=", "")
		default:
			// Another parent than the source names (or none named): the
			// source id it stands for, so the sum never holds a row id.
			c.piece(f.Name, "=@", v.sourceOf(f.Ref, parents[f.Ref], l.got))
		}
	}
	c.end()
}

// checkParents verifies the row hangs from the parent its source names.
func (v *verifier) checkParents(t source.Type, parentCols []source.Field, rec source.Record, links []parentLink) {
	for i, f := range parentCols {
		l := links[i]
		if l.ref == "" {
			continue
		}
		name := v.chainNames[t.Name][i]
		v.chain(name)
		if !l.mapped {
			// Unmapped parent: an orphan adopted by the placeholder owner, or
			// an unknown product kept without a link.
			continue
		}
		if f.Ref == "pet" && v.perPet[t.Name] != nil {
			v.perPet[t.Name][l.want]++
		}
		if l.got != l.want && !(t.Name == "appointments" && f.Ref == "client") {
			v.violate(name, fmt.Sprintf("%s %s: %s %s → #%d ≠ #%d", t.Name, rec.SourceID, f.Ref, l.ref, l.got, l.want))
		}
	}
}
