package gen

import (
	"archive/zip"
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"
)

// table is one export file: base name (without extension), title and headers.
type table struct {
	base   string
	title  string
	header []string
}

var (
	tblClients = table{"clientes", "Clientes", []string{
		"id", "nombre", "tipo_documento", "documento", "telefono", "celular", "email", "direccion", "ciudad", "notas", "fecha_registro", "autorizacion_datos"}}
	tblPets = table{"mascotas", "Mascotas", []string{
		"id", "id_cliente", "nombre", "especie", "raza", "sexo", "fecha_nacimiento", "peso", "color", "microchip", "esterilizado", "fallecido", "notas"}}
	tblMedical = table{"historia_clinica", "Historia clínica", []string{
		"id", "id_paciente", "fecha", "tipo", "descripcion", "diagnostico", "tratamiento", "notas", "id_veterinario"}}
	tblVaccines = table{"vacunas", "Vacunas", []string{
		"id", "id_paciente", "vacuna", "fecha_aplicacion", "fecha_proxima", "lote", "laboratorio", "id_veterinario"}}
	tblAppointments = table{"citas", "Citas", []string{
		"id", "id_paciente", "id_cliente", "fecha", "hora", "duracion", "motivo", "estado", "id_veterinario", "notas"}}
	tblProducts = table{"productos", "Productos", []string{
		"id", "codigo", "nombre", "categoria", "tipo", "precio", "costo", "stock", "unidad", "activo"}}
	tblInvoices = table{"facturas", "Facturas", []string{
		"id", "numero", "id_cliente", "fecha", "subtotal", "descuento", "impuesto", "total", "estado", "forma_pago", "notas"}}
	tblInvoiceItems = table{"factura_items", "Ítems de factura", []string{
		"id", "id_factura", "id_producto", "descripcion", "cantidad", "precio_unitario", "descuento", "impuesto", "total"}}
	tblDocuments = table{"documentos", "Documentos", []string{
		"id", "id_paciente", "id_cliente", "archivo", "tipo", "descripcion", "fecha"}}
)

// Tables lists the export files in writing order.
var tables = []table{tblClients, tblPets, tblMedical, tblVaccines, tblAppointments, tblProducts, tblInvoices, tblInvoiceItems, tblDocuments}

// FileNames returns the data file names a variant writes, in import order
// (attachments under adjuntos/ and expected.json not included).
func FileNames(variant string) []string {
	ext := ".csv"
	if variant == VariantXLSX {
		ext = ".xlsx"
	}
	out := make([]string, len(tables))
	for i, t := range tables {
		out[i] = t.base + ext
	}
	return out
}

// sink receives the rows of one table. Rows go to a hidden ".partial" file
// that commit renames into place, so a file under its final name is always
// complete; abort removes the partial file.
type sink interface {
	write(row []val) error
	commit() error
	abort()
}

func partialName(final string) string {
	return filepath.Join(filepath.Dir(final), "."+filepath.Base(final)+".partial")
}

func openSink(dir, variant string, t table) (sink, error) {
	if variant == VariantXLSX {
		return newXLSXSink(dir, t)
	}
	return newCSVSink(dir, variant, t)
}

type csvSink struct {
	final, tmp string
	variant    string
	f          *os.File
	bw         *bufio.Writer
	tw         io.WriteCloser // Windows-1252 encoder, excel-es only
	cw         *csv.Writer
	rec        []string
}

func newCSVSink(dir, variant string, t table) (*csvSink, error) {
	final := filepath.Join(dir, t.base+".csv")
	s := &csvSink{final: final, tmp: partialName(final), variant: variant, rec: make([]string, len(t.header))}
	f, err := os.Create(s.tmp)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", s.tmp, err)
	}
	s.f = f
	s.bw = bufio.NewWriterSize(f, 64<<10)
	var w io.Writer = s.bw
	if variant == VariantExcelES {
		// Strict encoder: a character Windows-1252 cannot hold is a bug
		// in the word lists and fails the generation.
		s.tw = transform.NewWriter(s.bw, charmap.Windows1252.NewEncoder())
		w = s.tw
	}
	s.cw = csv.NewWriter(w)
	if variant == VariantExcelES {
		s.cw.Comma = ';'
		s.cw.UseCRLF = true
	}
	if err := s.cw.Write(t.header); err != nil {
		s.abort()
		return nil, fmt.Errorf("write %s: %w", s.final, err)
	}
	return s, nil
}

