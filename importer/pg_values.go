package importer

import (
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/petfriendly/recon/source"
)

// A record's values in the types pgx writes: date, timestamp, numeric and
// integer read a field (invalid or empty is NULL); the rules use only these
// functions and the aliases below, never pgx's types themselves.

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

// noID, someID, noDate, noTime and timeOf spell the typed values the rules
// write, so that the rules need not know pgx's types.
func noID() pgtype.Int8 { return pgtype.Int8{} }

func someID(id int64) pgtype.Int8 { return pgtype.Int8{Int64: id, Valid: true} }

func noDate() pgtype.Date { return pgtype.Date{} }

func noTime() pgtype.Timestamptz { return pgtype.Timestamptz{} }

func timeOf(t time.Time) pgtype.Timestamptz { return pgtype.Timestamptz{Time: t, Valid: true} }

// optionalInt and optionalNumeric are the nullable integer and decimal
// values the rules and limits pass on to the COPY.
type (
	optionalInt     = pgtype.Int8
	optionalNumeric = pgtype.Numeric
)

func noNumeric() pgtype.Numeric { return pgtype.Numeric{} }
