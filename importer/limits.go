package importer

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/source"
	"github.com/petfriendly/recon/source/normalize"
)

// A value too large for its destination column would make COPY fail and
// take the whole batch down with it; these checks turn it into a problem of
// the one row instead.

// decimalCol is a numeric(precision, scale) destination column fed by field.
type decimalCol struct {
	field            string
	precision, scale int
}

// fitsDecimal reports whether a canonical decimal fits numeric(p, s) once
// PostgreSQL rounds it to s places.
func fitsDecimal(s string, precision, scale int) bool {
	// Fast path for the canonical form ("-123.45"): fewer integer digits
	// than precision-scale always fit, whatever the rounding.
	if n, ok := integerDigits(s); ok && n < precision-scale {
		return true
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return true // not a number: the normaliser already said so
	}
	r.Abs(r)
	limit := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(precision-scale)), nil))
	half := new(big.Rat).SetFrac(big.NewInt(5), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale+1)), nil))
	return r.Cmp(limit.Sub(limit, half)) < 0
}

// integerDigits counts the digits before the point of a plain decimal
// ("-0012.50" has 2: leading zeros do not count); ok is false for anything
// else (exponents, spaces...), which takes the exact path.
func integerDigits(s string) (n int, ok bool) {
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	if intPart == "" && frac == "" {
		return 0, false
	}
	for i := 0; i < len(frac); i++ {
		if frac[i] < '0' || frac[i] > '9' {
			return 0, false
		}
	}
	for i := 0; i < len(intPart); i++ {
		c := intPart[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if n > 0 || c != '0' {
			n++
		}
	}
	return n, true
}

func maxDecimal(precision, scale int) string {
	return strings.Repeat("9", precision-scale) + "." + strings.Repeat("9", scale)
}

// checkAmounts applies one rule to every amount (money or quantity, Field.
// Amount) of the row, whatever its type: a value that cannot be stored
// exactly — too large for its column, in scientific notation, unreadable —
// rejects the row with one critical issue (out_of_range or invalid_amount;
// an amount is never stored empty); a negative amount is a warning and
// the row stays importable (credit notes, returns).
func checkAmounts(t source.Type, rec source.Record) (rejected Problem, bad bool, warnings []source.Issue) {
	for _, f := range t.Fields {
		if !f.Amount || normalize.IsBlank(rec.Raw[f.Name]) {
			continue
		}
		raw := rec.Raw[f.Name]
		precision, scale := f.Kind.Digits()
		v := text(rec, f.Name)
		if !valid(rec, f.Name) || v == "" {
			typ, why := "invalid_amount", i18n.T("no es un valor legible", "not a readable amount")
			if is, ok := fieldIssue(rec, f.Name); ok {
				why = i18n.Text{ES: is.In(i18n.ES), EN: is.Message}
				if is.Type == normalize.CodeOutOfRange || is.Type == normalize.CodePrecisionLost && hugeScientific(raw, precision, scale) {
					typ = "out_of_range"
				}
			}
			return Problem{typ, f.Name, raw, i18n.Text{
				ES: fmt.Sprintf("%s %q no se puede guardar exacto (%s); la fila no se importa", f.Name, raw, why.ES),
				EN: fmt.Sprintf("%s %q cannot be stored exactly (%s); the row is not imported", f.Name, raw, why.EN)}}, true, nil
		}
		fits := fitsDecimal(v, precision, scale)
		limit := maxDecimal(precision, scale)
		if precision == 0 {
			n, err := strconv.ParseInt(v, 10, 64)
			fits, limit = err == nil && n <= math.MaxInt32 && n >= math.MinInt32, strconv.Itoa(math.MaxInt32)
		}
		if !fits {
			return Problem{"out_of_range", f.Name, raw, i18n.T("%s %s está fuera de rango (el mayor permitido es %s); la fila no se importa",
				"%s %s is out of range (largest allowed %s); the row is not imported", f.Name, v, limit)}, true, nil
		}
		if strings.HasPrefix(v, "-") {
			warnings = append(warnings, source.Issue{Severity: Warning, Type: "negative_amount", Field: f.Name, Value: raw,
				Message:   fmt.Sprintf("%s is negative (%s): imported as written (a credit note or a return?)", f.Name, v),
				MessageES: fmt.Sprintf("%s es negativo (%s): se importa tal cual (¿una nota crédito o una devolución?)", f.Name, v)})
		}
	}
	return Problem{}, false, warnings
}

// fieldIssue is the normaliser's issue about one field, if any.
func fieldIssue(rec source.Record, field string) (source.Issue, bool) {
	for _, is := range rec.Issues {
		if is.Field == field {
			return is, true
		}
	}
	return source.Issue{}, false
}

// hugeScientific reports an amount in scientific notation ("1e23",
// "9,85E+14") whose magnitude would not fit numeric(precision, scale)
// (an int4 column when precision is 0).
func hugeScientific(raw string, precision, scale int) bool {
	s := strings.ReplaceAll(normalize.Clean(raw), ",", ".")
	f, ok := new(big.Float).SetString(strings.TrimLeft(s, "$ "))
	if !ok {
		return false
	}
	limit := new(big.Float).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(precision-scale)), nil))
	if precision == 0 {
		limit = new(big.Float).SetInt64(math.MaxInt32)
	}
	return f.Abs(f).Cmp(limit) >= 0
}

// boundedDecimal stores a value that does not fit as empty, with a warning:
// for measurements, where losing the row would be worse.
func boundedDecimal(rec source.Record, o *outcome, field string, kind source.Kind) optionalNumeric {
	precision, scale := kind.Digits()
	c := decimalCol{field, precision, scale}
	if v := text(rec, c.field); valid(rec, c.field) && v != "" && !fitsDecimal(v, c.precision, c.scale) {
		o.add(Warning, "out_of_range", c.field, rec.Raw[c.field], i18n.T("%s %s está fuera de rango (el mayor permitido es %s); se guarda vacío",
			"%s %s is out of range (largest allowed %s); stored empty", c.field, v, maxDecimal(c.precision, c.scale)))
		return noNumeric()
	}
	return numeric(rec, c.field)
}

// boundedInt4 is integer() for an integer (int4) column.
func boundedInt4(rec source.Record, o *outcome, field string) optionalInt {
	n := integer(rec, field)
	if n.Valid && (n.Int64 > math.MaxInt32 || n.Int64 < math.MinInt32) {
		o.add(Warning, "out_of_range", field, rec.Raw[field], i18n.T("%s %d está fuera de rango; se guarda vacío", "%s %d is out of range; stored empty", field, n.Int64))
		return noID()
	}
	return n
}

// scrubNUL replaces NUL characters, which PostgreSQL text and jsonb cannot
// hold, in what the tracking tables keep of a row (destination values are
// cleaned by the normaliser).
func scrubNUL(rec *source.Record) {
	if strings.IndexByte(rec.RawText, 0) >= 0 {
		rec.RawText = strings.ReplaceAll(rec.RawText, "\x00", "\uFFFD")
	}
	for k, v := range rec.Raw {
		if strings.IndexByte(v, 0) >= 0 {
			rec.Raw[k] = strings.ReplaceAll(v, "\x00", "\uFFFD")
		}
	}
}

func noNUL(s string) string {
	if strings.IndexByte(s, 0) < 0 {
		return s
	}
	return strings.ReplaceAll(s, "\x00", "\uFFFD")
}
