package source

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// rawRow is one physical record before any mapping: its cells as read, the
// line (or sheet row) where it starts and its original text.
type rawRow struct {
	line   int
	cells  []string
	text   string
	bad    []int // cells whose invalid UTF-8 bytes were decoded as Windows-1252
	err    error // a malformed record (bad quoting); the row is still returned
	column int   // column of err, when known
	// bareQuotes: cells (0-based) where a quote inside an unquoted cell was
	// read as a character, as spreadsheets do.
	bareQuotes []int
}

// rowSource yields rawRows until io.EOF. Any other error is fatal.
type rowSource interface {
	next() (rawRow, error)
	close() error
}

// recorder keeps the bytes the CSV parser consumed so each record's
// original text can be cut out by offset; it drops what was already cut, so
// memory stays at one record plus the parser's read-ahead. It also enforces
// the line, row and column limits while the bytes go by, so a hostile file
// is refused before the parser holds more than a limit's worth of it.
type recorder struct {
	r    io.Reader
	buf  []byte
	base int64 // stream offset of buf[0]
	lim  Limits
	// comma is the delimiter counted for the column limit, on the lines
	// where the header is searched (data rows are bounded by the line
	// limit; counting by line keeps the parser's read-ahead out of it).
	comma     byte
	line      int  // physical lines seen complete
	lineBytes int  // bytes of the current physical line so far
	cols      int  // delimiters outside quotes on the current line
	quoted    bool // inside a quoted cell (a rough count: quotes toggle it)
	err       error
}

func (c *recorder) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.r.Read(p)
	for i, b := range p[:n] {
		switch {
		case b == '\n':
			c.line++
			c.lineBytes = 0
			if !c.quoted {
				c.cols = 0
			}
			continue
		case b == '"':
			c.quoted = !c.quoted
		case b == c.comma && c.comma != 0 && !c.quoted:
			c.cols++
		}
		c.lineBytes++
		switch {
		case c.lineBytes > c.lim.lineBytes():
			c.err = &LimitError{Line: c.line + 1, What: "line", Limit: c.lim.lineBytes(), Flag: FlagMaxLineBytes}
		case c.cols >= c.lim.columns() && c.line < headerScan:
			c.err = &LimitError{Line: c.line + 1, What: "columns", Limit: c.lim.columns(), Flag: FlagMaxColumns}
		case len(c.buf)+i > c.lim.lineBytes()+rowSlack:
			c.err = &LimitError{Line: c.line + 1, What: "row", Limit: c.lim.lineBytes(), Flag: FlagMaxLineBytes}
		}
		if c.err != nil {
			c.buf = append(c.buf, p[:i]...)
			return i, c.err
		}
	}
	c.buf = append(c.buf, p[:n]...)
	return n, err
}

// rowSlack is how far the parser may read beyond the row it is on: its
// buffer's size, with room to spare.
const rowSlack = 64 << 10

// cut returns the text of [from, to) and forgets everything before to.
func (c *recorder) cut(from, to int64) string {
	lo, hi := int(from-c.base), int(to-c.base)
	lo, hi = max(0, min(lo, len(c.buf))), max(0, min(hi, len(c.buf)))
	s := string(c.buf[lo:max(lo, hi)])
	rest := copy(c.buf, c.buf[hi:])
	c.buf = c.buf[:rest]
	c.base = to
	return s
}

// csvSource reads records with one csv.Reader per file.
type csvSource struct {
	rec      *recorder
	cr       *csv.Reader
	off      int64
	checkUTF bool // plain UTF-8 input: repair and report invalid bytes
	closer   io.Closer
}

func newCSVSource(r io.Reader, comma rune, checkUTF bool, lim Limits, closer io.Closer) *csvSource {
	rec := &recorder{r: r, lim: lim, comma: byte(comma)}
	cr := csv.NewReader(rec)
	cr.Comma = comma
	cr.FieldsPerRecord = -1 // ragged rows are reported by the Reader, not fatal
	// Strict quoting, so a broken quoted cell is caught; a bare quote in
	// an unquoted cell is re-read leniently in next.
	cr.LazyQuotes = false
	return &csvSource{rec: rec, cr: cr, checkUTF: checkUTF, closer: closer}
}

