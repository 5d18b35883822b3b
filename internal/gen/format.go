package gen

import (
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// valKind says how a value is rendered in each variant.
type valKind uint8

const (
	kText   valKind = iota // written as-is (invalid dates, phones, codes... are text)
	kInt                   // plain integer
	kMoney                 // integer pesos
	kDate                  // a valid calendar date
	kWeight                // tenths of a kilogram
	kDec                   // hundredths (quantities)
)

// val is one cell before formatting. The style st is drawn from the random
// stream by the generator in every variant, so the data (and expected.json)
// is the same for all variants: only the rendering differs.
type val struct {
	k  valKind
	st uint8
	s  string
	n  int64
	t  time.Time
}

func txt(s string) val                  { return val{k: kText, s: s} }
func num(n int64) val                   { return val{k: kInt, n: n} }
func money(n int64, st uint8) val       { return val{k: kMoney, n: n, st: st} }
func date(t time.Time, st uint8) val    { return val{k: kDate, t: t, st: st} }
func weight(tenths int64, st uint8) val { return val{k: kWeight, n: tenths, st: st} }
func dec2(hundredths int64) val         { return val{k: kDec, n: hundredths} }

// Styles (st) by kind, drawn uniformly from 0..3 by the generator:
//
//	kDate:   utf8: 0-2 ISO, 3 dd/mm/yyyy; excel-es: dd/mm/yyyy; xlsx: 0-1 date cell, 2 text dd/mm/yyyy, 3 text ISO
//	kMoney:  utf8: 0-2 "120000", 3 "$ 120.000"; excel-es: 0-2 "$ 120.000", 3 "120000"; xlsx: number
//	kWeight: 0 decimal in the variant's separator (xlsx number), 1 "12,5", 2 "12.5 Kilogramos", 3 "800 g"
const numStyles = 4

// csvString renders v for a CSV variant.
func (v val) csvString(variant string) string {
	es := variant == VariantExcelES
	switch v.k {
	case kText:
		if es && strings.IndexRune(v.s, '\u202a') >= 0 {
			// Excel's Windows-1252 save cannot keep U+202A; we drop it.
			return strings.ReplaceAll(v.s, "\u202a", "")
		}
		return v.s
	case kInt:
		return strconv.FormatInt(v.n, 10)
	case kMoney:
		dollar := v.st == 3
		if es {
			dollar = !dollar
		}
		if dollar {
			return "$ " + groupThousands(v.n)
		}
		return strconv.FormatInt(v.n, 10)
	case kDate:
		if es || v.st == 3 {
			return dmy(v.t)
		}
		return v.t.Format(time.DateOnly)
	case kWeight:
		return weightString(v.n, v.st, es)
	case kDec:
		return decString(v.n, 100, decSep(es))
	}
	return v.s
}

// xlsxValue renders v for the xlsx variant: numbers as numeric cells, some
// dates as real date cells, the rest as text. Empty text is no cell at all.
func (v val) xlsxValue(dateStyle int) any {
	switch v.k {
	case kText:
		if v.s == "" {
			return nil
		}
		return v.s
	case kInt, kMoney:
		return v.n
	case kDate:
		switch v.st {
		case 0, 1:
			return excelize.Cell{StyleID: dateStyle, Value: v.t}
		case 2:
			return dmy(v.t)
		default:
			return v.t.Format(time.DateOnly)
		}
	case kWeight:
		if v.st == 0 {
			return float64(v.n) / 10
		}
		return weightString(v.n, v.st, false)
	case kDec:
		return float64(v.n) / 100
	}
	return v.s
}

func decSep(comma bool) byte {
	if comma {
		return ','
	}
	return '.'
}

// weightString renders tenths of kg in style st (see numStyles).
func weightString(tenths int64, st uint8, es bool) string {
	switch st {
	case 1:
		return decString(tenths, 10, ',')
	case 2:
		return decString(tenths, 10, decSep(es)) + " Kilogramos"
	case 3:
		return strconv.FormatInt(tenths*100, 10) + " g"
	}
	return decString(tenths, 10, decSep(es))
}

// decString renders n/unit with the given decimal separator, without
// trailing zeros ("12.5", "12", "0,25").
func decString(n, unit int64, sep byte) string {
	neg := n < 0
	if neg {
		n = -n
	}
	s := strconv.FormatInt(n/unit, 10)
	if frac := n % unit; frac != 0 {
		digits := len(strconv.FormatInt(unit, 10)) - 1
		f := strconv.FormatInt(frac, 10)
		f = strings.Repeat("0", digits-len(f)) + f
		s += string(sep) + strings.TrimRight(f, "0")
	}
	if neg {
		s = "-" + s
	}
	return s
}

// groupThousands writes 120000 as "120.000".
func groupThousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// dmy renders dd/mm/yyyy.
func dmy(t time.Time) string { return t.Format("02/01/2006") }
