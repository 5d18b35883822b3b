package reports

import (
	"strings"
	"testing"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/reconcile"
	"github.com/petfriendly/recon/source"
)

// The reports say per file where each column and sheet went, and the
// column_not_migrated finding in words.
func TestColumnsAndSheetsInReports(t *testing.T) {
	r := fixture(t)
	r.Sources = append(r.Sources, reconcile.SourceFile{Type: "medical", Path: "historia_clinica.xlsx", Status: "ok",
		Columns: []source.Column{
			{Index: 1, Header: "id", Type: "medical", Field: "id", Status: source.ColumnMapped, Sheet: "Consultas"},
			{Index: 4, Header: "Diagnóstico definitivo", Filled: 120, Sample: "otitis", Status: source.ColumnNotMigrated, Sheet: "Consultas"},
			{Index: 5, Header: "Código interno", Ignored: true, Status: source.ColumnIgnored, Sheet: "Consultas"},
		},
		Sheets: []source.Sheet{{Name: "Consultas", Status: source.SheetRead}, {Name: "Viejas", Hidden: true, Status: source.SheetHidden},
			{Name: "Léame", Status: source.SheetUnrecognised}}})
	f := reconcile.Finding{Code: reconcile.CodeColumnNotMigrated, Type: "medical", File: "/x/historia_clinica.xlsx", Blocks: true,
		Params: map[string]string{"column": "Diagnóstico definitivo", "index": "4", "filled": "120", "sample": "otitis", "sheet": "Consultas"}}
	conflict := reconcile.Finding{Code: reconcile.CodeColumnNotMigrated, Type: "clients", File: "clientes.csv", Blocks: true,
		Params: map[string]string{"column": "observaciones", "index": "4", "filled": "3", "sample": "x", "competes": "notas", "competes_with": "notas"}}
	tests := []struct {
		name string
		got  string
		want []string
	}{
		{"html es", renderFixture(t, r, HTMLOptions{Now: fixedNow}), []string{"Columnas y hojas", "historia_clinica.xlsx",
			"Diagnóstico definitivo", "NO MIGRADA: no llega a ningún campo (120 celdas con valor, p. ej. &#34;otitis&#34;)",
			"declarada no migrada", "Hoja Viejas", "oculta: no se lee", "Hoja Léame", "sin tipo reconocido", "→ medical.id"}},
		{"html en", renderFixture(t, r, HTMLOptions{Lang: i18n.EN, Now: fixedNow}), []string{"Columns and sheets", "NOT MIGRATED: reaches no field",
			"hidden: not read"}},
		{"finding es", FindingText(i18n.ES, f), []string{"historia_clinica.xlsx: ", `la columna "Diagnóstico definitivo" (n.º 4) de la hoja "Consultas"`,
			"120 celdas con valor no migradas", `"otitis"`, "ignore"}},
		{"finding en", FindingText(i18n.EN, conflict), []string{"clientes.csv: ", `column "observaciones" (no. 4) competes with column "notas" for field notas`,
			"3 non-empty cells not migrated"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, w := range tt.want {
				if !strings.Contains(tt.got, w) {
					t.Errorf("lacks %q in:\n%s", w, clipText(tt.got, tt.want[0]))
				}
			}
		})
	}
}

// clipText is the part of a long report around a marker, for messages.
func clipText(s, marker string) string {
	i := strings.Index(s, marker)
	if i < 0 || len(s) < 2000 {
		return s[:min(len(s), 2000)]
	}
	return s[i:min(len(s), i+2000)]
}
