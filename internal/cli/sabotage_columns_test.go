package cli

// Sabotage cases of issue 26 on columns and sheets: a column recon does
// not know (a renamed diagnosis header), two columns competing for one
// field, and workbooks with several sheets (split, hidden, unrecognised).
// Each case imports a tiny hand-written export into its own database.

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/petfriendly/recon/internal/gen"
	"github.com/petfriendly/recon/internal/pgtest"
	"github.com/petfriendly/recon/reconcile"
	"github.com/petfriendly/recon/source"
)

const (
	colClients = "id,nombre,documento,celular,email,ciudad\n" +
		"C1,José Pérez,1020304050,3001234567,jose@example.com,Bogotá\n" +
		"C2,María Muñoz,52000111,3109998877,maria@example.com,Medellín\n"
	colPets = "id,id_cliente,nombre,especie,sexo,fecha_nacimiento\n" +
		"P1,C1,Firulais,Canino,Macho,2019-04-03\n" +
		"P2,C2,Misu,Felino,Hembra,2020-06-01\n"
	colMedical = "id,id_paciente,fecha,tipo,descripcion,%s,tratamiento\n" +
		"M1,P1,2024-01-02 10:00,consulta,Rasca la oreja,otitis externa,gotas\n" +
		"M2,P1,2024-02-02 10:00,control,Mejor,,\n" +
		"M3,P2,2024-03-05 09:30,consulta,Vomita,gastritis,dieta\n"
)

// sheetSpec is one worksheet of a workbook written by colWorkbook.
type sheetSpec struct {
	name   string
	hidden bool
	rows   [][]string
}

