package gen

// An independent re-implementation of the import outcome rules, applied to
// the files as written. It shares nothing with the generator but the file
// names: if its counts equal expected.json, expected.json describes the
// defects that are really in the files.

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
)

var wantHeaders = map[string]string{
	"clientes":         "id,nombre,tipo_documento,documento,telefono,celular,email,direccion,ciudad,notas,fecha_registro,autorizacion_datos",
	"mascotas":         "id,id_cliente,nombre,especie,raza,sexo,fecha_nacimiento,peso,color,microchip,esterilizado,fallecido,notas",
	"historia_clinica": "id,id_paciente,fecha,tipo,descripcion,diagnostico,tratamiento,notas,id_veterinario",
	"vacunas":          "id,id_paciente,vacuna,fecha_aplicacion,fecha_proxima,lote,laboratorio,id_veterinario",
	"citas":            "id,id_paciente,id_cliente,fecha,hora,duracion,motivo,estado,id_veterinario,notas",
	"productos":        "id,codigo,nombre,categoria,tipo,precio,costo,stock,unidad,activo",
	"facturas":         "id,numero,id_cliente,fecha,subtotal,descuento,impuesto,total,estado,forma_pago,notas",
	"factura_items":    "id,id_factura,id_producto,descripcion,cantidad,precio_unitario,descuento,impuesto,total",
	"documentos":       "id,id_paciente,id_cliente,archivo,tipo,descripcion,fecha",
}

var wantTitles = map[string]string{
	"clientes": "OkVet - Clientes", "mascotas": "OkVet - Mascotas", "historia_clinica": "OkVet - Historia clínica",
	"vacunas": "OkVet - Vacunas", "citas": "OkVet - Citas", "productos": "OkVet - Productos",
	"facturas": "OkVet - Facturas", "factura_items": "OkVet - Ítems de factura", "documentos": "OkVet - Documentos",
}

// reader returns the data rows of a file (header checked), as strings.
type reader func(t *testing.T, base string) [][]string

func utf8Reader(dir string) reader {
	return func(t *testing.T, base string) [][]string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, base+".csv"))
		if err != nil {
			t.Fatal(err)
		}
		if !utf8.Valid(b) {
			t.Fatalf("%s.csv is not UTF-8", base)
		}
		return readCSV(t, base, bytes.NewReader(b), ',')
	}
}

func excelESReader(dir string) reader {
	return func(t *testing.T, base string) [][]string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, base+".csv"))
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range b {
			if c == '\n' && (i == 0 || b[i-1] != '\r') {
				t.Fatalf("%s.csv: bare LF at byte %d", base, i)
			}
		}
		dec, err := charmap.Windows1252.NewDecoder().Bytes(b)
		if err != nil {
			t.Fatal(err)
		}
		return readCSV(t, base, bytes.NewReader(dec), ';')
	}
}

func readCSV(t *testing.T, base string, r io.Reader, comma rune) [][]string {
	t.Helper()
	cr := csv.NewReader(r)
	cr.Comma = comma
	recs, err := cr.ReadAll() // also checks every row has the header's field count
	if err != nil {
		t.Fatalf("%s: %v", base, err)
	}
	if got := strings.Join(recs[0], ","); got != wantHeaders[base] {
		t.Fatalf("%s header = %q", base, got)
	}
	return recs[1:]
}

func xlsxReader(dir string) reader {
	return func(t *testing.T, base string) [][]string {
		t.Helper()
		f, err := excelize.OpenFile(filepath.Join(dir, base+".xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		sheet := f.GetSheetList()[0]
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) < 3 || len(rows[0]) == 0 || rows[0][0] != wantTitles[base] {
			t.Fatalf("%s: title row %q", base, rows[0])
		}
		header := strings.Split(wantHeaders[base], ",")
		if !reflect.DeepEqual(rows[1], header) {
			t.Fatalf("%s: header row %q", base, rows[1])
		}
		data := rows[2:]
		for i, r := range data { // GetRows drops trailing empty cells
			for len(r) < len(header) {
				r = append(r, "")
			}
			data[i] = r
		}
		return data
	}
}

// countInZip counts occurrences of s in the worksheet parts of an xlsx.
func countInZip(t *testing.T, file, s string) int {
	t.Helper()
	zr, err := zip.OpenReader(file)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	n := 0
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, "xl/worksheets/") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		n += bytes.Count(b, []byte(s))
	}
	return n
}

