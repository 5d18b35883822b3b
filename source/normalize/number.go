package normalize

import (
	"math/big"
	"strconv"
	"strings"
)

// number is an exact decimal as digit strings; no float ever touches it.
type number struct {
	neg  bool
	int  string // integer digits as written, may be "" (".5") or carry leading zeros
	frac string // fraction digits as written
}

// shape is a number read with the usual separator conventions. When the
// only '.' or ',' is followed by exactly three digits after a well-formed
// group ("1.234", "12,500") it could be either a decimal mark or a
// thousands separator; ambiguous then names it and thousands holds the
// other reading. Each caller resolves that with its own rule.
type shape struct {
	dec       number
	ambiguous byte
	thousands number
}

// takeSign splits a leading sign (ASCII or U+2212 minus) off s.
func takeSign(s string) (neg bool, body string) {
	switch {
	case strings.HasPrefix(s, "-"):
		return true, strings.TrimSpace(s[1:])
	case strings.HasPrefix(s, "−"):
		return true, strings.TrimSpace(s[len("−"):])
	case strings.HasPrefix(s, "+"):
		return false, strings.TrimSpace(s[1:])
	}
	return false, s
}

func groupSep(r rune) bool { return r == ' ' || r == '\'' || r == '’' }

// parseShape reads an unsigned number made of digits and separators:
// '.' and ',' (decimal mark or thousands), and space or apostrophe
// (thousands only; Colombians write 1'200.000, apostrophe for millions). A
// separator used twice or more is a thousands separator; when both '.'
// and ',' appear the last one is the decimal mark. Thousands groups must
// be well formed (1-3 digits, then groups of 3), so "12 34" is rejected
// rather than read as 1234.
func parseShape(neg bool, s string) (shape, string) {
	var runs []string
	var seps []rune
	start := -1 // start of the current digit run
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			if start < 0 {
				start = i
			}
		case r == '.' || r == ',' || groupSep(r):
			if start < 0 && (len(runs) > 0 || groupSep(r)) {
				return shape{}, "misplaced separator"
			}
			if start < 0 {
				runs = append(runs, "") // ".5"
			} else {
				runs = append(runs, s[start:i])
			}
			seps = append(seps, r)
			start = -1
		default:
			return shape{}, "unexpected character " + strconv.QuoteRune(r)
		}
	}
	if start < 0 {
		if len(runs) == 0 {
			return shape{}, "no digits"
		}
		return shape{}, "ends with a separator"
	}
	runs = append(runs, s[start:])

	count := func(c rune) int {
		n := 0
		for _, s := range seps {
			if s == c {
				n++
			}
		}
		return n
	}
	nDot, nComma := count('.'), count(',')
	last := len(seps) - 1
	dm := -1 // index in seps of the decimal mark
	switch {
	case nDot > 0 && nComma > 0:
		c := seps[last]
		if (c != '.' && c != ',') || count(c) != 1 {
			return shape{}, "mixed separators"
		}
		dm = last
	case nDot == 1 || nComma == 1:
		if c := seps[last]; c != '.' && c != ',' {
			return shape{}, "misplaced decimal separator"
		}
		dm = last
	}
	if runs[0] == "" && dm != 0 {
		return shape{}, "misplaced separator"
	}
	intRuns := runs
	if dm >= 0 {
		intRuns = runs[:dm+1]
	}
	if len(intRuns) > 1 && !validGroups(intRuns) {
		return shape{}, "malformed digit grouping"
	}
	var sh shape
	if dm < 0 {
		sh.dec = number{neg: neg, int: strings.Join(runs, "")}
		return sh, ""
	}
	sh.dec = number{neg: neg, int: strings.Join(intRuns, ""), frac: runs[dm+1]}
	if nDot == 0 || nComma == 0 {
		if len(runs[dm+1]) == 3 && validGroups(runs) {
			sh.ambiguous = byte(seps[dm])
			sh.thousands = number{neg: neg, int: strings.Join(runs, "")}
		}
	}
	return sh, ""
}

