package source

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// fixedNow is the tests' "today".
func fixedNow() time.Time { return time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC) }

// sheet is one worksheet for xlsxBytes; a nil row leaves the row empty.
type sheet struct {
	name string
	rows [][]any
	// styles sets a date number format on these 1-based columns, so date
	// cells are stored as serials the way Excel does.
	dateCols []int
	links    map[string]string // cell -> hyperlink target
	merge    string            // range to merge, e.g. "A1:U1"
	// date1904 sets the workbook's 1904 date system (old Mac Excel) before
	// any cell is written, so time cells are stored as 1904 serials.
	date1904 bool
	hidden   bool // the sheet is hidden in Excel
}

// xlsxBytes builds a workbook in memory with excelize.
func xlsxBytes(t testing.TB, sheets ...sheet) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for _, s := range sheets {
		if s.date1904 {
			on := true
			if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &on}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			t.Fatal(err)
		}
		dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range s.rows {
			if row == nil {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(s.name, cell, &row); err != nil {
				t.Fatal(err)
			}
			for _, c := range s.dateCols {
				if c-1 < len(row) {
					name, _ := excelize.CoordinatesToCellName(c, r+1)
					if _, ok := row[c-1].(time.Time); ok {
						if err := f.SetCellStyle(s.name, name, name, dateStyle); err != nil {
							t.Fatal(err)
						}
					}
				}
			}
		}
		for cell, link := range s.links {
			if err := f.SetCellHyperLink(s.name, cell, link, "External"); err != nil {
				t.Fatal(err)
			}
		}
		if s.merge != "" {
			a, b, _ := bytes.Cut([]byte(s.merge), []byte(":"))
			if err := f.MergeCell(s.name, string(a), string(b)); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Excel cannot hide the active sheet: activate a visible one first.
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
	return buf.Bytes()
}

func writeFile(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// readResult is everything a Reader yielded.
type readResult struct {
	info    FileInfo
	records []Record
	rowErrs []*RowError
}

// readAll opens path and reads it to the end; err is Open's or a fatal
// Next error.
func readAll(t testing.TB, path string, opts Options) (readResult, error) {
	t.Helper()
	r, err := Open(path, opts)
	if err != nil {
		return readResult{}, err
	}
	defer r.Close()
	var res readResult
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		var re *RowError
		if errors.As(err, &re) {
			res.rowErrs = append(res.rowErrs, re)
		} else if err != nil {
			res.info = r.Info()
			return res, err
		}
		res.records = append(res.records, rec)
	}
	res.info = r.Info()
	return res, nil
}

func win1252(t testing.TB, s string) []byte {
	t.Helper()
	b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func utf16(t testing.TB, s string, order unicode.Endianness, bom bool) []byte {
	t.Helper()
	policy := unicode.IgnoreBOM
	if bom {
		policy = unicode.UseBOM
	}
	b, err := unicode.UTF16(order, policy).NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func hasIssue(issues []Issue, typ string) bool {
	for _, i := range issues {
		if i.Type == typ {
			return true
		}
	}
	return false
}
