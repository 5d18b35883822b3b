package normalize

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Dates outside this range are typing errors in a vet clinic's records.
const (
	minYear = 1900
	maxYear = 2100
)

// Excel's 1900 date system: serial 1 is 1900-01-01, serial 60 is the
// nonexistent 1900-02-29 Lotus kept for compatibility, and 2958465 is
// 9999-12-31, the last day Excel can show.
const (
	excelLeapBug   = 60
	excelMaxSerial = 2958465
)

// stamp is a date and optional time exactly as written.
type stamp struct {
	y, mo, d     int
	h, mi, s, ns int
	loc          *time.Location // nil when naive
}

// Date reads a calendar date and returns it at midnight UTC. Accepted:
// ISO (2023-05-02, also with a time and zone, which are ignored: the date
// is the one written), day-first dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy (one or
// two digit day and month, "03/04/2021" is 3 April), dd-mmm-yyyy with a
// Spanish or English month name, and a bare number as an Excel serial.
// Impossible dates, two-digit years and years outside 1900-2100 fail.
func Date(raw string) (time.Time, error) { return DateIn(raw, DayFirst) }

// DateIn is Date with the order of a numeric day and month decided for
// the file (DecideDateOrder).
func DateIn(raw string, o DateOrder) (time.Time, error) {
	st, err := parseDate(raw, o)
	if err != nil || st.y == 0 {
		return time.Time{}, err
	}
	return time.Date(st.y, time.Month(st.mo), st.d, 0, 0, 0, 0, time.UTC), nil
}

// DateTime reads a date with an optional time. A naive value is Bogota
// wall-clock time; an explicit Z or offset is honoured. A date alone is
// midnight in Bogota.
func DateTime(raw string) (time.Time, error) { return DateTimeIn(raw, DayFirst) }

// DateTimeIn is DateTime with the file's order of day and month.
func DateTimeIn(raw string, o DateOrder) (time.Time, error) {
	st, err := parseDate(raw, o)
	if err != nil || st.y == 0 {
		return time.Time{}, err
	}
	loc := st.loc
	if loc == nil {
		loc = Bogota()
	}
	return time.Date(st.y, time.Month(st.mo), st.d, st.h, st.mi, st.s, st.ns, loc), nil
}

func parseDate(raw string, o DateOrder) (stamp, error) {
	s := Clean(raw)
	if s == "" {
		return stamp{}, nil
	}
	if o != DayFirst {
		switch ev := NumericDateEvidence(s); {
		case ev == EvidenceAmbiguous && o == OrderMixed:
			return stamp{}, newErr(CodeAmbiguousDate, raw, "day and month could be either way, and the file has dates written day first and month first")
		case ev == EvidenceMonthFirst || ev == EvidenceAmbiguous && o == MonthFirst:
			s = swapDayMonth(s)
		}
	}
	st, reason := parseStamp(s)
	if reason == "" && (st.y < minYear || st.y > maxYear) {
		reason = "year out of range"
	}
	if reason != "" {
		return stamp{}, newErr(CodeInvalidDate, raw, reason)
	}
	return st, nil
}

// parseStamp reads a cleaned, non-empty date with optional time.
func parseStamp(s string) (st stamp, reason string) {
	if bareNumber(s) {
		// Serials never carry leading zeros; "03" is a day typed alone.
		if ip, _, _ := cutAny(s, ".,"); len(ip) > 1 && ip[0] == '0' {
			return st, "not a date"
		}
		if allDigits(s) && len(s) == 4 {
			if y, _ := strconv.Atoi(s); y >= minYear && y <= maxYear {
				return st, "a bare year is not a date"
			}
		}
		f, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
		if err != nil {
			return st, "serial out of range"
		}
		return serialStamp(f)
	}
	rest, yearFirst, reason := parseDayPart(s, &st)
	if reason != "" {
		return st, reason
	}
	if rest == "" {
		return st, ""
	}
	switch {
	case rest[0] == ' ':
	case (rest[0] == 'T' || rest[0] == 't') && yearFirst:
	default:
		return st, "unexpected text after the date"
	}
	var loc *time.Location
	st.h, st.mi, st.s, st.ns, loc, reason = parseClock(rest[1:], true)
	st.loc = loc
	return st, reason
}

// bareNumber matches "44927", "44927.5", "0,75", ".5".
func bareNumber(s string) bool {
	ip, fp, found := cutAny(s, ".,")
	if !found {
		return allDigits(s)
	}
	return (ip == "" || allDigits(ip)) && allDigits(fp)
}

