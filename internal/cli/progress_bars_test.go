package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/petfriendly/recon/importer"
	"github.com/petfriendly/recon/internal/gen"
	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/source"
)

// On a terminal the files loading at once share one bar naming each of
// them; the bar is dropped when the last file finishes, so the next file
// starts a fresh one.
func TestBarProgress(t *testing.T) {
	var errb bytes.Buffer
	g := &Globals{Stderr: &errb, Now: time.Now, L: i18n.EN}
	grp := &progressGroup{g: g, bars: true}
	pets := grp.begin("pets (mascotas.csv)")
	clients := grp.begin("clients (clientes.csv)")
	if grp.bar == nil {
		t.Fatal("no bar on a terminal")
	}
	pets.Add(10)
	clients.Add(5)
	if got := grp.bar.State().CurrentNum; got != 15 {
		t.Errorf("the shared bar counts %d rows, want 15", got)
	}
	pets.Finish()
	if grp.bar == nil || len(grp.active) != 1 || grp.active[0] != "clients (clientes.csv)" {
		t.Fatalf("after one file finished: bar %v, active %q", grp.bar != nil, grp.active)
	}
	clients.Finish()
	if grp.bar != nil || len(grp.active) != 0 {
		t.Errorf("after the last file: bar %v, active %q", grp.bar != nil, grp.active)
	}
	if !strings.Contains(errb.String(), "pets (mascotas.csv)") {
		t.Errorf("the bar never named the loading file: %q", errb.String())
	}
}

// A dead process's batches, marked failed, are named for the operator
// unless --quiet.
func TestPrintInterrupted(t *testing.T) {
	tests := []struct {
		name  string
		g     Globals
		ids   []int64
		want  string
		quiet bool
	}{
		{"es", Globals{L: i18n.ES}, []int64{7, 12}, "marcados como fallidos: 7, 12. No dejaron datos en el destino.\n", false},
		{"en", Globals{L: i18n.EN}, []int64{3}, "marked failed: 3. They left no data in the destination.\n", false},
		{"none", Globals{L: i18n.EN}, nil, "", false},
		{"quiet", Globals{L: i18n.EN, Quiet: true}, []int64{3}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var errb bytes.Buffer
			g := tt.g
			g.Stderr = &errb
			printInterrupted(&g, tt.ids)
			if got := errb.String(); !strings.HasSuffix(got, tt.want) || (tt.want == "") != (got == "") {
				t.Errorf("printed %q, want it to end in %q", got, tt.want)
			}
		})
	}
}

// The demo names each type whose import differs from what the generator
// wrote in expected.json.
func TestCompareExpected(t *testing.T) {
	exp := gen.Expected{Types: map[string]gen.TypeCounts{
		"clients": {SourceRows: 10, Imported: 9, Rejected: 1},
		"pets":    {SourceRows: 5, Imported: 5},
	}}
	ok := importer.DirResult{Summaries: []importer.Summary{
		{Type: "clients", Read: 10, Imported: 9, Rejected: 1},
		{Type: "pets", Read: 5, Imported: 5},
	}}
	g := &Globals{L: i18n.EN}
	if bad := compareExpected(g, exp, ok); len(bad) != 0 {
		t.Errorf("a matching import reported %q", bad)
	}
	off := importer.DirResult{Summaries: []importer.Summary{
		{Type: "clients", Read: 10, Imported: 10},
	}}
	bad := compareExpected(g, exp, off)
	want := []string{typeLabel(g, "clients") + " does not match expected.json", typeLabel(g, "pets") + " does not match expected.json"}
	if strings.Join(bad, "|") != strings.Join(want, "|") {
		t.Errorf("compareExpected = %q, want %q", bad, want)
	}
}

// A workbook with several sheets lists them, says where a later sheet's
// line numbers start, prefixes each column with its sheet, and counts the
// malformed rows it does not show.
func TestPrintInspectionSheets(t *testing.T) {
	f := source.FileReport{FileInfo: source.FileInfo{Path: "okvet.xlsx", Format: "xlsx", Profile: "okvet", Types: []string{"clients"},
		Sheets: []source.Sheet{{Name: "Clientes", Status: source.SheetRead, FirstLine: 1},
			{Name: "Clientes 2", Status: source.SheetRead, FirstLine: 120}, {Name: "Notas", Status: source.SheetEmpty}},
		Columns: []source.Column{{Index: 1, Header: "id", Type: "clients", Field: "id", Status: source.ColumnMapped, Sheet: "Clientes"}}},
		Recognized: true, Records: map[string]int{"clients": 3},
		RowErrors:  []string{"line 4: bad quote"},
		RowErrorsN: 3,
	}
	tests := []struct {
		lang i18n.Lang
		want []string
	}{
		{i18n.ES, []string{"  hojas:\n", `    "Clientes": leída` + "\n", `    "Clientes 2": leída (sus filas se numeran desde 120)`,
			`"Notas": vacía`, "Clientes · id", "… y 2 más"}},
		{i18n.EN, []string{"  sheets:\n", "(its rows are numbered from 120)", "… and 2 more"}},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		if err := printInspection(&b, tt.lang, source.Inspection{Files: []source.FileReport{f}}); err != nil {
			t.Fatal(err)
		}
		for _, w := range tt.want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s: the inspection lacks %q:\n%s", tt.lang, w, b.String())
			}
		}
	}
}
