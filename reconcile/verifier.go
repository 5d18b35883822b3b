package reconcile

import (
	"fmt"

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
	// parents are the referenced types' id maps, shared by the types.
	parents *parentIDs
	// exportHashes hashes each imported document's file in
	// the export, by destination row.
	exportHashes *hashQueue
	// realDirs caches the folders attachments sit in, symlinks resolved.
	realDirs *dirCache
}

// forType is the verifier a type is verified on: the run's shared state
// and a tally of the type's own, to merge into the run's.
func (v *verifier) forType() *verifier {
	tv := *v
	tv.tally = typeTally(v.res)
	return &tv
}

// addContent folds a migrated row into its table's content sum: the
// destination's canonical values, and each parent as the source id it
// stands for when the link is right (so two databases loaded from the same
// export agree), else as the raw target id.
func (v *verifier) addContent(tr *typeRun, rec source.Record, d Dest, links []parentLink, parents map[string]map[string]int64) {
	c := tr.content
	if c == nil {
		if c = v.content[tr.t.Name]; c == nil {
			c = &contentSum{}
			v.content[tr.t.Name] = c
		}
		tr.content = c
	}
	c.begin(rec.SourceID)
	for _, f := range tr.fields {
		c.piece(f.Name, "=", d.Fields[f.Name])
	}
	for _, name := range tr.logins {
		c.piece(name, "=", d.Fields[name])
	}
	for i, f := range tr.parentCols {
		l := links[i]
		switch {
		case l.mapped && l.got == l.want && l.ref != "":
			c.piece(f.Name, "=", l.ref)
		case l.got == 0:
			c.piece(f.Name, "=", "")
		default:
			// Another parent than the source names (or none named): the
			// source id it stands for, so the sum never holds a row id.
			c.piece(f.Name, "=@", v.parents.sourceOf(f.Ref, parents[f.Ref], l.got))
		}
	}
	c.end()
}

// checkParents verifies the row hangs from the parent its source names.
func (v *verifier) checkParents(tr *typeRun, rec source.Record, links []parentLink) {
	t := tr.t
	for i, f := range tr.parentCols {
		l := links[i]
		if l.ref == "" {
			continue
		}
		ch := tr.chain(v, i)
		if !l.mapped {
			// Unmapped parent: an orphan adopted by the placeholder owner, or
			// an unknown product kept without a link.
			continue
		}
		if tr.perPet != nil && f.Name == tr.parent {
			tr.perPet[l.want]++
		}
		if l.got != l.want && !f.ViaParent {
			v.violate(ch.Check, fmt.Sprintf("%s %s: %s %s → #%d ≠ #%d", t.Name, rec.SourceID, f.Ref, l.ref, l.got, l.want))
		}
	}
}