// colWorkbook writes a workbook; the first visible sheet is active (Excel
// cannot hide the active sheet).
func colWorkbook(t *testing.T, sheets ...sheetSpec) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			t.Fatal(err)
		}
		for r, row := range s.rows {
			cells := make([]any, len(row))
			for i, c := range row {
				cells[i] = c
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(s.name, cell, &cells); err != nil {
				t.Fatal(err)
			}
		}
	}
	for i, s := range sheets {
		if !s.hidden {
			f.SetActiveSheet(i)
			break
		}
	}
	for _, s := range sheets {
		if s.hidden {
			if err := f.SetSheetVisible(s.name, false); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func csvRows(text string) [][]string {
	var out [][]string
	for _, l := range strings.Split(strings.TrimSpace(text), "\n") {
		out = append(out, strings.Split(l, ","))
	}
	return out
}

func TestSabotageColumnsAndSheets(t *testing.T) {
	medical := func(header string) string { return strings.Replace(colMedical, "%s", header, 1) }
	clientRows := csvRows(colClients)
	tests := []struct {
		name    string
		files   map[string]string // export files; default the three CSVs
		mapping string
		// importOnly: the mapping file is given to the import, not to verify.
		importOnly bool
		wantCode   int
		// import stdout must hold these; issues are the column_not_migrated
		// warnings recorded (field_name), one per column.
		importOut []string
		issues    []string
		finding   map[string]string // a column_not_migrated finding's file and params; nil for none
		verifyOut []string          // text report must hold these
		check     func(t *testing.T, db *pgtest.DB, r *reconcile.Result)
	}{
		{name: "control: every column mapped", wantCode: 0},
		{name: "renamed diagnosis header", files: map[string]string{"historia_clinica.csv": medical("Diagnóstico definitivo")},
			wantCode:  1,
			importOut: []string{"historia_clinica.csv", "Diagnóstico definitivo", "column_not_migrated"},
			issues:    []string{"Diagnóstico definitivo"},
			finding:   map[string]string{"file": "historia_clinica.csv", "column": "Diagnóstico definitivo", "filled": "2", "sample": "otitis externa"},
			verifyOut: []string{"Diagnóstico definitivo", "NO MIGRADA", "2 celdas con valor"}},
		{name: "renamed diagnosis declared not migrated", files: map[string]string{"historia_clinica.csv": medical("Diagnóstico definitivo")},
			mapping:  "[ignore]\nmedical = [\"Diagnóstico definitivo\"]\n",
			wantCode: 0, verifyOut: []string{"declarada no migrada"},
			check: func(t *testing.T, db *pgtest.DB, r *reconcile.Result) {
				var kept string
				if err := db.Pool.QueryRow(context.Background(), `SELECT source_data->>'Diagnóstico definitivo' FROM migration_migrationrecord
					WHERE source_type = 'record' AND source_id = 'M1'`).Scan(&kept); err != nil || kept != "otitis externa" {
					t.Errorf("source_data keeps %q (%v), want the declared column's value", kept, err)
				}
			}},
		{name: "renamed diagnosis mapped", files: map[string]string{"historia_clinica.csv": medical("Diagnóstico definitivo")},
			mapping:  "[columns.medical]\n\"Diagnóstico definitivo\" = \"diagnostico\"\n",
			wantCode: 0,
			check: func(t *testing.T, db *pgtest.DB, r *reconcile.Result) {
				var n int
				if err := db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM medical_medicalrecord WHERE diagnosis <> ''`).Scan(&n); err != nil || n != 2 {
					t.Errorf("%d diagnoses stored (%v), want 2", n, err)
				}
			}},
		{name: "notas and observaciones compete", files: map[string]string{"clientes.csv": "id,nombre,notas,observaciones\nC1,José Pérez,vip,llamar tarde\nC2,María Muñoz,,\n"},
			wantCode:  1,
			importOut: []string{"observaciones", "compite con \"notas\""},
			issues:    []string{"observaciones"},
			finding:   map[string]string{"file": "clientes.csv", "column": "observaciones", "competes": "notas", "competes_with": "notas", "filled": "1"}},
		{name: "workbook split in two sheets", files: map[string]string{"clientes.csv": "", "clientes.xlsx": colWorkbook(t,
			sheetSpec{name: "Clientes", rows: clientRows[:2]}, sheetSpec{name: "Clientes (2)", rows: [][]string{clientRows[0], clientRows[2]}})},
			wantCode: 0,
			check: func(t *testing.T, db *pgtest.DB, r *reconcile.Result) {
				if tc := r.Types["clients"]; tc.SourceRows != 2 || tc.Imported != 2 {
					t.Errorf("clients %+v, want both sheets' rows imported", tc)
				}
				if got := sheetStatuses(r, "clientes.xlsx"); got != "Clientes:read,Clientes (2):read" {
					t.Errorf("sheets %s", got)
				}
			}},
		{name: "workbook with a hidden sheet of stale data", files: map[string]string{"clientes.csv": "", "clientes.xlsx": colWorkbook(t,
			sheetSpec{name: "Antiguos", hidden: true, rows: [][]string{clientRows[0], {"C1", "José Viejo", "1020304050", "3001234567", "old@example.com", "Cali"},
				{"C9", "Borrado", "1", "3000000000", "b@example.com", "Cali"}}},
			sheetSpec{name: "Clientes", rows: clientRows})},
			wantCode:  0,
			importOut: []string{"Hoja \"Antiguos\"", "oculta"},
			verifyOut: []string{"hoja \"Antiguos\": oculta"},
			check: func(t *testing.T, db *pgtest.DB, r *reconcile.Result) {
				var names string
				if err := db.Pool.QueryRow(context.Background(), `SELECT string_agg(full_name, ',' ORDER BY full_name) FROM vet_clinic_ownerprofile`).Scan(&names); err != nil ||
					names != "José Pérez,María Muñoz" {
					t.Errorf("owners %q (%v), want the visible sheet's", names, err)
				}
				if got := sheetStatuses(r, "clientes.xlsx"); got != "Antiguos:hidden,Clientes:read" {
					t.Errorf("sheets %s", got)
				}
			}},
		{name: "stale hidden sheet imported, verified without it", files: map[string]string{"clientes.csv": "", "clientes.xlsx": colWorkbook(t,
			sheetSpec{name: "Antiguos", hidden: true, rows: [][]string{clientRows[0], {"C9", "Borrado", "1", "3000000000", "b@example.com", "Cali"}}},
			sheetSpec{name: "Clientes", rows: clientRows})},
			mapping: "[[file]]\nname = \"clientes.xlsx\"\nsheets = [\"Antiguos\"]\n", importOnly: true,
			wantCode: 1, verifyOut: []string{"hoja \"Antiguos\": oculta"},
			check: func(t *testing.T, db *pgtest.DB, r *reconcile.Result) {
				vanished := false
				for _, f := range r.Findings {
					vanished = vanished || f.Code == reconcile.CodeVanished && f.SourceID == "C9" && f.Blocks
				}
				if !vanished {
					t.Errorf("the hidden sheet's client C9 is not reported as vanished from the export verified")
				}
			}},
		{name: "workbook with an unrecognised sheet", files: map[string]string{"clientes.csv": "", "clientes.xlsx": colWorkbook(t,
			sheetSpec{name: "Léame", rows: [][]string{{"Exportado desde OkVet"}, {"ver anexos"}}}, sheetSpec{name: "Clientes", rows: clientRows})},
			wantCode:  0,
			importOut: []string{"Hoja \"Léame\"", "sin tipo reconocido"},
			check: func(t *testing.T, db *pgtest.DB, r *reconcile.Result) {
				if got := sheetStatuses(r, "clientes.xlsx"); got != "Léame:unrecognised,Clientes:read" {
					t.Errorf("sheets %s", got)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			work := t.TempDir()
			export := filepath.Join(work, "export")
			files := map[string]string{"clientes.csv": colClients, "mascotas.csv": colPets, "historia_clinica.csv": medical("diagnostico")}
			for k, v := range tt.files {
				files[k] = v
			}
			if err := os.MkdirAll(export, 0o755); err != nil {
				t.Fatal(err)
			}
			for name, text := range files {
				if text == "" {
					continue // left out of this export
				}
				if err := os.WriteFile(filepath.Join(export, name), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			db := pgtest.MustOpenDB(t)
			base := []string{"--database-url", db.URL, "--home", filepath.Join(work, "home"), "--no-progress"}
			var mapping []string
			if tt.mapping != "" {
				mp := filepath.Join(work, "mapping.toml")
				if err := os.WriteFile(mp, []byte(tt.mapping), 0o644); err != nil {
					t.Fatal(err)
				}
				mapping = []string{"--mapping", mp}
			}
			code, out, errs := run(t, append(append(base, "import", "all", "--dir", export), mapping...)...)
			if code != 0 {
				t.Fatalf("import: exit %d\n%s%s", code, out, errs)
			}
			for _, w := range tt.importOut {
				if !strings.Contains(out, w) {
					t.Errorf("import output lacks %q:\n%s", w, out)
				}
			}
			var issues []string
			rows, err := db.Pool.Query(context.Background(), `SELECT field_name FROM migration_dataqualityissue
				WHERE issue_type = 'column_not_migrated' AND severity = 'warning' ORDER BY field_name`)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var f string
				if err := rows.Scan(&f); err != nil {
					t.Fatal(err)
				}
				issues = append(issues, f)
			}
			rows.Close()
			if strings.Join(issues, "|") != strings.Join(tt.issues, "|") {
				t.Errorf("column_not_migrated issues %q, want %q (one per column)", issues, tt.issues)
			}

			jsonPath := filepath.Join(work, "verify.json")
			if tt.importOnly {
				mapping = nil
			}
			code, out, errs = run(t, append(append(base, "verify", "--json", jsonPath, "--seed", "1"), mapping...)...)
			if code != tt.wantCode {
				t.Errorf("verify: exit %d, want %d\n%s%s", code, tt.wantCode, out, errs)
			}
			for _, w := range tt.verifyOut {
				if !strings.Contains(out, w) {
					t.Errorf("verify output lacks %q:\n%s", w, out)
				}
			}
			b, err := os.ReadFile(jsonPath)
			if err != nil {
				t.Fatal(err)
			}
			var r reconcile.Result
			if err := json.Unmarshal(b, &r); err != nil {
				t.Fatal(err)
			}
			var found []reconcile.Finding
			for _, f := range r.Findings {
				if f.Code == reconcile.CodeColumnNotMigrated {
					found = append(found, f)
				}
			}
			switch {
			case tt.finding == nil && len(found) > 0:
				t.Errorf("unexpected findings %+v", found)
			case tt.finding != nil:
				if len(found) != 1 || found[0].File != tt.finding["file"] || !found[0].Blocks {
					t.Fatalf("column findings %+v, want one blocking on %s", found, tt.finding["file"])
				}
				for k, v := range tt.finding {
					if k != "file" && found[0].Params[k] != v {
						t.Errorf("finding param %s = %q, want %q", k, found[0].Params[k], v)
					}
				}
				for _, c := range r.Checklist {
					if c.Code == reconcile.CheckComplete && c.OK {
						t.Errorf("migration_complete holds with a column not migrated")
					}
				}
			}
			if tt.check != nil {
				tt.check(t, db, &r)
			}
		})
	}
}

// sheetStatuses lists a verified workbook's sheets as "name:status".
func sheetStatuses(r *reconcile.Result, file string) string {
	for _, s := range r.Sources {
		if filepath.Base(s.Path) == file {
			var out []string
			for _, sh := range s.Sheets {
				out = append(out, sh.Name+":"+sh.Status)
			}
			return strings.Join(out, ",")
		}
	}
	return "(no source " + file + ")"
}

// A clean generated export, in every variant, has every column mapped and
// every sheet read: verify raises no column or sheet finding on it.
func TestGeneratedExportColumnsAccounted(t *testing.T) {
	for _, variant := range []string{"utf8", "excel-es", "xlsx"} {
		t.Run(variant, func(t *testing.T) {
			dir := t.TempDir()
			if _, err := gen.Generate(context.Background(), gen.Options{Out: dir, Scale: 1, Seed: 3, Variant: variant}); err != nil {
				t.Fatal(err)
			}
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			files := 0
			for _, e := range entries {
				if e.IsDir() || e.Name() == "expected.json" || strings.HasPrefix(e.Name(), ".") {
					continue
				}
				files++
				r, err := source.Open(filepath.Join(dir, e.Name()), source.Options{})
				if err != nil {
					t.Fatalf("%s: %v", e.Name(), err)
				}
				for {
					if _, err := r.Next(); err == io.EOF {
						break
					}
				}
				info := r.Info()
				r.Close()
				if u := info.Unaccounted(); len(u) > 0 {
					t.Errorf("%s: columns not migrated %+v", e.Name(), u)
				}
				for _, c := range info.Columns {
					if c.Status != source.ColumnMapped {
						t.Errorf("%s: column %q %s", e.Name(), c.Header, c.Status)
					}
				}
				for _, s := range info.Sheets {
					if s.Status != source.SheetRead {
						t.Errorf("%s: sheet %q %s", e.Name(), s.Name, s.Status)
					}
				}
			}
			if files != 9 {
				t.Errorf("%d export files, want 9", files)
			}
		})
	}
}
