package bench

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// XLSXWorkbook is a workbook WriteClientsXLSX wrote.
type XLSXWorkbook struct {
	Path          string
	Rows          int   // data rows below the header
	FileBytes     int64 // the .xlsx file on disk
	UnpackedBytes int64 // its parts' uncompressed sizes summed: what recon's --max-xlsx-mb limits
}

// ClientsXLSXHeader is the header of the generated sheet: OkVet's clientes.
func ClientsXLSXHeader() []string {
	return []string{"id", "nombre", "tipo_documento", "documento", "telefono", "email", "direccion", "ciudad", "fecha_registro"}
}

// clientsSheet is the sheet's name: recon picks the sheet named for a type.
const clientsSheet = "clientes"

// WriteClientsXLSX writes a clientes workbook of one sheet that unpacks to
// about targetMB MiB (the unit of --max-xlsx-mb), with as many rows as that
// takes. The content depends on nothing but targetMB. Every row has its own
// name, document, phone and e-mail, so recon merges none of them, and a
// long address (delivery directions), so a workbook of a few MB unpacks to
// hundreds of MB, as an export with long free-text columns does.
func WriteClientsXLSX(path string, targetMB int) (XLSXWorkbook, error) {
	if targetMB < 1 {
		return XLSXWorkbook{}, fmt.Errorf("xlsx workbook: target %d MB: want at least 1", targetMB)
	}
	// The parts around the rows (styles, theme, workbook, header row) are
	// measured, not guessed: a header-only workbook written to memory.
	empty, _, err := buildClientsXLSX(0)
	if err != nil {
		return XLSXWorkbook{}, err
	}
	b, err := empty.WriteToBuffer()
	empty.Close()
	if err != nil {
		return XLSXWorkbook{}, fmt.Errorf("xlsx workbook: header only: %w", err)
	}
	base, err := unpackedSize(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		return XLSXWorkbook{}, fmt.Errorf("xlsx workbook: header only: %w", err)
	}
	f, rows, err := buildClientsXLSX(int64(targetMB)<<20 - base)
	if err != nil {
		return XLSXWorkbook{}, err
	}
	defer f.Close()
	if err := f.SaveAs(path); err != nil {
		return XLSXWorkbook{}, fmt.Errorf("xlsx workbook: %w", err)
	}
	wb := XLSXWorkbook{Path: path, Rows: rows}
	st, err := os.Stat(path)
	if err != nil {
		return XLSXWorkbook{}, fmt.Errorf("xlsx workbook: %w", err)
	}
	wb.FileBytes = st.Size()
	zf, err := os.Open(path)
	if err != nil {
		return XLSXWorkbook{}, fmt.Errorf("xlsx workbook: %w", err)
	}
	defer zf.Close()
	if wb.UnpackedBytes, err = unpackedSize(zf, wb.FileBytes); err != nil {
		return XLSXWorkbook{}, fmt.Errorf("xlsx workbook %s: %w", path, err)
	}
	return wb, nil
}

// unpackedSize sums the uncompressed sizes in a zip's directory, as recon
// does before it decompresses anything.
func unpackedSize(r interface {
	ReadAt([]byte, int64) (int, error)
}, size int64) (int64, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return 0, err
	}
	var total int64
	for _, f := range zr.File {
		total += int64(f.UncompressedSize64)
	}
	return total, nil
}

// buildClientsXLSX streams the header and then rows until their XML
// reaches rowBytes, and returns the unsaved workbook and the row count.
func buildClientsXLSX(rowBytes int64) (*excelize.File, int, error) {
	f := excelize.NewFile()
	fail := func(err error) (*excelize.File, int, error) {
		f.Close()
		return nil, 0, fmt.Errorf("xlsx workbook: %w", err)
	}
	if err := f.SetSheetName("Sheet1", clientsSheet); err != nil {
		return fail(err)
	}
	sw, err := f.NewStreamWriter(clientsSheet)
	if err != nil {
		return fail(err)
	}
	header := ClientsXLSXHeader()
	cells := make([]any, len(header))
	for i, h := range header {
		cells[i] = h
	}
	if err := sw.SetRow("A1", cells); err != nil {
		return fail(err)
	}
	g := newClientRows()
	var written int64
	n := 0
	for written < rowBytes {
		n++
		sheetRow := n + 1
		values := g.row(n)
		for i, v := range values {
			cells[i] = v
		}
		if err := sw.SetRow("A"+strconv.Itoa(sheetRow), cells); err != nil {
			return fail(err)
		}
		written += rowXMLBytes(sheetRow, values)
	}
	if err := sw.Flush(); err != nil {
		return fail(err)
	}
	return f, n, nil
}

