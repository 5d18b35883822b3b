package audit

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/petfriendly/recon/reconcile"
	"github.com/petfriendly/recon/source"
	"github.com/petfriendly/recon/source/normalize"
)

// Change is one field to set: the canonical source field name (nombre) or
// its destination column (name), and the value as the operator types it.
type Change struct {
	Field string
	Value string
}

// CorrectRequest is one audited manual edit of a destination row.
type CorrectRequest struct {
	Type     string // any name of a type: "pet", "pets"
	SourceID string
	Changes  []Change
	Reason   string
	By       string
	At       time.Time
	IssueID  int64           // the issue that prompted it, if any
	Mapping  *source.Mapping // vocabularies (species, sex, status words) used at import
}

// Applied is one correction written, with its audit row id.
type Applied struct {
	reconcile.Correction
	ID     int64  `json:"id"`
	Column string `json:"column"`
	Table  string `json:"table"`
	Target int64  `json:"target_id"`
}

// CorrectableFields lists the fields of a type an operator may correct:
// those verify compares (not ids, references or file paths).
func CorrectableFields(typ string) ([]source.Field, error) {
	t, err := lookupType(typ)
	if err != nil {
		return nil, err
	}
	return reconcile.ComparedFields(t), nil
}

// resolveField finds a correctable field by canonical name or column.
func resolveField(t source.Type, name string) (source.Field, error) {
	name = strings.TrimSpace(name)
	fields := reconcile.ComparedFields(t)
	for _, f := range fields {
		if f.Name == name {
			return f, nil
		}
	}
	for _, f := range fields {
		if f.Column != "" && f.Column == name {
			return f, nil
		}
	}
	for _, f := range t.Fields {
		if f.Name == name || f.Column != "" && f.Column == name {
			return f, &Error{Code: CodeNotCorrectable, Type: t.SourceType, Field: name}
		}
	}
	names := make([]string, 0, len(fields))
	for _, f := range fields {
		names = append(names, f.Name)
	}
	return source.Field{}, &Error{Code: CodeUnknownField, Type: t.SourceType, Field: name, Detail: strings.Join(names, ", ")}
}

