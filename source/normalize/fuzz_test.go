package normalize

import (
	"math/big"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// Fuzz targets check invariants rather than values: no panic, errors carry
// the function's code with a zero result, and every success is canonical
// (normalising the output again returns it unchanged).

func wantZeroOnError[T comparable](t *testing.T, call string, got T, err error, codes ...string) {
	t.Helper()
	if err == nil {
		return
	}
	var zero T
	if got != zero {
		t.Fatalf("%s = %v with error %v; want zero value", call, got, err)
	}
	for _, c := range codes {
		if CodeOf(err) == c {
			return
		}
	}
	t.Fatalf("%s: error code %q (%v) not in %v", call, CodeOf(err), err, codes)
}

// sameDigits reports whether in and out carry the same significant digits,
// up to leading zeros and trailing zeros (padding or a zero fraction): a
// normaliser may regroup digits but never drop or invent one.
func sameDigits(in, out string) bool {
	digits := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			if r >= '0' && r <= '9' {
				b.WriteRune(r)
			}
		}
		return strings.TrimLeft(b.String(), "0")
	}
	a, b := digits(in), digits(out)
	if len(a) < len(b) {
		a, b = b, a
	}
	return strings.HasPrefix(a, b) && allZero(a[len(b):])
}

func FuzzClean(f *testing.F) {
	for _, s := range []string{"", " a  b ", "\u202a+57\u202c", "\ufeffNombre", "a\r\n\r\nb", "N/A", "Pérez Gómez, Juan", "bad\xff", "\u0130", "ǅ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := Clean(s)
		if general := cleanGeneral(s); c != general {
			t.Fatalf("Clean(%q) = %q, general path %q", s, c, general)
		}
		if Clean(c) != c {
			t.Fatalf("Clean not idempotent: %q -> %q -> %q", s, c, Clean(c))
		}
		if !utf8.ValidString(c) || strings.Contains(c, "  ") || strings.TrimSpace(c) != c {
			t.Fatalf("Clean(%q) = %q not clean", s, c)
		}
		if IsBlank(s) != (c == "") {
			t.Fatalf("IsBlank(%q) = %v but Clean = %q", s, IsBlank(s), c)
		}
		if Name(s) != c {
			t.Fatalf("Name differs from Clean")
		}
		if k, slow := Fold(s), foldUnicode(s); k != slow {
			t.Fatalf("Fold(%q) = %q, general path %q", s, k, slow)
		}
		if k := Fold(s); Fold(k) != k {
			t.Fatalf("Fold not idempotent: %q -> %q -> %q", s, k, Fold(k))
		}
		txt, ph := Text(s)
		if ph && txt != "" {
			t.Fatalf("Text(%q) placeholder with text %q", s, txt)
		}
		if again, _ := Text(txt); again != txt {
			t.Fatalf("Text not idempotent: %q -> %q -> %q", s, txt, again)
		}
		if first, last := SplitName(s); !strings.Contains(s, ",") && strings.TrimSpace(first+" "+last) != c {
			t.Fatalf("SplitName(%q) = %q, %q loses words", s, first, last)
		}
		// Vocabulary lookups must not panic and blank must stay blank.
		Placeholder(s)
		DocumentType(s)
		Sex(s)
		AppointmentStatus(s)
		Species(s, map[string]string{Fold(s): s})
		if _, err := Bool(s); err != nil && CodeOf(err) != CodeInvalidBoolean {
			t.Fatalf("Bool(%q) error code %q", s, CodeOf(err))
		}
	})
}

func FuzzPhone(f *testing.F) {
	for _, s := range []string{"+573001234567", "300 123 4567", "\u202a+57 300 123 4567\u202c", "0057 3001234567", "601 234 5678",
		"2345678", "+52 55 1234 5678", "3001234567 / 3107654321", "3001234567 ext 12", "031234567", "+", "3,00123E+09"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, err := Phone(s)
		wantZeroOnError(t, "Phone("+strconv.Quote(s)+")", out, err, CodeInvalidPhone)
		if err != nil || out == "" {
			return
		}
		if out[0] != '+' || !allDigits(out[1:]) || len(out) < 9 || len(out) > 16 {
			t.Fatalf("Phone(%q) = %q not E.164", s, out)
		}
		if !strings.HasSuffix(strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, strings.Split(strings.ToLower(Clean(s)), "ext")[0]), out[len(out)-8:]) {
			t.Fatalf("Phone(%q) = %q changed the subscriber digits", s, out)
		}
		if again, err := Phone(out); again != out || err != nil {
			t.Fatalf("Phone(%q) = %q, but Phone(%q) = %q, %v", s, out, out, again, err)
		}
	})
}