// parseDayPart reads the date at the start of s into st and returns what follows.
func parseDayPart(s string, st *stamp) (rest string, yearFirst bool, reason string) {
	a, s := leadingDigits(s)
	if a == "" || s == "" {
		return "", false, "unrecognised date format"
	}
	sep := s[0]
	if len(a) == 4 {
		if sep != '-' && sep != '/' && sep != '.' {
			return "", false, "unrecognised date format"
		}
		b, s := leadingDigits(s[1:])
		if len(b) < 1 || len(b) > 2 || s == "" || s[0] != sep {
			return "", false, "unrecognised date format"
		}
		c, s := leadingDigits(s[1:])
		if len(c) < 1 || len(c) > 2 {
			return "", false, "unrecognised date format"
		}
		st.y, st.mo, st.d = atoi(a), atoi(b), atoi(c)
		return s, true, checkDate(st.y, st.mo, st.d)
	}
	if len(a) > 2 || (sep != '-' && sep != '/' && sep != '.' && sep != ' ') {
		return "", false, "unrecognised date format"
	}
	st.d = atoi(a)
	s = s[1:]
	if b, t := leadingDigits(s); b != "" {
		if len(b) > 2 || sep == ' ' {
			return "", false, "unrecognised date format"
		}
		st.mo, s = atoi(b), t
	} else {
		// dd-mmm-yyyy: Excel's Spanish "02-may.-2023" or "02 mayo 2023".
		end := strings.IndexByte(s, sep)
		if end < 1 {
			return "", false, "unrecognised date format"
		}
		if st.mo = monthNumber(strings.TrimSuffix(s[:end], ".")); st.mo == 0 {
			return "", false, "unknown month " + strconv.Quote(s[:end])
		}
		s = s[end:]
	}
	if s == "" || s[0] != sep {
		return "", false, "unrecognised date format"
	}
	c, s := leadingDigits(s[1:])
	switch len(c) {
	case 4:
	case 2:
		return "", false, "two-digit year is ambiguous"
	default:
		return "", false, "unrecognised date format"
	}
	st.y = atoi(c)
	return s, false, checkDate(st.y, st.mo, st.d)
}

func leadingDigits(s string) (digits, rest string) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return s[:i], s[i:]
}

// atoi reads a short run of ASCII digits known to be valid.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func checkDate(y, m, d int) string {
	switch {
	case y < minYear || y > maxYear:
		return "year out of range"
	case m < 1 || m > 12:
		return "month out of range"
	case d < 1 || d > daysIn(y, m):
		return "day out of range"
	}
	return ""
}