// outcome counting

type tally struct {
	types   map[string]TypeCounts
	defects map[string]int
}

func (tl *tally) add(typ, outcome string) {
	c := tl.types[typ]
	c.SourceRows++
	switch outcome {
	case OutcomeImported:
		c.Imported++
	case OutcomeMerged:
		c.MergedDuplicates++
	case OutcomeRejected:
		c.Rejected++
	case OutcomeOrphaned:
		c.Orphaned++
	}
	tl.types[typ] = c
}

// htmlTag matches markup, not a lone "<" as in "TLLC < 2 s".
var htmlTag = regexp.MustCompile(`<[a-zA-Z/]`)

var refDay = time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC)

func parseDay(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02", "02/01/2006"} {
		if d, err := time.Parse(layout, s); err == nil {
			return d, true
		}
	}
	return time.Time{}, false
}

func checkEmail(e string) bool {
	if strings.Count(e, "@") != 1 || strings.ContainsAny(e, " \u00a0") || strings.Contains(e, "..") {
		return false
	}
	local, domain, _ := strings.Cut(e, "@")
	if local == "" || !strings.Contains(domain, ".") {
		return false
	}
	for _, label := range strings.Split(domain, ".") {
		if label == "" {
			return false
		}
	}
	return true
}

// e164 keeps the digits and writes a Colombian number as +57XXXXXXXXXX; ""
// when it is not one.
func e164(s string) string {
	var d strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			d.WriteRune(r)
		}
	}
	n := d.String()
	if len(n) == 12 && strings.HasPrefix(n, "57") {
		n = n[2:]
	}
	if len(n) == 10 && (n[0] == '3' || strings.HasPrefix(n, "60")) {
		return "+57" + n
	}
	return ""
}

func pesos(t *testing.T, s string) int64 {
	s = strings.TrimSpace(s)
	if rest, ok := strings.CutPrefix(s, "$"); ok {
		s = strings.ReplaceAll(strings.TrimSpace(rest), ".", "")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("amount %q: %v", s, err)
	}
	return n
}