func FuzzMoney(f *testing.F) {
	for _, s := range []string{"$132.999", "COP 4.320.000", "120.000,50", "12,5", "1,234", "1,234,567", "120000.5", "-1.000",
		"$ -", "1'200.000", "999.999.999.999,99", "1,5E+06", ".5", "-$ 1.000,5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, err := Money(s)
		wantZeroOnError(t, "Money("+strconv.Quote(s)+")", out, err, CodeInvalidMoney, CodePrecisionLost)
		if err != nil || out == "" {
			return
		}
		r, ok := new(big.Rat).SetString(out)
		if !ok {
			t.Fatalf("Money(%q) = %q does not parse", s, out)
		}
		if got := r.FloatString(2); got != out && got != "-"+out {
			t.Fatalf("Money(%q) = %q not canonical (%s)", s, out, got)
		}
		ip, fp, _ := strings.Cut(strings.TrimPrefix(out, "-"), ".")
		if len(fp) != 2 || len(ip) > maxMoneyIntDigits || (len(ip) > 1 && ip[0] == '0') || out == "-0.00" {
			t.Fatalf("Money(%q) = %q not canonical", s, out)
		}
		if !sameDigits(s, out) {
			t.Fatalf("Money(%q) = %q changed the digits", s, out)
		}
		if again, err := Money(out); again != out || err != nil {
			t.Fatalf("Money(%q) = %q, but Money(%q) = %q, %v", s, out, out, again, err)
		}
	})
}

func checkDateValue(t *testing.T, s string, y int, m time.Month, d int) {
	t.Helper()
	if y < minYear || y > maxYear || m < 1 || m > 12 || d < 1 || d > daysIn(y, int(m)) {
		t.Fatalf("%q gave impossible date %d-%d-%d", s, y, m, d)
	}
}

func FuzzDate(f *testing.F) {
	for _, s := range []string{"2023-05-02", "2023-05-02 14:30:00", "31/02/2021", "03/04/2021", "3/4/2021 2:30 p. m.", "44927",
		"44927.5", "2021", "03/04/21", "02-may-2023", "00/00/0000", "60", "2023-05-02T14:30:00.000000Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Date(s)
		wantZeroOnError(t, "Date("+strconv.Quote(s)+")", got, err, CodeInvalidDate)
		if err != nil || got.IsZero() {
			return
		}
		checkDateValue(t, s, got.Year(), got.Month(), got.Day())
		if got.Location() != time.UTC || got.Hour() != 0 || got.Minute() != 0 || got.Second() != 0 || got.Nanosecond() != 0 {
			t.Fatalf("Date(%q) = %v not UTC midnight", s, got)
		}
		for _, layout := range []string{"2006-01-02", "02/01/2006", "2/1/2006"} {
			if again, err := Date(got.Format(layout)); !again.Equal(got) || err != nil {
				t.Fatalf("Date(%q) = %v, but re-reading %q gave %v, %v", s, got, got.Format(layout), again, err)
			}
		}
	})
}

func FuzzDateTime(f *testing.F) {
	for _, s := range []string{"2023-05-02", "2023-05-02 14:30:00", "2023-05-02T14:30:00Z", "2023-05-02T14:30:00-03:00",
		"3/4/2021 2:30 p. m.", "44927.604166666664", "2023-05-02 14:30:00.123 +0530", "12/31/2021 12:00 m."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := DateTime(s)
		wantZeroOnError(t, "DateTime("+strconv.Quote(s)+")", got, err, CodeInvalidDate)
		if err != nil || got.IsZero() {
			return
		}
		checkDateValue(t, s, got.Year(), got.Month(), got.Day())
		// Naive values are re-read naive: before 1914 Bogota's offset is
		// -4:56:16, which RFC 3339 cannot write.
		layout := time.RFC3339Nano
		if got.Location() == Bogota() {
			layout = "2006-01-02 15:04:05.999999999"
		}
		again, err := DateTime(got.Format(layout))
		if !again.Equal(got) || err != nil {
			t.Fatalf("DateTime(%q) = %v, but re-reading %q gave %v, %v", s, got, got.Format(layout), again, err)
		}
		if d, err := Date(s); err != nil || d.Year() != got.Year() || d.YearDay() != got.YearDay() {
			t.Fatalf("Date(%q) = %v, %v disagrees with DateTime %v", s, d, err, got)
		}
	})
}

