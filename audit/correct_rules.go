package audit

import (
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/petfriendly/recon/source"
	"github.com/petfriendly/recon/source/normalize"
)

// The rules of a correction, apart from the statements that carry them
// out (pg_corrections.go): what a request must say, which values may be
// emptied, and what one corrected field writes.

// checkRequest checks a correction request before anything is read: a
// known type, the changes, a reason, who and when, each field correctable
// and given once. It returns the request trimmed, its type and the field
// of each change.
func checkRequest(req CorrectRequest) (CorrectRequest, source.Type, []source.Field, error) {
	t, err := lookupType(req.Type)
	if err != nil {
		return req, t, nil, err
	}
	req.SourceID = strings.TrimSpace(req.SourceID)
	req.Reason, req.By = strings.TrimSpace(req.Reason), strings.TrimSpace(req.By)
	if len(req.Changes) == 0 {
		return req, t, nil, &Error{Code: CodeNoChanges}
	}
	if req.Reason == "" {
		return req, t, nil, &Error{Code: CodeEmptyReason}
	}
	if req.By == "" {
		return req, t, nil, &Error{Code: CodeEmptyBy}
	}
	if req.At.IsZero() {
		return req, t, nil, errors.New("correct: no time given")
	}
	fields := make([]source.Field, len(req.Changes))
	seen := map[string]bool{}
	for i, c := range req.Changes {
		f, err := resolveField(t, c.Field)
		if err != nil {
			return req, t, nil, err
		}
		if seen[f.Name] {
			return req, t, nil, &Error{Code: CodeDuplicateField, Field: f.Name}
		}
		seen[f.Name] = true
		fields[i] = f
	}
	return req, t, fields, nil
}

// refuseEmpty refuses to empty a field that identifies a person (a name,
// an e-mail) or has a word for "unknown" (a yes/no, the vocabularies).
func refuseEmpty(f source.Field, v source.Value) error {
	if !v.Valid && (f.Kind == source.KindName || f.Kind == source.KindEmail || f.Kind == source.KindBool ||
		f.Kind == source.KindSpecies || f.Kind == source.KindSex || f.Kind == source.KindStatus) {
		return &Error{Code: CodeEmptyValue, Field: f.Name}
	}
	return nil
}

// column describes the destination column of a field.
type column struct {
	name, sqlType string
	notNull       bool
	text          bool // text or varchar: emptied to '', as Django stores a blank CharField
}

// writeKind says where a corrected value goes.
type writeKind int

const (
	writeColumn writeKind = iota // the field's own column of the type's table, cast to its type
	writeEmail                   // the owner's account (accounts_user), unique among all accounts
	writeDate                    // the date part of a timestamp column, in Bogotá time
	writeTime                    // the time part of a timestamp column, in Bogotá time
)

// kindOf says where a field's corrected value goes.
func kindOf(f source.Field) writeKind {
	switch {
	case f.Kind == source.KindEmail && f.Table != "":
		return writeEmail
	case f.Within != "" && f.Kind == source.KindDate:
		return writeDate
	case f.Within != "":
		return writeTime
	}
	return writeColumn
}

// fieldWrite is what correcting one field writes to the destination row.
type fieldWrite struct {
	kind    writeKind
	table   string // the table written, as audited
	column  string // the column written, as audited
	sqlType string // writeColumn: the column's type, the value is cast to it
	value   any    // the canonical text; writeColumn: "" or nil when emptied
	// splitName: accounts_user keeps the owner's name split, as the
	// importer wrote it, in first and last.
	splitName   bool
	first, last string
	// consent: data_consent_at follows the consent, set to consentAt (nil:
	// kept) when given, cleared when withdrawn.
	consent   bool
	consentAt any
	// touch: updated_at is set to at (the type's table keeps the time of
	// its last change).
	touch bool
	at    time.Time
}

// planWrite decides what correcting field f of a row of type t to v writes
// at time at. col describes f's column, needed only for writeColumn
// (kindOf). It refuses to empty a date or time part, or a column that
// cannot be null and is not text.
func planWrite(t source.Type, f source.Field, v source.Value, col column, at time.Time) (fieldWrite, error) {
	empty := !v.Valid
	w := fieldWrite{kind: kindOf(f), table: t.Table, column: f.Column, value: v.Text}
	switch w.kind {
	case writeEmail:
		w.table = f.Table
		return w, nil
	case writeDate, writeTime:
		// The column holds both parts: one is replaced, the other kept.
		w.column = f.Within
		if empty {
			return w, &Error{Code: CodeEmptyValue, Field: f.Name}
		}
		return w, nil
	}
	w.sqlType = col.sqlType
	if empty {
		switch {
		case col.text:
			w.value = ""
		case col.notNull:
			return w, &Error{Code: CodeEmptyValue, Field: f.Name}
		default:
			w.value = nil
		}
	}
	switch {
	case hasComputed(t, f, "first_name"):
		w.splitName = true
		w.first, w.last = normalize.SplitName(v.Text)
	case hasComputed(t, f, "data_consent_at"):
		// When consent was given stays with the consent.
		w.consent = true
		if v.Bool && !v.Time.IsZero() {
			w.consentAt = v.Time
		}
	}
	if hasUpdatedAt(t) {
		w.touch, w.at = true, at
	}
	return w, nil
}

// emailHolder is another account that has an e-mail address.
type emailHolder struct {
	id    string // the owner's source id, else "#" and its row's id
	owner bool   // an owner; else a staff user (no owner profile)
	role  string // the account's role
}

// refusal is the refusal to give the holder's address to another owner.
func (h emailHolder) refusal(field, email string) error {
	if h.owner {
		return &Error{Code: CodeEmailTaken, Field: field, Value: email, Detail: h.id}
	}
	return &Error{Code: CodeEmailTakenByUser, Field: field, Value: email, Detail: h.role}
}

// hasComputed reports whether the import rules compute column from field f
// (a correction must rewrite it too).
func hasComputed(t source.Type, f source.Field, column string) bool {
	return slices.ContainsFunc(t.ComputedFrom(f.Name), func(c source.DestColumn) bool { return c.Name == column })
}

// hasUpdatedAt reports whether the type's table keeps the time of its last
// change (written by the importer as the batch's time).
func hasUpdatedAt(t source.Type) bool {
	return slices.ContainsFunc(t.Columns(t.Table), func(c source.DestColumn) bool { return c.Name == "updated_at" && c.Now })
}