// check applies the rules to an export and returns what it found.
func check(t *testing.T, dir string, read reader) tally {
	tl := tally{types: map[string]TypeCounts{}, defects: map[string]int{}}
	for _, name := range TypeNames {
		tl.types[name] = TypeCounts{}
	}
	for _, k := range DefectKinds() {
		tl.defects[k.Name] = 0
	}
	def := func(k string) { tl.defects[k]++ }

	// clients: id -> survivor id, only for imported and merged rows
	cliMap := map[string]string{}
	cliRows := map[string]bool{}
	keyOwner := map[string]string{} // normalised key -> survivor id
	rejectedKeys := map[string]bool{}
	for _, r := range read(t, "clientes") {
		id, name, typ, doc, tel, cel, email, notes := r[0], strings.TrimSpace(r[1]), r[2], r[3], r[4], r[5], strings.ToLower(strings.TrimSpace(r[6])), r[9]
		cliRows[id] = true
		p1, p2 := e164(tel), e164(cel)
		var keys []string // in order: email, phones, document
		if email != "" {
			keys = append(keys, "e:"+email)
		}
		for _, p := range []string{p1, p2} {
			if p != "" {
				keys = append(keys, "p:"+p)
			}
		}
		if d := strings.ReplaceAll(strings.TrimSpace(doc), ".", ""); d != "" {
			keys = append(keys, "d:"+strings.ToUpper(strings.TrimSpace(typ))+":"+d)
		}
		reject := ""
		switch {
		case name == "":
			reject = "clients.empty_name"
		case email != "" && !checkEmail(email):
			reject = "clients.bad_email"
		case p1 == "" && p2 == "" && email == "":
			reject = "clients.no_contact"
		}
		if reject != "" {
			tl.add("clients", OutcomeRejected)
			def(reject)
			for _, k := range keys {
				rejectedKeys[k] = true
			}
			continue
		}
		surv := ""
		for _, k := range keys {
			if s, ok := keyOwner[k]; ok {
				surv = s
				def(map[byte]string{'e': "clients.dup_email", 'p': "clients.dup_phone", 'd': "clients.dup_document"}[k[0]])
				break
			}
		}
		if surv != "" {
			tl.add("clients", OutcomeMerged)
			cliMap[id] = surv
			continue
		}
		tl.add("clients", OutcomeImported)
		cliMap[id] = id
		for _, k := range keys {
			keyOwner[k] = id
			if rejectedKeys[k] {
				def("clients.key_of_rejected")
			}
		}
		if email == "" {
			def("clients.no_email")
		}
		if strings.ContainsAny(tel+cel, "\u202a\u00a0") {
			def("clients.phone_unicode")
		}
		if htmlTag.MatchString(notes) {
			def("clients.html_notes")
		}
	}

	// pets: id -> owner's survivor; raw owner kept for appointments
	known := map[string]bool{"canino": true, "felino": true, "perro": true, "gato": true, "ave": true, "conejo": true, "roedor": true}
	petMap, petRaw, petRows := map[string]string{}, map[string]string{}, map[string]bool{}
	for _, r := range read(t, "mascotas") {
		id, owner, name := r[0], r[1], strings.TrimSpace(r[2])
		petRows[id] = true
		surv, mapped := cliMap[owner]
		switch {
		case name == "" && !cliRows[owner]:
			tl.add("pets", OutcomeRejected)
			def("pets.empty_name_unknown_owner")
			continue
		case name == "":
			tl.add("pets", OutcomeRejected)
			def("pets.empty_name")
			continue
		case !mapped && cliRows[owner]:
			tl.add("pets", OutcomeOrphaned)
			def("pets.rejected_owner")
			continue
		case !mapped:
			tl.add("pets", OutcomeOrphaned)
			def("pets.unknown_owner")
			continue
		}
		tl.add("pets", OutcomeImported)
		petMap[id], petRaw[id] = surv, owner
		if surv != owner {
			def("pets.owner_merged")
		}
		if !known[strings.ToLower(strings.TrimSpace(r[3]))] {
			def("pets.unknown_species")
		}
		if b := strings.TrimSpace(r[6]); b != "" {
			if d, ok := parseDay(b); !ok {
				def("pets.bad_birth_date")
			} else if d.After(refDay) {
				def("pets.future_birth_date")
			}
		}
		if strings.Contains(strings.ToUpper(r[9]), "E+") {
			def("pets.sci_microchip")
		}
		if strings.Contains(name, "<script>") {
			def("pets.html_name")
		}
		if strings.TrimSpace(r[7]) == "0" {
			def("pets.zero_weight")
		}
	}
	// orphan kind of a row pointing at a pet that is not imported
	petOrphan := func(typ, pet string) string {
		if petRows[pet] {
			return typ + ".unmapped_pet"
		}
		return typ + ".unknown_pet"
	}

	for _, r := range read(t, "historia_clinica") {
		pet := r[1]
		_, dateOK := parseDay(r[2])
		_, mapped := petMap[pet]
		switch {
		case !dateOK && !petRows[pet]:
			tl.add("medical", OutcomeRejected)
			def("medical.bad_date_unknown_pet")
		case !dateOK:
			tl.add("medical", OutcomeRejected)
			def("medical.bad_date")
		case !mapped:
			tl.add("medical", OutcomeOrphaned)
			def(petOrphan("medical", pet))
		default:
			tl.add("medical", OutcomeImported)
			if d := strings.TrimSpace(r[5]); d == "." || d == "-" {
				def("medical.placeholder_diagnosis")
			}
			if htmlTag.MatchString(r[4] + "\n" + r[7]) {
				def("medical.html_text")
			}
		}
	}

	for _, r := range read(t, "vacunas") {
		pet, name := r[1], strings.TrimSpace(r[2])
		applied, dateOK := parseDay(r[3])
		_, mapped := petMap[pet]
		switch {
		case name == "" && !mapped:
			tl.add("vaccines", OutcomeRejected)
			def("vaccines.empty_name_unmapped_pet")
		case name == "":
			tl.add("vaccines", OutcomeRejected)
			def("vaccines.empty_name")
		case !dateOK:
			tl.add("vaccines", OutcomeRejected)
			def("vaccines.bad_date")
		case !mapped:
			tl.add("vaccines", OutcomeOrphaned)
			def(petOrphan("vaccines", pet))
		default:
			tl.add("vaccines", OutcomeImported)
			if next, ok := parseDay(r[4]); ok && next.Before(applied) {
				def("vaccines.next_before_applied")
			}
		}
	}

	states := map[string]bool{"programada": true, "atendida": true, "cancelada": true, "no asistió": true}
	for _, r := range read(t, "citas") {
		pet, client := r[1], r[2]
		owner, mapped := petMap[pet]
		if !mapped {
			tl.add("appointments", OutcomeOrphaned)
			def(petOrphan("appointments", pet))
			continue
		}
		tl.add("appointments", OutcomeImported)
		if cs, ok := cliMap[client]; !ok || cs != owner {
			def("appointments.chain_mismatch")
		} else if client != petRaw[pet] {
			def("appointments.client_merged")
		}
		if !states[r[7]] {
			def("appointments.unknown_status")
		}
	}

	codes, products := map[string]bool{}, map[string]bool{}
	for _, r := range read(t, "productos") {
		products[r[0]] = true
		code := strings.TrimSpace(r[1])
		if codes[code] {
			tl.add("products", OutcomeMerged)
			def("products.dup_code")
			continue
		}
		codes[code] = true
		tl.add("products", OutcomeImported)
	}

	invOK, invRows := map[string]bool{}, map[string]bool{}
	for _, r := range read(t, "facturas") {
		id, client := r[0], r[2]
		invRows[id] = true
		surv, mapped := cliMap[client]
		switch {
		case !mapped && cliRows[client]:
			tl.add("invoices", OutcomeOrphaned)
			def("invoices.rejected_client")
			continue
		case !mapped:
			tl.add("invoices", OutcomeOrphaned)
			def("invoices.unknown_client")
			continue
		}
		tl.add("invoices", OutcomeImported)
		invOK[id] = true
		if surv != client {
			def("invoices.client_merged")
		}
		if pesos(t, r[4])-pesos(t, r[5])+pesos(t, r[6]) != pesos(t, r[7]) {
			def("invoices.total_mismatch")
		}
	}

	for _, r := range read(t, "factura_items") {
		switch inv := r[1]; {
		case invOK[inv]:
			tl.add("invoice_items", OutcomeImported)
			if !products[r[2]] {
				def("invoice_items.unknown_product")
			}
		case invRows[inv]:
			tl.add("invoice_items", OutcomeOrphaned)
			def("invoice_items.orphaned_invoice")
		default:
			tl.add("invoice_items", OutcomeOrphaned)
			def("invoice_items.unknown_invoice")
		}
	}

	for _, r := range read(t, "documentos") {
		pet, file := r[1], strings.TrimSpace(r[3])
		_, mapped := petMap[pet]
		clean := path.Clean(file)
		escapes := path.IsAbs(file) || clean == ".." || strings.HasPrefix(clean, "../")
		missing := false
		if !escapes {
			_, err := os.Stat(filepath.Join(dir, filepath.FromSlash(clean)))
			missing = err != nil
		}
		switch {
		case escapes:
			tl.add("documents", OutcomeRejected)
			def("documents.path_escape")
		case missing && !mapped:
			tl.add("documents", OutcomeRejected)
			def("documents.missing_file_unmapped_pet")
		case missing:
			tl.add("documents", OutcomeRejected)
			def("documents.missing_file")
		case !mapped:
			tl.add("documents", OutcomeOrphaned)
			def(petOrphan("documents", pet))
		default:
			tl.add("documents", OutcomeImported)
		}
	}
	return tl
}

