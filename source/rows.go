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
}

// rowSource yields rawRows until io.EOF. Any other error is fatal.
type rowSource interface {
	next() (rawRow, error)
	close() error
}

// recorder keeps the bytes the CSV parser consumed so each record's
// original text can be cut out by offset; it drops what was already cut, so
// memory stays at one record plus the parser's read-ahead.
type recorder struct {
	r    io.Reader
	buf  []byte
	base int64 // stream offset of buf[0]
}

func (c *recorder) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.buf = append(c.buf, p[:n]...)
	return n, err
}

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

func newCSVSource(r io.Reader, comma rune, checkUTF bool, closer io.Closer) *csvSource {
	rec := &recorder{r: r}
	cr := csv.NewReader(rec)
	cr.Comma = comma
	cr.FieldsPerRecord = -1 // ragged rows are reported by the Reader, not fatal
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
	switch {
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
