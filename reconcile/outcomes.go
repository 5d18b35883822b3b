package reconcile

import (
	"context"
	"path/filepath"
	"strings"

	"github.com/petfriendly/recon/importer"
	"github.com/petfriendly/recon/source"
)

// A recorded outcome other than "imported" is re-derived from the export
// row and what the destination holds, with the importer's own pure rules
// (importer.Early, importer.Check, importer.Parent, importer.ClientKeys,
// importer.SKUKey): a rejection needs the row's blocking problem and an
// issue naming it, an orphan an absent parent, a skip the export's reason,
// a merged duplicate a survivor sharing a merge key. What the row alone
// cannot settle (a parent mapped after the orphan's batch, an e-mail held
// by another owner, a survivor's keys) is checked after the pass, in bulk.

// Why a recorded outcome is not supported (outcome_not_supported's "why").
const (
	WhyNoProblem     = "no_problem"       // rejected, but the row passes every rule
	WhyOtherProblem  = "other_problem"    // rejected for another problem than the rules find
	WhyIssueMissing  = "issue_missing"    // rejected, but no critical issue names the problem
	WhyParentPresent = "parent_present"   // orphaned, but its parent was mapped before it
	WhyNoParent      = "no_parent"        // orphaned, but the type has no parent that orphans
	WhyNoReason      = "no_reason"        // skipped, but the export carries no such reason
	WhySurvivorGone  = "survivor_missing" // merged into a row that is not its survivor's
	WhyNoSharedKey   = "no_shared_key"    // merged into an owner or product sharing no merge key
	WhyNotMergeable  = "not_mergeable"    // merged, but the row is rejected by the rules or of a type never merged
	WhyTargetPresent = "target_present"   // target_missing, but the mapped row exists
	WhyNoEmailHolder = "email_not_taken"  // email_conflict, but no other owner holds the e-mail
)

// Outcomes as recorded ("status" or "status:reason"), from the importer's names.
const (
	outcomeImported  = importer.StatusImported
	outcomeOrphaned  = importer.StatusSkipped + ":" + importer.ReasonOrphaned
	reasonMergedInto = "merged_into:"
	reasonEmailTaken = "email_conflict"
)

// rowCheck is one source row whose recorded outcome is checked.
type rowCheck struct {
	t      source.Type
	rec    source.Record
	rowErr *source.RowError
	o      outcome
	batch  int64 // the batch whose record is checked (0: matched by id)
	// issueNamed is false when a rejected record has no critical issue of
	// its reason's type.
	issueNamed bool
	dest       Dest
	mapped     bool
	// before is true when an earlier row of the type's files reached the
	// destination under the same id.
	before  bool
	parents map[string]map[string]int64
}

// deferredOrphan is an orphan whose parent is mapped now: supported only
// when the parent's mapping came from a later batch.
type deferredOrphan struct {
	f                  Finding
	recomputed, parent string
	ref                string
	batch              int64
}

// deferredEmail is an email_conflict rejection: supported only when
// another owner's login holds the e-mail.
type deferredEmail struct {
	f      Finding
	email  string
	target int64 // the row's own owner profile (0: none)
}

// recordedText names an outcome as the record states it.
func recordedText(o outcome) string {
	if o.reason == "" {
		return o.status
	}
	return o.status + ":" + o.reason
}

// recompute is the outcome the rules give a row from the export alone and
// the destination's mappings: rejected, skipped, orphaned or imported.
func recompute(c rowCheck) string {
	if status, reason, ok := importer.Early(c.rec, c.rowErr); ok {
		return status + ":" + reason
	}
	if k := importer.Check(c.t, c.rec, exportDir(c.rec)); k.Bad {
		return importer.StatusError + ":" + k.Problem.Type
	}
	if f, ok := importer.Parent(c.t); ok {
		if _, mapped := c.parents[f.Ref][importer.ParentID(c.rec, f.Name)]; !mapped {
			return outcomeOrphaned
		}
	}
	return outcomeImported
}