// checkerReaders re-read each variant's files without the generator's code.
var checkerReaders = map[string]func(string) reader{
	VariantUTF8:    utf8Reader,
	VariantExcelES: excelESReader,
	VariantXLSX:    xlsxReader,
}

// agreeWithExpected re-reads the export in dir with the independent checker
// and fails on any count that differs from expected.json; it returns the
// checker's defect counts.
func agreeWithExpected(t *testing.T, dir, variant string, exp Expected) map[string]int {
	t.Helper()
	got := check(t, dir, checkerReaders[variant](dir))
	for _, name := range TypeNames {
		if got.types[name] != exp.Types[name] {
			t.Errorf("%s: checker %+v\n  expected.json %+v", name, got.types[name], exp.Types[name])
		}
	}
	for _, k := range DefectKinds() {
		if got.defects[k.Name] != exp.Defects[k.Name] {
			t.Errorf("%s: checker %d, expected.json %d", k.Name, got.defects[k.Name], exp.Defects[k.Name])
		}
	}
	return got.defects
}

func TestIndependentChecker(t *testing.T) {
	for _, v := range Variants {
		t.Run(v, func(t *testing.T) {
			dir, exp := generated(t, v, 0)
			agreeWithExpected(t, dir, v, exp)
		})
	}
}

