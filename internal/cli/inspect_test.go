package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/source"
)

var update = flag.Bool("update", false, "regenerate the inspect fixtures and golden outputs")

// inspectRoot holds one directory per golden case: the input files, an
// optional mapping.toml, want.txt (Spanish text) and want.json.
func inspectRoot() string { return filepath.Join("..", "..", "testdata", "source", "inspect") }

func inspectNow() time.Time { return time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC) }

// runInspect runs the command in dir on every input file there.
func runInspect(t *testing.T, dir string, lang i18n.Lang, asJSON bool) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	cmd := &InspectCmd{JSON: asJSON, Sample: 2}
	for _, e := range entries {
		switch name := e.Name(); {
		case strings.HasPrefix(name, "want."):
		case name == "mapping.toml":
			cmd.Mapping = filepath.Join(dir, name)
		default:
			cmd.Paths = append(cmd.Paths, filepath.Join(dir, name))
		}
	}
	sort.Strings(cmd.Paths)
	var out, errb bytes.Buffer
	g := &Globals{Stdout: &out, Stderr: &errb, L: lang, Now: inspectNow}
	if err := cmd.Run(context.Background(), g); err != nil {
		t.Fatalf("inspect: %v\n%s", err, errb.String())
	}
	// Golden files must not depend on where the repository lives.
	return strings.ReplaceAll(out.String(), dir+string(filepath.Separator), "")
}