// validGroups reports thousands grouping: a first group of 1-3 digits not
// starting with 0, then groups of exactly 3.
func validGroups(runs []string) bool {
	if n := len(runs[0]); n < 1 || n > 3 || runs[0][0] == '0' {
		return false
	}
	for _, r := range runs[1:] {
		if len(r) != 3 {
			return false
		}
	}
	return true
}

// scientific reports Excel's exponent display ("9,85141E+14", "1.5e-3"):
// the digits beyond the mantissa are gone, so the value cannot be trusted.
func scientific(s string) bool {
	_, s = takeSign(s)
	mant, exp, ok := cutAny(s, "eE")
	if !ok || mant == "" || exp == "" {
		return false
	}
	if exp[0] == '+' || exp[0] == '-' {
		exp = exp[1:]
	}
	if !allDigits(exp) {
		return false
	}
	ip, fp, _ := cutAny(mant, ".,")
	return allDigits(ip) && ip != "" && (fp == "" || allDigits(fp)) && !strings.HasSuffix(mant, ".") && !strings.HasSuffix(mant, ",")
}

func cutAny(s, chars string) (before, after string, found bool) {
	if i := strings.IndexAny(s, chars); i >= 0 {
		return s[:i], s[i+1:], true
	}
	return s, "", false
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func allZero(s string) bool { return strings.Trim(s, "0") == "" }

// trimInt drops leading zeros, keeping at least "0".
func trimInt(s string) string {
	s = strings.TrimLeft(s, "0")
	if s == "" {
		return "0"
	}
	return s
}

// Int reads a whole number. '.' followed by groups of three digits is a
// thousands separator ("1.234"); a lone ',' before three digits is one only
// when the decimal reading is not whole ("1,234" but not "1,000"); a zero
// fraction is fine ("12,0"), any other fraction is an error.
func Int(raw string) (int64, error) {
	s := Clean(raw)
	if s == "" {
		return 0, nil
	}
	fail := func(code, reason string) (int64, error) { return 0, newErr(code, raw, reason) }
	if scientific(s) {
		return fail(CodePrecisionLost, "scientific notation hides digits")
	}
	sh, reason := parseShape(takeSign(s))
	if reason != "" {
		return fail(CodeInvalidNumber, reason)
	}
	n := sh.dec
	switch sh.ambiguous {
	case '.':
		n = sh.thousands
	case ',':
		if allZero(n.frac) {
			return fail(CodeInvalidNumber, "ambiguous: ',' may be a decimal mark or a thousands separator")
		}
		n = sh.thousands
	}
	if !allZero(n.frac) {
		return fail(CodeInvalidNumber, "not a whole number")
	}
	digits := trimInt(n.int)
	if n.neg {
		digits = "-" + digits
	}
	v, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return fail(CodeOutOfRange, "out of range")
	}
	return v, nil
}

// stripCurrency removes "$" and "COP" on either side of the amount and
// returns it with its sign, wherever the sign was ("-$1.000", "$ -1.000").
// symbol reports whether any currency mark was there.
func stripCurrency(s string) (amount string, symbol bool) {
	trim := func(s string) string {
		for {
			s = strings.TrimSpace(s)
			switch {
			case strings.HasPrefix(s, "$"):
				s = s[1:]
			case strings.HasSuffix(s, "$"):
				s = s[:len(s)-1]
			case len(s) >= 3 && strings.EqualFold(s[:3], "cop"):
				s = s[3:]
			case len(s) >= 3 && strings.EqualFold(s[len(s)-3:], "cop"):
				s = s[:len(s)-3]
			default:
				return s
			}
			symbol = true
		}
	}
	s = trim(s)
	neg, body := takeSign(s)
	if body == s {
		return s, symbol
	}
	sign := "+"
	if neg {
		sign = "-"
	}
	return sign + trim(body), symbol
}