func FuzzClock(f *testing.F) {
	for _, s := range []string{"14:30", "2:30 p. m.", "0.5", "12:00 m.", "0.999999999", "14:30:00.000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, m, sec, err := Clock(s)
		if err != nil {
			if h != 0 || m != 0 || sec != 0 || CodeOf(err) != CodeInvalidTime {
				t.Fatalf("Clock(%q) = %d:%d:%d, %v", s, h, m, sec, err)
			}
			return
		}
		if h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59 {
			t.Fatalf("Clock(%q) = %d:%d:%d out of range", s, h, m, sec)
		}
	})
}

func FuzzWeight(f *testing.F) {
	for _, s := range []string{"12.5 Kilogramos", "800 g", "0", "1.500 g", "10 lb", "12,5kg", "2001", "-3", "12.5 g", "N/A", "1,5E+3", "0.002 lb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		kg, unknown, err := Weight(s)
		if err != nil {
			if kg != "" || unknown {
				t.Fatalf("Weight(%q) = %q, %v with error %v", s, kg, unknown, err)
			}
			wantZeroOnError(t, "Weight("+strconv.Quote(s)+")", kg, err, CodeInvalidWeight, CodePrecisionLost)
			return
		}
		if kg == "" {
			return
		}
		if unknown {
			t.Fatalf("Weight(%q) = %q but unknown", s, kg)
		}
		r, ok := new(big.Rat).SetString(kg)
		if !ok || r.Sign() <= 0 || r.Cmp(big.NewRat(2000, 1)) > 0 {
			t.Fatalf("Weight(%q) = %q out of range", s, kg)
		}
		if _, fp, _ := strings.Cut(kg, "."); len(fp) > 3 || strings.HasSuffix(fp, "0") {
			t.Fatalf("Weight(%q) = %q not canonical", s, kg)
		}
		if again, u, err := Weight(kg); again != kg || u || err != nil {
			t.Fatalf("Weight(%q) = %q, but Weight(%q) = %q, %v, %v", s, kg, kg, again, u, err)
		}
	})
}

func FuzzEmail(f *testing.F) {
	for _, s := range []string{"Juan.Perez@Gmail.COM", "mailto:a@b.co", "a@b", "a..b@c.com", "a@b.com; c@d.com", "peña@gmail.com"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, err := Email(s)
		wantZeroOnError(t, "Email("+strconv.Quote(s)+")", out, err, CodeInvalidEmail)
		if err != nil || out == "" {
			return
		}
		if strings.Count(out, "@") != 1 || strings.ToLower(out) != out {
			t.Fatalf("Email(%q) = %q not canonical", s, out)
		}
		if again, err := Email(out); again != out || err != nil {
			t.Fatalf("Email(%q) = %q, but Email(%q) = %q, %v", s, out, out, again, err)
		}
	})
}

func FuzzMicrochip(f *testing.F) {
	for _, s := range []string{"985141000123456", "9,85141E+14", "9.85141e14", "0a1b2c3d4e", "12345E6789", "985-141-000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, err := Microchip(s)
		wantZeroOnError(t, "Microchip("+strconv.Quote(s)+")", out, err, CodeInvalidMicrochip, CodePrecisionLost)
		if err != nil || out == "" {
			return
		}
		if !(allDigits(out) && len(out) >= 9 && len(out) <= 15) && !(len(out) == 10 && allHex(out)) {
			t.Fatalf("Microchip(%q) = %q not canonical", s, out)
		}
		if again, err := Microchip(out); again != out || err != nil {
			t.Fatalf("Microchip(%q) = %q, but Microchip(%q) = %q, %v", s, out, out, again, err)
		}
	})
}