func (s *csvSource) next() (rawRow, error) {
	cells, err := s.cr.Read()
	off := s.cr.InputOffset()
	text := strings.TrimRight(strings.TrimLeft(s.rec.cut(s.off, off), "\r\n"), "\r\n")
	s.off = off
	if err == io.EOF {
		return rawRow{}, io.EOF
	}
	var row rawRow
	var pe *csv.ParseError
	var le *LimitError
	switch {
	case errors.As(err, &le):
		return rawRow{}, err
	case errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrBareQuote):
		// A quote inside an unquoted cell (37°36'37.8"N, Collar 14"):
		// spreadsheets take it as a character. Re-read the record so; a
		// quoted cell in it must still be well formed.
		if cells, bare, ok := lenientSplit(text, s.cr.Comma); ok {
			row = rawRow{line: pe.StartLine, cells: cells, text: text, bareQuotes: bare}
			break
		}
		row = rawRow{line: pe.StartLine, cells: cells, text: text, err: pe.Err, column: pe.Column}
	case errors.As(err, &pe):
		row = rawRow{line: pe.StartLine, cells: cells, text: text, err: pe.Err, column: pe.Column}
		if pe.Line != pe.StartLine {
			row.err = fmt.Errorf("%w (at line %d)", pe.Err, pe.Line)
		}
	case err != nil:
		return rawRow{}, err
	default:
		line := 0
		if len(cells) > 0 {
			line, _ = s.cr.FieldPos(0)
		}
		row = rawRow{line: line, cells: cells, text: text}
	}
	for i, c := range row.cells {
		if len(c) > s.rec.lim.cellBytes() && row.err == nil {
			row.err, row.column = &LimitError{Line: row.line, What: "cell", Size: len(c), Limit: s.rec.lim.cellBytes(), Flag: FlagMaxCellBytes}, i+1
			row.cells[i] = strings.ToValidUTF8(c[:s.rec.lim.cellBytes()], "")
		}
	}
	if s.checkUTF {
		for i, c := range row.cells {
			if fixed, bad := fixUTF8(c); bad {
				row.cells[i] = fixed
				row.bad = append(row.bad, i)
			}
		}
		row.text, _ = fixUTF8(row.text)
	}
	return row, nil
}

func (s *csvSource) close() error {
	if s.closer != nil {
		return s.closer.Close()
	}
	return nil
}

// bufferedSource replays rows read ahead while looking for the header.
type bufferedSource struct {
	ahead []rawRow
	src   rowSource
}

func (b *bufferedSource) next() (rawRow, error) {
	if len(b.ahead) > 0 {
		r := b.ahead[0]
		b.ahead = b.ahead[1:]
		return r, nil
	}
	return b.src.next()
}

func (b *bufferedSource) close() error { return b.src.close() }

// readAhead reads up to n rows for header detection. eof reports that the
// source ended within them.
func readAhead(src rowSource, n int) (rows []rawRow, eof bool, err error) {
	for len(rows) < n {
		r, err := src.next()
		if err == io.EOF {
			return rows, true, nil
		}
		if err != nil {
			return rows, false, err
		}
		rows = append(rows, r)
	}
	return rows, false, nil
}

// joinCSV writes cells as one CSV line (xlsx rows' "original text").
func joinCSV(cells []string) string {
	var b strings.Builder
	w := csv.NewWriter(&b)
	_ = w.Write(cells) // a strings.Builder cannot fail
	w.Flush()
	return strings.TrimRight(b.String(), "\n")
}

// newBufReader is a bufio.Reader big enough to peek a sniff window.
func newBufReader(r io.Reader) *bufio.Reader { return bufio.NewReaderSize(r, sniffSize) }