func exportDir(rec source.Record) string {
	dir, err := filepath.Abs(filepath.Dir(rec.File))
	if err != nil {
		return filepath.Dir(rec.File)
	}
	return dir
}

// checkOutcome re-derives a non-imported row's outcome. It returns the
// finding when the export does not support it; a check that needs the
// database is queued on the verifier instead.
func (v *verifier) checkOutcome(c rowCheck) {
	rec, o := c.rec, c.o
	f := Finding{Code: CodeOutcomeNotSupported, Type: c.t.Name, SourceID: rec.SourceID, File: rec.File, Line: rec.Line, Blocks: true,
		Params: map[string]string{"recorded": recordedText(o)}}
	fail := func(why, recomputed string) {
		f.Params["why"], f.Params["recomputed"] = why, recomputed
		v.finding(f)
	}
	switch o.status {
	case importer.StatusError:
		v.checkRejected(c, f)
	case importer.StatusSkipped:
		switch o.reason {
		case importer.ReasonOrphaned:
			got := recompute(c)
			p, hasParent := importer.Parent(c.t)
			switch {
			case !hasParent:
				fail(WhyNoParent, got)
			case got == outcomeOrphaned:
			case got != outcomeImported:
				fail(WhyOtherProblem, got)
			case c.batch == 0:
				// Matched by id, its batch unknown: its parent is mapped now.
				fail(WhyParentPresent, got)
			default:
				f.Params["why"], f.Params["recomputed"] = WhyParentPresent, got
				v.orphanClaims = append(v.orphanClaims, deferredOrphan{f: f, recomputed: got, ref: p.Ref,
					parent: importer.ParentID(rec, p.Name), batch: c.batch})
			}
		case importer.ReasonAlreadyImported:
			if !c.before {
				fail(WhyNoReason, recompute(c))
			}
		default:
			if got := recompute(c); got != recordedText(o) {
				fail(WhyNoReason, got)
			}
		}
	case importer.StatusDuplicate:
		got := recompute(c)
		survivor, named := strings.CutPrefix(o.reason, reasonMergedInto)
		var keys []string
		switch c.t.Merge {
		case source.MergeOwner:
			keys = importer.ClientKeys(rec)
		case source.MergeSKU:
			if sku := importer.SKUKey(canonical(rec, "codigo")); sku != "" {
				keys = []string{"sku:" + sku}
			}
		}
		switch {
		case got != outcomeImported || keys == nil:
			fail(WhyNotMergeable, got)
		case !named || !c.mapped || !c.dest.Merged:
			fail(WhySurvivorGone, got)
		default:
			f.Params["why"], f.Params["recomputed"] = WhyNoSharedKey, got
			v.mergeClaims = append(v.mergeClaims, mergedPair{typ: c.t.Name, sourceType: c.t.SourceType, dup: rec.SourceID,
				survivor: survivor, target: c.dest.Target, keys: keys, f: f})
		}
	}
}

// checkRejected re-derives a rejected row's outcome (checkOutcome); f is
// its finding should the export not support it.
func (v *verifier) checkRejected(c rowCheck, f Finding) {
	rec, o := c.rec, c.o
	fail := func(why, recomputed string) {
		f.Params["why"], f.Params["recomputed"] = why, recomputed
		v.finding(f)
	}
	switch o.reason {
	case importer.ReasonTargetMissing:
		// A re-import found the mapped row deleted outside recon.
		if !c.mapped || c.dest.Merged || c.dest.Exists {
			fail(WhyTargetPresent, recompute(c))
		}
		return
	case reasonEmailTaken:
		// A re-imported owner whose e-mail another owner now holds: the
		// rules before the look-up must pass, the holder is checked in bulk.
		if got := recompute(c); got != outcomeImported && got != outcomeOrphaned {
			fail(WhyOtherProblem, got)
			return
		}
		var own int64
		if c.mapped && !c.dest.Merged {
			own = c.dest.Target
		}
		f.Params["why"], f.Params["recomputed"] = WhyNoEmailHolder, outcomeImported
		v.emailClaims = append(v.emailClaims, deferredEmail{f, strings.ToLower(canonical(rec, "email")), own})
		return
	}
	got := recompute(c)
	switch {
	case got == recordedText(o) && !c.issueNamed:
		fail(WhyIssueMissing, got)
	case got == recordedText(o):
	case strings.HasPrefix(got, importer.StatusError+":"):
		fail(WhyOtherProblem, got)
	default:
		fail(WhyNoProblem, got)
	}
}

