package normalize

import (
	"fmt"
	"testing"
)

func TestInt(t *testing.T) {
	tests := []struct {
		in      string
		want    int64
		wantErr string
	}{
		{"", 0, ""},
		{" \u00a0", 0, ""},
		{"12", 12, ""},
		{" 007 ", 7, ""},
		{"-5", -5, ""},
		{"+5", 5, ""},
		{"−5", -5, ""},
		{"1.234", 1234, ""},
		{"1.234.567", 1234567, ""},
		{"1.000", 1000, ""},
		{"12.000", 12000, ""},
		{"1,234", 1234, ""},
		{"1,234,567", 1234567, ""},
		{"1'234.567", 1234567, ""},
		{"1 234 567", 1234567, ""},
		{"12,0", 12, ""},
		{"12.0", 12, ""},
		{"12.00", 12, ""},
		{"1.234,00", 1234, ""},
		{"1,234.00", 1234, ""},
		{"0.000", 0, ""},
		{"-0", 0, ""},
		{"9223372036854775807", 9223372036854775807, ""},
		{"-9223372036854775808", -9223372036854775808, ""},
		{"9223372036854775808", 0, CodeOutOfRange},
		{"1,000", 0, CodeInvalidNumber},
		{"12,5", 0, CodeInvalidNumber},
		{"12.5", 0, CodeInvalidNumber},
		{"1.234,5", 0, CodeInvalidNumber},
		{"12 34", 0, CodeInvalidNumber},
		{"1.23.456", 0, CodeInvalidNumber},
		{"01.234", 0, CodeInvalidNumber},
		{"1..234", 0, CodeInvalidNumber},
		{"12.", 0, CodeInvalidNumber},
		{".", 0, CodeInvalidNumber},
		{"-", 0, CodeInvalidNumber},
		{"--5", 0, CodeInvalidNumber},
		{"5-", 0, CodeInvalidNumber},
		{"abc", 0, CodeInvalidNumber},
		{"1.234,567.8", 0, CodeInvalidNumber},
		{"1,234.567,8", 0, CodeInvalidNumber},
		{"1.234 567", 0, CodeInvalidNumber},
		{" ,5", 0, CodeInvalidNumber},
		{".5.3", 0, CodeInvalidNumber},
		{",5.3", 0, CodeInvalidNumber},
		{"1, 234", 0, CodeInvalidNumber},
		{"9,85141E+14", 0, CodePrecisionLost},
		{"1e3", 0, CodePrecisionLost},
	}
	for _, tt := range tests {
		got, err := Int(tt.in)
		checkErr(t, fmt.Sprintf("Int(%q)", tt.in), err, tt.wantErr)
		if got != tt.want {
			t.Errorf("Int(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestMoney(t *testing.T) {
	tests := []struct{ in, want, wantErr string }{
		{"", "", ""},
		{"$", "", CodeInvalidMoney},
		{"$132.999", "132999.00", ""},
		{"$ 120.000", "120000.00", ""},
		{"COP 4.320.000", "4320000.00", ""},
		{"4.320.000 COP", "4320000.00", ""},
		{"120.000$", "120000.00", ""},
		{"cop$ 15.000", "15000.00", ""},
		{"120.000,50", "120000.50", ""},
		{"$\u00a0120.000,5", "120000.50", ""},
		{"12,5", "12.50", ""},
		{"120000", "120000.00", ""},
		{"120000.5", "120000.50", ""},
		{"120000.55", "120000.55", ""},
		{"0.5", "0.50", ""},
		{",5", "0.50", ""},
		{"1,234,567", "1234567.00", ""},
		{"1,234,567.89", "1234567.89", ""},
		{"1'200.000", "1200000.00", ""},
		{"$1'200.000,00", "1200000.00", ""},
		{"1 200 000", "1200000.00", ""},
		{"-1.000", "-1000.00", ""},
		{"$-1.000", "-1000.00", ""},
		{"-$ 1.000,5", "-1000.50", ""},
		{"- 1.000", "-1000.00", ""},
		{"+1.000", "1000.00", ""},
		{"-0", "0.00", ""},
		{"-0,00", "0.00", ""},
		{"$ -", "0.00", ""},
		{"000120", "120.00", ""},
		{"999.999.999.999,99", "999999999999.99", ""},
		{"1.000.000.000.000", "", CodeOutOfRange},
		{"1,234", "", CodeInvalidMoney},
		{"12,345", "", CodeInvalidMoney},
		{"0.500", "", CodeInvalidMoney},
		{"120000.500", "", CodeInvalidMoney},
		{"1.234,567", "", CodeInvalidMoney},
		{"12 34", "", CodeInvalidMoney},
		{"1.23.456", "", CodeInvalidMoney},
		{"US$ 100", "", CodeInvalidMoney},
		{"100 USD", "", CodeInvalidMoney},
		{"$ 1.000 - $ 2.000", "", CodeInvalidMoney},
		{"-", "", CodeInvalidMoney},
		{"--1", "", CodeInvalidMoney},
		{"(1.000)", "", CodeInvalidMoney},
		{"gratis", "", CodeInvalidMoney},
		{"1,5E+06", "", CodePrecisionLost},
	}
	for _, tt := range tests {
		got, err := Money(tt.in)
		checkErr(t, fmt.Sprintf("Money(%q)", tt.in), err, tt.wantErr)
		if got != tt.want {
			t.Errorf("Money(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDecimal(t *testing.T) {
	tests := []struct {
		in       string
		maxScale int
		want     string
		wantErr  string
	}{
		{"", 3, "", ""},
		{"2", 3, "2", ""},
		{"2.000", 3, "2", ""},
		{"1,5", 3, "1.5", ""},
		{"1.5", 3, "1.5", ""},
		{"1.500", 3, "1.5", ""},
		{"1,250", 3, "1.25", ""},
		{"0.125", 3, "0.125", ""},
		{"1.234.567", 3, "1234567", ""},
		{"1.234.567,891", 3, "1234567.891", ""},
		{"1,234.5", 3, "1234.5", ""},
		{"-2.50", 3, "-2.5", ""},
		{"-0.000", 3, "0", ""},
		{"007.10", 3, "7.1", ""},
		{".5", 1, "0.5", ""},
		{"1.50", 1, "1.5", ""},
		{"1.25", 1, "", CodeInvalidNumber},
		{"1.5", 0, "", CodeInvalidNumber},
		{"1.5", -1, "", CodeInvalidNumber},
		{"3", -1, "3", ""},
		{"1.2345", 3, "", CodeInvalidNumber},
		{"2 unidades", 3, "", CodeInvalidNumber},
		{"1,2,3", 3, "", CodeInvalidNumber},
		{"1.5E+3", 3, "", CodePrecisionLost},
	}
	for _, tt := range tests {
		got, err := Decimal(tt.in, tt.maxScale)
		checkErr(t, fmt.Sprintf("Decimal(%q, %d)", tt.in, tt.maxScale), err, tt.wantErr)
		if got != tt.want {
			t.Errorf("Decimal(%q, %d) = %q, want %q", tt.in, tt.maxScale, got, tt.want)
		}
	}
}

func TestWeight(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		unknown bool
		wantErr string
	}{
		{"", "", false, ""},
		{"12.5 Kilogramos", "12.5", false, ""},
		{"12,5 kg", "12.5", false, ""},
		{"12.5kg", "12.5", false, ""},
		{"12.5 KGS", "12.5", false, ""},
		{"3 kilos", "3", false, ""},
		{"1 kilogramo", "1", false, ""},
		{"4.2", "4.2", false, ""},
		{"4,20", "4.2", false, ""},
		{"1.125", "1.125", false, ""},
		{"1.500 kg", "1.5", false, ""},
		{"800 g", "0.8", false, ""},
		{"800gr", "0.8", false, ""},
		{"350 gramos", "0.35", false, ""},
		{"1.200.000 g", "1200", false, ""},
		{"1500 g", "1.5", false, ""},
		{"1,5 g", "", false, CodePrecisionLost},
		{"10 lb", "4.536", false, ""},
		{"10 lbs", "4.536", false, ""},
		{"1 libra", "0.454", false, ""},
		{"2,5 libras", "1.134", false, ""},
		{"0.001 lb", "", false, CodePrecisionLost},
		{"0.002 lb", "0.001", false, ""},
		{"4409 lb", "1999.889", false, ""},
		{"4410 lb", "", false, CodeInvalidWeight},
		{"2000", "2000", false, ""},
		{"2000.001", "", false, CodeInvalidWeight},
		{"12345678", "", false, CodeInvalidWeight},
		{"0", "", true, ""},
		{"0 kg", "", true, ""},
		{"0,0", "", true, ""},
		{"0 g", "", true, ""},
		{"-", "", true, ""},
		{"N/A", "", true, ""},
		{"-3", "", false, CodeInvalidWeight},
		{"-0.5 kg", "", false, CodeInvalidWeight},
		{"1.500 g", "", false, CodeInvalidWeight},
		{"1,500 g", "", false, CodeInvalidWeight},
		{"12.5 g", "", false, CodePrecisionLost},
		{"1.2345", "", false, CodePrecisionLost},
		{"5 onzas", "", false, CodeInvalidWeight},
		{"pesado", "", false, CodeInvalidWeight},
		{"kg 12", "", false, CodeInvalidWeight},
		{"12-15 kg", "", false, CodeInvalidWeight},
		{"12..5", "", false, CodeInvalidWeight},
		{"1,5E+3", "", false, CodePrecisionLost},
	}
	for _, tt := range tests {
		got, unknown, err := Weight(tt.in)
		checkErr(t, fmt.Sprintf("Weight(%q)", tt.in), err, tt.wantErr)
		if got != tt.want || unknown != tt.unknown {
			t.Errorf("Weight(%q) = %q, %v; want %q, %v", tt.in, got, unknown, tt.want, tt.unknown)
		}
	}
}
