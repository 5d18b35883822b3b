package source

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/petfriendly/recon/source/normalize"
)

// Sheet is one worksheet of a workbook and what recon made of it. Every
// sheet is considered: the sheets holding the type read are read one after
// the other, as a split export; the others are listed with their status.
type Sheet struct {
	Name   string   `json:"name"`
	Hidden bool     `json:"hidden,omitempty"`
	Types  []string `json:"types,omitempty"` // what its header holds
	Status string   `json:"status"`          // Sheet* constants
	// FirstLine is the line number the sheet's first row gets: rows of a
	// later sheet are numbered after the previous sheet's last row, so a
	// line names one row of the file.
	FirstLine int    `json:"first_line,omitempty"`
	Error     string `json:"error,omitempty"` // why it is unrecognised
}

// Sheet statuses.
const (
	SheetRead         = "read"         // its rows are read
	SheetHidden       = "hidden"       // a hidden sheet: read only when the mapping file names it
	SheetOtherType    = "other_type"   // holds another type than the one being read
	SheetUnrecognised = "unrecognised" // its header matches no known type
	SheetEmpty        = "empty"        // no text at all
)

// sheetChain reads the sheets of a workbook to be read one after another;
// next returns io.EOF at the end of each sheet, advance moves to the next.
type sheetChain struct {
	wb    *workbook
	names []string // sheets to read, in workbook order
	at    int      // index in names of the current sheet
	cur   *xlsxSource
	base  int // line offset of the current sheet
}

func (c *sheetChain) next() (rawRow, error) {
	row, err := c.cur.next()
	if err != nil {
		return row, err
	}
	row.line += c.base
	return row, nil
}

// more reports whether another sheet follows the current one.
func (c *sheetChain) more() bool { return c.at+1 < len(c.names) }

// advance opens the next sheet; its rows are numbered after the current
// sheet's last row.
func (c *sheetChain) advance() error {
	base := c.base + c.cur.row
	if err := c.cur.close(); err != nil {
		return err
	}
	c.at++
	src, err := c.wb.open(c.names[c.at], true)
	if err != nil {
		c.cur = nil
		return err
	}
	c.cur, c.base = src, base
	return nil
}

func (c *sheetChain) close() error {
	var err error
	if c.cur != nil {
		err = c.cur.close()
	}
	if cerr := c.wb.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// classifySheets reads the head of every sheet and decides which are read:
// the visible sheets (and the hidden ones the mapping file names) whose
// header holds a known type, the one asked for when opts.Type is set. A
// hidden sheet is never preferred to a visible one. When none can be read,
// the error says why (the most telling sheet's detection error).
func classifySheets(wb *workbook, name string, opts Options) ([]Sheet, []string, error) {
	sheets := slices.Clone(wb.sheets)
	want := ""
	if t, ok := TypeByName(opts.Type); ok {
		want = t.Name
	}
	visible := 0
	for _, s := range sheets {
		if !s.Hidden {
			visible++
		}
	}
	auto := opts
	auto.Type = ""
	var read []string
	var firstErr, namedErr error
	hiddenData := false
	for i := range sheets {
		s := &sheets[i]
		src, err := wb.open(s.Name, false)
		if err != nil {
			return sheets, nil, err
		}
		ahead, _, err := readAhead(src, headerScan)
		src.close()
		if err != nil {
			return sheets, nil, fmt.Errorf("sheet %q: %w", s.Name, err)
		}
		if allBlank(ahead) {
			s.Status = SheetEmpty
			continue
		}
		lay, err := detect(ahead, name, auto)
		if err != nil && want != "" && visible == 1 && !s.Hidden {
			// A type named by the operator reads a one-sheet workbook as
			// it always did, even when its header alone is ambiguous.
			lay, err = detect(ahead, name, opts)
		}
		if err != nil {
			s.Status, s.Error = SheetUnrecognised, err.Error()
			if lay.headerRow >= 0 && lay.headerRow < len(ahead) {
				err = fmt.Errorf("sheet %q, row %d: %w", s.Name, ahead[lay.headerRow].line, err)
			} else {
				err = fmt.Errorf("sheet %q: %w (first row: %s)", s.Name, err, clip(ahead[0].text, 120))
			}
			if !s.Hidden && !errors.Is(err, ErrUnrecognized) {
				// A header that nearly holds a type (a column missing, two
				// alike, several types) fails the file, as in a CSV: the
				// sheet's rows must not be passed over as "unrecognised".
				return sheets, nil, err
			}
			if !s.Hidden && firstErr == nil {
				firstErr = err
			}
			for _, t := range Types() {
				if !s.Hidden && namedErr == nil && fileMatches(normalize.Fold(s.Name), t.Files) {
					namedErr = err
				}
			}
			continue
		}
		for _, p := range lay.parts {
			s.Types = append(s.Types, p.typ.Name)
		}
		switch {
		case s.Hidden && !opts.Mapping.hiddenSheet(name, s.Name):
			s.Status = SheetHidden
			hiddenData = true
		case want != "" && !slices.Contains(s.Types, want):
			s.Status = SheetOtherType
		default:
			s.Status = SheetRead
			read = append(read, s.Name)
		}
	}
	if len(read) > 0 {
		return sheets, read, nil
	}
	switch {
	case namedErr != nil:
		return sheets, nil, namedErr
	case firstErr != nil:
		return sheets, nil, firstErr
	case hiddenData:
		var hidden []string
		for _, s := range sheets {
			if s.Status == SheetHidden {
				hidden = append(hidden, fmt.Sprintf("%q", s.Name))
			}
		}
		return sheets, nil, fmt.Errorf("%w: only hidden sheets hold data (%s); name them in the mapping file (sheets = [...]) to read them",
			ErrUnrecognized, strings.Join(hidden, ", "))
	}
	for _, s := range sheets {
		if s.Status != SheetEmpty {
			return sheets, nil, fmt.Errorf("%w: no sheet holds %s", ErrUnrecognized, want)
		}
	}
	return sheets, nil, ErrEmpty
}

// nextSheet moves a workbook Reader to its next sheet to read: the header
// is found again (the sheets of a split export need not share one) and the
// sheet's columns join the file's.
func (r *Reader) nextSheet() error {
	if err := r.chain.advance(); err != nil {
		return fmt.Errorf("%s: %w", r.info.Path, err)
	}
	sheet := r.chain.names[r.chain.at]
	ahead, eof, err := readAhead(r.base, headerScan)
	if err != nil {
		return fmt.Errorf("%s: sheet %q: %w", r.info.Path, sheet, err)
	}
	r.setFirstLine(sheet)
	if len(ahead) == 0 {
		r.src = &bufferedSource{src: r.base}
		return nil
	}
	lay, err := detect(ahead, r.info.Path, r.opts)
	if err != nil {
		return fmt.Errorf("%s: sheet %q: %w", r.info.Path, sheet, err)
	}
	r.useLayout(lay, ahead, eof, sheet)
	return nil
}

// setFirstLine notes the line number of a sheet's first row.
func (r *Reader) setFirstLine(sheet string) {
	for i := range r.info.Sheets {
		if r.info.Sheets[i].Name == sheet {
			r.info.Sheets[i].FirstLine = r.chain.base + 1
		}
	}
}

// endOfSheet handles io.EOF from the row source: a workbook moves to its
// next sheet to read; io.EOF otherwise.
func (r *Reader) endOfSheet() error {
	if r.chain == nil || !r.chain.more() {
		return io.EOF
	}
	return r.nextSheet()
}
