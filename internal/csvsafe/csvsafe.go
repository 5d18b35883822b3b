// Package csvsafe writes CSV that a spreadsheet opens without evaluating
// any cell: the one rule every CSV recon writes follows (reject files,
// `issues list --csv`, `batches --csv`).
package csvsafe

import (
	"encoding/csv"
	"io"
	"strings"
)

// Cell keeps a spreadsheet from reading s as a formula: a cell starting
// with = + - @, a tab or a carriage return gets a leading apostrophe, which
// Excel, LibreOffice and Google Sheets show as text and do not display.
// Every other cell is returned unchanged.
func Cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// Writer is a csv.Writer that passes every cell through Cell.
type Writer struct {
	*csv.Writer
	row []string // reused: the caller's slice is never modified
}

// NewWriter writes CSV to w.
func NewWriter(w io.Writer) *Writer { return &Writer{Writer: csv.NewWriter(w)} }

// Write writes one record, each cell neutralised.
func (w *Writer) Write(record []string) error {
	w.row = w.row[:0]
	for _, c := range record {
		w.row = append(w.row, Cell(c))
	}
	return w.Writer.Write(w.row)
}
