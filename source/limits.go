package source

import (
	"errors"
	"fmt"
)

// Limits bound what one CSV file may hold, so a hostile file is refused
// while it is read instead of exhausting memory. Zero fields take the
// defaults. The xlsx reader has its own (--max-xlsx-mb and Excel's limits).
type Limits struct {
	Columns   int // columns in the header (and any row above it)
	CellBytes int // bytes in one cell
	LineBytes int // bytes in one physical line, and in one row however many lines it spans
}

// Defaults: Excel's own column limit (16,384, column XFD), a cell far
// beyond any note a clinic writes, a line with room for several such cells.
const (
	DefaultMaxColumns   = 16_384
	DefaultMaxCellBytes = 1 << 20
	DefaultMaxLineBytes = 4 << 20
)

// The command-line flags that raise each limit, named in the refusals.
const (
	FlagMaxColumns   = "--max-columns"
	FlagMaxCellBytes = "--max-cell-bytes"
	FlagMaxLineBytes = "--max-line-bytes"
)

func (l Limits) columns() int   { return orDefault(l.Columns, DefaultMaxColumns) }
func (l Limits) cellBytes() int { return orDefault(l.CellBytes, DefaultMaxCellBytes) }
func (l Limits) lineBytes() int { return orDefault(l.LineBytes, DefaultMaxLineBytes) }

func orDefault(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}

// ErrLimit: a CSV file beyond one of recon's limits (see LimitError).
var ErrLimit = errors.New("beyond a limit")

// LimitError says which limit a CSV file went beyond, where, and the flag
// that raises it. Line is the physical line (a cell's: the row's first).
type LimitError struct {
	Line  int
	What  string // "line", "row", "columns" or "cell"
	Size  int    // the cell's size, when known
	Limit int
	Flag  string
}

func (e *LimitError) Error() string {
	var s string
	switch e.What {
	case "columns":
		s = fmt.Sprintf("line %d has more than %d columns", e.Line, e.Limit)
	case "cell":
		s = fmt.Sprintf("line %d has a cell of %d bytes, more than %d", e.Line, e.Size, e.Limit)
	case "row":
		s = fmt.Sprintf("the row that ends at line %d is longer than %d bytes (a quote left open?)", e.Line, e.Limit)
	default:
		s = fmt.Sprintf("line %d is longer than %d bytes", e.Line, e.Limit)
	}
	return fmt.Sprintf("%s (%s %d); raise it with %s if the file is genuine", s, e.Flag, e.Limit, e.Flag)
}

func (e *LimitError) Unwrap() error { return ErrLimit }
