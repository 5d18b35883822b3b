package importer

import (
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/petfriendly/recon/source"
)

// fitsDecimalExact is fitsDecimal without its fast path.
func fitsDecimalExact(s string, precision, scale int) bool {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return true
	}
	r.Abs(r)
	limit := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(precision-scale)), nil))
	half := new(big.Rat).SetFrac(big.NewInt(5), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale+1)), nil))
	return r.Cmp(limit.Sub(limit, half)) < 0
}

func TestFitsDecimalFastPath(t *testing.T) {
	values := []string{"0", "-0", "0.00", "-.5", ".", "", "abc", "1e3", "+12", "12.", "007.50", "-0001234.5",
		"999999999999.99", "999999999999.995", "999999999999.994", "1000000000000", "-999999999999.999",
		"99999.999", "99999.9995", "99999.9994", "100000", "12345678901234567890"}
	for _, v := range values {
		for _, ps := range [][2]int{{14, 2}, {8, 3}, {5, 0}, {1, 0}, {3, 3}} {
			if got, want := fitsDecimal(v, ps[0], ps[1]), fitsDecimalExact(v, ps[0], ps[1]); got != want {
				t.Errorf("fitsDecimal(%q, %d, %d) = %v, exact %v", v, ps[0], ps[1], got, want)
			}
		}
	}
	for i := range 2000 {
		v := fmt.Sprintf("%d.%03d", i*7919%1000003, i%1000)
		if got, want := fitsDecimal(v, 8, 3), fitsDecimalExact(v, 8, 3); got != want {
			t.Errorf("fitsDecimal(%q, 8, 3) = %v, exact %v", v, got, want)
		}
	}
}

// amountRecord normalises raw values of type typ as the Reader would.
func amountRecord(t *testing.T, typ string, raw map[string]string) (source.Type, source.Record) {
	t.Helper()
	ty, ok := source.TypeByName(typ)
	if !ok {
		t.Fatalf("no type %s", typ)
	}
	raw["id"] = "X1"
	vals, issues := source.Normalize(ty, raw, nil, time.Time{})
	return ty, source.Record{Type: typ, SourceID: "X1", Raw: raw, Values: vals, Issues: issues}
}

func TestCheckAmounts(t *testing.T) {
	tests := []struct {
		typ, field, value string
		reject            string // issue type of the rejection; "" when importable
		warn              string // issue type of a warning on an importable row
		errText           string // substring of the rejection message
	}{
		{typ: "products", field: "precio", value: "$132.999"},
		{typ: "products", field: "precio", value: "99999999999999999999", reject: "out_of_range", errText: "more than 12 integer digits"},
		{typ: "products", field: "precio", value: "1e25", reject: "out_of_range", errText: "scientific notation"},
		{typ: "products", field: "costo", value: "abc", reject: "invalid_amount", errText: `costo "abc" cannot be stored exactly`},
		{typ: "products", field: "costo", value: "-1500", warn: "negative_amount"},
		{typ: "products", field: "stock", value: "99999999999", reject: "out_of_range", errText: "largest allowed 2147483647"},
		{typ: "products", field: "stock", value: "99999999999999999999", reject: "out_of_range", errText: "out of range"},
		{typ: "products", field: "stock", value: "-3", warn: "negative_amount"},
		{typ: "products", field: "stock", value: "2147483647"},
		{typ: "invoices", field: "total", value: "1e23", reject: "out_of_range", errText: "scientific notation"},
		{typ: "invoices", field: "total", value: "1,5e2", reject: "invalid_amount", errText: "scientific notation"},
		{typ: "invoices", field: "subtotal", value: "1234567890123", reject: "out_of_range"},
		{typ: "invoices", field: "descuento", value: "-100000", warn: "negative_amount"},
		{typ: "invoices", field: "impuesto", value: "", warn: ""},
		{typ: "invoice_items", field: "cantidad", value: "1234567890", reject: "out_of_range", errText: "largest allowed 999999999.999"},
		{typ: "invoice_items", field: "cantidad", value: "-1", warn: "negative_amount"},
		{typ: "invoice_items", field: "precio_unitario", value: "999999999999.99"},
		{typ: "invoice_items", field: "total", value: "COP 4.320.000"},
	}
	for _, tc := range tests {
		t.Run(tc.typ+"/"+tc.field+"="+tc.value, func(t *testing.T) {
			ty, rec := amountRecord(t, tc.typ, map[string]string{tc.field: tc.value})
			p, bad, warnings := checkAmounts(ty, rec)
			o := rejectProblem(p)
			if bad != (tc.reject != "") {
				t.Fatalf("rejected %v (%+v), want rejection %q", bad, o.issues, tc.reject)
			}
			if bad {
				if o.status != StatusError || len(o.issues) != 1 || o.issues[0].Type != tc.reject || o.issues[0].Severity != Critical ||
					o.issues[0].Field != tc.field || !strings.Contains(o.issues[0].Message, tc.errText) {
					t.Fatalf("outcome %+v, want one critical %s naming %s and saying %q", o, tc.reject, tc.field, tc.errText)
				}
				return
			}
			if (len(warnings) > 0) != (tc.warn != "") || tc.warn != "" && (warnings[0].Type != tc.warn || warnings[0].Field != tc.field) {
				t.Fatalf("warnings %+v, want %q", warnings, tc.warn)
			}
		})
	}
}

func TestIntegerDigits(t *testing.T) {
	tests := []struct {
		s  string
		n  int
		ok bool
	}{
		{"-0012.50", 2, true},
		{"123", 3, true},
		{".5", 0, true},
		{"", 0, false},
		{"12.5x", 0, false}, // not a plain decimal: the exact path decides
		{"1e5", 0, false},
	}
	for _, tt := range tests {
		if n, ok := integerDigits(tt.s); n != tt.n || ok != tt.ok {
			t.Errorf("integerDigits(%q) = %d, %v; want %d, %v", tt.s, n, ok, tt.n, tt.ok)
		}
	}
}

func TestHugeScientific(t *testing.T) {
	tests := []struct {
		raw              string
		precision, scale int
		want             bool
	}{
		{"1e23", 12, 2, true},
		{"9,85E+9", 12, 2, false},
		{"$ 1E+10", 12, 2, true},
		{"3e9", 0, 0, true}, // an int4 column
		{"2e9", 0, 0, false},
		{"mucho", 12, 2, false}, // not a number at all
	}
	for _, tt := range tests {
		if got := hugeScientific(tt.raw, tt.precision, tt.scale); got != tt.want {
			t.Errorf("hugeScientific(%q, %d, %d) = %v, want %v", tt.raw, tt.precision, tt.scale, got, tt.want)
		}
	}
}

func TestNoNUL(t *testing.T) {
	if got := noNUL("a\x00b\x00"); got != "a\uFFFDb\uFFFD" {
		t.Errorf("noNUL = %q", got)
	}
	if s := "sin nulos"; noNUL(s) != s {
		t.Errorf("noNUL changed %q", s)
	}
}
