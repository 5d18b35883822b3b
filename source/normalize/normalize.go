// Package normalize turns raw OkVet cell text into canonical values.
//
// Every function is pure: it never panics, never guesses, and never turns
// invalid input into some other valid value. Blank input (spaces, NBSP and
// invisible format characters only) yields the zero value and a nil error;
// anything that cannot be read exactly yields an *Error whose Code is the
// migration_dataqualityissue.issue_type to record.
package normalize

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	_ "time/tzdata" // America/Bogota must load on hosts without a zoneinfo database

	"golang.org/x/text/unicode/norm"
)

// Issue codes, stored verbatim in migration_dataqualityissue.issue_type.
const (
	CodeInvalidDate      = "invalid_date"
	CodeAmbiguousDate    = "ambiguous_date" // day and month could be either way in a file with both orders
	CodeInvalidTime      = "invalid_time"
	CodeInvalidEmail     = "invalid_email"
	CodeInvalidPhone     = "invalid_phone"
	CodeInvalidNumber    = "invalid_number"
	CodeInvalidMoney     = "invalid_money"
	CodeInvalidWeight    = "invalid_weight"
	CodeInvalidBoolean   = "invalid_boolean"
	CodePrecisionLost    = "precision_lost"
	CodeOutOfRange       = "out_of_range" // a number too large to be stored
	CodeInvalidDocument  = "invalid_document"
	CodeNITCheckDigit    = "nit_check_digit"
	CodeInvalidMicrochip = "invalid_microchip"
)

// Error reports a value that could not be normalised.
type Error struct {
	Code   string // one of the Code* constants
	Value  string // the raw input, untouched
	Reason string // lowercase English detail
}

func (e *Error) Error() string {
	msg := strings.ReplaceAll(e.Code, "_", " ") + " " + strconv.Quote(e.Value)
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg
}

// Is makes errors.Is(err, &Error{Code: c}) match any error with that code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code && (t.Value == "" || t.Value == e.Value) && (t.Reason == "" || t.Reason == e.Reason)
}

// CodeOf returns the issue code of err, or "" when err is not an *Error.
func CodeOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

func newErr(code, value, reason string) *Error {
	return &Error{Code: code, Value: value, Reason: reason}
}

var bogota = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("America/Bogota")
	if err != nil {
		// Unreachable with time/tzdata linked in; Colombia has had no DST since 1993.
		return time.FixedZone("-05", -5*60*60)
	}
	return loc
})

// Bogota returns the America/Bogota location used for naive timestamps.
func Bogota() *time.Location { return bogota() }

// invisible reports format characters that Excel and phones paste into
// cells without showing them: zero-width spaces and joiners, bidi marks,
// embeddings and isolates, the word joiner family, soft hyphen and BOM.
func invisible(r rune) bool {
	switch {
	case r >= 0x200B && r <= 0x200F,
		r >= 0x202A && r <= 0x202E,
		r >= 0x2060 && r <= 0x2064,
		r >= 0x2066 && r <= 0x2069,
		r == 0xFEFF, r == 0x00AD:
		return true
	}
	return false
}

// dropped reports runes Clean removes outright. Control characters go too:
// PostgreSQL rejects NUL in text and the rest are never meaningful in a cell.
func dropped(r rune) bool {
	return invisible(r) || (unicode.IsControl(r) && !unicode.IsSpace(r))
}

// Hidden lists, as U+XXXX, the invisible and control characters Clean
// would remove from raw (empty when there are none).
func Hidden(raw string) []string {
	var out []string
	for _, r := range raw {
		if dropped(r) {
			out = append(out, fmt.Sprintf("U+%04X", r))
		}
	}
	return out
}

// IsBlank reports whether raw holds nothing but spaces and invisible characters.
func IsBlank(raw string) bool {
	for _, r := range raw {
		if !unicode.IsSpace(r) && !dropped(r) {
			return false
		}
	}
	return true
}

// Clean trims raw, removes invisible and control characters, and collapses
// every run of white space (NBSP and line breaks included) into one space.
// Invalid UTF-8 bytes become U+FFFD so the result is always storable.
func Clean(raw string) string {
	if alreadyClean(raw) {
		return raw
	}
	return cleanGeneral(raw)
}

// alreadyClean reports printable ASCII without leading, trailing or
// doubled spaces: most cells, which Clean returns unchanged. Checking it is
// far cheaper than rebuilding the string rune by rune.
func alreadyClean(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < ' ' || c > '~' || c == ' ' && s[i+1] == ' ' {
			return false
		}
	}
	return true
}