func daysIn(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func monthNumber(name string) int {
	switch Fold(name) {
	case "ene", "enero", "jan", "january":
		return 1
	case "feb", "febrero", "february":
		return 2
	case "mar", "marzo", "march":
		return 3
	case "abr", "abril", "apr", "april":
		return 4
	case "may", "mayo":
		return 5
	case "jun", "junio", "june":
		return 6
	case "jul", "julio", "july":
		return 7
	case "ago", "agosto", "aug", "august":
		return 8
	case "sep", "sept", "set", "septiembre", "setiembre", "september":
		return 9
	case "oct", "octubre", "october":
		return 10
	case "nov", "noviembre", "november":
		return 11
	case "dic", "diciembre", "dec", "december":
		return 12
	}
	return 0
}

// parseClock reads "H:MM[:SS[.fffffffff]]" with an optional a. m./p. m.
// marker and, when zoned, an optional Z or ±hh[:mm] offset.
func parseClock(s string, zoned bool) (h, m, sec, ns int, loc *time.Location, reason string) {
	hs, s := leadingDigits(s)
	if len(hs) < 1 || len(hs) > 2 || s == "" || s[0] != ':' {
		return 0, 0, 0, 0, nil, "unrecognised time format"
	}
	ms, s := leadingDigits(s[1:])
	if len(ms) != 2 {
		return 0, 0, 0, 0, nil, "unrecognised time format"
	}
	h, m = atoi(hs), atoi(ms)
	if s != "" && s[0] == ':' {
		var ss string
		ss, s = leadingDigits(s[1:])
		if len(ss) != 2 {
			return 0, 0, 0, 0, nil, "unrecognised time format"
		}
		sec = atoi(ss)
		if s != "" && (s[0] == '.' || s[0] == ',') {
			var fs string
			fs, s = leadingDigits(s[1:])
			if len(fs) < 1 || len(fs) > 9 {
				return 0, 0, 0, 0, nil, "unrecognised time format"
			}
			ns = atoi((fs + "00000000")[:9])
		}
	}
	rest := strings.TrimSpace(s)
	if zoned {
		var ok bool
		if rest, loc, ok = cutZone(rest); !ok {
			return 0, 0, 0, 0, nil, "invalid time zone offset"
		}
	}
	marker := strings.Map(func(r rune) rune {
		if r == '.' || r == ' ' {
			return -1
		}
		return unicode.ToLower(r)
	}, rest)
	switch marker {
	case "":
	case "am":
		if h < 1 || h > 12 {
			return 0, 0, 0, 0, nil, "hour out of range for a.m./p.m."
		}
		h %= 12
	case "pm":
		if h < 1 || h > 12 {
			return 0, 0, 0, 0, nil, "hour out of range for a.m./p.m."
		}
		h = h%12 + 12
	case "m":
		// Colombian "12:00 m." (meridiano) is noon and nothing else.
		if h != 12 {
			return 0, 0, 0, 0, nil, "m. (noon) needs hour 12"
		}
	default:
		return 0, 0, 0, 0, nil, "unexpected text after the time"
	}
	switch {
	case h > 23:
		return 0, 0, 0, 0, nil, "hour out of range"
	case m > 59:
		return 0, 0, 0, 0, nil, "minute out of range"
	case sec > 59:
		return 0, 0, 0, 0, nil, "second out of range"
	}
	return h, m, sec, ns, loc, ""
}

// cutZone removes a trailing Z, UTC or ±hh[[:]mm] from s.
func cutZone(s string) (rest string, loc *time.Location, ok bool) {
	switch {
	case strings.HasSuffix(s, "Z") || strings.HasSuffix(s, "z"):
		return strings.TrimSpace(s[:len(s)-1]), time.UTC, true
	case len(s) >= 3 && strings.EqualFold(s[len(s)-3:], "utc"):
		return strings.TrimSpace(s[:len(s)-3]), time.UTC, true
	}
	i := strings.LastIndexAny(s, "+-")
	if i < 0 {
		return s, nil, true
	}
	off := s[i+1:]
	var hh, mm string
	switch {
	case len(off) == 2 && allDigits(off):
		hh, mm = off, "00"
	case len(off) == 4 && allDigits(off):
		hh, mm = off[:2], off[2:]
	case len(off) == 5 && off[2] == ':' && allDigits(off[:2]) && allDigits(off[3:]):
		hh, mm = off[:2], off[3:]
	default:
		return "", nil, false
	}
	if atoi(hh) > 14 || atoi(mm) > 59 {
		return "", nil, false
	}
	secs := (atoi(hh)*60 + atoi(mm)) * 60
	if s[i] == '-' {
		secs = -secs
	}
	if secs == 0 {
		return strings.TrimSpace(s[:i]), time.UTC, true
	}
	return strings.TrimSpace(s[:i]), time.FixedZone("", secs), true
}

// serialStamp converts an Excel 1900-system serial; the fraction is the
// time of day, rounded to the second (Excel stores times as binary
// fractions, so 14:30 arrives as 0.60416666666...).
func serialStamp(f float64) (st stamp, reason string) {
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0):
		return st, "not a number"
	case f < 1:
		return st, "serial before 1900-01-01"
	case f > excelMaxSerial:
		return st, "serial after 9999-12-31"
	}
	day := math.Floor(f)
	secs := int(math.Round((f - day) * 86400))
	if secs >= 86400 {
		day, secs = day+1, 0
	}
	if day == excelLeapBug {
		return st, "serial 60 is 1900-02-29, a day that does not exist"
	}
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if day < excelLeapBug {
		base = base.AddDate(0, 0, 1)
	}
	t := base.AddDate(0, 0, int(day))
	st.y, st.mo, st.d = t.Year(), int(t.Month()), t.Day()
	st.h, st.mi, st.s = secs/3600, secs/60%60, secs%60
	return st, ""
}

// ExcelSerial converts a serial from Excel's 1900 date system to Bogota
// wall-clock time. Serials below 1, the phantom 1900-02-29 (60) and those
// beyond 9999-12-31 fail.
func ExcelSerial(serial float64) (time.Time, error) {
	st, reason := serialStamp(serial)
	if reason != "" {
		return time.Time{}, newErr(CodeInvalidDate, strconv.FormatFloat(serial, 'g', -1, 64), reason)
	}
	return time.Date(st.y, time.Month(st.mo), st.d, st.h, st.mi, st.s, 0, Bogota()), nil
}

