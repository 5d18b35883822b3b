package importer

import (
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/petfriendly/recon/source"
	"github.com/petfriendly/recon/source/normalize"
)

// Typed accessors turn a record's canonical values into COPY values.

func text(rec source.Record, field string) string {
	if v, ok := rec.Values[field]; ok && v.Valid {
		return v.Text
	}
	return ""
}

// textOrRaw keeps the cleaned raw text when a value could not be normalised
// (an unusable phone), so the history is not lost.
func textOrRaw(rec source.Record, field string) string {
	if s := text(rec, field); s != "" {
		return s
	}
	return normalize.Clean(rec.Raw[field])
}

func valid(rec source.Record, field string) bool {
	v, ok := rec.Values[field]
	return ok && v.Valid
}

func rawBlank(rec source.Record, field string) bool {
	return normalize.IsBlank(rec.Raw[field])
}

func date(rec source.Record, field string) pgtype.Date {
	v, ok := rec.Values[field]
	if !ok || !v.Valid || v.Time.IsZero() {
		return pgtype.Date{}
	}
	return pgtype.Date{Time: time.Date(v.Time.Year(), v.Time.Month(), v.Time.Day(), 0, 0, 0, 0, time.UTC), Valid: true}
}

func timestamp(rec source.Record, field string) pgtype.Timestamptz {
	v, ok := rec.Values[field]
	if !ok || !v.Valid || v.Time.IsZero() {
		return pgtype.Timestamptz{}
	}
	return pgtype.Timestamptz{Time: v.Time, Valid: true}
}

func numeric(rec source.Record, field string) pgtype.Numeric {
	v, ok := rec.Values[field]
	if !ok || !v.Valid || v.Text == "" {
		return pgtype.Numeric{}
	}
	var n pgtype.Numeric
	if err := n.Scan(v.Text); err != nil {
		return pgtype.Numeric{}
	}
	return n
}

func integer(rec source.Record, field string) pgtype.Int8 {
	v, ok := rec.Values[field]
	if !ok || !v.Valid || v.Text == "" {
		return pgtype.Int8{}
	}
	var n pgtype.Int8
	if err := n.Scan(v.Text); err != nil {
		return pgtype.Int8{}
	}
	return n
}

func boolean(rec source.Record, field string) bool {
	v, ok := rec.Values[field]
	return ok && v.Valid && v.Bool
}

// hasIssue reports whether the record already carries an issue of the type
// (the normaliser's or Check's), so a rule does not raise it twice.
func hasIssue(rec source.Record, typ string) bool {
	for _, is := range rec.Issues {
		if is.Type == typ {
			return true
		}
	}
	return false
}

// noID, someID, noDate, noTime and timeOf spell the typed values the rules
// write, so that the rules need not know pgx's types.
func noID() pgtype.Int8 { return pgtype.Int8{} }

func someID(id int64) pgtype.Int8 { return pgtype.Int8{Int64: id, Valid: true} }

func noDate() pgtype.Date { return pgtype.Date{} }

func noTime() pgtype.Timestamptz { return pgtype.Timestamptz{} }

func timeOf(t time.Time) pgtype.Timestamptz { return pgtype.Timestamptz{Time: t, Valid: true} }
