package reconcile

import (
	"math/big"
	"strings"

	"github.com/petfriendly/recon/source"
	"github.com/petfriendly/recon/source/normalize"
)

// Dest is one destination row as the verifier reads it: every compared
// field in canonical text, keyed by the source field name, plus the target
// ids its reference fields point at.
type Dest struct {
	SourceID string
	Target   int64
	Merged   bool // the mapping points at a surviving duplicate
	Exists   bool // the target row is still in its table
	Fields   map[string]string
	Parents  map[string]int64 // reference field -> target id stored in the row
}

// FieldCheck is the comparison of one field.
type FieldCheck struct {
	Field       string
	Raw         string
	Normalised  string
	Destination string
	Match       bool
	// Explained means the values differ because the importer was told to
	// change them (an invalid or suspicious value recorded as an issue).
	Explained bool
	// Missing means the source had a value and the destination has none.
	Missing bool
	// Corrected means the values differ because an operator corrected the
	// destination field, audited in migration_correction.
	Corrected bool
}

// fieldDefaults are what the importer stores when the source is empty.
func fieldDefault(k source.Kind) string {
	switch k {
	case source.KindSpecies:
		return "other"
	case source.KindSex:
		return "unknown"
	case source.KindBool:
		return "false"
	}
	return ""
}

// ComparedFields lists the fields of a type that reach a destination column
// and are compared value by value (references are checked as chains).
func ComparedFields(t source.Type) []source.Field {
	var out []source.Field
	for _, f := range t.Fields {
		if f.Column == "" || f.Kind == source.KindRef || f.Kind == source.KindID || f.Kind == source.KindPath {
			continue
		}
		out = append(out, f)
	}
	// A part stored within another field's column (an appointment's hora)
	// has no column of its own; it comes last.
	for _, f := range t.Fields {
		if f.Column == "" && f.Within != "" {
			out = append(out, f)
		}
	}
	return out
}

// CompareRecord compares every compared field of a source record with its
// destination row. It is pure: the same inputs give the same checks.
func CompareRecord(t source.Type, rec source.Record, d Dest) []FieldCheck {
	return compareRecord(t, ComparedFields(t), rec, d, nil)
}

// compareRecord is CompareRecord with the type's compared fields worked
// out once by the caller (the verifier compares millions of rows), the
// checks appended to out[:0] (a buffer the caller reuses, or nil).
func compareRecord(t source.Type, fields []source.Field, rec source.Record, d Dest, out []FieldCheck) []FieldCheck {
	out = out[:0]
	for _, f := range fields {
		v := rec.Values[f.Name]
		c := FieldCheck{Field: f.Name, Raw: rec.Raw[f.Name], Destination: d.Fields[f.Name]}
		if v.Valid {
			c.Normalised = v.Text
		}
		c.Match = equalValues(f.Kind, c.Normalised, c.Destination)
		if !c.Match && c.Normalised == "" {
			c.Match = equalValues(f.Kind, fieldDefault(f.Kind), c.Destination)
		}
		if !c.Match {
			c.Match = specialMatch(t, f, rec, c)
		}
		c.Missing = c.Normalised != "" && c.Destination == ""
		if !c.Match && (flagged(rec.Issues, f.Name) || !v.Valid && !blank(c.Raw)) {
			// An invalid or suspicious value the importer recorded as an
			// issue: it stored it empty, as raw text, or as the default.
			c.Explained = c.Destination == "" || c.Destination == normalize.Clean(c.Raw) ||
				c.Destination == fieldDefault(f.Kind)
		}
		out = append(out, c)
	}
	return out
}

// flagged reports a warning or critical issue about the field.
func flagged(issues []source.Issue, field string) bool {
	for _, is := range issues {
		if is.Field == field && is.Field != "" && is.Severity != "info" {
			return true
		}
	}
	return false
}

// MarkCorrected marks as corrected each differing check whose latest
// audited correction (keyed by field) set exactly the value the destination
// holds now; a later change of the row is not covered by it.
func MarkCorrected(t source.Type, checks []FieldCheck, latest map[string]Correction) {
	for i := range checks {
		c := &checks[i]
		corr, ok := latest[c.Field]
		if !ok || c.Match {
			continue
		}
		f, _ := t.Field(c.Field)
		c.Corrected = equalValues(f.Kind, corr.New, c.Destination)
	}
}

// specialMatch covers values the importer fills in by rule.
func specialMatch(t source.Type, f source.Field, rec source.Record, c FieldCheck) bool {
	switch {
	case f.Kind == source.KindEmail && c.Normalised == "":
		return strings.HasSuffix(c.Destination, "@placeholder.local")
	case f.Kind == source.KindStatus && f.Default != "":
		// Unknown statuses are kept as written.
		return c.Normalised == "" && (c.Destination == f.Default || c.Destination == normalize.Clean(c.Raw))
	case f.Default != "" && c.Normalised == "":
		return c.Destination == f.Default
	}
	return false
}

func blank(s string) bool { return normalize.IsBlank(s) }

// equalValues compares canonical texts; numbers compare by value so that
// "12.5" equals "12.500" stored in a numeric(8,3) column.
func equalValues(k source.Kind, a, b string) bool {
	if a == b {
		return true
	}
	switch k {
	case source.KindMoney, source.KindDecimal, source.KindWeight, source.KindInt:
		if a == "" || b == "" {
			return false
		}
		// Plain decimals ("12.5", "12.500", "-0.0") compare by their
		// canonical digits, without big.Rat's allocations; anything else
		// (exponents, fractions) takes the exact path below.
		if ca, ok := canonicalDecimal(a); ok {
			if cb, ok := canonicalDecimal(b); ok {
				return ca == cb
			}
		}
		x, ok1 := new(big.Rat).SetString(a)
		y, ok2 := new(big.Rat).SetString(b)
		return ok1 && ok2 && x.Cmp(y) == 0
	}
	return false
}

// canonicalDecimal rewrites a plain decimal ([-+]digits[.digits]) without
// leading zeros, trailing fractional zeros or the sign of zero, so that two
// such strings are equal exactly when their values are; ok is false for
// any other form.
func canonicalDecimal(s string) (string, bool) {
	neg := false
	switch {
	case strings.HasPrefix(s, "-"):
		neg, s = true, s[1:]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	intPart, frac, dot := strings.Cut(s, ".")
	if intPart == "" && (!dot || frac == "") {
		return "", false
	}
	for _, part := range []string{intPart, frac} {
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return "", false
			}
		}
	}
	intPart = strings.TrimLeft(intPart, "0")
	frac = strings.TrimRight(frac, "0")
	if intPart == "" && frac == "" {
		return "0", true
	}
	out := intPart
	if out == "" {
		out = "0"
	}
	if frac != "" {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out, true
}
