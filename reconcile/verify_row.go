package reconcile

import (
	"strings"

	"github.com/petfriendly/recon/source"
)

// rowOutcome finds what the importer recorded for a source row: the record
// of its line when the file is the imported one, else its id's latest
// outcome. ok is false when nothing explains the row (already reported).
func (v *verifier) rowOutcome(tr *typeRun, rec source.Record, c *chunkRows, again bool, d Dest, mapped bool) (outcome, bool) {
	t := tr.t
	tr.counts.SourceRows++
	if c.batch != 0 {
		lo, ok := c.lines.at(rec.Line)
		switch {
		case !ok:
			v.finding(Finding{Code: CodeLineNoRecord, Type: t.Name, SourceID: rec.SourceID, File: rec.File, Line: rec.Line, Blocks: true})
			v.unexplained(t, rec.SourceID, ReasonNoRecord)
			return outcome{}, false
		case lo.sourceID != rec.SourceID:
			v.unexplained(t, rec.SourceID, ReasonRecordOtherID)
			return outcome{}, false
		}
		return outcome{status: lo.status, reason: lo.reason}, true
	}
	if again {
		// A repeated id in a file that is not the imported one: its first
		// occurrence speaks for it.
		return outcome{status: "skipped", reason: "already_imported"}, true
	}
	if mapped && !d.Merged {
		return outcome{status: "imported"}, true
	}
	o, recorded := c.outcomes[rec.SourceID]
	switch {
	case recorded:
		return o, true
	case rec.SourceID == "":
		// Rows without an id are rejected as missing_id; they cannot be
		// matched by id, only counted.
		return outcome{status: "error", reason: "missing_id"}, true
	case v.res.SourceDelta[t.Name].Examples != nil:
		d := v.res.SourceDelta[t.Name]
		d.Added++
		d.Examples = appendExample(d.Examples, "+"+rec.SourceID)
		v.res.SourceDelta[t.Name] = d
		v.finding(Finding{Code: CodeLineNoRecord, Type: t.Name, SourceID: rec.SourceID, File: rec.File, Line: rec.Line, Blocks: true,
			Params: map[string]string{"delta": "added"}})
	}
	v.unexplained(t, rec.SourceID, ReasonNoOutcome)
	return outcome{}, false
}

// Reasons of unexplained rows.
const (
	ReasonNoRecord          = "no_record"           // the line has no migration record
	ReasonRecordOtherID     = "record_other_id"     // the line's record names another id
	ReasonNoOutcome         = "no_outcome"          // no mapping and no recorded outcome
	ReasonDestMissing       = "destination_missing" // mapped, but the destination row is gone
	ReasonImportedNotMapped = "imported_not_mapped" // recorded as imported, no mapping
	ReasonMergedNotMapped   = "merged_not_mapped"   // recorded as a merged duplicate, no merged mapping
	ReasonImportedTwice     = "imported_twice"      // two lines imported under one id
	ReasonUnknownStatus     = "unknown_status"      // a record status the importer never writes
)

// verifyRecord accounts for a row by its outcome. It reports whether the
// row is its id's imported row, which importedBefore says an earlier row
// already was.
func (v *verifier) verifyRecord(tr *typeRun, c *chunkRows, row rowDest, o outcome, importedBefore bool) (imported bool) {
	t, tc, rec, d, mapped := tr.t, tr.counts, row.rec, row.dest, row.mapped
	switch o.status {
	case "updated", "unchanged":
		if mapped && d.Merged {
			// A merged duplicate imported again: still merged.
			tc.Merged++
			v.noteMerged(t, rec.SourceID)
			return false
		}
		fallthrough
	case "imported":
		switch {
		case !mapped || d.Merged:
			v.unexplained(t, rec.SourceID, ReasonImportedNotMapped)
			return false
		case importedBefore:
			v.unexplained(t, rec.SourceID, ReasonImportedTwice)
			return false
		}
		tc.Imported++
		if !d.Exists {
			v.unexplained(t, rec.SourceID, ReasonDestMissing)
			return true
		}
		tc.DestinationRows++
		v.applyRow(tr, c, rec, d)
		return true
	case "duplicate":
		if !mapped || !d.Merged {
			v.unexplained(t, rec.SourceID, ReasonMergedNotMapped)
			return false
		}
		tc.Merged++
		v.noteMerged(t, rec.SourceID)
		if survivor, ok := strings.CutPrefix(o.reason, "merged_into:"); ok {
			v.survivors = append(v.survivors, mergedPair{typ: t.Name, sourceType: t.SourceType, dup: rec.SourceID, survivor: survivor, target: d.Target})
		}
	case "error":
		tc.Rejected++
		if tc.RejectedBy == nil {
			tc.RejectedBy = map[string]int{}
		}
		reason := o.reason
		if reason == "" {
			reason = "unknown"
		}
		tc.RejectedBy[reason]++
	case "skipped":
		if o.reason == "orphaned" {
			tc.Orphaned++
		} else {
			tc.Skipped++
		}
	default:
		v.unexplained(t, rec.SourceID, ReasonUnknownStatus)
	}
	return false
}

// rowDest is a source row and its destination row, when mapped.
type rowDest struct {
	rec    source.Record
	dest   Dest
	mapped bool
}

// applyRow compares an imported row with its destination row (compareRow)
// and adds what it found to the tally.
func (v *verifier) applyRow(tr *typeRun, c *chunkRows, rec source.Record, d Dest) {
	t := tr.t
	out := compareRow(rowInput{t: t, fields: tr.fields, parentCols: tr.parentCols, rec: rec, dest: d, corrected: v.corrected,
		parents: c.parents, byID: c.batch == 0, buf: &tr.buf, login: len(tr.logins) > 0})
	for _, f := range out.missing {
		v.missingField(t, f, rec.SourceID)
	}
	tr.counts.FieldMismatches += len(out.mismatches)
	if len(out.mismatches) > 0 {
		v.res.Mismatches = appendCapped(v.res.Mismatches, out.mismatches)
	}
	for _, f := range out.findings {
		v.finding(f)
	}
	if out.changed {
		delta := v.res.SourceDelta[t.Name]
		delta.Changed++
		delta.Examples = appendExample(delta.Examples, "~"+rec.SourceID)
		v.res.SourceDelta[t.Name] = delta
	}
	v.checkParents(tr, rec, out.links)
	v.addContent(tr, rec, d, out.links, c.parents)
	if tr.path != "" {
		v.noteExportAttachment(rec, tr.path, d.Target)
	}
	c.sampler.offer(t.Name, rec.SourceID, out.checks)
}
