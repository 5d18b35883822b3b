package source

import (
	"errors"
	"fmt"
)

// File-level errors returned (wrapped with the file name) by Open.
var (
	ErrEmpty        = errors.New("empty file")
	ErrBinary       = errors.New("binary file, not a csv or xlsx export")
	ErrLegacyXLS    = errors.New("legacy .xls or encrypted workbook: open it in Excel and save it as .xlsx")
	ErrCorruptXLSX  = errors.New("corrupt or truncated xlsx workbook")
	ErrUnrecognized = errors.New("unrecognised export: headers match no known type")
	ErrAmbiguous    = errors.New("ambiguous export: headers match several types")
	ErrDuplicate    = errors.New("duplicated header")
	ErrMissing      = errors.New("missing required column")
)

// Row-level errors, carried in a *RowError.
var (
	ErrFieldCount = errors.New("wrong number of fields")
	// ErrQuoteMerged means a quote opened in a cell swallowed the next
	// physical lines, which look like rows of their own (see MergedLinesError).
	ErrQuoteMerged = errors.New("lines merged by a quoting error")
	// ErrNUL means a cell holds a NUL byte, which no spreadsheet or dump
	// writes in text; the row is damaged and is rejected, wherever it is in
	// the file.
	ErrNUL = errors.New("NUL byte in the cell (damaged or binary data); the row is not imported")
)

// RowError positions a problem in a file like encoding/csv.ParseError does:
// file, line (CSV physical line where the record starts, or xlsx row) and,
// when known, the 1-based column.
type RowError struct {
	File   string
	Line   int
	Column int
	Field  string // canonical field, when the problem is one value
	Value  string
	Err    error
}

func (e *RowError) Error() string {
	pos := fmt.Sprintf("%s:%d", e.File, e.Line)
	if e.Column > 0 {
		pos += fmt.Sprintf(":%d", e.Column)
	}
	if e.Field != "" {
		return fmt.Sprintf("%s: %s %q: %v", pos, e.Field, clip(e.Value, 80), e.Err)
	}
	return fmt.Sprintf("%s: %v", pos, e.Err)
}

func (e *RowError) Unwrap() error { return e.Err }

// clip shortens a value quoted in a message to max runes, so a 1 MB cell
// does not become a 1 MB error line.
func clip(s string, max int) string {
	if len(s) <= max {
		return s
	}
	n := 0
	for i := range s {
		if n == max {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// MergedLinesError says which physical lines a quoting error merged into
// the row that starts at Line: First..Last, each a line that has no record
// of its own. It wraps ErrQuoteMerged; Cause is the CSV parser's error,
// if any (an unterminated quote).
type MergedLinesError struct {
	Line, First, Last int
	Cause             error
}

func (e *MergedLinesError) Error() string {
	s := fmt.Sprintf("lines %d–%d merged into line %d by a quoting error (a quote opened in this row swallows them; they look like rows of their own): fix the quote and import again", e.First, e.Last, e.Line)
	if e.First == e.Last {
		s = fmt.Sprintf("line %d merged into line %d by a quoting error (a quote opened in this row swallows it; it looks like a row of its own): fix the quote and import again", e.First, e.Line)
	}
	if e.Cause != nil {
		s += " (" + e.Cause.Error() + ")"
	}
	return s
}

func (e *MergedLinesError) Unwrap() error { return ErrQuoteMerged }

// Range is the merged lines as stored in the source_value: "7-8",
// or "7" for one line.
func (e *MergedLinesError) Range() string {
	if e.First == e.Last {
		return fmt.Sprint(e.First)
	}
	return fmt.Sprintf("%d-%d", e.First, e.Last)
}