func cleanGeneral(raw string) string {
	var b strings.Builder
	b.Grow(len(raw))
	space := false
	for _, r := range raw {
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
		case dropped(r):
		default:
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Placeholder reports OkVet's fillers for required fields that mean "no
// data": runs of dots or dashes, N/A, NO EVALUADO, no aplica, sin dato, ninguno.
func Placeholder(raw string) bool {
	// Fast refusal, without allocating, of the common case (names, notes,
	// descriptions): more letters and digits than the longest placeholder
	// key has. Clean keeps every letter and digit, and Fold turns each into
	// at least one (TestFoldKeepsLetters), so such text can neither fold to
	// a placeholder key nor be a run of dots and dashes.
	if lettersOver(raw, maxPlaceholderLetters) {
		return false
	}
	if p, ok := placeholderASCII(raw); ok {
		return p
	}
	return placeholderUnicode(raw)
}

func placeholderUnicode(raw string) bool {
	c := Clean(raw)
	if c == "" {
		return false
	}
	if strings.Trim(c, ".-_–—") == "" {
		return true
	}
	switch Fold(c) {
	case "na", "n_a", "no_evaluado", "no_evaluada", "no_aplica", "sin_dato", "sin_datos", "ninguno", "ninguna":
		return true
	}
	return false
}

// placeholderASCII is Placeholder for pure ASCII input, without
// allocating: Clean's and Fold's effects are applied while scanning (a
// dropped control character joins its neighbours, white space and
// punctuation separate words). ok is false for other input.
// TestPlaceholderASCII checks it against the general path.
func placeholderASCII(raw string) (placeholder, ok bool) {
	var key [16]byte
	n := 0
	sep := false    // a separator is pending in the folded key
	dashes := 0     // kept characters, all of them '.', '-' or '_' so far
	others := false // a kept character that is not '.', '-' or '_'
	gap := false    // white space between two kept characters
	space := false  // white space since the last kept character
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c >= utf8.RuneSelf:
			return false, false
		case c == ' ' || c >= '\t' && c <= '\r':
			space = true
			sep = n > 0
			continue
		case c < 0x20 || c == 0x7F:
			continue // dropped by Clean, no separator
		}
		if space && (dashes > 0 || others) {
			gap = true
		}
		space = false
		switch {
		case c == '.' || c == '-' || c == '_':
			dashes++
		default:
			others = true
		}
		switch {
		case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		default:
			sep = n > 0
			continue
		}
		if sep {
			if n == len(key) {
				return false, true
			}
			key[n] = '_'
			n++
			sep = false
		}
		if n == len(key) {
			return false, true
		}
		key[n] = c
		n++
	}
	if dashes == 0 && !others {
		return false, true // blank
	}
	if !others && !gap {
		return true, true // a run of dots, dashes and underscores
	}
	switch string(key[:n]) {
	case "na", "n_a", "no_evaluado", "no_evaluada", "no_aplica", "sin_dato", "sin_datos", "ninguno", "ninguna":
		return true, true
	}
	return false, true
}

// maxPlaceholderLetters is the letter count of the longest placeholder key
// ("no_evaluado").
const maxPlaceholderLetters = 10

// lettersOver reports whether s holds more than n letters and digits.
func lettersOver(s string, n int) bool {
	count := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return lettersOverSlow(s[i:], n-count)
		}
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
			if count++; count > n {
				return true
			}
		}
	}
	return false
}

func lettersOverSlow(s string, n int) bool {
	count := 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if count++; count > n {
				return true
			}
		}
	}
	return false
}

// Text cleans free text but keeps its line structure: each line is cleaned,
// blank lines at either end are dropped and runs of blank lines become one.
// Placeholders give "", true so the caller can log an info issue.
func Text(raw string) (s string, placeholder bool) {
	if Placeholder(raw) {
		return "", true
	}
	if alreadyClean(raw) { // one line, nothing to clean
		return raw, false
	}
	var b strings.Builder
	pendingBlank := false
	for line := range strings.SplitSeq(unifyLineBreaks(raw), "\n") {
		line = Clean(line)
		if line == "" {
			pendingBlank = b.Len() > 0
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
			if pendingBlank {
				b.WriteByte('\n')
			}
		}
		pendingBlank = false
		b.WriteString(line)
	}
	return b.String(), false
}

