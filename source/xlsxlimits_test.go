package source

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// rewriteSheet returns workbook b with its first worksheet's XML passed
// through edit, to write what excelize will not (cells beyond Excel's
// limits, formulas without values).
func rewriteSheet(t *testing.T, b []byte, edit func(string) string) []byte {
	t.Helper()
	return rewritePart(t, b, "xl/worksheets/sheet1.xml", edit)
}

// rewritePart returns workbook b with the zip entry part passed through
// edit, or left out when edit is nil.
func rewritePart(t *testing.T, b []byte, part string, edit func(string) string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	found := false
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name == part {
			found = true
			if edit == nil {
				continue
			}
			edited := edit(string(data))
			if edited == string(data) {
				t.Fatalf("the edit left %s unchanged", part)
			}
			data = []byte(edited)
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if !found {
		t.Fatalf("no %s in the workbook", part)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestXLSXLimitsAndFormulas(t *testing.T) {
	base := xlsxBytes(t, sheet{name: "clientes", rows: [][]any{{"id", "nombre", "email"}, {"C1", "Ana", "a@x.co"}, {"C2", "Luis", "l@x.co"}}})
	formula := func() []byte {
		f := excelize.NewFile()
		defer f.Close()
		f.SetSheetName("Sheet1", "clientes")
		for i, row := range [][]string{{"id", "nombre", "email"}, {"C1", "", "a@x.co"}, {"C2", "Luis", "l@x.co"}} {
			for j, v := range row {
				if v != "" {
					cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
					f.SetCellStr("clientes", cell, v)
				}
			}
		}
		if err := f.SetCellFormula("clientes", "B2", `UPPER("ana")`); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		f.Write(&buf)
		return buf.Bytes()
	}()
	long := rewriteSheet(t, base, func(s string) string {
		return strings.Replace(s, "<c r=\"B3\"", "<c r=\"B3\" t=\"inlineStr\"><is><t>"+strings.Repeat("x", 40000)+"</t></is></c><c r=\"Z3\"", 1)
	})
	bomb := xlsxBytes(t, sheet{name: "clientes", rows: func() [][]any {
		rows := [][]any{{"id", "nombre", "notas"}}
		for i := range 3000 {
			rows = append(rows, []any{i, "Ana", fmt.Sprintf("%05d %s", i, strings.Repeat("relleno ", 100))})
		}
		return rows
	}()})
	tests := []struct {
		name    string
		data    []byte
		maxMB   int
		wantErr error  // from Open
		errText string // substring of the Open error
		rowErr  string // substring of the one row error
		records int
	}{
		{name: "plain workbook", data: base, records: 2},
		{name: "formula without value", data: formula, records: 2, rowErr: "clientes.xlsx:2:2: formula cell saved without its value"},
		{name: "cell beyond 32767 characters", data: long, records: 2, rowErr: "clientes.xlsx:3:2: cell longer than Excel's limit of 32767"},
		{name: "unpacks beyond the limit", data: bomb, maxMB: 1, wantErr: ErrXLSXLimit, errText: "more than the limit of 1 MB (--max-xlsx-mb 1)"},
		{name: "within a raised limit", data: bomb, maxMB: 50, records: 3000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := writeFile(t, t.TempDir(), "clientes.xlsx", tc.data)
			res, err := readAll(t, p, Options{MaxXLSXMB: tc.maxMB})
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) || !strings.Contains(err.Error(), tc.errText) {
					t.Fatalf("error %v, want %v saying %q", err, tc.wantErr, tc.errText)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(res.records) != tc.records {
				t.Errorf("%d records, want %d", len(res.records), tc.records)
			}
			if (len(res.rowErrs) == 1) != (tc.rowErr != "") || tc.rowErr != "" && !strings.Contains(res.rowErrs[0].Error(), tc.rowErr) {
				t.Fatalf("row errors %v, want %q", res.rowErrs, tc.rowErr)
			}
		})
	}
}
