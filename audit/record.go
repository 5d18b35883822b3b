package audit

import (
	"context"
	"fmt"
	"time"

	"github.com/petfriendly/recon/reconcile"
	"github.com/petfriendly/recon/source"
)

// Field statuses of a FieldView.
const (
	FieldMatch     = "match"     // the destination holds the normalised source value
	FieldDiffers   = "differs"   // a difference nothing explains: verify reports it
	FieldExplained = "explained" // the importer recorded an issue and stored the value empty, raw or default
	FieldCorrected = "corrected" // an audited correction set the destination value
	FieldNoDest    = "no_destination"
)

// RecordView is one source row and its destination row side by side.
type RecordView struct {
	Type        string                 `json:"type"` // source.Type name
	SourceID    string                 `json:"source_id"`
	Label       string                 `json:"label"` // a name or a date to recognise the row by
	Focus       bool                   `json:"focus,omitempty"`
	Source      *SourceRow             `json:"source"`      // nil: recon has no record of the row
	Destination *DestRow               `json:"destination"` // nil: not migrated
	Fields      []FieldView            `json:"fields"`
	Corrections []reconcile.Correction `json:"corrections"`
	Issues      []Issue                `json:"issues"`
	Children    []RecordView           `json:"children,omitempty"`
}

// SourceRow is the row as read at import (migration_migrationrecord).
type SourceRow struct {
	RecordID int64             `json:"record_id"`
	BatchID  int64             `json:"batch_id"`
	File     string            `json:"file"`
	Line     int               `json:"line"`
	RawLine  string            `json:"raw_line"`
	Raw      map[string]string `json:"raw_data"` // source_data
	Status   string            `json:"status"`   // imported, duplicate, error, skipped, updated, unchanged
	Reason   string            `json:"reason"`
}

// DestRow is where the mapping points.
type DestRow struct {
	Table  string `json:"table"`
	ID     int64  `json:"id"`
	Merged bool   `json:"merged"` // a duplicate: the row is its survivor's
	Exists bool   `json:"exists"`
}

// FieldView is one field: as read, normalised and in the destination.
type FieldView struct {
	Field       string `json:"field"`
	Column      string `json:"column"`
	Raw         string `json:"raw"`
	Normalised  string `json:"normalised"`
	Destination string `json:"destination"`
	Status      string `json:"status"`
}

// ViewOptions say how source rows are normalised again for display.
type ViewOptions struct {
	Mapping *source.Mapping // the mapping file used at import, for vocabularies
}

// readSource returns the migration record of a row: recordID when given,
// else the latest of completed, real batches.
func readSource(ctx context.Context, db DB, t source.Type, id string, recordID int64) (*SourceRow, error) {
	s, found, err := readSourceRecord(ctx, db, t.SourceType, id, recordID)
	if err != nil || !found {
		return nil, err
	}
	if s.Raw == nil {
		s.Raw = map[string]string{}
	}
	if s.RawLine == "" { // not stored when source_data rebuilds it
		s.RawLine = source.RebuildLine(t, s.Raw)
	}
	return &s, nil
}

// View builds the side-by-side view of one row. recordID picks the
// migration record (an issue's); 0 takes the latest.
func View(ctx context.Context, db DB, typ, id string, recordID int64, opts ViewOptions) (RecordView, error) {
	t, err := lookupType(typ)
	if err != nil {
		return RecordView{}, err
	}
	return view(ctx, db, t, id, recordID, opts)
}

