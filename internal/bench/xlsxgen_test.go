package bench

import (
	"archive/zip"
	"errors"
	"io"
	"math"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/petfriendly/recon/source"
)

// TestWriteClientsXLSX writes a 2 MB workbook and reads it back with recon's
// own reader: the size recon checks against --max-xlsx-mb is the target,
// every row comes back as a clean client record, and no two rows share a
// key recon merges owners on.
func TestWriteClientsXLSX(t *testing.T) {
	const targetMB = 2
	path := filepath.Join(t.TempDir(), "clientes.xlsx")
	wb, err := WriteClientsXLSX(path, targetMB)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d rows, %d bytes, unpacks to %d bytes", wb.Rows, wb.FileBytes, wb.UnpackedBytes)
	target := float64(targetMB << 20)
	if off := math.Abs(float64(wb.UnpackedBytes)-target) / target; off > 0.02 {
		t.Errorf("unpacked %d bytes, %.1f %% off the target %d", wb.UnpackedBytes, 100*off, int64(target))
	}
	if wb.Path != path || wb.FileBytes <= 0 || wb.FileBytes*5 > wb.UnpackedBytes {
		t.Errorf("workbook %+v: want a file several times smaller than what it unpacks to", wb)
	}
	// About 2 KB a row.
	if wb.Rows < 800 || wb.Rows > 1300 {
		t.Errorf("%d rows for %d MB", wb.Rows, targetMB)
	}

	r, err := source.Open(path, source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	info := r.Info()
	if info.Format != "xlsx" || info.Sheet != clientsSheet || info.HeaderRow != 1 || !reflect.DeepEqual(info.Types, []string{"clients"}) {
		t.Errorf("info: format %q, sheet %q, header row %d, types %q", info.Format, info.Sheet, info.HeaderRow, info.Types)
	}
	var header []string
	for _, c := range info.Columns {
		header = append(header, c.Header)
	}
	if !reflect.DeepEqual(header, ClientsXLSXHeader()) || len(info.Unmapped) != 0 {
		t.Errorf("header %q (unmapped %q), want %q", header, info.Unmapped, ClientsXLSXHeader())
	}
	seen := map[string]map[string]bool{"nombre": {}, "documento": {}, "telefono": {}, "email": {}}
	rows := 0
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("row %d: %v", rows+2, err)
		}
		rows++
		if len(rec.Issues) != 0 {
			t.Errorf("line %d: issues %+v", rec.Line, rec.Issues)
		}
		for field, vals := range seen {
			v := rec.Values[field]
			if !v.Valid || v.Text == "" {
				t.Errorf("line %d: %s %+v", rec.Line, field, v)
			}
			vals[v.Text] = true
		}
		if n := len(rec.Raw["direccion"]); n < 1600 || n > 2400 {
			t.Errorf("line %d: address of %d bytes", rec.Line, n)
		}
	}
	if rows != wb.Rows {
		t.Errorf("read %d rows, the generator wrote %d", rows, wb.Rows)
	}
	for _, key := range []string{"documento", "telefono", "email"} {
		if len(seen[key]) != rows {
			t.Errorf("%d distinct %s values in %d rows", len(seen[key]), key, rows)
		}
	}
	// Names come from lists: a few repeat, most do not.
	if len(seen["nombre"])*100 < rows*95 {
		t.Errorf("%d distinct names in %d rows", len(seen["nombre"]), rows)
	}

	// recon's limit sees the same size: 1 MB refuses it, 3 MB reads it.
	if _, err := source.Open(path, source.Options{MaxXLSXMB: 1}); !errors.Is(err, source.ErrXLSXLimit) || !strings.Contains(err.Error(), "--max-xlsx-mb") {
		t.Errorf("open at --max-xlsx-mb 1: %v", err)
	}
	r3, err := source.Open(path, source.Options{MaxXLSXMB: 3})
	if err != nil {
		t.Errorf("open at --max-xlsx-mb 3: %v", err)
	} else {
		r3.Close()
	}

	// The same target writes the same sheet, byte for byte.
	again, err := WriteClientsXLSX(filepath.Join(t.TempDir(), "clientes.xlsx"), targetMB)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := sheetXML(t, path), sheetXML(t, again.Path); a != b || again.Rows != wb.Rows || again.UnpackedBytes != wb.UnpackedBytes {
		t.Errorf("second workbook differs: %d rows, %d bytes unpacked, same sheet %v", again.Rows, again.UnpackedBytes, a == b)
	}

	if _, err := WriteClientsXLSX(filepath.Join(t.TempDir(), "x.xlsx"), 0); err == nil || !strings.Contains(err.Error(), "want at least 1") {
		t.Errorf("target 0: %v", err)
	}
	if _, err := WriteClientsXLSX(filepath.Join(t.TempDir(), "no", "such", "x.xlsx"), 1); err == nil || !strings.HasPrefix(err.Error(), "xlsx workbook: ") {
		t.Errorf("unwritable path: %v", err)
	}
}

// sheetXML is the worksheet part of a workbook.
func sheetXML(t *testing.T, path string) string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	t.Fatalf("%s: no xl/worksheets/sheet1.xml", path)
	return ""
}
