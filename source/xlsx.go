package source

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// xlsxSource streams one worksheet with excelize's Rows iterator. Cell
// values are raw (no number format applied): numbers and date serials come
// as stored, so nothing is rounded for display and Normalize sees the
// exact value.
type xlsxSource struct {
	rows  *excelize.Rows
	row   int // sheet row number; excelize's Next visits every row, even absent ones
	sheet string
	// noValue: per sheet row, the columns of formula cells saved without
	// a value.
	noValue map[int][]int
}

// xlsxOptions keep a hostile or broken workbook from exhausting memory:
// worksheets above 4 MiB unzipped are streamed from a temporary file, and
// the whole workbook may not unpack beyond maxMB (checked first by
// readWorkbook, which reads the zip's directory).
func xlsxOptions(maxMB int) excelize.Options {
	if maxMB <= 0 {
		maxMB = DefaultMaxXLSXMB
	}
	return excelize.Options{RawCellValue: true, UnzipXMLSizeLimit: 4 << 20, UnzipSizeLimit: max(int64(maxMB)<<20, 4<<20)}
}

// workbook is an open xlsx file and its worksheets, in workbook order.
type workbook struct {
	f      *excelize.File
	zr     *zip.Reader
	sheets []Sheet
	// date1904: the workbook counts date serials from 1904 (old Mac Excel),
	// 1,462 days fewer than the 1900 system Normalize reads.
	date1904 bool
}

// openXLSX opens a workbook and lists its sheets with their visibility.
func openXLSX(r io.Reader, maxMB int) (wb *workbook, err error) {
	defer func() {
		if p := recover(); p != nil { // excelize on malformed XML
			wb, err = nil, fmt.Errorf("%w: %v", ErrCorruptXLSX, p)
		}
	}()
	b, zr, err := readWorkbook(r, maxMB)
	if err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(b), xlsxOptions(maxMB))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorruptXLSX, err)
	}
	names := f.GetSheetList()
	if len(names) == 0 {
		f.Close()
		return nil, fmt.Errorf("%w: no worksheet", ErrCorruptXLSX)
	}
	props, err := f.GetWorkbookProps()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%w: workbook properties: %v", ErrCorruptXLSX, err)
	}
	wb = &workbook{f: f, zr: zr, date1904: props.Date1904 != nil && *props.Date1904}
	for _, n := range names {
		visible, err := f.GetSheetVisible(n)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%w: sheet %q: %v", ErrCorruptXLSX, n, err)
		}
		wb.sheets = append(wb.sheets, Sheet{Name: n, Hidden: !visible})
	}
	return wb, nil
}

// open streams one sheet; withFormulas also checks its XML and finds the
// formula cells saved without a value (a sheet to be read, not classified).
func (wb *workbook) open(sheet string, withFormulas bool) (src *xlsxSource, err error) {
	defer func() {
		if p := recover(); p != nil {
			src, err = nil, fmt.Errorf("%w: sheet %q: %v", ErrCorruptXLSX, sheet, p)
		}
	}()
	var noValue map[int][]int
	if part, err := sheetPath(wb.zr, sheet); err == nil {
		if withFormulas {
			noValue, err = formulaCells(wb.zr, part)
		} else if !slices.ContainsFunc(wb.zr.File, func(f *zip.File) bool { return f.Name == part }) {
			err = fmt.Errorf("no %s", part)
		}
		if err != nil {
			return nil, fmt.Errorf("%w: sheet %q: %v", ErrCorruptXLSX, sheet, err)
		}
	}
	rows, err := wb.f.Rows(sheet)
	if err != nil {
		return nil, fmt.Errorf("%w: sheet %q: %v", ErrCorruptXLSX, sheet, err)
	}
	return &xlsxSource{rows: rows, sheet: sheet, noValue: noValue}, nil
}

func (s *xlsxSource) next() (row rawRow, err error) {
	defer func() {
		if p := recover(); p != nil {
			row, err = rawRow{}, fmt.Errorf("%w: row %d: %v", ErrCorruptXLSX, s.row+1, p)
		}
	}()
	if !s.rows.Next() {
		if err := s.rows.Error(); err != nil {
			return rawRow{}, fmt.Errorf("%w: %v", ErrCorruptXLSX, err)
		}
		return rawRow{}, io.EOF
	}
	s.row++
	cells, err := s.rows.Columns()
	if err != nil {
		return rawRow{}, fmt.Errorf("%w: row %d: %v", ErrCorruptXLSX, s.row, err)
	}
	if s.row > maxXLSXRows {
		return rawRow{}, fmt.Errorf("%w: more than %d rows, Excel's limit", ErrXLSXLimit, maxXLSXRows)
	}
	row = rawRow{line: s.row, cells: cells, text: joinCSV(cells)}
	for _, c := range s.noValue[s.row] {
		if c < len(cells) && cells[c] != "" {
			continue // a value after all (inline)
		}
		row.err, row.column = ErrFormulaNoValue, c+1
		break
	}
	for i, c := range cells {
		if row.err == nil && len(c) > maxXLSXCellRunes && utf8.RuneCountInString(c) > maxXLSXCellRunes {
			row.err, row.column = ErrCellTooLong, i+1
			row.cells[i] = firstRunes(c, maxXLSXCellRunes)
			row.text = joinCSV(row.cells)
		}
	}
	return row, nil
}

func (s *xlsxSource) close() error { return s.rows.Close() }

// days1904 is the 1900-system serial of 1 January 1904, day 0 of the 1904
// date system.
const days1904 = 1462

// shift1904 turns a date serial of the 1904 system into the 1900 system
// Normalize reads; any other text is returned unchanged.
func shift1904(s string) string {
	if !bareNumber(s) || strings.Contains(s, ",") {
		return s
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	return strconv.FormatFloat(v+days1904, 'f', -1, 64)
}

// firstRunes is s cut to its first n runes.
func firstRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}