// Correct applies the changes to the row mapped to the source id, in one
// transaction: each value goes through the importer's normaliser for its
// field, is written, read back in verify's canonical form and audited in
// migration_correction. Nothing is written when any change is refused.
func Correct(ctx context.Context, db DB, req CorrectRequest) ([]Applied, error) {
	req, t, fields, err := checkRequest(req)
	if err != nil {
		return nil, err
	}
	var out []Applied
	err = inTransaction(ctx, db, func(tx DB) error {
		// The import lock, for this transaction: a correction and an import
		// (or rollback) never interleave, so neither overwrites the other
		// unseen; an import waiting for it starts after the commit and keeps
		// the corrected value (correction_kept).
		who, busy, err := lockImports(ctx, tx, db)
		if err != nil {
			return err
		}
		if busy {
			return &Error{Code: CodeImportRunning, Detail: who}
		}
		if req.IssueID != 0 {
			if _, err := GetIssue(ctx, tx, req.IssueID); err != nil {
				return err
			}
		}
		c := corrector{tx: tx, t: t, req: req}
		if err := c.load(ctx); err != nil {
			return err
		}
		for i, ch := range req.Changes {
			a, err := c.apply(ctx, fields[i], ch.Value)
			if err != nil {
				return err
			}
			out = append(out, a)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

type corrector struct {
	tx   DB // the correction's transaction
	t    source.Type
	req  CorrectRequest
	dest reconcile.Dest
}

// load finds and locks the destination row.
func (c *corrector) load(ctx context.Context) error {
	target, merged, found, err := readMapping(ctx, c.tx, c.t.SourceType, c.req.SourceID)
	if err == nil && !found || c.req.SourceID == "" {
		return &Error{Code: CodeUnknownID, Type: c.t.SourceType, SourceID: c.req.SourceID}
	}
	if err != nil {
		return err
	}
	if merged {
		survivor, err := sourceIDOf(ctx, c.tx, c.t.SourceType, target)
		if err != nil {
			return err
		}
		return &Error{Code: CodeMerged, Type: c.t.SourceType, SourceID: c.req.SourceID, Detail: survivor}
	}
	// Lock the row so a concurrent edit or re-import cannot slip between
	// the old value read here and the audit row.
	exists, err := lockRow(ctx, c.tx, c.t.Table, target)
	if err != nil {
		return err
	}
	if !exists {
		return &Error{Code: CodeRowMissing, Type: c.t.SourceType, SourceID: c.req.SourceID}
	}
	return c.reload(ctx)
}

// reload reads the row back in verify's canonical form.
func (c *corrector) reload(ctx context.Context) error {
	dests, err := destinationsOf(c.tx).Dest(ctx, c.t, []string{c.req.SourceID})
	if err != nil {
		return err
	}
	d, ok := dests[c.req.SourceID]
	if !ok || !d.Exists {
		return &Error{Code: CodeRowMissing, Type: c.t.SourceType, SourceID: c.req.SourceID}
	}
	c.dest = d
	return nil
}

// normalise runs the value through the importer's normaliser. It returns
// the canonical value; an empty Value means the operator clears the field.
func (c *corrector) normalise(f source.Field, input string) (source.Value, error) {
	raw := map[string]string{f.Name: input}
	if f.Kind == source.KindDocument {
		// The document number is read for its type, as at import.
		for _, g := range c.t.Fields {
			if g.Kind == source.KindDocType {
				raw[g.Name] = c.dest.Fields[g.Name]
			}
		}
	}
	vals, issues := source.Normalize(c.t, raw, c.req.Mapping, c.req.At)
	for _, is := range issues {
		if is.Field == f.Name && is.Severity != source.SevInfo {
			return source.Value{}, &Error{Code: CodeInvalidValue, Type: c.t.SourceType, SourceID: c.req.SourceID,
				Field: f.Name, Value: input, Detail: is.Message}
		}
	}
	v := vals[f.Name]
	if !v.Valid && !normalize.IsBlank(input) && !normalize.Placeholder(input) {
		return source.Value{}, &Error{Code: CodeInvalidValue, Type: c.t.SourceType, SourceID: c.req.SourceID,
			Field: f.Name, Value: input, Detail: "not a value of kind " + string(f.Kind)}
	}
	return v, nil
}

// apply corrects one field: normalised, written, read back, audited.
func (c *corrector) apply(ctx context.Context, f source.Field, input string) (Applied, error) {
	v, err := c.normalise(f, input)
	if err != nil {
		return Applied{}, err
	}
	old := c.dest.Fields[f.Name]
	a := Applied{Table: c.t.Table, Target: c.dest.Target, Column: f.Column,
		Correction: reconcile.Correction{Type: c.t.Name, SourceID: c.req.SourceID, Field: f.Name, Old: old,
			By: c.req.By, At: c.req.At.UTC().Truncate(time.Microsecond), Reason: c.req.Reason}}
	if err := refuseEmpty(f, v); err != nil {
		return a, err
	}
	if err := c.write(ctx, f, v, &a); err != nil {
		return a, err
	}
	if err := c.reload(ctx); err != nil {
		return a, err
	}
	a.New = c.dest.Fields[f.Name]
	if a.New == old {
		return a, &Error{Code: CodeUnchanged, Type: c.t.SourceType, SourceID: c.req.SourceID, Field: f.Name, Value: old}
	}
	a.ID, err = insertCorrection(ctx, c.tx, correctionRow{sourceType: c.t.SourceType, sourceID: c.req.SourceID, field: f.Name,
		targetModel: c.t.Table, targetID: c.dest.Target, column: a.Column, old: old, new: a.New, input: input,
		reason: c.req.Reason, by: c.req.By, at: a.At, issueID: c.req.IssueID})
	return a, err
}

// write stores the canonical value in the destination row, as planWrite
// decides; an e-mail another account has is refused.
func (c *corrector) write(ctx context.Context, f source.Field, v source.Value, a *Applied) error {
	var col column
	if kindOf(f) == writeColumn {
		var err error
		if col, err = describeColumn(ctx, c.tx, c.t.Table, f.Column); err != nil {
			return err
		}
	}
	w, err := planWrite(c.t, f, v, col, c.req.At)
	if err != nil {
		return err
	}
	a.Table, a.Column = w.table, w.column
	if w.kind == writeEmail {
		h, taken, err := findEmailHolder(ctx, c.tx, v.Text, c.dest.Target)
		if err != nil {
			return err
		}
		if taken {
			return h.refusal(f.Name, v.Text)
		}
	}
	if err := writeField(ctx, c.tx, c.dest.Target, w); err != nil {
		return fmt.Errorf("correct %s %s %s: %w", c.t.SourceType, c.req.SourceID, f.Name, err)
	}
	return nil
}
