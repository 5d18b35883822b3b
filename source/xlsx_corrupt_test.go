package source

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/xuri/excelize/v2"
)

// TestXLSXCorrupt reads workbooks damaged in one part each: every damage
// is reported as a corrupt workbook naming what is wrong, and none loses
// rows silently.
func TestXLSXCorrupt(t *testing.T) {
	base := xlsxBytes(t, sheet{name: "clientes", rows: [][]any{{"id", "nombre", "email"}, {"C1", "Ana", "a@x.co"}, {"C2", "Luis", "l@x.co"}}})
	const ws, wb, rels = "xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"
	replace := func(old, new string) func(string) string {
		return func(s string) string { return strings.Replace(s, old, new, 1) }
	}
	formula := func() []byte {
		f := excelize.NewFile()
		defer f.Close()
		f.SetSheetName("Sheet1", "clientes")
		f.SetSheetRow("clientes", "A1", &[]any{"id", "nombre", "email"})
		f.SetSheetRow("clientes", "A2", &[]any{"C1", nil, "a@x.co"})
		if err := f.SetCellFormula("clientes", "B2", `UPPER("ana")`); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}()
	tests := []struct {
		name    string
		data    []byte
		err     string // after "corrupt or truncated xlsx workbook: "
		records int
		rowErr  string
	}{
		{name: "no sheets", data: rewritePart(t, base, wb, func(s string) string {
			i, j := strings.Index(s, "<sheets>"), strings.Index(s, "</sheets>")
			return s[:i] + "<sheets></sheets>" + s[j+len("</sheets>"):]
		}), err: "no worksheet"},
		{name: "worksheet cut inside a tag", data: rewritePart(t, base, ws, func(s string) string { return s[:strings.Index(s, `<c r="B3"`)+5] }),
			err: `sheet "clientes": XML syntax error on line 2: unexpected EOF`},
		{name: "worksheet cut between rows", data: rewritePart(t, base, ws, func(s string) string { return s[:strings.Index(s, `<row r="3"`)] }),
			err: `sheet "clientes": xl/worksheets/sheet1.xml ends inside <sheetData>: truncated`},
		{name: "mismatched end tag", data: rewritePart(t, base, ws, replace(`</row><row r="3"`, `</rows><row r="3"`)),
			err: `sheet "clientes": line 2: </rows> closes <row>`},
		{name: "stray end tag", data: rewritePart(t, base, ws, func(s string) string { return s + "</worksheet>" }),
			err: `sheet "clientes": line 2: </worksheet> closes nothing`},
		{name: "worksheet part missing", data: rewritePart(t, base, ws, nil), err: `sheet "clientes": no xl/worksheets/sheet1.xml`},
		{name: "relationships missing", data: rewritePart(t, base, rels, nil), err: `sheet "clientes": sheet clientes does not exist`},
		{name: "bad workbook property", data: rewritePart(t, base, wb, replace("<workbookPr ", `<workbookPr date1904="maybe" `)),
			err: `strconv.ParseBool: parsing "maybe": invalid syntax`},
		{name: "bad cell reference", data: rewritePart(t, base, ws, replace(`<c r="B3"`, `<c r="!!"`)),
			err: `row 3: cannot convert cell "!!" to coordinates`},
		// A target given from the package root is found as well: the
		// formula without a value is still reported.
		{name: "absolute worksheet target", data: rewritePart(t, formula, rels, replace(`Target="worksheets/sheet1.xml"`, `Target="/xl/worksheets/sheet1.xml"`)),
			records: 1, rowErr: "clientes.xlsx:2:2: formula cell saved without its value"},
		// Without a worksheet relationship the formula check cannot find
		// the part, and excelize cannot either.
		{name: "worksheet relationship unknown", data: rewritePart(t, base, wb, replace(`r:id="rId1"`, `r:id="rId9"`)),
			err: `sheet "clientes": sheet clientes does not exist`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, t.TempDir(), "clientes.xlsx", tt.data)
			res, err := readAll(t, p, Options{})
			if tt.err != "" {
				if !errors.Is(err, ErrCorruptXLSX) || !strings.Contains(err.Error(), "corrupt or truncated xlsx workbook: "+tt.err) {
					t.Fatalf("err = %v, want a corrupt workbook: %q", err, tt.err)
				}
				if !strings.HasPrefix(err.Error(), p+": ") {
					t.Errorf("err = %v: does not name the file", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(res.records) != tt.records {
				t.Errorf("%d records, want %d", len(res.records), tt.records)
			}
			if len(res.rowErrs) != 1 || !strings.Contains(res.rowErrs[0].Error(), tt.rowErr) {
				t.Errorf("row errors %v, want %q", res.rowErrs, tt.rowErr)
			}
		})
	}
}

func TestReadWorkbookLimits(t *testing.T) {
	boom := errors.New("disk read error")
	if _, err := openXLSX(iotest.ErrReader(boom), 0); !errors.Is(err, boom) {
		t.Errorf("read error: %v", err)
	}
	big := make([]byte, 1<<20+1) // not even a zip: the size is checked first
	if _, err := openXLSX(bytes.NewReader(big), 1); !errors.Is(err, ErrXLSXLimit) || !strings.Contains(err.Error(), "the file is larger than 1 MB (--max-xlsx-mb 1)") {
		t.Errorf("oversized file: %v", err)
	}
}