// Clock reads a time of day: "14:30", "14:30:00", "2:30 p. m.", "2:30 PM",
// or an Excel fraction of a day ("0.5" is noon, rounded to the second).
// Time zones and fractions of a second are rejected, not dropped.
func Clock(raw string) (hour, min, sec int, err error) {
	s := Clean(raw)
	if s == "" {
		return 0, 0, 0, nil
	}
	fail := func(reason string) (int, int, int, error) { return 0, 0, 0, newErr(CodeInvalidTime, raw, reason) }
	if bareNumber(s) {
		ip, fp, _ := cutAny(s, ".,")
		if !allZero(ip) {
			return fail("a fraction of a day must be below 1")
		}
		if fp == "" {
			return 0, 0, 0, nil
		}
		// round(0.fp × 86400) exactly.
		den := pow10(len(fp))
		num, _ := new(big.Int).SetString(fp, 10)
		num.Mul(num, big.NewInt(86400))
		q, r := num.QuoRem(num, den, new(big.Int))
		if r.Lsh(r, 1).Cmp(den) >= 0 {
			q.Add(q, big.NewInt(1))
		}
		secs := int(q.Int64())
		if secs >= 86400 {
			return fail("rounds to 24:00:00")
		}
		return secs / 3600, secs / 60 % 60, secs % 60, nil
	}
	h, m, sc, ns, _, reason := parseClock(s, false)
	switch {
	case reason != "":
		return fail(reason)
	case ns != 0:
		return fail("fractions of a second are not kept")
	}
	return h, m, sc, nil
}

// DateOrder is how a file writes a numeric day and month.
type DateOrder int

const (
	// DayFirst: dd/mm/yyyy, Colombia's order and the default.
	DayFirst DateOrder = iota
	// MonthFirst: mm/dd/yyyy; the file's dates show it and never day first.
	MonthFirst
	// OrderMixed: the file has dates that can only be day first and others
	// that can only be month first; an ambiguous one is not guessed.
	OrderMixed
)

// DateEvidence is what one written date says about the order.
type DateEvidence int

const (
	EvidenceNone       DateEvidence = iota // not a numeric d/m/yyyy date, or day equals month
	EvidenceDayFirst                       // first part above 12, second at most 12
	EvidenceMonthFirst                     // first part at most 12, second above 12
	EvidenceAmbiguous                      // both at most 12 and different
)

// NumericDateEvidence tells what a date written as two one- or two-digit
// parts and a four-digit year (03/04/2015, 12-25-2015 14:00) says about
// the order of day and month.
func NumericDateEvidence(raw string) DateEvidence {
	s := Clean(raw)
	a, rest := leadingDigits(s)
	if len(a) < 1 || len(a) > 2 || rest == "" || (rest[0] != '/' && rest[0] != '-' && rest[0] != '.') {
		return EvidenceNone
	}
	sep := rest[0]
	b, rest := leadingDigits(rest[1:])
	if len(b) < 1 || len(b) > 2 || rest == "" || rest[0] != sep {
		return EvidenceNone
	}
	if y, _ := leadingDigits(rest[1:]); len(y) != 4 {
		return EvidenceNone
	}
	x, y := atoi(a), atoi(b)
	switch {
	case x < 1 || y < 1 || x == y || x > 12 && y > 12:
		return EvidenceNone
	case x > 12:
		return EvidenceDayFirst
	case y > 12:
		return EvidenceMonthFirst
	}
	return EvidenceAmbiguous
}

// DecideDateOrder is a file's order from its dates' evidence: month first
// when more than one date can only be month first and those that can only
// be day first are fewer than one in twenty of them; mixed when both kinds
// are there and neither outnumbers the other twenty to one; day first
// otherwise. A few dates against a file's plain order are typing errors
// (invalid in that order, each flagged), not evidence of a mixed file.
func DecideDateOrder(dayFirst, monthFirst int) DateOrder {
	switch {
	case monthFirst > 1 && monthFirst > dominance*dayFirst:
		return MonthFirst
	case dayFirst > 0 && monthFirst > 0 && dayFirst <= dominance*monthFirst:
		return OrderMixed
	}
	return DayFirst
}

// dominance: how many times more dates one order needs than the other to
// decide a file that has both.
const dominance = 20

// swapDayMonth rewrites a numeric m/d/yyyy date (already known to be one)
// as d/m/yyyy, keeping what follows.
func swapDayMonth(s string) string {
	a, rest := leadingDigits(s)
	sep := rest[:1]
	b, rest := leadingDigits(rest[1:])
	return b + sep + a + rest
}