// survivorKeys are the merge keys of a survivor's destination row.
func survivorKeys(typ string, d Dest) []string {
	t, _ := source.TypeByName(typ)
	switch t.Merge {
	case source.MergeOwner:
		return importer.OwnerKeys(d.Fields["email"], []string{d.Fields["telefono"], d.Fields["celular"]}, d.Fields["tipo_documento"],
			d.Fields["documento"])
	case source.MergeSKU:
		if sku := importer.SKUKey(d.Fields["codigo"]); sku != "" {
			return []string{"sku:" + sku}
		}
	}
	return nil
}

func sharesKey(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

// canonical is a field's normalised value, empty when it has none.
func canonical(rec source.Record, field string) string {
	if v, ok := rec.Values[field]; ok && v.Valid {
		return v.Text
	}
	return ""
}

// checkClaims settles the outcomes queued during the pass: an orphan whose
// parent is mapped now is supported when the parent's mapping came from a
// later batch; an email_conflict when another owner's login holds the
// e-mail; a merged duplicate when its survivor is the row it maps to and
// shares a merge key with it.
func (v *verifier) checkClaims(ctx context.Context) error {
	byRef := map[string][]string{}
	for _, c := range v.orphanClaims {
		byRef[c.ref] = append(byRef[c.ref], c.parent)
	}
	batches := map[string]map[string]int64{}
	for ref, ids := range byRef {
		m, err := readMappingBatches(ctx, v.db, ref, ids)
		if err != nil {
			return err
		}
		batches[ref] = m
	}
	for _, c := range v.orphanClaims {
		if b, ok := batches[c.ref][c.parent]; !ok || b <= c.batch {
			v.finding(c.f)
		}
	}
	if len(v.emailClaims) > 0 {
		emails := make([]string, 0, len(v.emailClaims))
		for _, c := range v.emailClaims {
			emails = append(emails, c.email)
		}
		holders, err := readEmailHolders(ctx, v.db, emails)
		if err != nil {
			return err
		}
		for _, c := range v.emailClaims {
			taken := false
			for _, owner := range holders[c.email] {
				taken = taken || owner != c.target
			}
			if !taken || c.email == "" {
				v.finding(c.f)
			}
		}
	}
	bySource := map[string][]string{}
	types := map[string]source.Type{}
	for _, p := range v.mergeClaims {
		bySource[p.sourceType] = append(bySource[p.sourceType], p.survivor)
		if t, ok := source.TypeByName(p.typ); ok {
			types[p.sourceType] = t
		}
	}
	survivors := map[string]map[string]Dest{}
	for st, ids := range bySource {
		d, err := readDest(ctx, v.db, types[st], uniqueIDs(ids))
		if err != nil {
			return err
		}
		survivors[st] = d
	}
	for _, p := range v.mergeClaims {
		d, ok := survivors[p.sourceType][p.survivor]
		switch {
		case !ok || d.Merged || !d.Exists || d.Target != p.target:
			p.f.Params["why"] = WhySurvivorGone
			v.finding(p.f)
		case !sharesKey(p.keys, survivorKeys(p.typ, d)):
			v.finding(p.f)
		}
	}
	return nil
}