// TestIndependentCheckerTinyScale pins what the tests that use TinyScale
// rely on: at 1/25 of scale 1 every variant and seed still carries every
// defect kind, and the checker agrees with expected.json row by row.
func TestIndependentCheckerTinyScale(t *testing.T) {
	for _, v := range Variants {
		for _, seed := range []uint64{1, 5, 7, 11, 123456789} {
			t.Run(fmt.Sprintf("%s/seed-%d", v, seed), func(t *testing.T) {
				t.Parallel()
				dir := t.TempDir()
				exp, err := Generate(context.Background(), Options{Out: dir, Scale: TinyScale, Seed: seed, Variant: v})
				if err != nil {
					t.Fatal(err)
				}
				if exp.Types[TypeClients].SourceRows != 49 || exp.Types[TypePets].SourceRows != 98 {
					t.Errorf("clients %d, pets %d; want 49 and 98 (1/25 of scale 1)",
						exp.Types[TypeClients].SourceRows, exp.Types[TypePets].SourceRows)
				}
				defects := agreeWithExpected(t, dir, v, exp)
				for _, k := range DefectKinds() {
					if defects[k.Name] == 0 {
						t.Errorf("no %s at the tiny scale", k.Name)
					}
				}
			})
		}
	}
}

// Variant-specific surface checks beyond what the checker reads.
func TestExcelESSurface(t *testing.T) {
	dir, _ := generated(t, VariantExcelES, 0)
	b, err := os.ReadFile(filepath.Join(dir, "clientes.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte(strings.ReplaceAll(wantHeaders["clientes"], ",", ";")+"\r\n")) {
		t.Errorf("header line %q", b[:120])
	}
	if utf8.Valid(b) || !bytes.Contains(b, []byte("Bogot\xe1")) {
		t.Error("clientes.csv is not Windows-1252")
	}
	dec, _ := charmap.Windows1252.NewDecoder().Bytes(b)
	for _, want := range []string{"/20", "Sí"} {
		if !bytes.Contains(dec, []byte(want)) {
			t.Errorf("no %q in decoded clientes.csv", want)
		}
	}
	if bytes.Contains(dec, []byte("\u202a")) {
		t.Error("U+202A written in excel-es")
	}
	fact, _ := os.ReadFile(filepath.Join(dir, "facturas.csv"))
	if !bytes.Contains(fact, []byte(";$ ")) || regexp.MustCompile(`;\d{4}-\d\d-\d\d;`).Match(fact) {
		t.Error("facturas.csv: want $ amounts and no ISO dates")
	}
	pets, _ := os.ReadFile(filepath.Join(dir, "mascotas.csv"))
	if !bytes.Contains(pets, []byte(`;"`)) && !bytes.Contains(pets, []byte(",5;")) {
		t.Error("mascotas.csv: no decimal comma weights")
	}
}

func TestXLSXSurface(t *testing.T) {
	dir, exp := generated(t, VariantXLSX, 0)
	names := map[string]string{"clientes": "clients", "mascotas": "pets", "historia_clinica": "medical",
		"vacunas": "vaccines", "citas": "appointments", "productos": "products", "facturas": "invoices",
		"factura_items": "invoice_items", "documentos": "documents"}
	for base, typ := range names {
		file := filepath.Join(dir, base+".xlsx")
		header := strings.Split(wantHeaders[base], ",")
		// title and header: stream only the first two rows
		f, err := excelize.OpenFile(file)
		if err != nil {
			t.Fatal(err)
		}
		sheet := f.GetSheetList()[0]
		rows, err := f.Rows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		var first [][]string
		for len(first) < 2 && rows.Next() {
			r, err := rows.Columns()
			if err != nil {
				t.Fatal(err)
			}
			first = append(first, r)
		}
		_ = rows.Close()
		_ = f.Close()
		if len(first) != 2 || len(first[0]) != 1 || first[0][0] != wantTitles[base] || !reflect.DeepEqual(first[1], header) {
			t.Errorf("%s: first rows %q", base, first)
		}
		// title merged over the header's width, and the row count
		end, _ := excelize.CoordinatesToCellName(len(header), 1)
		if countInZip(t, file, "<mergeCell ") != 1 || countInZip(t, file, `<mergeCell ref="A1:`+end+`"/>`) != 1 {
			t.Errorf("%s: want exactly the title merged, A1:%s", base, end)
		}
		if n := countInZip(t, file, "<row "); n-2 != exp.Types[typ].SourceRows {
			t.Errorf("%s: %d data rows, expected.json says %d", base, n-2, exp.Types[typ].SourceRows)
		}
	}

	// numbers are numeric cells; some dates are date cells shown dd/mm/yyyy
	f, err := excelize.OpenFile(filepath.Join(dir, "productos.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	for _, cell := range []string{"F3", "G3", "H3"} { // precio, costo, stock
		if typ, _ := f.GetCellType(f.GetSheetList()[0], cell); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("productos %s: cell type %v, want number", cell, typ)
		}
	}
	_ = f.Close()
	f, err = excelize.OpenFile(filepath.Join(dir, "documentos.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetList()[0]
	raw, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	shown, _ := f.GetRows(sheet)
	serials := 0
	for i, r := range raw[2:] {
		if _, err := strconv.ParseFloat(r[6], 64); err == nil {
			serials++
			if _, ok := parseDay(shown[i+2][6]); !ok || !strings.Contains(shown[i+2][6], "/") {
				t.Fatalf("date cell %q shows as %q", r[6], shown[i+2][6])
			}
		}
	}
	if serials == 0 || serials == len(raw)-2 {
		t.Errorf("%d of %d fecha cells are date cells, want some", serials, len(raw)-2)
	}
}