// rowXMLBytes is what excelize's StreamWriter writes for a row of inline
// strings in columns A to I: <row r="N"> and, per cell,
// <c r="AN" t="inlineStr"><is><t>escaped value</t></is></c>. The generator
// test checks the sum against the saved workbook, so a change in excelize's
// output shows there.
func rowXMLBytes(row int, values []string) int64 {
	digits := int64(len(strconv.Itoa(row)))
	n := int64(len(`<row r="">`)+len(`</row>`)) + digits
	for _, v := range values {
		n += int64(len(`<c r="" t="inlineStr"><is><t></t></is></c>`)) + 1 + digits + escapedLen(v)
	}
	return n
}

// escapedLen is the length of s once XML-escaped.
func escapedLen(s string) int64 {
	var c countingWriter
	_ = xml.EscapeText(&c, []byte(s))
	return int64(c)
}

type countingWriter int64

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}

// clientRows makes the rows: a fixed-seed generator, lists of Colombian
// names, streets and cities, and per-row unique keys (document, phone,
// e-mail) derived from the row number so no two rows share one.
type clientRows struct {
	rng                                      *rand.Rand
	ascii                                    *strings.Replacer
	first, surnames, streets, barrios        []string
	directions, cities, domains, mobilePrefs []string
	epoch                                    time.Time
}

func newClientRows() *clientRows {
	return &clientRows{
		rng:   rand.New(rand.NewPCG(20240517, 1)),
		ascii: strings.NewReplacer("á", "a", "é", "e", "í", "i", "ó", "o", "ú", "u", "ñ", "n", "ü", "u"),
		first: []string{"María", "José", "Luis", "Ana", "Carlos", "Laura", "Andrés", "Paula", "Juan", "Camila", "Jorge", "Valentina",
			"Diego", "Daniela", "Felipe", "Natalia", "Sebastián", "Carolina", "Julián", "Alejandra", "Mateo", "Sofía", "Santiago",
			"Mariana", "Ricardo", "Lucía", "Óscar", "Isabel", "Hernán", "Gloria", "Fabio", "Marta", "Iván", "Ángela", "Germán",
			"Beatriz", "Nicolás", "Juliana", "Esteban", "Adriana"},
		surnames: []string{"García", "Rodríguez", "Martínez", "López", "González", "Hernández", "Pérez", "Sánchez", "Ramírez",
			"Torres", "Díaz", "Vargas", "Moreno", "Rojas", "Jiménez", "Castro", "Gómez", "Muñoz", "Ortiz", "Suárez", "Romero",
			"Herrera", "Medina", "Aguilar", "Restrepo", "Cardona", "Ospina", "Zapata", "Quintero", "Londoño", "Cárdenas", "Salazar",
			"Mejía", "Osorio", "Arango", "Giraldo", "Valencia", "Duque", "Patiño", "Betancur"},
		streets: []string{"Calle", "Carrera", "Avenida", "Transversal", "Diagonal", "Avenida Carrera", "Avenida Calle"},
		barrios: []string{"Chapinero", "El Poblado", "Laureles", "Cedritos", "San Fernando", "El Prado", "Bocagrande", "Cabecera",
			"Los Alamos", "Castilla", "Belén", "Suba", "Kennedy", "Usaquén", "Envigado centro", "Ciudad Jardín", "Granada",
			"La Candelaria", "Teusaquillo", "Normandía"},
		directions: []string{
			"entrar por la portería peatonal y preguntar por el administrador",
			"la casa tiene reja verde y un árbol de mango en el antejardín",
			"dejar los medicamentos con el portero si no hay nadie",
			"timbre dañado, llamar al celular antes de subir",
			"hay dos perros sueltos en el patio, avisar antes de entrar",
			"parqueadero de visitantes en el sótano 2, torre B",
			"frente a la panadería de la esquina, segundo piso",
			"local comercial en el primer piso, la vivienda es la puerta lateral",
			"conjunto cerrado, registrar la cédula en la recepción",
			"después de las 6 p. m. usar la entrada por la calle de atrás",
			"al lado de la droguería, edificio de ladrillo sin ascensor",
			"apartamento del fondo, subir por la escalera exterior",
		},
		cities:      []string{"Bogotá", "Medellín", "Cali", "Barranquilla", "Cartagena", "Bucaramanga", "Pereira", "Manizales", "Ibagué", "Santa Marta"},
		domains:     []string{"gmail.com", "hotmail.com", "yahoo.es", "outlook.com", "une.net.co", "etb.net.co"},
		mobilePrefs: []string{"300", "301", "302", "304", "305", "310", "311", "312", "313", "314", "315", "316", "317", "318", "320", "321", "322", "350"},
		epoch:       time.Date(2012, 1, 1, 0, 0, 0, 0, time.UTC),
	}
}