func (s *csvSink) write(row []val) error {
	if len(row) != len(s.rec) {
		return fmt.Errorf("write %s: row has %d values, want %d", s.final, len(row), len(s.rec))
	}
	for i, v := range row {
		s.rec[i] = v.csvString(s.variant)
	}
	if err := s.cw.Write(s.rec); err != nil {
		return fmt.Errorf("write %s: %w", s.final, err)
	}
	return nil
}

func (s *csvSink) commit() error {
	s.cw.Flush()
	err := s.cw.Error()
	if err == nil && s.tw != nil {
		err = s.tw.Close()
	}
	if err == nil {
		err = s.bw.Flush()
	}
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(s.tmp, s.final)
	}
	if err != nil {
		_ = os.Remove(s.tmp)
		return fmt.Errorf("write %s: %w", s.final, err)
	}
	return nil
}

func (s *csvSink) abort() {
	_ = s.f.Close()
	_ = os.Remove(s.tmp)
}

type xlsxSink struct {
	final, tmp string
	f          *excelize.File
	sw         *excelize.StreamWriter
	row        int
	cells      []any
	dateStyle  int
}

func newXLSXSink(dir string, t table) (*xlsxSink, error) {
	final := filepath.Join(dir, t.base+".xlsx")
	s := &xlsxSink{final: final, tmp: partialName(final), cells: make([]any, len(t.header)), f: excelize.NewFile()}
	if err := s.init(t); err != nil {
		_ = s.f.Close()
		return nil, fmt.Errorf("create %s: %w", final, err)
	}
	return s, nil
}

func (s *xlsxSink) init(t table) error {
	f := s.f
	if err := f.SetSheetName(f.GetSheetName(0), t.title); err != nil {
		return err
	}
	dmyFmt := "dd/mm/yyyy"
	var err error
	if s.dateStyle, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dmyFmt}); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	if err != nil {
		return err
	}
	if s.sw, err = f.NewStreamWriter(t.title); err != nil {
		return err
	}
	if err := s.sw.SetRow("A1", []any{excelize.Cell{StyleID: bold, Value: "OkVet - " + t.title}}); err != nil {
		return err
	}
	last, err := excelize.CoordinatesToCellName(len(t.header), 1)
	if err != nil {
		return err
	}
	if err := s.sw.MergeCell("A1", last); err != nil {
		return err
	}
	hdr := make([]any, len(t.header))
	for i, h := range t.header {
		hdr[i] = h
	}
	s.row = 2
	return s.sw.SetRow("A2", hdr)
}

func (s *xlsxSink) write(row []val) error {
	if len(row) != len(s.cells) {
		return fmt.Errorf("write %s: row has %d values, want %d", s.final, len(row), len(s.cells))
	}
	s.row++
	ref, err := excelize.CoordinatesToCellName(1, s.row)
	if err != nil {
		return fmt.Errorf("write %s: %w", s.final, err)
	}
	for i, v := range row {
		s.cells[i] = v.xlsxValue(s.dateStyle)
	}
	if err := s.sw.SetRow(ref, s.cells); err != nil {
		return fmt.Errorf("write %s: %w", s.final, err)
	}
	return nil
}

func (s *xlsxSink) commit() error {
	err := s.save()
	if cerr := s.f.Close(); err == nil {
		err = cerr // removes excelize's temporary stream files
	}
	if err == nil {
		err = os.Rename(s.tmp, s.final)
	}
	if err != nil {
		_ = os.Remove(s.tmp)
		return fmt.Errorf("write %s: %w", s.final, err)
	}
	return nil
}

// save writes the workbook to the partial file. excelize's Write builds the
// whole zip in a bytes.Buffer obtained from its ZipWriter hook; we hand it a
// zip writer on the file instead, so the zip is streamed to disk and the
// (empty) buffer is discarded. This keeps memory bounded at large scales.
func (s *xlsxSink) save() error {
	if err := s.sw.Flush(); err != nil {
		return err
	}
	out, err := os.Create(s.tmp)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(out, 256<<10)
	s.f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(bw) })
	err = s.f.Write(io.Discard)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

func (s *xlsxSink) abort() {
	_ = s.f.Close()
	_ = os.Remove(s.tmp)
}
