package csvsafe

import (
	"bytes"
	"testing"
)

func TestCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Luna", "Luna"},
		{"=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"},
		{"+57 300", "'+57 300"},
		{"-5", "'-5"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1+1", "'\t=1+1"},
		{"\r=1+1", "'\r=1+1"},
		{" =1", " =1"}, // a spreadsheet does not evaluate a cell starting with a space
		{"a=b", "a=b"},
		{"'=1", "'=1"},
		{"ñ=1", "ñ=1"},
	}
	for _, tt := range tests {
		if got := Cell(tt.in); got != tt.want {
			t.Errorf("Cell(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWriterNeutralisesEveryCellAndKeepsTheRow(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b)
	row := []string{"id", "=cmd|' /C calc'!A0", "@x", "ok"}
	if err := w.Write(row); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), "id,'=cmd|' /C calc'!A0,'@x,ok\n"; got != want {
		t.Errorf("wrote %q, want %q", got, want)
	}
	if row[1] != "=cmd|' /C calc'!A0" {
		t.Errorf("the caller's row was changed: %q", row)
	}
}