func (g *clientRows) one(list []string) string { return list[g.rng.IntN(len(list))] }

// row is data row n (1-based): id, nombre, tipo_documento, documento,
// telefono, email, direccion, ciudad, fecha_registro.
func (g *clientRows) row(n int) []string {
	first, s1, s2 := g.one(g.first), g.one(g.surnames), g.one(g.surnames)
	name := first + " " + s1 + " " + s2

	// a·n mod m with a prime to m is a bijection on [0, m): unique keys
	// that do not look sequential.
	docType, doc := "CC", strconv.FormatInt(1_000_000_000+int64(n)*7919%900_000_000, 10)
	if g.rng.IntN(100) < 8 {
		docType, doc = "CE", strconv.Itoa(1_000_000+n)
	}

	line := fmt.Sprintf("%07d", int64(n)*7_654_321%10_000_000)
	prefix := g.one(g.mobilePrefs)
	var phone string
	switch g.rng.IntN(4) {
	case 0:
		phone = prefix + line
	case 1:
		phone = prefix + " " + line[:3] + " " + line[3:]
	case 2:
		phone = "+57 " + prefix + " " + line
	default:
		phone = "(" + prefix + ") " + line[:3] + "-" + line[3:]
	}

	// E-mail addresses are ASCII: folded after lower-casing ("Óscar" → "oscar").
	f, l := g.ascii.Replace(strings.ToLower(first)), g.ascii.Replace(strings.ToLower(s1))
	var local string
	switch g.rng.IntN(3) {
	case 0:
		local = f + "." + l
	case 1:
		local = f + l
	default:
		local = f[:1] + "_" + l
	}
	email := local + strconv.Itoa(n) + "@" + g.one(g.domains)

	// 1.6–2.2 KB of address: the street address, then directions.
	var addr strings.Builder
	fmt.Fprintf(&addr, "%s %d # %d-%d, apto %d, barrio %s; indicaciones:", g.one(g.streets), 1+g.rng.IntN(180),
		1+g.rng.IntN(120), 1+g.rng.IntN(99), 101+g.rng.IntN(1500), g.one(g.barrios))
	for want := 1600 + g.rng.IntN(600); addr.Len() < want; {
		addr.WriteString(" ")
		addr.WriteString(g.one(g.directions))
		addr.WriteString(".")
	}
	registered := g.epoch.AddDate(0, 0, g.rng.IntN(4800)).Format(time.DateOnly)
	return []string{fmt.Sprintf("C%07d", n), name, docType, doc, phone, email, addr.String(), g.one(g.cities), registered}
}
