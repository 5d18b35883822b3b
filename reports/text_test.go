package reports

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/reconcile"
	"github.com/petfriendly/recon/source"
)

// longRun is a stored run as an older recon kept it (rejected rows not
// counted per reason), ready for sign-off, with more field differences
// and corrections than the text report lists.
func longRun() reconcile.Result {
	r := reconcile.Result{RunID: 12, Clinic: "Clínica Norte", Operator: "ana", OK: true, SignoffReady: true,
		GeneratedAt: time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC),
		Types: map[string]reconcile.TypeCounts{
			"pets": {SourceRows: 40, Imported: 31, Rejected: 6, Skipped: 3, DestinationRows: 31},
		},
		IssuesByType: []reconcile.IssueCount{
			{RecordType: "pets", Severity: "critical", Type: "missing_required", Open: 2},
			{RecordType: "pets", Severity: "critical", Type: "invalid_date", Open: 3, Resolved: 1},
			{RecordType: "pets", Severity: "info", Type: "duplicate_merged", Open: 5},
			{RecordType: "pets", Severity: "warning", Type: "phone_format", Open: 7},
		},
	}
	for i := range 23 {
		r.Mismatches = append(r.Mismatches, reconcile.Mismatch{Type: "pets", SourceID: fmt.Sprintf("P%d", i+1), Field: "name",
			Source: "Luna", Destination: "Lunita"})
	}
	for i := range 21 {
		c := reconcile.Correction{Type: "pets", SourceID: fmt.Sprintf("P%d", i+1), Field: "color", Old: "negro", New: "Negro",
			By: "ana", Reason: "mayúscula"}
		if i == 0 {
			c.At = time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)
		}
		r.Corrections = append(r.Corrections, c)
	}
	return r
}

// TestTextReportLongListsAndOldRuns: the text report cuts long lists at 20
// with a pointer to --json, explains rejected rows of a run stored without
// their reasons by the critical issue types, counts skipped rows, dates a
// correction in Bogotá time ("-" when unknown) and says when the run is
// ready for sign-off, in both languages.
func TestTextReportLongListsAndOldRuns(t *testing.T) {
	tests := []struct {
		lang    i18n.Lang
		want    []string
		notWant []string
	}{
		{i18n.ES, []string{
			"* 6 filas rechazadas por validación (invalid_date 4, missing_required 2)\n",
			"* 3 filas omitidas (eliminadas en OkVet u otras razones registradas)\n",
			"Diferencias de campos (origen → destino):\n",
			"  mascotas P20 name: \"Luna\" → \"Lunita\"\n  ... y 3 más (ver --json)\n",
			"  mascotas P1 color: \"negro\" → \"Negro\" — ana, 2026-11-20 10:00 -05: mayúscula\n",
			"  mascotas P2 color: \"negro\" → \"Negro\" — ana, -: mayúscula\n",
			"  mascotas P20 color: \"negro\" → \"Negro\" — ana, -: mayúscula\n  ... y 1 más (ver --json)\n",
			"RESULTADO: LISTO PARA APROBACIÓN\n",
		}, []string{"P21 name", "P21 color", "phone_format"}},
		{i18n.EN, []string{
			"* 6 rows rejected by validation (invalid_date 4, missing_required 2)\n",
			"* 3 rows skipped (deleted in OkVet or other recorded reasons)\n",
			"Field differences (source → destination):\n",
			"  ... and 3 more (see --json)\n",
			"  ... and 1 more (see --json)\n",
			"RESULT: READY FOR SIGN-OFF\n",
		}, []string{"P21 name", "P21 color"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.lang), func(t *testing.T) {
			var out bytes.Buffer
			if err := Text(&out, longRun(), TextOptions{Lang: tt.lang, Location: bogota(t)}); err != nil {
				t.Fatal(err)
			}
			got := out.String()
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("report lacks %q:\n%s", w, got)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(got, w) {
					t.Errorf("report has %q:\n%s", w, got)
				}
			}
		})
	}
}

// The column summary names the sheet of an unmapped column when the
// workbook has several, and lists sheets it did not read.
func TestTextColumnUseSheets(t *testing.T) {
	sources := []reconcile.SourceFile{
		{Type: "clients", Path: "/x/clientes.csv"}, // nothing to say: skipped
		{Type: "clients", Path: "/x/okvet.xlsx",
			Columns: []source.Column{{Index: 1, Header: "id", Status: source.ColumnMapped, Type: "clients", Field: "id", Sheet: "Clientes"},
				{Index: 9, Header: "Notas", Status: source.ColumnNotMigrated, Filled: 4, Sample: "ok", Sheet: "Clientes 2"}},
			Sheets: []source.Sheet{{Name: "Clientes", Status: source.SheetRead}, {Name: "Clientes 2", Status: source.SheetRead},
				{Name: "Viejas", Hidden: true, Status: source.SheetHidden}}},
	}
	var b bytes.Buffer
	textReport{w: &b, l: i18n.EN}.columnUse(sources)
	got := b.String()
	for _, w := range []string{"Columns per file:\n", "okvet.xlsx (", "1 of 2 columns mapped to a field",
		`    Notas [sheet "Clientes 2"]: NOT MIGRATED: reaches no field (4 non-empty cells, e.g. "ok")`,
		`    sheet "Viejas": hidden: not read`} {
		if !strings.Contains(got, w) {
			t.Errorf("column summary lacks %q:\n%s", w, got)
		}
	}
	if strings.Contains(got, "clientes.csv") {
		t.Errorf("a file without columns or sheets is listed:\n%s", got)
	}
}