func FuzzDocumentNumber(f *testing.F) {
	for _, tc := range [][2]string{{"nit", "800.197.268-4"}, {"nit", "860034313-8"}, {"C.C.", "1.020.304.050"},
		{"Ninguno / Teléfono móvil", "300 123 4567"}, {"pasaporte", "ab-123456"}, {"cc", "1,0203E+9"}, {"", "x"}} {
		f.Add(tc[0], tc[1])
	}
	f.Fuzz(func(t *testing.T, typ, s string) {
		out, err := DocumentNumber(typ, s)
		call := "DocumentNumber(" + strconv.Quote(typ) + ", " + strconv.Quote(s) + ")"
		if CodeOf(err) == CodeNITCheckDigit {
			// Returned with its value: well formed, wrong check digit.
			base, dv, ok := strings.Cut(out, "-")
			if DocumentType(typ) != "nit" || !ok || !allDigits(base) || len(dv) != 1 || nitCheckDigit(base) == dv[0] {
				t.Fatalf("%s = %q, %v", call, out, err)
			}
			if again, err2 := DocumentNumber(typ, out); again != out || CodeOf(err2) != CodeNITCheckDigit {
				t.Fatalf("%s = %q, but again = %q, %v", call, out, again, err2)
			}
			return
		}
		wantZeroOnError(t, call, out, err, CodeInvalidDocument, CodePrecisionLost)
		if err != nil || out == "" {
			return
		}
		if DocumentType(typ) == "nit" {
			if base, dv, ok := strings.Cut(out, "-"); ok && nitCheckDigit(base) != dv[0] {
				t.Fatalf("%s = %q with a wrong check digit", call, out)
			}
		}
		if again, err := DocumentNumber(typ, out); again != out || err != nil {
			t.Fatalf("%s = %q, but again = %q, %v", call, out, again, err)
		}
	})
}

func FuzzInt(f *testing.F) {
	for _, s := range []string{"12", "1.234", "1,234", "1,000", "12,0", "12,5", "9,85141E+14", "-9223372036854775808", "1'234.567"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := Int(s)
		wantZeroOnError(t, "Int("+strconv.Quote(s)+")", v, err, CodeInvalidNumber, CodePrecisionLost)
		if err != nil {
			return
		}
		if !sameDigits(s, strconv.FormatInt(v, 10)) {
			t.Fatalf("Int(%q) = %d changed the digits", s, v)
		}
		if again, err := Int(strconv.FormatInt(v, 10)); again != v || err != nil {
			t.Fatalf("Int(%q) = %d, but Int(%d) = %d, %v", s, v, v, again, err)
		}
	})
}

func FuzzDecimal(f *testing.F) {
	for _, s := range []string{"2", "1,5", "1.500", "1.234.567,891", "-0.000", "1.2345", ".5", "1.5E+3"} {
		f.Add(s, 3)
	}
	f.Fuzz(func(t *testing.T, s string, scale int) {
		scale %= 12
		out, err := Decimal(s, scale)
		wantZeroOnError(t, "Decimal("+strconv.Quote(s)+")", out, err, CodeInvalidNumber, CodePrecisionLost)
		if err != nil || out == "" {
			return
		}
		if _, ok := new(big.Rat).SetString(out); !ok {
			t.Fatalf("Decimal(%q) = %q does not parse", s, out)
		}
		ip, fp, _ := strings.Cut(strings.TrimPrefix(out, "-"), ".")
		if len(fp) > max(scale, 0) || strings.HasSuffix(fp, "0") || (len(ip) > 1 && ip[0] == '0') || out == "-0" {
			t.Fatalf("Decimal(%q, %d) = %q not canonical", s, scale, out)
		}
		if !sameDigits(s, out) {
			t.Fatalf("Decimal(%q) = %q changed the digits", s, out)
		}
		if again, err := Decimal(out, scale); again != out || err != nil {
			t.Fatalf("Decimal(%q) = %q, but Decimal(%q) = %q, %v", s, out, out, again, err)
		}
	})
}

func BenchmarkPhone(b *testing.B) {
	for b.Loop() {
		_, _ = Phone("\u202a+57 300 123 4567\u202c")
	}
}

func BenchmarkMoney(b *testing.B) {
	for b.Loop() {
		_, _ = Money("COP 4.320.000,50")
	}
}

func BenchmarkDate(b *testing.B) {
	for b.Loop() {
		_, _ = Date("03/04/2021 2:30 p. m.")
	}
}