func view(ctx context.Context, db DB, t source.Type, id string, recordID int64, opts ViewOptions) (RecordView, error) {
	v := RecordView{Type: t.Name, SourceID: id, Fields: []FieldView{}, Issues: []Issue{}}
	src, err := readSource(ctx, db, t, id, recordID)
	if err != nil {
		return v, err
	}
	v.Source = src
	dst := destinationsOf(db)
	dests, err := dst.Dest(ctx, t, []string{id})
	if err != nil {
		return v, err
	}
	d, mapped := dests[id]
	if mapped {
		v.Destination = &DestRow{Table: t.Table, ID: d.Target, Merged: d.Merged, Exists: d.Exists}
	}
	if v.Corrections, err = dst.Corrections(ctx, t.SourceType, id); err != nil {
		return v, err
	}
	if v.Issues, _, err = ListIssues(ctx, db, IssueFilter{Type: t.SourceType, SourceID: id}); err != nil {
		return v, err
	}
	rec := source.Record{Type: t.Name, SourceID: id, Raw: map[string]string{}}
	if src != nil {
		rec.Raw = src.Raw
		// The zero time skips the future-date check: that is the importer's
		// call, recorded as an issue already.
		rec.Values, rec.Issues = source.Normalize(t, src.Raw, opts.Mapping, time.Time{})
	}
	v.Label = label(t, rec, d)
	if err := v.addRefFields(ctx, db, t, rec, d, mapped); err != nil {
		return v, err
	}
	checks := reconcile.CompareRecord(t, rec, d)
	latest := map[string]reconcile.Correction{}
	for _, c := range v.Corrections {
		latest[c.Field] = c
	}
	reconcile.MarkCorrected(t, checks, latest)
	for _, c := range checks {
		f, _ := t.Field(c.Field)
		fv := FieldView{Field: c.Field, Column: f.Column, Raw: c.Raw, Normalised: c.Normalised, Destination: c.Destination}
		switch {
		case !mapped || !d.Exists:
			fv.Status = FieldNoDest
		case c.Corrected:
			fv.Status = FieldCorrected
		case c.Match:
			fv.Status = FieldMatch
		case c.Explained:
			fv.Status = FieldExplained
		default:
			fv.Status = FieldDiffers
		}
		if f.Within != "" {
			fv.Column = f.Within
		}
		v.Fields = append(v.Fields, fv)
	}
	return v, nil
}

// addRefFields shows each reference as the source names it and as the
// destination row's parent, both as source ids.
func (v *RecordView) addRefFields(ctx context.Context, db DB, t source.Type, rec source.Record, d reconcile.Dest, mapped bool) error {
	for _, f := range t.Fields {
		if f.Kind != source.KindRef || f.Column == "" {
			continue
		}
		fv := FieldView{Field: f.Name, Column: f.Column, Raw: rec.Raw[f.Name], Normalised: rec.Values[f.Name].Text, Status: FieldNoDest}
		if mapped && d.Exists {
			parent, err := sourceIDOf(ctx, db, f.Ref, d.Parents[f.Name])
			if err != nil {
				return err
			}
			fv.Destination = parent
			// Compare rows, not ids: a reference to a merged duplicate
			// (C4) rightly points at its survivor's row (C1).
			want, err := targetOf(ctx, db, f.Ref, fv.Normalised)
			if err != nil {
				return err
			}
			fv.Status = FieldMatch
			if want != d.Parents[f.Name] {
				fv.Status = FieldDiffers
			}
		}
		v.Fields = append(v.Fields, fv)
	}
	return nil
}

// sourceIDOf names a destination row by the source id mapped to it (not
// merged), by "#id" when recon did not create it, "" for no row.
func sourceIDOf(ctx context.Context, db DB, sourceType string, target int64) (string, error) {
	if target == 0 {
		return "", nil
	}
	id, found, err := mappedSourceID(ctx, db, sourceType, target)
	if err != nil {
		return "", err
	}
	if !found {
		return fmt.Sprintf("#%d", target), nil // a row recon did not create, e.g. the placeholder owner
	}
	return id, nil
}

// label picks the text a clinic recognises a row by.
func label(t source.Type, rec source.Record, d reconcile.Dest) string {
	pick := func(fields ...string) string {
		for _, f := range fields {
			if s := d.Fields[f]; s != "" {
				return s
			}
			if s := rec.Values[f].Text; s != "" {
				return s
			}
			if s := rec.Raw[f]; s != "" {
				return s
			}
		}
		return ""
	}
	parts := make([]string, len(t.Title))
	for i, f := range t.Title {
		parts[i] = pick(f)
	}
	return joinNonEmpty(parts...)
}

func joinNonEmpty(parts ...string) string {
	out := ""
	for _, p := range parts {
		if p == "" {
			continue
		}
		if out != "" {
			out += " · "
		}
		out += p
	}
	return out
}