func TestInspectGolden(t *testing.T) {
	if *update {
		writeInspectFixtures(t)
	}
	cases, err := os.ReadDir(inspectRoot())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		if !c.IsDir() {
			continue
		}
		t.Run(c.Name(), func(t *testing.T) {
			dir := filepath.Join(inspectRoot(), c.Name())
			for _, g := range []struct {
				file string
				json bool
			}{{"want.txt", false}, {"want.json", true}} {
				got := runInspect(t, dir, i18n.ES, g.json)
				if g.json && !json.Valid([]byte(got)) {
					t.Fatalf("invalid JSON:\n%s", got)
				}
				want := filepath.Join(dir, g.file)
				if *update {
					if err := os.WriteFile(want, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				w, err := os.ReadFile(want)
				if err != nil {
					t.Fatalf("%v (run: go test ./internal/cli/ -run TestInspectGolden -update)", err)
				}
				if got != string(w) {
					t.Errorf("%s differs (run with -update after checking):\n--- got\n%s\n--- want\n%s", g.file, got, w)
				}
			}
		})
	}
}

func TestInspectEnglishAndErrors(t *testing.T) {
	got := runInspect(t, filepath.Join(inspectRoot(), "mascotas-xlsx"), i18n.EN, false)
	for _, w := range []string{"header row: 2", "profile: okvet-mascotas; types: clients, pets", "(unmapped)", "sample:"} {
		if !strings.Contains(got, w) {
			t.Errorf("english output lacks %q:\n%s", w, got)
		}
	}
	got = runInspect(t, filepath.Join(inspectRoot(), "bad-files"), i18n.EN, false)
	for _, w := range []string{"not recognised: empty file", "binary file", "header only", "malformed rows"} {
		if !strings.Contains(got, w) {
			t.Errorf("english output lacks %q:\n%s", w, got)
		}
	}

	var out bytes.Buffer
	g := &Globals{Stdout: &out, Stderr: &out, L: i18n.ES, Now: inspectNow}
	if err := (&InspectCmd{Paths: []string{"/nonexistent"}}).Run(context.Background(), g); err == nil {
		t.Error("missing path: no error")
	}
	if err := (&InspectCmd{Paths: []string{"."}, Profile: "nope"}).Run(context.Background(), g); err == nil || !strings.Contains(err.Error(), "perfil desconocido") {
		t.Errorf("bad profile: %v", err)
	}
	bad := filepath.Join(t.TempDir(), "m.toml")
	os.WriteFile(bad, []byte("[columns.gatos]\n"), 0o644)
	if err := (&InspectCmd{Paths: []string{"."}, Mapping: bad}).Run(context.Background(), g); err == nil {
		t.Error("bad mapping: no error")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := (&InspectCmd{Paths: []string{"."}}).Run(ctx, g); err == nil {
		t.Error("cancelled context: no error")
	}
	out.Reset()
	if err := (&InspectCmd{Paths: []string{t.TempDir()}}).Run(context.Background(), g); err != nil || !strings.Contains(out.String(), "No hay archivos") {
		t.Errorf("empty folder: %v %q", err, out.String())
	}
}

// writeInspectFixtures (re)creates the golden cases' input files. Only run
// with -update; the results are committed.
func writeInspectFixtures(t *testing.T) {
	t.Helper()
	root := inspectRoot()
	write := func(dir, name string, data []byte) {
		t.Helper()
		p := filepath.Join(root, dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cp1252 := func(s string) []byte {
		b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	d := func(y, m, day int) time.Time { return time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC) }

	// OkVet "Mascotas" report: merged title on row 1, headers on row 2.
	var header []any
	for _, c := range source.MascotasReport() {
		header = append(header, c.Header)
	}
	write("mascotas-xlsx", "Mascotas.xlsx", workbook(t, "Mascotas", "A1:U1", []int{7, 9, 19, 20}, [][]any{
		{"OkVet - Mascotas"},
		header,
		{"Firulais", "Canino", "Criollo(a)", 12.5, "Macho", "Esterilizado", d(2019, 4, 3), "Café", "", "Juan Pérez", "CC", "1.020.304.050", "mailto:JUAN@CORREO.CO", 3001234567, "601 2345678", "Calle 1 # 2-3", "Hija", "WhatsApp", d(2020, 1, 15), d(2024, 1, 1), "Sí"},
		{"Misu", "Felino", "Angora", "0", "Hembra", "No esterilizado", "", "Blanco", d(2023, 6, 1), "Juan Pérez", "CC", "1020304050", "juan@correo.co", "3001234567", "", "Calle 1 # 2-3", "", "", d(2020, 1, 15), "", "Sí"},
		{"Nemo", "Pez", "", "", "", "", "", "", "", "Ana Ruiz", "Ninguno / Teléfono móvil", "310 555 1234", "", "", "", "", "", "", "", "", "No"},
		{"Rex", "Dinosaurio", "", "9,85141E+14", "M", "", d(2030, 1, 1), "", "", "Empresa SAS", "NIT", "900.123.456-0", "ventas@empresa", "", "", "", "", "", "", "", ""},
	}))

	// Spanish-locale Excel re-save: Windows-1252, ";" and CRLF.
	write("win1252-semicolon", "clientes.csv", cp1252(strings.Join([]string{
		"Id;Nombre;Teléfono;Celular;Correo;Dirección;Ciudad;Notas;Fecha registro;Autorización datos",
		"1;María Peña;601 234 5678;+57 300 123 4567;MARIA@CORREO.CO;Cra 7 # 45-10;Bogotá;\"Prefiere llamadas\r\nen la tarde\";03/04/2021;Sí",
		"2;José Muñoz;;3109876543;jose@@correo;Calle 80;Medellín;-;2021-05-02 14:30;No",
		"3;Ángela Ruíz;;;;;Cali;N/A;31/02/2021;",
		"4;Fila corta",
		"",
	}, "\r\n")))
	write("win1252-semicolon", "productos.csv", cp1252(strings.Join([]string{
		"Código;Nombre;Categoría;Precio;Costo;Stock;Activo;Id",
		"VAC-01;Vacuna antirrábica;Biológicos;$132.999;COP 80.000;12;Sí;p1",
		"ALI-02;Concentrado 2 kg;Alimentos;45.500,50;30000;1.234;No;p2",
		"",
	}, "\r\n")))

	// Database dump (English columns, Laravel timestamps, soft deletes).
	write("dump-xlsx", "propietarios.xlsx", workbook(t, "owners", "", nil, [][]any{
		{"id", "name", "ident_type", "number_doc", "phone", "phone2", "mobile", "email", "address", "city", "region", "country",
			"conctact", "kind_person", "regime", "habeas_at", "created_at", "updated_at", "deleted_at"},
		{17, "Juan Pérez", "cc", "1020304050", "6012345678", "", "+573001234567", "juan@correo.co", "Calle 1", "Bogotá", "Cundinamarca", "CO", "", "natural", "simplificado", "2021-03-04 10:00:00", "2021-03-04 10:00:00", "2021-03-04 10:00:00", ""},
		{18, "Cliente Borrado", "cc", "999999", "", "", "", "", "", "", "", "", "", "", "", "", "2021-03-04 10:00:00", "2022-01-01 00:00:00", "2022-01-01 00:00:00"},
		{19, "Empresa SAS", "nit", "900.123.456-8", "", "", "+52 55 1234 5678", "ventas@empresa.com.co", "Av 68", "Bogotá", "", "CO", "", "juridica", "comun", "", "2022-02-02 08:00:00", "", ""},
	}))

	// Pets and vaccinations dumps named through a mapping file.
	write("dump-mapping", "mascotas.csv", []byte(
		"id,owner_id,name,specie,race,specie_other,race_other,gender_id,color,birth_at,weight,weight_unit,size_id,reproductive_state,photo,dead,dead_at,code,food,created_at,updated_at,deleted_at\n"+
			"5,17,Max,canine,Labrador,,,1,negro,2019-02-03,12500,g,2,sterilized,,0,,985141000123456,,2020-01-01 09:00:00,2020-01-01 09:00:00,\n"+
			"6,17,Nemo,other,other,Pescadito,Payaso,3,naranja,2021-01-01,0,kg,1,unknow,,1,2023-02-01,\"9,85141E+14\",,2020-01-01 09:00:00,2020-01-01 09:00:00,\n"+
			"7,19,Viejo,feline,,,,2,gris,2010-01-01,4,kg,1,unsterilized,,0,,,,2020-01-01 09:00:00,2021-01-01 09:00:00,2021-01-01 09:00:00\n"))
	write("dump-mapping", "vacunaciones.csv", []byte(
		"id,pet_id,vet_id,user_id,vaccine_type_id,laboratory,lot,details,vaccine_at,next_vaccine_at\n"+
			"1,5,2,2,7,Zoetis,L-1,,2024-01-10,2025-01-10\n"+
			"2,5,2,2,9,MSD,L-2,,2024-01-10,2025-01-10\n"))
	write("dump-mapping", "mapping.toml", []byte("[vocabulary.species]\n\"Pescadito\" = \"fish\"\n\n[vocabulary.sex]\n\"1\" = \"male\"\n\"2\" = \"female\"\n\n[vocabulary.vaccines]\n\"7\" = \"Parvovirus + Moquillo\"\n"))

	// Files that are not exports, or broken ones.
	write("bad-files", "vacio.csv", nil)
	write("bad-files", "imagen.csv", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"))
	write("bad-files", "solo-encabezado.csv", []byte("id,nombre,email\r\n"))
	write("bad-files", "desconocido.csv", []byte("foo;bar;baz\n1;2;3\n"))
	write("bad-files", "duplicado.csv", []byte("id,nombre,correo,Correo\n1,a,b,c\n"))
	write("bad-files", "irregular.csv", []byte("id,nombre,email\n1,Ana,ana@x.co\n2,Luis\n3,Eva,eva@x.co,sobra\n4,\"Max \"\"el grande\"\"\",max@x.co\n5,Dr. \"Who\",who@x.co\n"))
	write("bad-files", "clientes-texto.xlsx", []byte("id,nombre\n1,Ana\n"))
	whole := workbook(t, "clientes", "", nil, [][]any{{"id", "nombre"}, {1, "Ana"}})
	write("bad-files", "truncado.xlsx", whole[:len(whole)/2])
	write("bad-files", "viejo.xls", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"+strings.Repeat("\x00", 100)))
	write("bad-files", "celda-gigante.csv", []byte("id,nombre,notas\n1,Ana,"+strings.Repeat("x", 1<<20)+"\n"))
}

// workbook writes one sheet with excelize; dateCols get a date format so
// their time.Time cells are stored as serials, as Excel does.
func workbook(t *testing.T, name, merge string, dateCols []int, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	check(f.SetSheetName("Sheet1", name))
	style, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	check(err)
	for r, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, r+1)
		check(f.SetSheetRow(name, cell, &row))
		for _, c := range dateCols {
			if c <= len(row) {
				if _, ok := row[c-1].(time.Time); ok {
					ref, _ := excelize.CoordinatesToCellName(c, r+1)
					check(f.SetCellStyle(name, ref, ref, style))
				}
			}
		}
	}
	if merge != "" {
		a, b, _ := strings.Cut(merge, ":")
		check(f.MergeCell(name, a, b))
	}
	var buf bytes.Buffer
	check(f.Write(&buf))
	return buf.Bytes()
}

func ExampleInspectCmd() {
	var out bytes.Buffer
	g := &Globals{Stdout: &out, L: i18n.EN, Now: inspectNow}
	dir := filepath.Join(inspectRoot(), "win1252-semicolon")
	_ = (&InspectCmd{Paths: []string{filepath.Join(dir, "productos.csv")}, Sample: 0}).Run(context.Background(), g)
	fmt.Println(strings.SplitN(out.String(), "\n", 4)[2])
	// Output:
	//   header row: 1
}

func TestInspectTexts(t *testing.T) {
	for _, l := range []i18n.Lang{i18n.ES, i18n.EN} {
		for _, r := range []string{"empty", "binary", "legacy_xls", "corrupt_xlsx", "unrecognized", "ambiguous", "duplicate_header", "missing_column", "xlsx_limit", "link_outside", "not_regular", "io"} {
			if reasonText(l, r) == "" || r != "io" && reasonText(l, r) == reasonText(l, "io") {
				t.Errorf("%s: no text for reason %s", l, r)
			}
		}
		for _, n := range []string{source.NoteSoftDelete, source.NoteShadowed, source.NoteUnnamed, source.NoteNotKept} {
			if noteText(l, n) == n {
				t.Errorf("%s: note %s not translated", l, n)
			}
		}
		if got := noteText(l, "other"); got != "other" {
			t.Errorf("unknown note = %q", got)
		}
		for _, typ := range []string{source.IssueTitleRows, source.IssueHeaderOnly, source.IssueContentMismatch, source.IssueDate1904} {
			if got := fileIssueText(l, "csv", source.Issue{Type: typ, Value: "1"}); strings.HasPrefix(got, typ) {
				t.Errorf("%s: file issue %s not translated: %q", l, typ, got)
			}
		}
		if got := fileIssueText(l, "csv", source.Issue{Type: "other", Message: "m"}); got != "other: m" {
			t.Errorf("unknown file issue = %q", got)
		}
	}
}
