package reconcile

import (
	"time"

	"github.com/petfriendly/recon/source"
)

// The comparison of one imported row with its destination row: a pure
// function of the row, the destination and what the run read before the
// pass (corrections, the parents' ids). It reads nothing and keeps no
// count; the verifier's tally adds what it finds (applyRow).

// rowInput is an imported row and what it is compared with.
type rowInput struct {
	t source.Type
	// fields and parentCols are ComparedFields(t) and parentColumns(t).
	fields, parentCols []source.Field
	rec                source.Record
	dest               Dest
	// corrected holds the latest audited correction of each field.
	corrected map[CorrectionKey]Correction
	// parents maps, per referenced source type, source ids to target ids.
	parents map[string]map[string]int64
	// login: the type writes a login (accounts_user) verify compares.
	login bool
	// byID is true in a file other than the imported one.
	byID bool
	// buf holds the slices of the previous row's findings, reused.
	buf *rowFindings
}

// rowFindings is what comparing one row found, in the order reported.
type rowFindings struct {
	checks     []FieldCheck
	mismatches []Mismatch
	missing    []string // fields the destination row lacks
	findings   []Finding
	// links are the row's parent columns, in parentCols order.
	links []parentLink
	// changed is a difference in a file other than the imported one: a
	// change in OkVet since the import.
	changed bool
}

// parentLink is one parent column of a row: the source id the export
// names (ref), the row it maps to (want, when mapped) and the row the
// destination points at (got).
type parentLink struct {
	ref       string
	want, got int64
	mapped    bool
}

// compareRow compares an imported row with its destination row.
func compareRow(in rowInput) rowFindings {
	t, rec, d := in.t, in.rec, in.dest
	var out rowFindings
	if in.buf != nil {
		out.checks, out.links = in.buf.checks, in.buf.links
	}
	out.checks = compareRecord(t, in.fields, rec, d, out.checks)
	markCorrected(in.corrected, t, rec.SourceID, out.checks)
	out.findings = correctionsLost(in.corrected, t, rec.SourceID, d, out.checks)
	for _, c := range out.checks {
		if c.Missing && !c.Corrected {
			out.missing = append(out.missing, c.Field)
		}
		if c.Match || c.Explained || c.Corrected {
			continue
		}
		out.changed = in.byID
		out.mismatches = append(out.mismatches, Mismatch{Type: t.Name, SourceID: rec.SourceID, Field: c.Field,
			Source: c.Normalised, Destination: c.Destination})
	}
	if in.login {
		out.compareLogin(in)
	}
	out.links = out.links[:0]
	for _, f := range in.parentCols {
		l := parentLink{ref: rec.Values[f.Name].Text, got: d.Parents[f.Name]}
		l.want, l.mapped = in.parents[f.Ref][l.ref]
		out.links = append(out.links, l)
	}
	if in.buf != nil {
		in.buf.checks, in.buf.links = out.checks, out.links
	}
	return out
}

// compareLogin compares an owner's login with the one its name and e-mail
// make.
func (out *rowFindings) compareLogin(in rowInput) {
	t, rec, d := in.t, in.rec, in.dest
	name := canonical(rec, "nombre")
	if corr, ok := in.corrected[CorrectionKey{t.Name, rec.SourceID, "nombre"}]; ok {
		name = corr.New // a corrected name splits into the login's names too
	}
	for _, lc := range compareLogin(t, name, d) {
		out.mismatches = append(out.mismatches, Mismatch{Type: t.Name, SourceID: rec.SourceID, Field: loginPrefix + lc.column,
			Source: lc.want, Destination: lc.got})
		if escalated(lc) {
			out.findings = append(out.findings, Finding{Code: CodeLoginEscalated, Type: t.Name, SourceID: rec.SourceID,
				Table: "vet_clinic_ownerprofile", TargetID: d.Target, Blocks: true, Params: map[string]string{"column": lc.column}})
		}
	}
}

// correctionsLost finds the audited corrections of a row whose value
// the destination no longer holds: the latest correction of each field
// must still be there (a later one would be the latest), else something
// overwrote it unseen, an import that ran while it was made for one.
func correctionsLost(corrected map[CorrectionKey]Correction, t source.Type, id string, d Dest, checks []FieldCheck) []Finding {
	if len(corrected) == 0 {
		return nil
	}
	var out []Finding
	for _, c := range checks {
		corr, ok := corrected[CorrectionKey{t.Name, id, c.Field}]
		if !ok {
			continue
		}
		f, _ := t.Field(c.Field)
		if equalValues(f.Kind, corr.New, d.Fields[c.Field]) {
			continue
		}
		out = append(out, Finding{Code: CodeCorrectionLost, Type: t.Name, SourceID: id, Table: t.Table, TargetID: d.Target, Blocks: true,
			Params: map[string]string{"field": c.Field, "corrected": corr.New, "now": d.Fields[c.Field], "by": corr.By,
				"at": corr.At.UTC().Format(time.RFC3339)}})
	}
	return out
}

// markCorrected lets an audited correction explain a field's difference.
func markCorrected(corrected map[CorrectionKey]Correction, t source.Type, id string, checks []FieldCheck) {
	if len(corrected) == 0 {
		return
	}
	var latest map[string]Correction
	for _, c := range checks {
		if corr, ok := corrected[CorrectionKey{t.Name, id, c.Field}]; ok {
			if latest == nil {
				latest = map[string]Correction{}
			}
			latest[c.Field] = corr
		}
	}
	if latest != nil {
		MarkCorrected(t, checks, latest)
	}
}
