package importer

import (
	"fmt"
	"math"
	"math/big"
	"strings"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/petfriendly/recon/source"
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

// tooLarge rejects a row whose amount does not fit (money is never dropped
// silently).
func tooLarge(rec source.Record, cols ...decimalCol) (outcome, bool) {
	for _, c := range cols {
		if v := text(rec, c.field); valid(rec, c.field) && v != "" && !fitsDecimal(v, c.precision, c.scale) {
			return reject("out_of_range", c.field, rec.Raw[c.field], fmt.Sprintf("%s %s is out of range (largest allowed %s)",
				c.field, v, maxDecimal(c.precision, c.scale))), true
		}
	}
	return outcome{}, false
}

// boundedDecimal stores a value that does not fit as empty, with a warning:
// for measurements, where losing the row would be worse.
func boundedDecimal(rec source.Record, o *outcome, c decimalCol) pgtype.Numeric {
	if v := text(rec, c.field); valid(rec, c.field) && v != "" && !fitsDecimal(v, c.precision, c.scale) {
		o.add(Warning, "out_of_range", c.field, rec.Raw[c.field], fmt.Sprintf("%s %s is out of range (largest allowed %s); stored empty",
			c.field, v, maxDecimal(c.precision, c.scale)))
		return pgtype.Numeric{}
	}
	return numeric(rec, c.field)
}

// boundedInt4 is integer() for an integer (int4) column.
func boundedInt4(rec source.Record, o *outcome, field string) pgtype.Int8 {
	n := integer(rec, field)
	if n.Valid && (n.Int64 > math.MaxInt32 || n.Int64 < math.MinInt32) {
		o.add(Warning, "out_of_range", field, rec.Raw[field], fmt.Sprintf("%s %d is out of range; stored empty", field, n.Int64))
		return pgtype.Int8{}
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