// maxMoneyIntDigits is what numeric(14,2) can hold.
const maxMoneyIntDigits = 12

// Money reads an exact COP amount and returns it as "-?digits.dd".
// '.' followed by groups of three digits separates thousands ("$132.999",
// "COP 4.320.000"); ',' is the decimal mark ("120.000,50", "12,5"); a lone
// '.' before one or two digits is a decimal point ("120000.5" from a dump).
// "1,234" reads as 1.234 and fails: more than two decimals is never rounded.
func Money(raw string) (string, error) {
	s := Clean(raw)
	if s == "" {
		return "", nil
	}
	fail := func(code, reason string) (string, error) { return "", newErr(code, raw, reason) }
	s, symbol := stripCurrency(s)
	if symbol && (s == "-" || s == "−") {
		// Excel's accounting format shows zero as "$ -".
		return "0.00", nil
	}
	if scientific(s) {
		return fail(CodePrecisionLost, "scientific notation hides digits")
	}
	sh, reason := parseShape(takeSign(s))
	if reason != "" {
		return fail(CodeInvalidMoney, reason)
	}
	n := sh.dec
	if sh.ambiguous == '.' {
		n = sh.thousands
	}
	if len(n.frac) > 2 {
		return fail(CodeInvalidMoney, "more than 2 decimals")
	}
	ip := trimInt(n.int)
	if len(ip) > maxMoneyIntDigits {
		return fail(CodeOutOfRange, "more than 12 integer digits")
	}
	out := ip + "." + (n.frac + "00")[:2]
	if n.neg && out != "0.00" {
		out = "-" + out
	}
	return out, nil
}

// Decimal reads an exact decimal quantity and returns it with trailing
// zeros trimmed ("2", "1.5"). A lone '.' or ',' is the decimal mark, even
// before three digits: quantities come from numeric cells and dumps, where
// "1.500" means one and a half. Repeated separators are thousands
// ("1.234.567"), and with both the last one is the decimal mark. More than
// maxScale significant decimals is an error, never a rounding.
func Decimal(raw string, maxScale int) (string, error) {
	s := Clean(raw)
	if s == "" {
		return "", nil
	}
	fail := func(code, reason string) (string, error) { return "", newErr(code, raw, reason) }
	if scientific(s) {
		return fail(CodePrecisionLost, "scientific notation hides digits")
	}
	sh, reason := parseShape(takeSign(s))
	if reason != "" {
		return fail(CodeInvalidNumber, reason)
	}
	return canonDecimal(sh.dec, maxScale, func(reason string) (string, error) { return fail(CodeInvalidNumber, reason) })
}

func canonDecimal(n number, maxScale int, fail func(string) (string, error)) (string, error) {
	frac := strings.TrimRight(n.frac, "0")
	if len(frac) > max(maxScale, 0) {
		return fail("more than " + strconv.Itoa(max(maxScale, 0)) + " decimals")
	}
	out := trimInt(n.int)
	if frac != "" {
		out += "." + frac
	}
	if n.neg && out != "0" {
		out = "-" + out
	}
	return out, nil
}

type weightUnit int

const (
	unitNone weightUnit = iota
	unitKg
	unitG
	unitLb
	unitUnknown
)

func parseWeightUnit(u string) weightUnit {
	switch Fold(u) {
	case "":
		return unitNone
	case "kg", "kgs", "kilo", "kilos", "kilogramo", "kilogramos", "kilogram", "kilograms":
		return unitKg
	case "g", "gr", "grs", "gramo", "gramos", "gram", "grams":
		return unitG
	case "lb", "lbs", "libra", "libras", "pound", "pounds":
		return unitLb
	}
	return unitUnknown
}

// maxWeightMilli is 2000 kg in grams: nothing at a vet clinic weighs more.
const maxWeightMilli = 2_000_000