// unifyLineBreaks maps \r\n, \r, NEL, LS and PS to \n.
func unifyLineBreaks(s string) string {
	if !strings.ContainsAny(s, "\r\u0085\u2028\u2029") {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		if r == '\r' || r == '\u0085' || r == '\u2028' || r == '\u2029' {
			return '\n'
		}
		return r
	}, s)
}

// Name cleans a person's or pet's name without changing its case.
func Name(raw string) string { return Clean(raw) }

// SplitName splits a full name into given names and surnames the Colombian
// way (two surnames last): 4 words = 2+2, 3 = 1+2, 2 = 1+1, 1 = 1+"".
// Surname particles (de, del, la, ...) stay glued to the word after them, so
// "Juan Pérez de la Torre" gives "Juan", "Pérez de la Torre". A single comma
// means "surnames, given names" as some exports write it.
func SplitName(full string) (first, last string) {
	c := Clean(full)
	if before, after, ok := strings.Cut(c, ","); ok && !strings.Contains(after, ",") {
		first, last = strings.TrimSpace(after), strings.TrimSpace(before)
		if first != "" && last != "" {
			return first, last
		}
		c = strings.TrimSpace(first + " " + last)
	}
	words := strings.Fields(c)
	// units are words with any particles that precede them.
	var units [][]string
	var pending []string
	for _, w := range words {
		pending = append(pending, w)
		if !particle(w) {
			units = append(units, pending)
			pending = nil
		}
	}
	if len(pending) > 0 {
		units = append(units, pending)
	}
	join := func(us [][]string) string {
		var parts []string
		for _, u := range us {
			parts = append(parts, u...)
		}
		return strings.Join(parts, " ")
	}
	switch n := len(units); n {
	case 0:
		return "", ""
	case 1:
		return join(units), ""
	case 2, 3:
		return join(units[:1]), join(units[1:])
	default:
		return join(units[:n-2]), join(units[n-2:])
	}
}

func particle(w string) bool {
	switch strings.ToLower(w) {
	case "de", "del", "la", "las", "los", "y", "da", "das", "do", "dos", "di", "van", "von", "der", "san":
		return true
	}
	return false
}

// Fold makes a matching key for headers and vocabulary: lower case, accents
// removed, every run of other characters turned into one "_", trimmed.
// "Fecha de Nacimiento" -> "fecha_de_nacimiento", "P.V." -> "p_v".
func Fold(s string) string {
	if k, ok := foldLatin1(s); ok {
		return k
	}
	return foldUnicode(s)
}

// latin1Folds holds foldUnicode of each rune U+0080..U+00FF on its own: a
// letter's folded form ("É" -> "e", "ß" -> "ß"), "" for anything else.
var latin1Folds = sync.OnceValue(func() (t [128]string) {
	for r := rune(0x80); r <= 0xFF; r++ {
		t[r-0x80] = foldUnicode(string(r))
	}
	return t
})

// foldLatin1 is Fold for ASCII and Latin-1 text, i.e. nearly all Spanish
// text ("Sí", "Pérez", "Ñoño"), without NFD's allocations; for ASCII,
// lower-casing is a byte operation. Runes up to U+00FF
// decompose into a base and combining marks only, so folding rune by rune
// equals folding the whole string; ok is false for any other rune.
// TestFoldLatin1 checks it against the general path.
func foldLatin1(s string) (string, bool) {
	folds := latin1Folds()
	b := make([]byte, 0, len(s))
	sep := false
	for _, r := range s {
		var k string
		switch {
		case r < utf8.RuneSelf:
			c := byte(r)
			switch {
			case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			default:
				sep = len(b) > 0
				continue
			}
			if sep {
				b = append(b, '_')
				sep = false
			}
			b = append(b, c)
			continue
		case r <= 0xFF:
			k = folds[r-0x80]
		default: // includes utf8.RuneError for invalid bytes
			return "", false
		}
		if k == "" {
			sep = len(b) > 0
			continue
		}
		if sep {
			b = append(b, '_')
			sep = false
		}
		b = append(b, k...)
	}
	return string(b), true
}

func foldUnicode(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	sep := false
	// Repair invalid UTF-8 first: NFD leaves a rune that follows a broken
	// byte undecomposed, and Fold would then not be idempotent.
	for _, r := range norm.NFD.String(strings.ToLower(strings.ToValidUTF8(s, "\uFFFD"))) {
		switch {
		case unicode.Is(unicode.Mn, r):
			// accents are dropped without separating the word
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if sep {
				b.WriteByte('_')
				sep = false
			}
			b.WriteRune(unicode.ToLower(r))
		default:
			sep = b.Len() > 0
		}
	}
	return b.String()
}
