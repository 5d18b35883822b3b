package importer

import (
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
