package normalize

import (
	"strconv"
	"strings"
)

// excelScientific is scientific() restricted to what Excel and
// spreadsheets actually print ("9,85141E+14", "9.85141e14"), so a hex
// chip or passport such as "12345E6789" is not mistaken for one.
func excelScientific(s string) bool {
	if !scientific(s) {
		return false
	}
	mant, exp, _ := cutAny(s, "eE")
	return strings.ContainsAny(mant, ".,") || strings.ContainsAny(exp, "+-")
}

// Microchip returns a transponder number: 9-15 digits once spaces, dots and
// dashes are removed, or a 10-character ISO 11784 hexadecimal code
// (upper-cased). Excel's scientific display ("9,85141E+14") lost digits and
// fails with precision_lost; nothing is ever padded or invented.
func Microchip(raw string) (string, error) {
	s := Clean(raw)
	if s == "" {
		return "", nil
	}
	if excelScientific(strings.ReplaceAll(s, " ", "")) {
		return "", newErr(CodePrecisionLost, raw, "scientific notation hides digits")
	}
	c := removeChars(s, " .-")
	if allDigits(c) && len(c) >= 9 && len(c) <= 15 {
		return c, nil
	}
	if c = strings.ToUpper(c); len(c) == 10 && allHex(c) {
		return c, nil
	}
	return "", newErr(CodeInvalidMicrochip, raw, "not 9-15 digits or 10 hexadecimal characters")
}

// removeChars deletes every rune of chars from s.
func removeChars(s, chars string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(chars, r) {
			return -1
		}
		return r
	}, s)
}

func allHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// maxNITDigits is how many digits DIAN's weights cover.
const maxNITDigits = 15

// nitCheckDigit computes DIAN's mod-11 verification digit for up to 15 digits.
func nitCheckDigit(base string) byte {
	// DIAN's weights, applied from the rightmost digit.
	weights := [maxNITDigits]int{3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71}
	sum := 0
	for i := 0; i < len(base); i++ {
		sum += int(base[len(base)-1-i]-'0') * weights[i]
	}
	r := sum % 11
	if r > 1 {
		r = 11 - r
	}
	return byte('0' + r)
}

// DocumentNumber normalises an identity document number for its type (any
// spelling DocumentType accepts). Dots, spaces and commas are removed.
//   - nit: digits with an optional "-" check digit, kept as "900123456-7".
//     A wrong DIAN check digit gives nit_check_digit together with the
//     canonical number (the only error that returns a value); no check
//     digit is fine.
//   - cc: 3-10 digits; ti: 3-11 digits.
//   - none: OkVet's "Ninguno / Teléfono móvil" puts a mobile here; it comes
//     back in E.164 when it reads as a phone, otherwise cleaned, never an error.
//   - others (ce, pa, rc, pep, ppt, unknown): 3-20 letters, digits or
//     dashes, upper-cased.
func DocumentNumber(docType, raw string) (string, error) {
	s := Clean(raw)
	if s == "" {
		return "", nil
	}
	t := DocumentType(docType)
	if t == "none" {
		if p, err := Phone(raw); err == nil {
			return p, nil
		}
		return s, nil
	}
	fail := func(code, reason string) (string, error) { return "", newErr(code, raw, reason) }
	c := removeChars(s, ". ,")
	if excelScientific(c) {
		return fail(CodePrecisionLost, "scientific notation hides digits")
	}
	switch t {
	case "nit":
		base, dv, hasDV := strings.Cut(c, "-")
		if !allDigits(base) || hasDV && (len(dv) != 1 || !allDigits(dv)) {
			return fail(CodeInvalidDocument, "nit must be digits with an optional -check digit")
		}
		if len(base) < 3 || len(base) > maxNITDigits {
			return fail(CodeInvalidDocument, "nit must have 3 to 15 digits before the check digit")
		}
		if !hasDV {
			return base, nil
		}
		if want := nitCheckDigit(base); dv[0] != want {
			// The one error that keeps its value: the number is well formed
			// and still the owner's best key, only its check digit is wrong.
			return base + "-" + dv, newErr(CodeNITCheckDigit, raw, "check digit should be "+string(want))
		}
		return base + "-" + dv, nil
	case "cc", "ti":
		maxLen := 10
		if t == "ti" {
			maxLen = 11
		}
		if !allDigits(c) || len(c) < 3 || len(c) > maxLen {
			return fail(CodeInvalidDocument, t+" must have 3 to "+strconv.Itoa(maxLen)+" digits")
		}
		return c, nil
	}
	c = strings.ToUpper(c)
	if len(c) < 3 || len(c) > 20 {
		return fail(CodeInvalidDocument, "must have 3 to 20 characters")
	}
	for i := 0; i < len(c); i++ {
		if !isAlnum(c[i]) && c[i] != '-' {
			return fail(CodeInvalidDocument, "only letters, digits and dashes are allowed")
		}
	}
	return c, nil
}
