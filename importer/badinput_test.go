package importer_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/petfriendly/recon/internal/cli"
	"github.com/petfriendly/recon/internal/pgtest"
)

// The bad-input catalogue: testdata/bad/<case>/ holds one malformed export
// (with valid parent files where the case needs them) and
// testdata/bad/README.md says in one line what each case is. The files are
// written by this code; `go test ./importer -run TestBadInputCatalogue
// -update` rewrites them, and the test fails when they drift apart.

var updateBad = flag.Bool("update", false, "rewrite testdata/bad from the catalogue")

const badDir = "../testdata/bad"

type badCase struct {
	name  string
	about string
	files func() map[string][]byte
	links map[string]string // symbolic links to create in the case folder: name -> target
	args  []string          // recon arguments after the globals; {dir} is the case folder; default import all --dir {dir}
	exit  int               // expected exit code
	want  []string          // substrings of the combined output; {dir} is the case folder
	// rows: destination rows expected in the given tables afterwards.
	rows map[string]int
	// issues: data-quality issue types that must have been recorded.
	issues []string
	// check: queries returning one text value, and the value.
	check map[string]string
	// verify: after the import, `recon verify --source-dir {dir}` must exit 0.
	verify bool
	// verifyArgs: extra verify arguments; with verifyWant, verify must fail
	// and say it.
	verifyArgs []string
	verifyWant string
}

const okClients = "id,nombre,tipo_documento,documento,telefono,celular,email,direccion,ciudad,notas,fecha_registro,autorizacion_datos\n" +
	"C1,José Pérez,CC,1020304050,,3001234567,jose@example.com,Calle 1,Bogotá,,2020-01-15,Sí\n" +
	"C2,María Muñoz,CC,52000111,,3109998877,maria@example.com,,Medellín,,2021-02-15,No\n"

const okPets = "id,id_cliente,nombre,especie,raza,sexo,fecha_nacimiento,peso,color,microchip,esterilizado,fallecido,notas\n" +
	"P1,C1,Luna,Canino,Criollo,Hembra,2021-04-03,12.5,Negro,,Sí,No,\n" +
	"P2,C2,Max,Felino,,Macho,2019-05-02,4,,,No,No,\n"

const ownersDump = "id,name,ident_type,number_doc,phone,phone2,mobile,email,address,city,region,country,conctact,kind_person,regime,habeas_at,created_at,updated_at,deleted_at\n"

const petsDump = "id,owner_id,name,specie,race,specie_other,race_other,gender_id,color,birth_at,weight,weight_unit,size_id,reproductive_state,photo,dead,dead_at,code,food,created_at,updated_at,deleted_at\n"

const clientHeader = "id,nombre,tipo_documento,documento,telefono,celular,email,direccion,ciudad,notas,fecha_registro,autorizacion_datos\n"

func files(kv ...any) func() map[string][]byte {
	return func() map[string][]byte {
		out := map[string][]byte{}
		for i := 0; i < len(kv); i += 2 {
			switch v := kv[i+1].(type) {
			case string:
				out[kv[i].(string)] = []byte(v)
			case []byte:
				out[kv[i].(string)] = v
			case func() []byte:
				out[kv[i].(string)] = v()
			}
		}
		return out
	}
}

func randomBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 7))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func xlsxBytes(sheet string, rows [][]string) []byte {
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", sheet)
	for i, row := range rows {
		for j, v := range row {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			f.SetCellStr(sheet, cell, v)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// xlsxEdited is xlsxBytes with edit applied to the workbook before it is
// written (formulas, many rows).
func xlsxEdited(sheet string, rows [][]string, edit func(f *excelize.File)) []byte {
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", sheet)
	for i, row := range rows {
		for j, v := range row {
			if v != "" {
				cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
				f.SetCellStr(sheet, cell, v)
			}
		}
	}
	edit(f)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func clientRows() [][]string {
	var rows [][]string
	for _, line := range strings.Split(strings.TrimSpace(okClients), "\n") {
		rows = append(rows, strings.Split(line, ","))
	}
	return rows
}

func badCases() []badCase {
	win1252 := func(s string) []byte {
		b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
		if err != nil {
			panic(err)
		}
		return b
	}
	utf16le := func(s string) []byte {
		b, err := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewEncoder().Bytes([]byte(s))
		if err != nil {
			panic(err)
		}
		return b
	}
	return []badCase{
		{name: "binary-random", about: "4 KiB of random bytes named clientes.csv",
			files: files("clientes.csv", randomBytes(4096, 1)), exit: 1, want: []string{"clientes.csv", "binary"}},
		{name: "empty-file", about: "clientes.csv of zero bytes",
			files: files("clientes.csv", ""), exit: 1, want: []string{"clientes.csv", "empty"}},
		{name: "header-only", about: "the clients header and no data row",
			files: files("clientes.csv", clientHeader), exit: 0, want: []string{"clientes", "completado"}, rows: map[string]int{"vet_clinic_ownerprofile": 0}},
		{name: "ragged-rows", about: "rows with fewer and more fields than the header",
			files: files("clientes.csv", clientHeader+
				"C1,José Pérez,CC,1020304050,,3001234567,jose@example.com,Calle 1,Bogotá,,2020-01-15,Sí\n"+
				"C2,Corta,CC,1\n"+
				"C3,Larga,CC,2,,3001112233,l@example.com,,,,,,extra,mas\n"),
			exit: 0, want: []string{"clientes.csv:3:", "clientes.csv:4:", "wrong number of fields"}, rows: map[string]int{"vet_clinic_ownerprofile": 1}},
		{name: "windows-1252", about: "clients saved as Windows-1252 (accents as single bytes), no BOM",
			files: files("clientes.csv", win1252(okClients)), exit: 0, want: []string{"completado"}, rows: map[string]int{"vet_clinic_ownerprofile": 2}},
		{name: "invalid-utf8-bytes", about: "UTF-8 file with a few stray invalid bytes in one cell",
			files: files("clientes.csv", strings.Replace(okClients, "Calle 1", "Calle \xff\xfe 1", 1)), exit: 0,
			rows: map[string]int{"vet_clinic_ownerprofile": 2}},
		{name: "utf16-no-bom", about: "UTF-16LE text without a byte-order mark (recognised by its NUL pattern)",
			files: files("clientes.csv", utf16le(okClients)), exit: 0, rows: map[string]int{"vet_clinic_ownerprofile": 2}},
		{name: "duplicated-headers", about: "the nombre column appears twice",
			files: files("clientes.csv", "id,nombre,nombre,email,celular\nC1,A,B,a@example.com,3001234567\n"), exit: 1,
			want: []string{"clientes.csv:1", "duplicated header"}},
		{name: "unknown-type", about: "a CSV whose headers match no known type",
			files: files("cosas.csv", "foo,bar,baz\n1,2,3\n"), exit: 2, want: []string{"cosas.csv", "no OkVet export"}},
		{name: "one-megabyte-cell", about: "a 1 MiB note in one client cell",
			files: files("clientes.csv", clientHeader+"C1,José Pérez,CC,1020304050,,3001234567,jose@example.com,,,"+
				strings.Repeat("nota larga ", 1<<20/11)+",,\n"), exit: 0, rows: map[string]int{"vet_clinic_ownerprofile": 1}},
		{name: "formula-cells", about: "spreadsheet formulas (=cmd|' /C calc'!A0, @SUM, +HYPERLINK) in text cells",
			files: files("clientes.csv", clientHeader+
				"C1,=cmd|' /C calc'!A0,CC,1020304050,,3001234567,jose@example.com,\"=HYPERLINK(\"\"http://x\"\")\",,@SUM(1+1),,\n"+
				"C2,+cmd|' /C notepad'!A0,CC,52000111,,3109998877,maria@example.com,,,-2+3(),,\n"), exit: 0,
			issues: []string{"formula_text"}, rows: map[string]int{"vet_clinic_ownerprofile": 2},
			check: map[string]string{"SELECT string_agg(full_name || '/' || address || '/' || notes, ';' ORDER BY full_name) FROM vet_clinic_ownerprofile": "+cmd|' /C notepad'!A0//-2+3();=cmd|' /C calc'!A0/=HYPERLINK(\"http://x\")/@SUM(1+1)"}},
		{name: "script-in-names", about: "<script> and HTML in names and notes, kept as text",
			files: files("clientes.csv", clientHeader+"C1,<script>alert(1)</script>,CC,1,,3001234567,a@example.com,,,<img src=x onerror=alert(1)>,,\n",
				"mascotas.csv", "id,id_cliente,nombre,especie\nP1,C1,<b>Luna</b>,Canino\n"), exit: 0,
			rows: map[string]int{"vet_clinic_ownerprofile": 1, "pets_pet": 1}},
		{name: "missing-attachments-folder", about: "documentos.csv naming files under adjuntos/, which does not exist",
			files: files("clientes.csv", okClients, "mascotas.csv", okPets,
				"documentos.csv", "id,id_paciente,id_cliente,archivo,tipo,descripcion,fecha\nD1,P1,C1,adjuntos/rx.pdf,pdf,Rx,2023-01-01\n"),
			exit: 0, want: []string{"documentos.csv:2", "missing_file"}, rows: map[string]int{"documents_document": 0, "pets_pet": 2}},
		{name: "csv-that-is-xlsx", about: "an xlsx workbook saved as clientes.csv",
			files: files("clientes.csv", func() []byte { return xlsxBytes("clientes", clientRows()) }), exit: 0,
			rows: map[string]int{"vet_clinic_ownerprofile": 2}},
		{name: "xlsx-that-is-csv", about: "plain CSV text saved as clientes.xlsx",
			files: files("clientes.xlsx", okClients), exit: 0, rows: map[string]int{"vet_clinic_ownerprofile": 2}},
		{name: "truncated-xlsx", about: "the first half of a valid workbook",
			files: files("clientes.xlsx", func() []byte { b := xlsxBytes("clientes", clientRows()); return b[:len(b)/2] }),
			exit:  1, want: []string{"clientes.xlsx", "corrupt"}},
		{name: "legacy-xls", about: "an OLE2 (Excel 97) header: .xls, not .xlsx",
			files: files("clientes.xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, randomBytes(1024, 2)...)),
			exit:  1, want: []string{"clientes.xls", "xls"}},
		{name: "zip-not-xlsx", about: "a zip archive that holds no workbook, named clientes.xlsx",
			files: files("clientes.xlsx", append([]byte("PK\x03\x04"), randomBytes(512, 3)...)), exit: 1, want: []string{"clientes.xlsx"}},
		{name: "nul-bytes", about: "NUL bytes inside client cells near the start: that row is rejected with its line and column, the rest imported",
			files: files("clientes.csv", clientHeader+"C1,José\x00 Pérez,CC,1020304050,,3001234567,jose@example.com,Calle\x001,,,,\n"+
				"C2,María,CC,52000111,,3109998877,maria@example.com,,,,,\n"), exit: 0, want: []string{"clientes.csv:2:2", "NUL"},
			issues: []string{"nul_byte"}, rows: map[string]int{"vet_clinic_ownerprofile": 1},
			check: map[string]string{"SELECT count(*)::text FROM migration_dataqualityissue WHERE severity = 'critical'": "1"}},
		{name: "nul-byte-late", about: "a NUL byte in a cell after the first 64 KiB (past format detection): the same rule, the row rejected",
			files: files("clientes.csv", func() []byte {
				var b strings.Builder
				b.WriteString(clientHeader)
				for i := range 800 {
					fmt.Fprintf(&b, "C%d,Cliente Número %d,CC,%d,,300%07d,c%d@example.com,Calle %d,Bogotá,nota,2020-01-15,Sí\n", i, i, 1000+i, i, i, i)
				}
				b.WriteString("C9999,Nulo\x00 Final,CC,99999,,3159999999,nulo@example.com,Calle\x00,,,,\n")
				return []byte(b.String())
			}), exit: 0, want: []string{"clientes.csv:802:2", "NUL"}, issues: []string{"nul_byte"},
			rows: map[string]int{"vet_clinic_ownerprofile": 800}},
		{name: "missing-id", about: "a client row with an empty id: rejected with exactly one critical issue",
			files: files("clientes.csv", okClients+",Sin Id,CC,77,,3150000001,sinid@example.com,,,,,\n"), exit: 0,
			issues: []string{"missing_id"}, rows: map[string]int{"vet_clinic_ownerprofile": 2},
			check: map[string]string{"SELECT count(*)::text FROM migration_dataqualityissue WHERE severity = 'critical'": "1"}},
		{name: "only-bom", about: "a UTF-8 byte-order mark and nothing else",
			files: files("clientes.csv", "\xEF\xBB\xBF"), exit: 1, want: []string{"clientes.csv", "empty"}},
		{name: "cr-only-line-endings", about: "classic Mac line endings (CR only): read line by line and imported",
			files: files("clientes.csv", strings.ReplaceAll(okClients, "\n", "\r")), exit: 0, want: []string{"completado"},
			rows: map[string]int{"vet_clinic_ownerprofile": 2}},
		{name: "unclosed-quote", about: "a quoted cell that never closes",
			files: files("clientes.csv", clientHeader+"C1,José Pérez,CC,1020304050,,3001234567,jose@example.com,,,,,\n"+
				"C2,\"María Muñoz,CC,52000111,,3109998877,maria@example.com,,,,,\n"+
				"C3,Ana,CC,3,,3001112233,ana@example.com,,,,,\n"), exit: 0, want: []string{"clientes.csv:3", "line 4 merged into line 3", "1 línea(s) física(s)"},
			issues: []string{"quote_merged_lines"}, rows: map[string]int{"vet_clinic_ownerprofile": 1},
			check: map[string]string{"SELECT total_records || '/' || merged_lines FROM migration_migrationbatch": "2/1"}},
		{name: "quote-merged-lines", about: "an unbalanced quote on line 6 swallows lines 7-8 (C00006, C00007); the quote on line 8 ends the damage",
			files: files("clientes.csv", func() []byte {
				var b strings.Builder
				b.WriteString(clientHeader)
				for i := 1; i <= 12; i++ {
					switch i {
					case 5:
						fmt.Fprintf(&b, "C%05d,\"Cliente %d,CC,%d,,300%07d,c%d@example.com,,,,,\n", i, i, 1000+i, i, i)
					case 7:
						fmt.Fprintf(&b, "C%05d,Cliente %d,CC,%d,,300%07d,c%d@example.com,\"Calle\" 7,,,,\n", i, i, 1000+i, i, i)
					default:
						fmt.Fprintf(&b, "C%05d,Cliente %d,CC,%d,,300%07d,c%d@example.com,,,,,\n", i, i, 1000+i, i, i)
					}
				}
				return []byte(b.String())
			}), exit: 0, want: []string{"clientes.csv:6:2", "lines 7–8 merged into line 6", "quote_merged_lines"},
			issues: []string{"quote_merged_lines"}, rows: map[string]int{"vet_clinic_ownerprofile": 9},
			check: map[string]string{
				"SELECT total_records || '/' || merged_lines || '/' || continuation_lines || '/' || blank_rows FROM migration_migrationbatch":             "10/2/0/0",
				"SELECT source_value || ' ' || severity FROM migration_dataqualityissue WHERE issue_type = 'quote_merged_lines' AND source_id = 'C00005'": "7-8 critical",
				"SELECT count(*)::text FROM migration_migrationrecord WHERE source_id IN ('C00006', 'C00007')":                                            "0"}},
		{name: "multiline-notes", about: "a legitimate note spanning three lines, with commas, and a blank separator row: imported, lines counted as continuation",
			files: files("clientes.csv", clientHeader+"C1,José Pérez,CC,1020304050,,3001234567,jose@example.com,,,\"Control:\nvómito, fiebre, diarrea\nok\",,\n"+
				",,,,,,,,,,,\nC2,María Muñoz,CC,52000111,,3109998877,maria@example.com,,,,,\n"), exit: 0,
			rows:  map[string]int{"vet_clinic_ownerprofile": 2},
			check: map[string]string{"SELECT total_records || '/' || merged_lines || '/' || continuation_lines || '/' || blank_rows FROM migration_migrationbatch": "2/0/2/1"}},
		{name: "ten-thousand-columns", about: "the clients header followed by 10,000 unknown columns",
			files: files("clientes.csv", func() []byte {
				var b strings.Builder
				b.WriteString(strings.TrimSuffix(clientHeader, "\n"))
				for i := range 10000 {
					fmt.Fprintf(&b, ",extra_%05d", i)
				}
				b.WriteString("\nC1,José Pérez,CC,1020304050,,3001234567,jose@example.com,,,,,")
				b.WriteString(strings.Repeat(",x", 10000))
				b.WriteString("\n")
				return []byte(b.String())
			}), exit: 0, rows: map[string]int{"vet_clinic_ownerprofile": 1}},
		{name: "extremely-long-line", about: "a 512 KiB line of thousands of quoted fields (one row)",
			files: files("clientes.csv", clientHeader+"C1,José Pérez,CC,1020304050,,3001234567,jose@example.com,,,,,"+
				strings.Repeat(`,"`+strings.Repeat("z", 60)+`"`, 512<<10/63)+"\n"), exit: 0,
			want: []string{"clientes.csv:2"}, rows: map[string]int{"vet_clinic_ownerprofile": 0}},
		{name: "id-column-missing", about: "clients without an id column",
			files: files("clientes.csv", "nombre,email,celular\nJosé,jose@example.com,3001234567\n"), exit: 1,
			want: []string{"clientes.csv", "missing required column"}},
		{name: "duplicate-ids", about: "the same client id on two rows of one file",
			files: files("clientes.csv", okClients+"C1,Otro José,CC,99,,3150000000,otro@example.com,,,,,\n"), exit: 0,
			rows: map[string]int{"vet_clinic_ownerprofile": 2}},
		{name: "duplicate-id-first-rejected", about: "id C1 on three rows: the first has an empty name (rejected), the second is imported, the third skipped; each has its record",
			files: files("clientes.csv", clientHeader+"C1,,CC,1020304050,,3001234567,jose@example.com,,,,,\n"+
				"C1,José Pérez,CC,1020304050,,3001234567,jose@example.com,,,,,\n"+
				"C1,José Otro,CC,99,,3150000000,otro@example.com,,,,,\n"+
				"C2,María Muñoz,CC,52000111,,3109998877,maria@example.com,,,,,\n"),
			exit: 0, issues: []string{"earlier_occurrence_not_imported", "duplicate_source_id"},
			rows: map[string]int{"vet_clinic_ownerprofile": 2},
			check: map[string]string{
				"SELECT string_agg(line_number || ':' || status, ',' ORDER BY line_number) FROM migration_migrationrecord WHERE source_id = 'C1'": "2:error,3:imported,4:skipped",
				"SELECT full_name FROM vet_clinic_ownerprofile p JOIN migration_externalidmapping m ON m.target_id = p.id AND m.source_id = 'C1'": "José Pérez"}},
		{name: "negative-amounts", about: "invoices and items with negative amounts and quantities",
			files: files("clientes.csv", okClients,
				"facturas.csv", "id,numero,id_cliente,fecha,subtotal,descuento,impuesto,total,estado,forma_pago,notas\n"+
					"F1,FV-1,C1,2023-01-01,-100000,0,-19000,-119000,anulada,efectivo,\n",
				"factura_items.csv", "id,id_factura,id_producto,descripcion,cantidad,precio_unitario,descuento,impuesto,total\n"+
					"FI1,F1,,Devolución,-1,100000,0,-19000,-119000\n",
				"productos.csv", "id,codigo,nombre,categoria,tipo,precio,costo,stock,unidad,activo\nPR1,SKU1,Vacuna,x,producto,-5000,-1,-3,unidad,Sí\n"), exit: 0,
			issues: []string{"negative_amount"}, rows: map[string]int{"billing_invoice": 1, "billing_invoiceitem": 1, "inventory_product": 1},
			check: map[string]string{"SELECT count(*)::text FROM migration_dataqualityissue WHERE issue_type = 'negative_amount' AND severity = 'warning'": "9"}},
		{name: "invisible-chars-in-ids", about: "zero-width space, word joiner and BOM inside client and pet ids: stripped, the rows linked, an info issue each",
			files: files("clientes.csv", strings.Replace(okClients, "C1,", "C\u200b1,", 1),
				"mascotas.csv", strings.Replace(okPets, "P1,C1,", "P1\u2060,\ufeffC1,", 1)), exit: 0,
			issues: []string{"invisible_characters"}, rows: map[string]int{"vet_clinic_ownerprofile": 2, "pets_pet": 2},
			check: map[string]string{"SELECT count(*)::text FROM migration_dataqualityissue WHERE issue_type = 'invisible_characters' AND severity = 'info'": "3"}},
		{name: "zero-dates", about: "dates written 00/00/0000 and 0000-00-00",
			files: files("clientes.csv", strings.Replace(okClients, "2020-01-15", "00/00/0000", 1), "mascotas.csv",
				strings.Replace(okPets, "2021-04-03", "0000-00-00", 1),
				"historia_clinica.csv", "id,id_paciente,fecha,tipo,descripcion,diagnostico,tratamiento,notas,id_veterinario\nH1,P1,00/00/0000,Consulta,x,,,,\n"),
			exit: 0, want: []string{"historia_clinica.csv:2"}, rows: map[string]int{"pets_pet": 2, "medical_medicalrecord": 0}},
		{name: "absurd-dates", about: "dates in year 9999 and 1800, 31/02 and 2023-13-45",
			files: files("clientes.csv", okClients, "mascotas.csv", strings.NewReplacer("2021-04-03", "31/12/9999", "2019-05-02", "01/01/1800").Replace(okPets),
				"vacunas.csv", "id,id_paciente,vacuna,fecha_aplicacion,fecha_proxima,lote,laboratorio,id_veterinario\n"+
					"V1,P1,Rabia,31/02/2023,2023-13-45,,,\n"),
			exit: 0, want: []string{"vacunas.csv:2"}, rows: map[string]int{"pets_pet": 2, "medical_vaccinationrecord": 0}},
		{name: "numeric-overflow", about: "weights, prices, stock and durations too large for their columns",
			files: files("clientes.csv", okClients,
				"mascotas.csv", strings.Replace(okPets, ",12.5,", ",123456789,", 1),
				"productos.csv", "id,codigo,nombre,categoria,tipo,precio,costo,stock,unidad,activo\n"+
					"PR1,SKU1,Vacuna,Biológicos,producto,99999999999999999999,1,99999999999,unidad,Sí\n",
				"citas.csv", "id,id_paciente,id_cliente,fecha,hora,duracion,motivo,estado,id_veterinario,notas\n"+
					"A1,P1,C1,2023-05-02,10:00,99999999999,Control,programada,V1,\n",
				"facturas.csv", "id,numero,id_cliente,fecha,subtotal,descuento,impuesto,total,estado,forma_pago,notas\n"+
					"F1,FV-1,C1,2023-01-01,1234567890123,0,0,1234567890123,pagada,efectivo,\n"),
			exit: 0, want: []string{"productos.csv:2", "facturas.csv:2", "out_of_range"}, issues: []string{"out_of_range"},
			rows: map[string]int{"pets_pet": 2, "inventory_product": 0, "appointments_appointment": 1, "billing_invoice": 0}},
		{name: "amount-overflow-every-field", about: "each money and quantity field too large in turn (stock, cost, discount, tax, quantity, unit price, scientific 1e23): every row rejected with out_of_range",
			files: files("clientes.csv", okClients,
				"productos.csv", "id,codigo,nombre,categoria,tipo,precio,costo,stock,unidad,activo\n"+
					"PR1,SKU1,A,x,producto,1000,1,99999999999,unidad,Sí\n"+
					"PR2,SKU2,B,x,producto,1000,1e25,1,unidad,Sí\n"+
					"PR3,SKU3,C,x,producto,1000,10,5,unidad,Sí\n",
				"facturas.csv", "id,numero,id_cliente,fecha,subtotal,descuento,impuesto,total,estado,forma_pago,notas\n"+
					"F1,FV-1,C1,2023-01-01,100,1000000000000000,0,100,pagada,efectivo,\n"+
					"F2,FV-2,C1,2023-01-01,100,0,0,1e23,pagada,efectivo,\n"+
					"F3,FV-3,C1,2023-01-01,100,0,0,100,pagada,efectivo,\n",
				"factura_items.csv", "id,id_factura,id_producto,descripcion,cantidad,precio_unitario,descuento,impuesto,total\n"+
					"FI1,F3,PR3,x,99999999999,1,0,0,1\nFI2,F3,PR3,x,1,2e30,0,0,1\nFI3,F3,PR3,x,1,100,0,99999999999999,100\nFI4,F3,PR3,x,1,100,0,0,100\n"),
			exit: 0, want: []string{"productos.csv:2", "factura_items.csv:4", "out_of_range"},
			rows:  map[string]int{"inventory_product": 1, "billing_invoice": 1, "billing_invoiceitem": 1},
			check: map[string]string{"SELECT count(*)::text FROM migration_dataqualityissue WHERE issue_type = 'out_of_range' AND severity = 'critical'": "7"}},
		{name: "control-characters", about: "ASCII control characters (BEL, ESC, VT) inside cells",
			files: files("clientes.csv", clientHeader+"C1,José\x07 Pérez\x1b[31m,CC,1020304050,,3001234567,jose@example.com,Calle\x0b1,,,,\n"),
			exit:  0, rows: map[string]int{"vet_clinic_ownerprofile": 1}},
		{name: "path-traversal", about: "attachments named ../../etc/passwd and /etc/passwd",
			files: files("clientes.csv", okClients, "mascotas.csv", okPets,
				"documentos.csv", "id,id_paciente,id_cliente,archivo,tipo,descripcion,fecha\n"+
					"D1,P1,C1,../../etc/passwd,pdf,x,2023-01-01\nD2,P1,C1,/etc/passwd,pdf,y,2023-01-01\n"),
			exit: 0, want: []string{"path_escape"}, rows: map[string]int{"documents_document": 0}},
		{name: "blank-rows-only", about: "a header followed only by blank and separator-only lines",
			files: files("clientes.csv", clientHeader+"\n,,,,,,,,,,,\n   \n\n"), exit: 0, rows: map[string]int{"vet_clinic_ownerprofile": 0}},
		{name: "stray-quote-in-field", about: "a quote in the middle of an unquoted cell (Jo\"sé): read as a character, as spreadsheets do, with an info issue",
			files: files("clientes.csv", clientHeader+"C1,Jo\"sé Pérez,CC,1020304050,,3001234567,jose@example.com,,,,,\n"),
			exit:  0, issues: []string{"bare_quote"}, rows: map[string]int{"vet_clinic_ownerprofile": 1}, verify: true,
			check: map[string]string{"SELECT full_name FROM vet_clinic_ownerprofile": "Jo\"sé Pérez"}},
		{name: "media-store-unwritable", about: "a valid attachment while the media store path is a file: the documents batch fails",
			files: files("clientes.csv", okClients, "mascotas.csv", okPets, "adjuntos/rx.pdf", "%PDF-1.4 rx",
				"documentos.csv", "id,id_paciente,id_cliente,archivo,tipo,descripcion,fecha\nD1,P1,C1,adjuntos/rx.pdf,pdf,Rx,2023-01-01\n"),
			args: []string{"import", "all", "--dir", "{dir}", "--media-dir", "{dir}/clientes.csv"},
			exit: 1, want: []string{"FALLIDO", "media store", "no quedó ningún dato"},
			rows: map[string]int{"pets_pet": 2, "documents_document": 0}},
		{name: "symlink-escape", about: "attachments that are symbolic links leaving the export folder: to /etc/passwd, through a linked folder, a chain of two links, a relative ../../README.md",
			files: files("clientes.csv", okClients, "mascotas.csv", okPets, "adjuntos/ok.pdf", "%PDF-1.4 ok",
				"documentos.csv", "id,id_paciente,id_cliente,archivo,tipo,descripcion,fecha\n"+
					"D1,P1,C1,adjuntos/passwd.pdf,pdf,a,2023-01-01\nD2,P1,C1,adjuntos/etc/passwd,pdf,b,2023-01-01\n"+
					"D3,P1,C1,adjuntos/chain.pdf,pdf,c,2023-01-01\nD4,P1,C1,adjuntos/rel.pdf,pdf,d,2023-01-01\n"+
					"D5,P1,C1,adjuntos/alias.pdf,pdf,e,2023-01-01\n"),
			links: map[string]string{"adjuntos/passwd.pdf": "/etc/passwd", "adjuntos/etc": "/etc",
				"adjuntos/chain.pdf": "rel.pdf", "adjuntos/rel.pdf": "../../README.md", "adjuntos/alias.pdf": "ok.pdf"},
			exit: 0, want: []string{"documentos.csv:2", "path_escape", "outside the export folder"}, issues: []string{"path_escape"},
			rows:  map[string]int{"documents_document": 1},
			check: map[string]string{"SELECT count(*)::text FROM migration_dataqualityissue WHERE issue_type = 'path_escape'": "4"}},
		{name: "attachment-is-folder", about: "an attachment column naming a folder of the export",
			files: files("clientes.csv", okClients, "mascotas.csv", okPets, "adjuntos/rx/a.pdf", "%PDF-1.4 a",
				"documentos.csv", "id,id_paciente,id_cliente,archivo,tipo,descripcion,fecha\nD1,P1,C1,adjuntos/rx,pdf,Rx,2023-01-01\n"),
			exit: 0, want: []string{"documentos.csv:2", "not_regular_file"}, issues: []string{"not_regular_file"},
			rows: map[string]int{"documents_document": 0}},
		{name: "unreadable-export-files", about: "a garbage mascotas.csv and an empty vacunas.csv beside valid clients and records: nothing imported, exit 1, said first",
			files: files("clientes.csv", okClients, "mascotas.csv", randomBytes(2048, 9), "vacunas.csv", "",
				"historia_clinica.csv", "id,id_paciente,fecha,tipo,descripcion,diagnostico,tratamiento,notas,id_veterinario\nH1,P1,2023-01-01,Consulta,x,,,,\n"),
			exit: 1, want: []string{"No se importó nada", "mascotas.csv: ", "binary", "vacunas.csv: ", "empty"},
			rows:  map[string]int{"vet_clinic_ownerprofile": 0, "medical_medicalrecord": 0},
			check: map[string]string{"SELECT count(*)::text FROM migration_migrationbatch": "0"}},
		{name: "export-file-link-outside", about: "clientes.csv is a symbolic link to a file outside the export folder: refused, nothing imported",
			files: files("mascotas.csv", okPets), links: map[string]string{"clientes.csv": "../duplicate-ids/clientes.csv"},
			exit: 1, want: []string{"No se importó nada", "clientes.csv: es un enlace a un archivo fuera de la carpeta de exportación", "outside the export folder"},
			rows: map[string]int{"vet_clinic_ownerprofile": 0, "pets_pet": 0}},
		{name: "xlsx-formula-no-value", about: "an xlsx whose name cell is a formula saved without its value (written by a program that does not calculate)",
			files: files("clientes.xlsx", func() []byte {
				rows := clientRows()
				rows[1][1] = ""
				return xlsxEdited("clientes", rows, func(f *excelize.File) { f.SetCellFormula("clientes", "B2", `UPPER("josé")`) })
			}), exit: 0, want: []string{"clientes.xlsx:2:2", "formula cell saved without its value"},
			issues: []string{"formula_without_value"}, rows: map[string]int{"vet_clinic_ownerprofile": 1},
			check: map[string]string{"SELECT count(*)::text FROM migration_dataqualityissue WHERE issue_type = 'empty_name'": "0"}},
		{name: "xlsx-unpack-limit", about: "an xlsx that unpacks to more than --max-xlsx-mb allows (1 MB here): refused, naming the limit and the flag",
			files: files("clientes.xlsx", func() []byte {
				return xlsxEdited("clientes", clientRows(), func(f *excelize.File) {
					for i := 4; i < 3000; i++ {
						f.SetSheetRow("clientes", fmt.Sprintf("A%d", i), &[]any{fmt.Sprintf("C%d", i), "Cliente", "CC", i, "", fmt.Sprintf("301%07d", i),
							fmt.Sprintf("c%d@example.com", i), strings.Repeat(fmt.Sprintf("calle %d ", i), 40)})
					}
				})
			}), args: []string{"import", "all", "--dir", "{dir}", "--max-xlsx-mb", "1"},
			exit: 1, want: []string{"No se importó nada", "clientes.xlsx", "--max-xlsx-mb 1"}, rows: map[string]int{"vet_clinic_ownerprofile": 0}},
		{name: "xlsx-many-rows-within-limit", about: "the same workbook under the default limit: imported",
			files: files("clientes.xlsx", func() []byte {
				return xlsxEdited("clientes", clientRows(), func(f *excelize.File) {
					for i := 4; i < 3000; i++ {
						f.SetSheetRow("clientes", fmt.Sprintf("A%d", i), &[]any{fmt.Sprintf("C%d", i), "Cliente", "CC", i, "", fmt.Sprintf("301%07d", i),
							fmt.Sprintf("c%d@example.com", i), strings.Repeat(fmt.Sprintf("calle %d ", i), 40)})
					}
				})
			}), exit: 0, rows: map[string]int{"vet_clinic_ownerprofile": 2998}},
		{name: "dump-soft-deleted", about: "an owners table dump (English columns) with a soft-deleted row: skipped with its reason, the others imported",
			files: files("propietarios.csv", ownersDump+
				"1,Ana Gómez,cc,1020304050,,,3001234567,ana@example.com,Calle 1,Bogotá,,,,,,,2020-01-01 10:00:00,2020-01-01 10:00:00,\n"+
				"2,Luis Díaz,cc,52000111,,,3109998877,luis@example.com,,Cali,,,,,,,2020-01-01 10:00:00,2020-01-01 10:00:00,2021-05-05 09:00:00\n"),
			exit: 0, issues: []string{"soft_deleted"}, rows: map[string]int{"vet_clinic_ownerprofile": 1},
			check: map[string]string{"SELECT status || '/' || reason FROM migration_migrationrecord WHERE source_id = '2'": "skipped/soft_deleted"}},
		{name: "dump-gender-codes", about: "a pets table dump with gender_id 1/2/3 (no published meaning): kept raw and flagged, never guessed",
			files: files("propietarios.csv", ownersDump+"1,Ana Gómez,cc,1020304050,,,3001234567,ana@example.com,,,,,,,,,,,\n",
				"mascotas.csv", petsDump+"10,1,Luna,canine,Criollo,,,3,Negro,2021-04-03,12,kg,,sterilized,,0,,,,,,\n"),
			exit: 0, issues: []string{"unknown_sex_code"}, rows: map[string]int{"pets_pet": 1}},
		{name: "spanish-excel-semicolons", about: "a clients and products export re-saved by Spanish-locale Excel: ';' separators, Windows-1252, decimal commas and $ thousands",
			files: files("clientes.csv", win1252(strings.ReplaceAll(okClients, ",", ";")),
				"productos.csv", win1252("id;codigo;nombre;categoria;tipo;precio;costo;stock;unidad;activo\nPR1;SKU1;Vacuna Rabia;Biológicos;producto;$132.999;1.234,50;12;unidad;Sí\n")),
			exit: 0, rows: map[string]int{"vet_clinic_ownerprofile": 2, "inventory_product": 1},
			check: map[string]string{"SELECT price || '/' || cost FROM inventory_product": "132999.00/1234.50"}},
		{name: "bom-and-crlf", about: "UTF-8 with a byte-order mark and Windows line endings",
			files: files("clientes.csv", "\xEF\xBB\xBF"+strings.ReplaceAll(okClients, "\n", "\r\n")), exit: 0,
			rows: map[string]int{"vet_clinic_ownerprofile": 2}},
		{name: "dangling-attachment-link", about: "an attachment that is a symbolic link to a file that does not exist",
			files: files("clientes.csv", okClients, "mascotas.csv", okPets,
				"documentos.csv", "id,id_paciente,id_cliente,archivo,tipo,descripcion,fecha\nD1,P1,C1,adjuntos/roto.pdf,pdf,x,2023-01-01\n"),
			links: map[string]string{"adjuntos/roto.pdf": "no-existe.pdf"},
			exit:  0, want: []string{"documentos.csv:2", "link to a missing file"}, issues: []string{"missing_file"},
			rows: map[string]int{"documents_document": 0}},
		{name: "microchip-scientific", about: "a microchip re-saved by Excel as 9,85141E+14: digits lost, flagged, never invented",
			files: files("clientes.csv", okClients, "mascotas.csv", strings.Replace(okPets, "Negro,,", "Negro,\"9,85141E+14\",", 1)),
			exit:  0, issues: []string{"precision_lost"}, rows: map[string]int{"pets_pet": 2},
			check: map[string]string{"SELECT count(*)::text FROM pets_pet WHERE microchip_number LIKE '985141%'": "0"}},
		{name: "duplicate-id-first-orphaned", about: "pet P1 twice: first with an owner not in the export (orphaned), then with a valid owner (imported)",
			files: files("clientes.csv", okClients, "mascotas.csv", "id,id_cliente,nombre,especie\nP1,C9,Luna,Canino\nP1,C1,Luna,Canino\n"),
			exit:  0, issues: []string{"earlier_occurrence_not_imported"}, rows: map[string]int{"pets_pet": 1},
			check: map[string]string{"SELECT string_agg(line_number || ':' || status, ',' ORDER BY line_number) FROM migration_migrationrecord WHERE source_id = 'P1'": "2:skipped,3:imported"}},
		{name: "quote-merged-semicolons", about: "an unbalanced quote in a ';' file swallows the next line, which looks like a row",
			files: files("clientes.csv", strings.ReplaceAll(clientHeader, ",", ";")+
				"C1;\"José Pérez;CC;1020304050;;3001234567;jose@example.com;;;;;\n"+
				"C2;María Muñoz\";CC;52000111;;3109998877;maria@example.com;;;;;\n"+
				"C3;Ana;CC;3;;3001112233;ana@example.com;;;;;\n"),
			exit: 0, want: []string{"clientes.csv:2:2", "line 3 merged into line 2"}, issues: []string{"quote_merged_lines"},
			rows:  map[string]int{"vet_clinic_ownerprofile": 1},
			check: map[string]string{"SELECT total_records || '/' || merged_lines FROM migration_migrationbatch": "2/1"}},
		{name: "id-only-invisible", about: "an id made only of a zero-width space and a BOM: a missing id, one critical issue",
			files: files("clientes.csv", okClients+"\u200b\ufeff,Fantasma,CC,77,,3150000001,f@example.com,,,,,\n"), exit: 0,
			issues: []string{"missing_id"}, rows: map[string]int{"vet_clinic_ownerprofile": 2},
			check: map[string]string{"SELECT count(*)::text FROM migration_dataqualityissue WHERE severity = 'critical'": "1"}},
		{name: "credit-note-cop", about: "a credit note written as COP with currency marks and a minus ($ -1.000): imported with negative_amount warnings",
			files: files("clientes.csv", okClients,
				"facturas.csv", "id,numero,id_cliente,fecha,subtotal,descuento,impuesto,total,estado,forma_pago,notas\n"+
					"F1,NC-1,C1,2023-01-01,\"$ -1.000\",0,0,COP -1.000,anulada,efectivo,nota crédito\n"), exit: 0,
			issues: []string{"negative_amount"}, rows: map[string]int{"billing_invoice": 1},
			check: map[string]string{"SELECT total::text FROM billing_invoice": "-1000.00"}},
		{name: "mascotas-report-title-row", about: "the OkVet Mascotas report (xlsx) with its merged title on row 1 and headers on row 2",
			files: files("mascotas.xlsx", func() []byte {
				return xlsxBytes("Mascotas", [][]string{{"OkVet - Mascotas"},
					{"Nombre", "Especie", "Raza", "Peso", "Género", "E.Reproductivo", "Nacimiento", "Color", "Fallecido", "Nombres", "TIdent", "Ident.", "Correo", "Celular"},
					{"Luna", "Canino", "Criollo(a)", "12.5 Kilogramos", "Hembra", "Esterilizado", "2021-04-03", "Negro", "", "Ana Gómez", "CC", "1020304050", "ana@example.com", "+573001234567"},
					{"Max", "Felino", "", "4", "Macho", "No esterilizado", "", "", "", "Ana Gómez", "CC", "1020304050", "ana@example.com", "+573001234567"}})
			}), exit: 0, rows: map[string]int{"vet_clinic_ownerprofile": 1, "pets_pet": 2}},
		{name: "bare-quote-coordinates-and-inches", about: "bare quotes in unquoted cells (37°36'37.8\"N, Collar 14\"): each read as a character with an info issue naming the line; the rows import and verify",
			files: files("clientes.csv", clientHeader+
				"C1,José Pérez,CC,1020304050,,3001234567,jose@example.com,37°36'37.8\"N 122°22'30\"W,Bogotá,,2020-01-15,Sí\n"+
				"C2,María Muñoz,CC,52000111,,3109998877,maria@example.com,,Medellín,Collar 14\" rojo,2021-02-15,No\n"),
			exit: 0, issues: []string{"bare_quote"}, rows: map[string]int{"vet_clinic_ownerprofile": 2}, verify: true,
			check: map[string]string{
				"SELECT address FROM vet_clinic_ownerprofile WHERE full_name = 'José Pérez'":                                                                                                              "37°36'37.8\"N 122°22'30\"W",
				"SELECT string_agg(line_number::text, ',' ORDER BY line_number) FROM migration_dataqualityissue i JOIN migration_migrationrecord r ON r.id = i.record_id WHERE issue_type = 'bare_quote'": "2,3"}},
		{name: "bare-quote-then-broken-quoted-cell", about: "a bare quote in one cell and a quoted cell with text after its closing quote: the row stays rejected (quoted cells are strict)",
			files: files("clientes.csv", okClients+"C3,Collar 14\",CC,3,,3001112233,ana@example.com,\"Calle \"9,,,,\n"),
			exit:  0, want: []string{"clientes.csv:4:"}, rows: map[string]int{"vet_clinic_ownerprofile": 2}},
		{name: "dates-month-first", about: "a pets file whose dates are plainly month first (12/25/2015, 2/29/2016): its ambiguous 03/04/2015 is read as 4 March, one warning for the file; it verifies",
			files: files("clientes.csv", okClients, "mascotas.csv", "id,id_cliente,nombre,especie,fecha_nacimiento\n"+
				"P1,C1,Luna,Canino,12/25/2015\nP2,C1,Max,Felino,2/29/2016\nP3,C2,Kira,Canino,03/04/2015\n"),
			exit: 0, issues: []string{"date_order_month_first"}, rows: map[string]int{"pets_pet": 3}, verify: true,
			check: map[string]string{
				"SELECT string_agg(birth_date::text, ',' ORDER BY name) FROM pets_pet":                              "2015-03-04,2015-12-25,2016-02-29",
				"SELECT count(*)::text FROM migration_dataqualityissue WHERE issue_type = 'date_order_month_first'": "1"}},
		{name: "dates-mixed-order", about: "a pets file with dates that can only be day first and others only month first: a finding, and the ambiguous 03/04/2015 is not guessed",
			files: files("clientes.csv", okClients, "mascotas.csv", "id,id_cliente,nombre,especie,fecha_nacimiento\n"+
				"P1,C1,Luna,Canino,12/25/2015\nP2,C1,Max,Felino,25/12/2015\nP3,C2,Kira,Canino,03/04/2015\n"),
			exit: 0, issues: []string{"date_order_mixed", "ambiguous_date"}, rows: map[string]int{"pets_pet": 3}, verify: true,
			check: map[string]string{"SELECT coalesce(birth_date::text, '-') FROM pets_pet WHERE name = 'Kira'": "-"}},
		{name: "header-million-columns", about: "a clients header followed by 1,000,000 unnamed columns (1 MB of commas): refused while the header is read, naming --max-columns",
			files: files("clientes.csv", strings.TrimSuffix(clientHeader, "\n")+strings.Repeat(",", 1_000_000)+"\n"+strings.Split(okClients, "\n")[1]+"\n"),
			exit:  1, want: []string{"clientes.csv", "line 1 has more than 16384 columns", "--max-columns"}, rows: map[string]int{"vet_clinic_ownerprofile": 0}},
		{name: "line-over-limit", about: "a 100 KB line with --max-line-bytes 65536: the file refused naming the line and the flag",
			files: files("clientes.csv", okClients+"C3,"+strings.Repeat("x", 100<<10)+"\n"),
			args:  []string{"import", "all", "--dir", "{dir}", "--max-line-bytes", "65536"},
			exit:  1, want: []string{"clientes.csv", "line 4 is longer than 65536 bytes", "--max-line-bytes"}, rows: map[string]int{"vet_clinic_ownerprofile": 0}},
		{name: "cell-over-limit", about: "a 200 KB quoted note over many short lines with --max-cell-bytes 100000: that row rejected naming the flag, the others imported",
			files: files("clientes.csv", okClients+"C3,Ana,CC,3,,3001112233,ana@example.com,,,\""+strings.Repeat("nota larga\n", 200<<10/11)+"\",,\n"),
			args:  []string{"import", "all", "--dir", "{dir}", "--max-cell-bytes", "100000"},
			exit:  0, want: []string{"clientes.csv:4:10", "--max-cell-bytes"}, rows: map[string]int{"vet_clinic_ownerprofile": 2}},
		{name: "cell-within-limit", about: "the same 200 KB note under the default --max-cell-bytes (1 MiB): imported",
			files: files("clientes.csv", okClients+"C3,Ana,CC,3,,3001112233,ana@example.com,,,\""+strings.Repeat("nota larga\n", 200<<10/11)+"\",,\n"),
			exit:  0, rows: map[string]int{"vet_clinic_ownerprofile": 3}},
		{name: "verify-honours-line-limit", about: "a 2,000-byte line imported under the default limits; verify with --max-line-bytes 1000 refuses it naming the flag, as import would",
			files: files("clientes.csv", okClients+"C3,Ana Gómez,CC,3,,3001112233,ana@example.com,,,"+strings.Repeat("n", 2000)+",,\n"),
			exit:  0, rows: map[string]int{"vet_clinic_ownerprofile": 3},
			verify: true, verifyArgs: []string{"--max-line-bytes", "1000"}, verifyWant: "--max-line-bytes 1000"},
		{name: "quote-open-to-the-end", about: "a quote opened on line 4 and never closed, 200 KB of lines after it, with --max-line-bytes 65536: refused at the row limit, not read into memory to the end",
			files: files("clientes.csv", okClients+"C3,\"Ana"+strings.Repeat(",x,y\n", 200<<10/5)),
			args:  []string{"import", "all", "--dir", "{dir}", "--max-line-bytes", "65536"},
			exit:  1, want: []string{"clientes.csv", "a quote left open?", "--max-line-bytes"}, rows: map[string]int{"vet_clinic_ownerprofile": 0}},
		{name: "attachment-windows-paths", about: "attachments named C:\\Users\\..., \\\\server\\share\\... and ..\\..\\secret: each rejected as outside the export folder, the valid one imported",
			files: files("clientes.csv", okClients, "mascotas.csv", okPets, "adjuntos/rx.pdf", "%PDF-1.4 rx",
				"documentos.csv", "id,id_paciente,id_cliente,archivo,tipo,descripcion,fecha\n"+
					"D1,P1,C1,adjuntos\\rx.pdf,pdf,Rx,2023-01-01\n"+
					"D2,P1,C1,C:\\Users\\clinica\\rx.pdf,pdf,Rx,2023-01-01\n"+
					"D3,P1,C1,\\\\server\\share\\rx.pdf,pdf,Rx,2023-01-01\n"+
					"D4,P1,C1,..\\..\\secret.pdf,pdf,Rx,2023-01-01\n"),
			exit: 0, want: []string{"documentos.csv:3", "documentos.csv:4", "documentos.csv:5", "path_escape"},
			rows:  map[string]int{"documents_document": 1},
			check: map[string]string{"SELECT count(*)::text FROM migration_dataqualityissue WHERE issue_type = 'path_escape'": "3"}},
		{name: "attachments-folder-is-link", about: "the adjuntos folder itself is a symbolic link to /etc: the import refused before anything is read, naming the link",
			files: files("clientes.csv", okClients, "mascotas.csv", okPets,
				"documentos.csv", "id,id_paciente,id_cliente,archivo,tipo,descripcion,fecha\nD1,P1,C1,adjuntos/passwd,pdf,x,2023-01-01\nD2,P2,C2,adjuntos/hostname,pdf,x,2023-01-01\n"),
			links: map[string]string{"adjuntos": "/etc"},
			exit:  1, want: []string{"adjuntos: es un enlace a un archivo fuera de la carpeta de exportación", "No se importó nada"},
			rows: map[string]int{"documents_document": 0, "vet_clinic_ownerprofile": 0}},
		{name: "bom-mid-file", about: "a UTF-8 byte-order mark at the start of line 3 (two files pasted together): stripped from the id with an info issue, both rows imported",
			files: files("clientes.csv", clientHeader+strings.Split(okClients, "\n")[1]+"\n\ufeff"+strings.Split(okClients, "\n")[2]+"\n"),
			exit:  0, issues: []string{"invisible_characters"}, rows: map[string]int{"vet_clinic_ownerprofile": 2},
			check: map[string]string{"SELECT string_agg(external_id, ',' ORDER BY external_id) FROM vet_clinic_ownerprofile": "C1,C2"}},
		{name: "mixed-line-endings", about: "LF and CRLF line endings mixed in one file: every row read, no carriage return left in a value",
			files: files("clientes.csv", clientHeader+strings.Split(okClients, "\n")[1]+"\r\n"+strings.Split(okClients, "\n")[2]+"\n"+
				"C3,Ana Gómez,CC,3,,3001112233,ana@example.com,,Cali,,,No\r\n"),
			exit: 0, rows: map[string]int{"vet_clinic_ownerprofile": 3},
			check: map[string]string{"SELECT count(*)::text FROM vet_clinic_ownerprofile WHERE city LIKE '%' || chr(13) || '%' OR full_name LIKE '%' || chr(13) || '%'": "0"}},
		{name: "utf16le-with-bom", about: "UTF-16LE with a byte-order mark (Excel's \"Unicode text\"), tab separated: imported",
			files: files("clientes.csv", append([]byte{0xFF, 0xFE}, utf16le(strings.ReplaceAll(okClients, ",", "\t"))...)),
			exit:  0, rows: map[string]int{"vet_clinic_ownerprofile": 2}},
		{name: "utf16be-with-bom", about: "UTF-16BE with a byte-order mark: imported",
			files: files("clientes.csv", func() []byte {
				b, _ := unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(okClients))
				return b
			}), exit: 0, rows: map[string]int{"vet_clinic_ownerprofile": 2}},
		{name: "pipe-separated", about: "clients separated by '|': the delimiter detected, imported",
			files: files("clientes.csv", strings.ReplaceAll(okClients, ",", "|")), exit: 0, rows: map[string]int{"vet_clinic_ownerprofile": 2}},
		{name: "trailing-separators", about: "every line ends with three extra commas (a spreadsheet's empty columns): harmless, imported",
			files: files("clientes.csv", strings.ReplaceAll(okClients, "\n", ",,,\n")), exit: 0, rows: map[string]int{"vet_clinic_ownerprofile": 2}},
		{name: "two-digit-years", about: "dates with two-digit years (03/04/21): never guessed, each flagged invalid_date, the rows imported without them",
			files: files("clientes.csv", okClients, "mascotas.csv", strings.ReplaceAll(okPets, "2021-04-03", "03/04/21")),
			exit:  0, issues: []string{"invalid_date"}, rows: map[string]int{"pets_pet": 2},
			check: map[string]string{"SELECT count(*)::text FROM pets_pet WHERE birth_date IS NOT NULL": "1"}},
		{name: "excel-serial-dates-in-csv", about: "birth dates written as Excel serial numbers in a CSV (44927): read as 2023-01-01",
			files: files("clientes.csv", okClients, "mascotas.csv", strings.ReplaceAll(okPets, "2021-04-03", "44927")),
			exit:  0, rows: map[string]int{"pets_pet": 2},
			check: map[string]string{"SELECT birth_date::text FROM pets_pet WHERE name = 'Luna'": "2023-01-01"}},
		{name: "bare-quote-semicolons", about: "a bare quote in a ';' file re-saved by Spanish Excel (Collar 14\"): read as a character, the row imported",
			files: files("clientes.csv", strings.ReplaceAll(okClients, ",", ";")+"C3;Ana Gómez;CC;3;;3001112233;ana@example.com;Collar 14\" azul;Cali;;;No\n"),
			exit:  0, issues: []string{"bare_quote"}, rows: map[string]int{"vet_clinic_ownerprofile": 3}, verify: true},
		{name: "nul-in-header", about: "a NUL byte inside the nombre header: that column matches no field, so the row has no name and is rejected (empty_name), never imported half-read",
			files: files("clientes.csv", "id,nom\x00bre,email\nC1,Ana,a@example.com\n"),
			exit:  0, want: []string{"clientes.csv:2", "empty_name"}, rows: map[string]int{"vet_clinic_ownerprofile": 0}},
		{name: "orphans-everywhere", about: "pets, records and invoices whose parents are not in the export",
			files: files("mascotas.csv", okPets,
				"historia_clinica.csv", "id,id_paciente,fecha,tipo,descripcion,diagnostico,tratamiento,notas,id_veterinario\nH1,P9,2023-01-01,Consulta,x,,,,\n"),
			exit: 0, want: []string{"mascotas.csv:2", "orphaned_record"}, rows: map[string]int{"pets_pet": 0}},
	}
}

func writeBadCase(t *testing.T, c badCase) {
	dir := filepath.Join(badDir, c.name)
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, b := range c.files() {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, target := range c.links {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
}

func badReadme(cases []badCase) []byte {
	var b bytes.Buffer
	b.WriteString("# Bad-input catalogue\n\nOne folder per malformed export, imported by `importer/badinput_test.go`\n" +
		"(`recon import all --dir <case>`), which checks the message, the exit code, that nothing panics and that no\n" +
		"failed batch leaves destination rows. Regenerate with `go test ./importer -run TestBadInputCatalogue -update`.\n\n")
	for _, c := range cases {
		fmt.Fprintf(&b, "- `%s/`: %s\n", c.name, c.about)
	}
	return b.Bytes()
}

// checkBadCase compares the committed files with the generator's.
func checkBadCase(t *testing.T, c badCase) {
	dir := filepath.Join(badDir, c.name)
	want := c.files()
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if target, ok := c.links[filepath.ToSlash(rel)]; ok {
			if got, err := os.Readlink(p); err != nil || got != target {
				t.Errorf("%s: %s links to %q, want %q (run with -update): %v", c.name, rel, got, target, err)
			}
			return nil
		}
		if _, ok := want[filepath.ToSlash(rel)]; !ok {
			t.Errorf("%s: unexpected file %s (run with -update)", c.name, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("%v (run with -update to write the catalogue)", err)
	}
	for name, b := range want {
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil || !bytes.Equal(got, b) {
			t.Errorf("%s/%s differs from the generator (run with -update): %v", c.name, name, err)
		}
	}
}

// runCLI runs recon in-process and turns a panic into a test failure.
func runCLI(t *testing.T, args ...string) (code int, out string) {
	t.Helper()
	var buf bytes.Buffer
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Errorf("recon %s panicked: %v\n%s", strings.Join(args, " "), r, debug.Stack())
				code = -1
			}
		}()
		code = cli.Run(context.Background(), args, &buf, &buf)
	}()
	return code, buf.String()
}

func TestBadInputCatalogue(t *testing.T) {
	cases := badCases()
	if len(cases) < 80 {
		t.Fatalf("catalogue has %d cases, want at least 80", len(cases))
	}
	if *updateBad {
		os.MkdirAll(badDir, 0o755)
		for _, c := range cases {
			writeBadCase(t, c)
		}
		if err := os.WriteFile(filepath.Join(badDir, "README.md"), badReadme(cases), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	readme, err := os.ReadFile(filepath.Join(badDir, "README.md"))
	if err != nil || !bytes.Equal(readme, badReadme(cases)) {
		t.Errorf("testdata/bad/README.md is stale (run with -update): %v", err)
	}
	var names []string
	for _, c := range cases {
		names = append(names, c.name)
	}
	sort.Strings(names)
	for i := 1; i < len(names); i++ {
		if names[i] == names[i-1] {
			t.Fatalf("duplicate case %s", names[i])
		}
	}

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel() // each case has its own database; most of the time is spent creating it
			checkBadCase(t, c)
			db := pgtest.MustOpenDB(t)
			dir, _ := filepath.Abs(filepath.Join(badDir, c.name))
			home := t.TempDir()
			args := c.args
			if args == nil {
				args = []string{"import", "all", "--dir", "{dir}"}
			}
			full := []string{"--database-url", db.URL, "--home", home, "--no-progress", "--lang", "es"}
			for _, a := range args {
				full = append(full, strings.ReplaceAll(a, "{dir}", dir))
			}
			code, out := runCLI(t, full...)
			if code != c.exit {
				t.Errorf("exit %d, want %d\n%s", code, c.exit, out)
			}
			for _, w := range c.want {
				if w = strings.ReplaceAll(w, "{dir}", dir); !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, clipOut(out))
				}
			}
			if strings.Contains(out, "panic") || strings.Contains(out, "goroutine ") {
				t.Errorf("output mentions a panic:\n%s", clipOut(out))
			}
			// A failed batch leaves no destination rows and no tracking rows
			// beyond its own batch row.
			checkAllOrNothing(t, db.Pool, c.name)
			for _, is := range c.issues {
				if count(t, db.Pool, "SELECT count(*) FROM migration_dataqualityissue WHERE issue_type = $1", is) == 0 {
					t.Errorf("no %s issue recorded", is)
				}
			}
			for q, want := range c.check {
				var got string
				if err := db.Pool.QueryRow(context.Background(), q).Scan(&got); err != nil || got != want {
					t.Errorf("%s = %q, want %q (%v)", q, got, want, err)
				}
			}
			for table, n := range c.rows {
				if got := count(t, db.Pool, "SELECT count(*) FROM "+table); got != n {
					t.Errorf("%s: %d rows, want %d", table, got, n)
				}
			}
			if c.verify {
				vargs := append([]string{"--database-url", db.URL, "--home", home, "--no-progress", "--lang", "es", "verify", "--source-dir", dir}, c.verifyArgs...)
				vcode, vout := runCLI(t, vargs...)
				switch {
				case c.verifyWant == "" && vcode != 0:
					t.Errorf("verify exit %d, want 0\n%s", vcode, clipOut(vout))
				case c.verifyWant != "" && (vcode == 0 || !strings.Contains(vout, c.verifyWant)):
					t.Errorf("verify exit %d, want a failure saying %q\n%s", vcode, c.verifyWant, clipOut(vout))
				}
			}
			if t.Failed() || testing.Verbose() {
				t.Logf("output:\n%s", clipOut(out))
			}
		})
	}
}

func clipOut(s string) string {
	if len(s) > 4000 {
		return s[:4000] + "…"
	}
	return s
}
