package reports

import (
	"reflect"
	"testing"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/internal/words"
	"github.com/petfriendly/recon/reconcile"
	"github.com/petfriendly/recon/source"
)

// The approval's "rows created in Pet-Friendly" list says per table how
// many rows no mapping explains, how many came after the import, and at
// most five of them by id; --allow-new-rows is said once at the end.
func TestCreatedRows(t *testing.T) {
	created := func(typ string, id int64) reconcile.Finding {
		return reconcile.Finding{Code: reconcile.CodeNotFromMigration, Type: typ, TargetID: id}
	}
	var many []reconcile.Finding
	for id := int64(1); id <= 7; id++ {
		many = append(many, created("pets", id))
	}
	tests := []struct {
		name string
		lang i18n.Lang
		r    reconcile.Result
		want []string
	}{
		{"none", i18n.ES, reconcile.Result{Types: map[string]reconcile.TypeCounts{"clients": {TableRows: 4, MappedRows: 4}}}, nil},
		{"counts without ids", i18n.ES, reconcile.Result{Types: map[string]reconcile.TypeCounts{"clients": {NotFromMigration: 2}}},
			[]string{typeLabel(i18n.ES, "clients") + ": 2 filas que no vienen de la migración"}},
		{"after the import, with ids", i18n.EN, reconcile.Result{
			Types: map[string]reconcile.TypeCounts{"clients": {NotFromMigration: 3, CreatedAfterImport: 1}},
			Findings: []reconcile.Finding{created("clients", 41),
				{Code: reconcile.CodeCreatedAfterImport, Type: "clients", TargetID: 42},
				{Code: reconcile.CodeNotFromMigration, Type: "clients"}, // no id: not listed
				{Code: reconcile.CodeNeverImported, Type: "clients", TargetID: 43}}},
			[]string{typeLabel(i18n.EN, "clients") + ": 3 rows that do not come from the migration, 1 created after the import (id 41, id 42)"}},
		{"five examples at most, allowed", i18n.EN, reconcile.Result{AllowNewRows: true,
			Types:    map[string]reconcile.TypeCounts{"pets": {NotFromMigration: 7}},
			Findings: many},
			[]string{typeLabel(i18n.EN, "pets") + ": 7 rows that do not come from the migration (id 1, id 2, id 3, id 4, id 5)",
				"The verification ran with --allow-new-rows: these rows do not fail it."}},
		{"allowed but nothing created", i18n.EN, reconcile.Result{AllowNewRows: true}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := (&pdfDoc{l: tt.lang}).createdRows(tt.r)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("createdRows:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// "Not migrated" lists each never-imported finding once and every export
// file no batch read.
func TestNotMigrated(t *testing.T) {
	f := reconcile.Finding{Code: reconcile.CodeFileNotImported, Type: "pets", File: "mascotas_2.csv"}
	r := reconcile.Result{
		Findings: []reconcile.Finding{f, f, {Code: reconcile.CodeNotFromMigration, Type: "pets", TargetID: 3}},
		Sources: []reconcile.SourceFile{{Type: "pets", Path: "mascotas.csv", Status: "ok"},
			{Type: "clients", Path: "clientes_nuevos.csv", Status: "new"}},
	}
	got := (&pdfDoc{l: i18n.EN}).notMigrated(r)
	want := []string{FindingText(i18n.EN, f), typeLabel(i18n.EN, "clients") + ": file clientes_nuevos.csv not imported"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("notMigrated:\n got %q\nwant %q", got, want)
	}
}

// Every column and sheet status has its own words; an unknown status is
// shown as it is rather than hidden.
func TestColumnAndSheetLabels(t *testing.T) {
	columns := []struct {
		c    source.Column
		lang i18n.Lang
		want string
	}{
		{source.Column{Status: source.ColumnMapped, Type: "pets", Field: "name"}, i18n.ES, "→ pets.name"},
		{source.Column{Status: source.ColumnNotKept}, i18n.ES, "columna conocida que recon no conserva"},
		{source.Column{Status: source.ColumnSoftDelete}, i18n.EN, "deletion mark: its rows are skipped"},
		{source.Column{Status: source.ColumnEmpty}, i18n.ES, "sin campo y sin valores"},
		{source.Column{Status: source.ColumnConflict, CompetesWith: "notas", Competes: "notes", Filled: 3}, i18n.EN,
			`NOT MIGRATED: competes with "notas" for field notes (3 non-empty cells)`},
		{source.Column{Status: "future_status"}, i18n.EN, "future_status"},
	}
	for _, tt := range columns {
		if got := ColumnLabel(tt.lang, tt.c); got != tt.want {
			t.Errorf("ColumnLabel(%s, %q) = %q, want %q", tt.lang, tt.c.Status, got, tt.want)
		}
	}
	sheets := []struct {
		s    source.Sheet
		lang i18n.Lang
		want string
	}{
		{source.Sheet{Status: source.SheetRead}, i18n.EN, "read"},
		{source.Sheet{Status: source.SheetOtherType}, i18n.ES, "de otro tipo (leída por su propio lote)"},
		{source.Sheet{Status: source.SheetEmpty}, i18n.ES, "vacía"},
		{source.Sheet{Status: source.SheetEmpty}, i18n.EN, "empty"},
		{source.Sheet{Status: "future_status"}, i18n.ES, "future_status"},
	}
	for _, tt := range sheets {
		if got := SheetLabel(tt.lang, tt.s); got != tt.want {
			t.Errorf("SheetLabel(%s, %q) = %q, want %q", tt.lang, tt.s.Status, got, tt.want)
		}
	}
	headers := []struct {
		c    source.Column
		lang i18n.Lang
		want string
	}{
		{source.Column{Header: "Nombre", Index: 2}, i18n.ES, "Nombre"},
		{source.Column{Index: 7}, i18n.ES, "(sin encabezado, columna 7)"},
		{source.Column{Index: 7}, i18n.EN, "(no header, column 7)"},
	}
	for _, tt := range headers {
		if got := ColumnHeader(tt.lang, tt.c); got != tt.want {
			t.Errorf("ColumnHeader(%s, %+v) = %q, want %q", tt.lang, tt.c, got, tt.want)
		}
	}
}

// Each row outcome compared between runs has a name and a count; an
// unknown outcome counts nothing and is named as it is.
func TestOutcomeLabelsAndCounts(t *testing.T) {
	c := reconcile.TypeCounts{Imported: 1, Merged: 2, Rejected: 3, Orphaned: 4, Skipped: 5, Unexplained: 6}
	tests := []struct {
		outcome string
		es, en  string
		count   int
	}{
		{"imported", "importadas", "imported", 1},
		{"merged_duplicates", "fusionadas", "merged", 2},
		{"rejected", "rechazadas", "rejected", 3},
		{"orphaned", "huérfanas", "orphaned", 4},
		{"skipped", "omitidas", "skipped", 5},
		{"unexplained", "sin explicar", "unexplained", 6},
		{"vanished", "vanished", "vanished", 0},
	}
	for _, tt := range tests {
		if got := words.CountedOutcome(i18n.ES, tt.outcome); got != tt.es {
			t.Errorf("CountedOutcome(es, %s) = %q, want %q", tt.outcome, got, tt.es)
		}
		if got := words.CountedOutcome(i18n.EN, tt.outcome); got != tt.en {
			t.Errorf("CountedOutcome(en, %s) = %q, want %q", tt.outcome, got, tt.en)
		}
		if got := outcomeCount(c, tt.outcome); got != tt.count {
			t.Errorf("outcomeCount(%s) = %d, want %d", tt.outcome, got, tt.count)
		}
	}
	if len(outcomeNames()) != len(tests)-1 {
		t.Errorf("outcomeNames has %d outcomes, the table above %d", len(outcomeNames()), len(tests)-1)
	}
}