// Weight reads a body weight and returns kilograms with up to three
// decimals ("12.5", "0.8"). Units: kg (default), g, lb (converted exactly
// and rounded half up to the gram). "0" means unknown in OkVet: it returns
// "", true, nil, as do placeholders. A lone separator is a decimal mark, as
// in Decimal, except that in grams a lone separator before three digits
// ("1.500 g") could mean 1500 g and is rejected. Kilograms or grams with
// more precision than a gram fail with precision_lost instead of rounding.
func Weight(raw string) (kg string, unknown bool, err error) {
	s := Clean(raw)
	if s == "" {
		return "", false, nil
	}
	if Placeholder(s) {
		return "", true, nil
	}
	fail := func(code, reason string) (string, bool, error) { return "", false, newErr(code, raw, reason) }
	end := strings.IndexFunc(s, func(r rune) bool {
		return !(r >= '0' && r <= '9' || r == '.' || r == ',' || r == '-' || r == '+' || r == '−' || groupSep(r))
	})
	num, unitText := s, ""
	if end >= 0 {
		num, unitText = strings.TrimSpace(s[:end]), s[end:]
	}
	if scientific(s) {
		return fail(CodePrecisionLost, "scientific notation hides digits")
	}
	unit := parseWeightUnit(unitText)
	if unit == unitUnknown {
		return fail(CodeInvalidWeight, "unknown unit "+strconv.Quote(strings.TrimSpace(unitText)))
	}
	sh, reason := parseShape(takeSign(num))
	if reason != "" {
		return fail(CodeInvalidWeight, reason)
	}
	if unit == unitG && sh.ambiguous != 0 {
		return fail(CodeInvalidWeight, "ambiguous: '"+string(sh.ambiguous)+"' may be a decimal mark or a thousands separator")
	}
	n := sh.dec
	if allZero(n.int) && allZero(n.frac) {
		return "", true, nil
	}
	if n.neg {
		return fail(CodeInvalidWeight, "negative")
	}
	frac := strings.TrimRight(n.frac, "0")
	// Cheap magnitude guard before any big arithmetic.
	if len(trimInt(n.int)) > 7 {
		return fail(CodeInvalidWeight, "more than 2000 kg")
	}
	mantissa, _ := new(big.Int).SetString(trimInt(n.int)+frac, 10)
	scale := len(frac) // mantissa / 10^scale is the value in the given unit
	var milli *big.Int // thousandths of a kilogram (grams)
	switch unit {
	case unitNone, unitKg:
		if scale > 3 {
			return fail(CodePrecisionLost, "more precise than a gram")
		}
		milli = mantissa.Mul(mantissa, pow10(3-scale))
	case unitG:
		if scale > 0 {
			return fail(CodePrecisionLost, "more precise than a gram")
		}
		milli = mantissa
	case unitLb:
		// 1 lb = 0.45359237 kg = 453.59237 g exactly.
		num := mantissa.Mul(mantissa, big.NewInt(45359237))
		den := pow10(scale + 5)
		q, r := new(big.Int).QuoRem(num, den, new(big.Int))
		if r.Lsh(r, 1).Cmp(den) >= 0 {
			q.Add(q, big.NewInt(1))
		}
		milli = q
		if milli.Sign() == 0 {
			return fail(CodePrecisionLost, "less than a gram")
		}
	}
	if milli.Cmp(big.NewInt(maxWeightMilli)) > 0 {
		return fail(CodeInvalidWeight, "more than 2000 kg")
	}
	return formatMilli(milli.Int64()), false, nil
}

func pow10(n int) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}

func formatMilli(m int64) string {
	out := strconv.FormatInt(m/1000, 10)
	if f := strings.TrimRight(strconv.FormatInt(1000+m%1000, 10)[1:], "0"); f != "" {
		out += "." + f
	}
	return out
}
