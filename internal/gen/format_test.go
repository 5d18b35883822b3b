package gen

import "testing"

// TestNumberFormats pins how amounts, weights and quantities are written,
// negative ones included (a credit note, a correction), in each variant.
func TestNumberFormats(t *testing.T) {
	tests := []struct {
		name    string
		v       val
		variant string
		want    string
	}{
		{"money as plain digits", money(120000, 0), VariantUTF8, "120000"},
		{"money with thousands", money(120000, 3), VariantUTF8, "$ 120.000"},
		{"negative money with thousands", money(-1234567, 0), VariantExcelES, "$ -1.234.567"},
		{"negative money under a thousand", money(-999, 0), VariantExcelES, "$ -999"},
		{"negative weight, comma", weight(-125, 1), VariantUTF8, "-12,5"},
		{"negative quantity, point", dec2(-250), VariantUTF8, "-2.5"},
		{"negative whole quantity", dec2(-300), VariantExcelES, "-3"},
		{"quantity with hundredths", dec2(1205), VariantExcelES, "12,05"},
		{"unknown kind keeps its text", val{k: valKind(99), s: "tal cual"}, VariantUTF8, "tal cual"},
	}
	for _, tt := range tests {
		if got := tt.v.csvString(tt.variant); got != tt.want {
			t.Errorf("%s: csvString(%s) = %q, want %q", tt.name, tt.variant, got, tt.want)
		}
	}
	if got := (val{k: valKind(99), s: "tal cual"}).xlsxValue(0); got != "tal cual" {
		t.Errorf("xlsxValue of an unknown kind = %v, want its text", got)
	}
}
