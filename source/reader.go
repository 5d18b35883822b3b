package source

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/petfriendly/recon/source/normalize"
)

// Options steer Open. The zero value auto-detects everything.
type Options struct {
	Profile string   // force a profile (Profiles()); "" detects it
	Type    string   // force the type (a Type name); "" detects it
	Mapping *Mapping // operator's mapping file, may be nil
	// Now gives "today" for the future-date checks. nil skips them: the
	// core never reads the clock itself.
	Now func() time.Time
	// MaxXLSXMB caps what an xlsx workbook may unpack to, in MiB;
	// 0 means DefaultMaxXLSXMB.
	MaxXLSXMB int
	// Limits bound a CSV file's columns, cells and lines.
	Limits Limits
	// noDateScan: this Reader is the date-order pre-scan itself.
	noDateScan bool
}

// FileInfo is what Open found out about a file.
type FileInfo struct {
	Path      string   `json:"path"`
	Format    string   `json:"format"`              // csv or xlsx, from the content, not the extension
	Sheet     string   `json:"sheet,omitempty"`     // xlsx: the first sheet read
	Sheets    []Sheet  `json:"sheets,omitempty"`    // xlsx: every sheet and what became of it
	Encoding  string   `json:"encoding,omitempty"`  // csv: utf-8, utf-8-bom, utf-16le, utf-16be, windows-1252
	Delimiter string   `json:"delimiter,omitempty"` // csv: "," ";" "tab" "|"
	HeaderRow int      `json:"header_row"`          // line (csv) or row (xlsx) of the header; 0 when not found
	Profile   string   `json:"profile"`
	Types     []string `json:"types"`    // Type names the file yields, in emission order
	Columns   []Column `json:"columns"`  // every header column and the field it feeds
	Unmapped  []string `json:"unmapped"` // headers that feed no field
	Issues    []Issue  `json:"issues"`   // file-level notes (content/extension mismatch, header only...)
	// BlankRows counts rows with no text at all, which yield no record.
	// It is final once Next has returned io.EOF.
	BlankRows int `json:"blank_rows"`
	// ContinuationLines counts the non-empty physical lines after the first
	// of rows whose quoted cells legitimately hold line breaks (multi-line
	// notes); MergedLines those of rows where a quoting error swallowed
	// lines that look like rows of their own (each reported on its row as a
	// MergedLinesError). CSV only; final once Next has returned io.EOF. The
	// non-empty lines after the header are the records' first lines plus
	// BlankRows, ContinuationLines and MergedLines.
	ContinuationLines int `json:"continuation_lines"`
	MergedLines       int `json:"merged_lines"`
	// DateOrder: how the file writes a numeric day and month, decided from
	// all its dates before the first record (CSV): "day_first" (the
	// default), "month_first" or "mixed".
	DateOrder string `json:"date_order,omitempty"`
}

// File-level issue types in FileInfo.Issues.
const (
	IssueContentMismatch = "content_mismatch" // extension says csv, content is xlsx, or the reverse
	IssueHeaderOnly      = "header_only"      // header row and no data rows
	IssueTitleRows       = "title_rows"       // rows above the header were skipped
	IssueDate1904        = "date_1904"        // xlsx dates count from 1904
	// IssueBareQuote (a record's, info): a quote inside an unquoted cell
	// was read as a character, as spreadsheets read it.
	IssueBareQuote = "bare_quote"
	// IssueDateMonthFirst (warning, once per file and column): the file's
	// dates are month first, so its ambiguous ones are read month first.
	IssueDateMonthFirst = "date_order_month_first"
	// IssueDateOrderMixed (warning, once per file and column): the file has
	// dates that can only be day first and others only month first; its
	// ambiguous dates are not read (each gets normalize.CodeAmbiguousDate).
	IssueDateOrderMixed = "date_order_mixed"
)

// Record is one normalised source record of one type. A Mascotas report
// row yields an owner record (the first time that owner is seen) and then
// a pet record, both with the row's Line and RawText.
type Record struct {
	Type     string // Type.Name: "clients", "pets", ...
	SourceID string // external id (derived for the Mascotas report)
	File     string
	Line     int    // CSV physical line where the record starts, or xlsx row
	RawText  string // the record as read (CSV: its original text; xlsx: cells as a CSV line)
	Raw      map[string]string
	Values   map[string]Value
	Issues   []Issue
	Skip     string // non-empty: why the row is skipped (SkipSoftDeleted)
}

// SkipSoftDeleted is the skip reason of a row the export marks deleted.
const SkipSoftDeleted = "soft_deleted"

// IssueError positions one of the record's issues as a *RowError, for
// messages such as `clientes.csv:12:5: email "juan@@x": invalid email ...`.
func (r Record) IssueError(i Issue) *RowError {
	return &RowError{File: r.File, Line: r.Line, Column: i.Column, Field: i.Field, Value: i.Value, Err: errors.New(i.Message)}
}

// Reader streams the normalised records of one export file.
type Reader struct {
	info    FileInfo
	src     rowSource
	lay     layout
	opts    Options
	now     time.Time
	pending []Record
	owners  map[string]struct{} // Mascotas: owner ids already emitted
	pets    map[string]struct{} // Mascotas: pet ids already emitted
	only    string              // Options.Type on a multi-type file: emit that type only
	comma   rune                // csv: the delimiter
	err     error               // sticky fatal error
	// date1904: date serials count from 1904 (an xlsx workbook's setting).
	date1904 bool
	// track are the columns that feed no field: their non-empty cells are
	// counted (Column.Filled), so no column's values go unaccounted.
	track   []int
	colBase int // index in info.Columns of the current sheet's first column
	// chain reads a workbook's sheets one after another; base is the row
	// source under the current sheet's read-ahead rows.
	chain *sheetChain
	base  rowSource
	// dateOrder is the file's order of numeric day and month; dateNotes the
	// per-column note about it still to be put on the first record with a
	// numeric date in that column.
	dateOrder normalize.DateOrder
	dateNotes map[int]Issue
	dateScan  string // the path still to pre-scan for the date order, until the first Next
}

// Open detects the file's format, encoding, delimiter, header row, profile
// and type(s), and returns a Reader positioned at the first data row.
func Open(path string, opts Options) (*Reader, error) {
	r, err := open(path, opts)
	if err != nil {
		if r != nil {
			r.Close()
		}
		return nil, err
	}
	return r, nil
}

// open is Open that also returns what it learnt when the file is not
// readable as an export (Inspect reports it).
func open(path string, opts Options) (*Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		f.Close()
		return nil, fmt.Errorf("%s: is a directory", path)
	}
	r, err := newReader(path, f, f, opts)
	if err == nil && !opts.noDateScan {
		r.dateScan = path // at the first Next: a caller that only detects the type never pays for it
	}
	return r, err
}

// decideDateOrder reads the CSV file once ahead to learn how it writes
// day and month (normalize.DecideDateOrder over every date cell), so the
// importer and the verifier, which both read through a Reader, take the
// same decision. xlsx date cells are serials, which carry no order.
func (r *Reader) decideDateOrder(path string) {
	cols := r.dateColumns()
	if r.info.Format != FormatCSV || len(cols) == 0 {
		return
	}
	opts := r.opts
	opts.noDateScan = true
	scan, err := open(path, opts)
	if err != nil {
		if scan != nil {
			scan.Close()
		}
		return // the Reader itself will meet the same error
	}
	defer scan.Close()
	type tally struct{ day, month, ambiguous int }
	per := map[int]*tally{}
	dayFirst, monthFirst := 0, 0
	for {
		row, err := scan.src.next()
		if err != nil {
			break // io.EOF, or an error the Reader reports in its turn
		}
		for _, c := range cols {
			if c >= len(row.cells) {
				continue
			}
			t := per[c]
			if t == nil {
				t = &tally{}
				per[c] = t
			}
			switch normalize.NumericDateEvidence(row.cells[c]) {
			case normalize.EvidenceDayFirst:
				t.day++
				dayFirst++
			case normalize.EvidenceMonthFirst:
				t.month++
				monthFirst++
			case normalize.EvidenceAmbiguous:
				t.ambiguous++
			}
		}
	}
	r.dateOrder = normalize.DecideDateOrder(dayFirst, monthFirst)
	r.info.DateOrder = map[normalize.DateOrder]string{normalize.DayFirst: "day_first", normalize.MonthFirst: "month_first",
		normalize.OrderMixed: "mixed"}[r.dateOrder]
	if r.dateOrder == normalize.DayFirst {
		return
	}
	r.dateNotes = map[int]Issue{}
	for _, c := range cols {
		t := per[c]
		if t == nil || t.day+t.month+t.ambiguous == 0 {
			continue
		}
		is := Issue{Severity: SevWarning, Type: IssueDateMonthFirst, Field: r.lay.columns[c].Field, Column: c + 1,
			Value: fmt.Sprintf("month_first=%d day_first=%d ambiguous=%d", t.month, t.day, t.ambiguous),
			Message: fmt.Sprintf("the file writes dates month first (%d date(s) can only be month first, %d only day first): its %d ambiguous date(s) in this column, such as 03/04/2015, are read month first (4 March)",
				monthFirst, dayFirst, t.ambiguous)}
		if r.dateOrder == normalize.OrderMixed {
			is.Type = IssueDateOrderMixed
			is.Message = fmt.Sprintf("the file mixes date orders (%d date(s) can only be day first, %d only month first): its %d ambiguous date(s) in this column are not read; write them as yyyy-mm-dd",
				dayFirst, monthFirst, t.ambiguous)
		}
		r.dateNotes[c] = is
		r.info.Issues = append(r.info.Issues, is)
	}
}

// dateColumns are the columns feeding a date, datetime or boolean field
// (the Mascotas report's Fallecido holds dates).
func (r *Reader) dateColumns() []int {
	var cols []int
	for _, p := range r.lay.parts {
		for name, idx := range p.cols {
			f, ok := p.typ.Field(name)
			if !ok || (f.Kind != KindDate && f.Kind != KindDateTime && f.Kind != KindBool) {
				continue
			}
			cols = append(cols, idx...)
		}
	}
	sort.Ints(cols)
	return slices.Compact(cols)
}

// newReader reads an export from in; closer is closed with the Reader. On
// a detection error the returned Reader (already closed) still carries the
// FileInfo gathered so far.
func newReader(name string, in io.Reader, closer io.Closer, opts Options) (*Reader, error) {
	r := &Reader{info: FileInfo{Path: name}, opts: opts, owners: map[string]struct{}{}, pets: map[string]struct{}{}}
	if opts.Now != nil {
		r.now = opts.Now()
	}
	fail := func(err error) (*Reader, error) {
		if r.src != nil {
			r.src.close()
			r.src = nil
		} else if closer != nil {
			closer.Close()
		}
		return r, err
	}
	br := newBufReader(in)
	prefix, err := br.Peek(sniffSize)
	if err != nil && err != io.EOF {
		return fail(fmt.Errorf("%s: %w", name, err))
	}
	format, enc, err := sniffFormat(prefix)
	if err != nil {
		return fail(fmt.Errorf("%s: %w", name, err))
	}
	r.info.Format, r.info.Encoding = format, enc
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case format == FormatXLSX && ext != ".xlsx" && ext != ".xlsm":
		r.info.Issues = append(r.info.Issues, Issue{Severity: SevWarning, Type: IssueContentMismatch, Value: ext,
			Message:   "the file is an xlsx workbook whatever its extension; read as xlsx",
			MessageES: "el archivo es un libro xlsx, diga lo que diga su extensión; se lee como xlsx"})
	case format == FormatCSV && (ext == ".xlsx" || ext == ".xlsm" || ext == ".xls"):
		r.info.Issues = append(r.info.Issues, Issue{Severity: SevWarning, Type: IssueContentMismatch, Value: ext,
			Message:   "the file is text whatever its extension; read as csv",
			MessageES: "el archivo es texto, diga lo que diga su extensión; se lee como csv"})
	}
	if format == FormatXLSX {
		wb, err := openXLSX(br, opts.MaxXLSXMB)
		if err != nil {
			return fail(fmt.Errorf("%s: %w", name, err))
		}
		sheets, read, err := classifySheets(wb, name, opts)
		r.info.Sheets = sheets
		if err == nil {
			var first *xlsxSource
			if first, err = wb.open(read[0], true); err == nil {
				r.chain = &sheetChain{wb: wb, names: read, cur: first}
			}
		}
		if err != nil {
			wb.f.Close()
			return fail(fmt.Errorf("%s: %w", name, err))
		}
		r.info.Sheet = read[0]
		r.src = &closingSource{r.chain, closer}
		if wb.date1904 {
			r.date1904 = true
			r.info.Issues = append(r.info.Issues, Issue{Severity: SevInfo, Type: IssueDate1904,
				Message:   "the workbook uses the 1904 date system (old Mac Excel); its date serials are read in it",
				MessageES: "el libro usa el sistema de fechas de 1904 (Excel antiguo de Mac); sus números de fecha se leen en él"})
		}
	} else {
		if enc == EncUTF8BOM {
			br.Discard(3)
		}
		dec := newBufReader(decoder(br, enc))
		text, err := dec.Peek(sniffSize)
		if err != nil && err != io.EOF {
			return fail(fmt.Errorf("%s: %w", name, err))
		}
		if bytes.IndexByte(text, '\r') >= 0 && bytes.IndexByte(text, '\n') < 0 {
			// Classic Mac files end lines with a lone CR, which encoding/csv
			// does not split on.
			dec = newBufReader(crToLF{dec})
			if text, err = dec.Peek(sniffSize); err != nil && err != io.EOF {
				return fail(fmt.Errorf("%s: %w", name, err))
			}
		}
		comma := sniffDelimiter(text, err == io.EOF)
		r.comma = comma
		r.info.Delimiter = delimiterName(comma)
		r.src = newCSVSource(dec, comma, enc == EncUTF8 || enc == EncUTF8BOM, opts.Limits, closer)
	}

	ahead, eof, err := readAhead(r.src, headerScan)
	if err != nil {
		return fail(fmt.Errorf("%s: %w", name, err))
	}
	if len(ahead) == 0 {
		return fail(fmt.Errorf("%s: %w", name, ErrEmpty))
	}
	lay, err := detect(ahead, name, opts)
	if lay.headerRow >= 0 && lay.headerRow < len(ahead) {
		r.info.HeaderRow = ahead[lay.headerRow].line
	}
	if err != nil {
		if lay.headerRow >= 0 && lay.headerRow < len(ahead) {
			return fail(fmt.Errorf("%s:%d: %w", name, r.info.HeaderRow, err))
		}
		return fail(fmt.Errorf("%s: %w (first row: %s)", name, err, clip(ahead[0].text, 120)))
	}
	r.base = r.src
	sheet := ""
	if r.chain != nil {
		sheet = r.chain.names[0]
		r.setFirstLine(sheet)
	}
	r.useLayout(lay, ahead, eof, sheet)
	return r, nil
}

// useLayout reads the rows after a header with its layout: the file's
// first, or a later sheet's of a workbook.
func (r *Reader) useLayout(lay layout, ahead []rawRow, eof bool, sheet string) {
	r.lay = lay
	if r.info.Profile == "" {
		r.info.Profile = lay.profile
	}
	if r.info.Unmapped == nil {
		r.info.Unmapped = []string{}
	}
	var types []string
	for _, p := range lay.parts {
		if t, ok := TypeByName(r.opts.Type); len(lay.parts) > 1 && ok && t.Name != p.typ.Name {
			continue
		}
		types = append(types, p.typ.Name)
	}
	r.only = ""
	if len(lay.parts) > 1 && len(types) == 1 {
		r.only = types[0]
	}
	echo := r.only != "" && r.only != lay.parts[len(lay.parts)-1].typ.Name
	r.colBase, r.track = len(r.info.Columns), nil
	for i, c := range lay.columns {
		c.Sheet, c.echo = sheet, echo
		r.info.Columns = append(r.info.Columns, c)
		if c.Field == "" && c.Header != "" && c.Note != NoteSoftDelete && !slices.Contains(r.info.Unmapped, c.Header) {
			r.info.Unmapped = append(r.info.Unmapped, c.Header)
		}
		if c.Field == "" && c.Note != NoteSoftDelete {
			r.track = append(r.track, i)
		}
	}
	for _, tn := range types {
		if !slices.Contains(r.info.Types, tn) {
			r.info.Types = append(r.info.Types, tn)
		}
	}
	where, whereES := "", ""
	if sheet != "" && len(r.chain.names) > 1 {
		where, whereES = fmt.Sprintf("sheet %q: ", sheet), fmt.Sprintf("hoja %q: ", sheet)
	}
	if lay.headerRow > 0 {
		r.info.Issues = append(r.info.Issues, Issue{Severity: SevInfo, Type: IssueTitleRows, Value: strconv.Itoa(lay.headerRow),
			Message:   fmt.Sprintf("%s%d row(s) above the header skipped: %s", where, lay.headerRow, clip(ahead[0].text, 80)),
			MessageES: fmt.Sprintf("%s%d fila(s) encima del encabezado omitidas: %s", whereES, lay.headerRow, clip(ahead[0].text, 80))})
	}
	rest := ahead[lay.headerRow+1:]
	if eof && allBlank(rest) {
		r.info.Issues = append(r.info.Issues, Issue{Severity: SevInfo, Type: IssueHeaderOnly,
			Message: where + "the file has a header and no data rows", MessageES: whereES + "el archivo tiene encabezado y ninguna fila de datos"})
	}
	r.src = &bufferedSource{ahead: rest, src: r.base}
}

// Info describes the file (see FileInfo).
func (r *Reader) Info() FileInfo {
	info := r.info
	info.Columns = append([]Column(nil), r.info.Columns...)
	for i := range info.Columns {
		info.Columns[i].Status = info.Columns[i].status()
	}
	return info
}

// Unaccounted lists the columns whose values reach no field and that the
// mapping file does not declare as not migrated (Column.Unaccounted); final
// once Next has returned io.EOF.
func (fi FileInfo) Unaccounted() []Column {
	var out []Column
	for _, c := range fi.Columns {
		c.Status = c.status()
		if c.Unaccounted() {
			out = append(out, c)
		}
	}
	return out
}

// countColumns counts the non-empty cells of the columns that feed no field.
func (r *Reader) countColumns(cells []string) {
	for _, i := range r.track {
		if i < len(cells) && !normalize.IsBlank(cells[i]) {
			c := &r.info.Columns[r.colBase+i]
			if c.Filled == 0 {
				c.Sample = clip(normalize.Clean(cells[i]), 80)
			}
			c.Filled++
		}
	}
}

// Next returns the next record, or io.EOF after the last. A malformed row
// (bad quoting, more or fewer fields than the header) comes back as its
// Record together with a *RowError: the Reader stays usable and the caller
// rejects the row; rows are never dropped silently. Any other error is
// fatal.
func (r *Reader) Next() (Record, error) {
	if r.dateScan != "" {
		path := r.dateScan
		r.dateScan = ""
		r.decideDateOrder(path)
	}
	for {
		for len(r.pending) > 0 {
			rec := r.pending[0]
			r.pending = r.pending[1:]
			if r.wanted(rec) {
				return rec, nil
			}
		}
		if r.err != nil {
			return Record{}, r.err
		}
		if r.src == nil {
			return Record{}, io.EOF
		}
		row, err := r.src.next()
		if err == io.EOF {
			if err := r.endOfSheet(); err != nil {
				if err != io.EOF {
					r.err = err
				}
				return Record{}, err
			}
			continue
		}
		if err != nil {
			r.err = fmt.Errorf("%s: %w", r.info.Path, err)
			return Record{}, r.err
		}
		if row.err == nil && blankCells(row.cells) {
			r.info.BlankRows++
			r.countLines(row) // blank lines inside quotes: continuation lines
			continue
		}
		r.countColumns(row.cells)
		// A row's error always comes with a record of the wanted type.
		if rec, err := r.build(row); err != nil || r.wanted(rec) {
			return rec, err
		}
	}
}

func (r *Reader) wanted(rec Record) bool { return r.only == "" || rec.Type == r.only }

// Close releases the file.
func (r *Reader) Close() error {
	if r.src == nil {
		return nil
	}
	err := r.src.close()
	r.src = nil
	return err
}

// build turns one data row into its record(s).
func (r *Reader) build(row rawRow) (Record, error) {
	rowErr := r.shape(row)
	if r.lay.profile == ProfileMascotas {
		return r.buildMascotas(row, rowErr)
	}
	rec := r.record(r.lay.parts[0], row, nil)
	if c := r.lay.deletedAt; c >= 0 && c < len(row.cells) && !normalize.IsBlank(row.cells[c]) {
		rec.Skip = SkipSoftDeleted
		rec.Issues = append(rec.Issues, Issue{Severity: SevInfo, Type: IssueSoftDeleted, Field: "deleted_at",
			Value: row.cells[c], Column: c + 1, Message: "row deleted in OkVet (deleted_at set); not imported",
			MessageES: "fila borrada en OkVet (deleted_at con valor); no se importa"})
	}
	if rowErr != nil {
		return withMergeIssue(rec, rowErr), rowErr
	}
	return rec, nil
}

// withMergeIssue notes on the record the lines a quoting error merged into
// it, so a reader of records alone (verify) sees them too.
func withMergeIssue(rec Record, rowErr error) Record {
	var m *MergedLinesError
	var re *RowError
	if errors.As(rowErr, &m) && errors.As(rowErr, &re) {
		rec.Issues = append(rec.Issues, Issue{Severity: SevCritical, Type: IssueQuoteMergedLines, Field: re.Field, Column: re.Column,
			Value: m.Range(), Message: m.Error()})
	}
	return rec
}

// shape checks the row against the header: malformed quoting, missing or
// extra fields. Extra empty cells (a trailing separator) are harmless.
func (r *Reader) shape(row rawRow) error {
	e := &RowError{File: r.info.Path, Line: row.line}
	width := len(r.lay.header)
	merged := r.countLines(row)
	switch {
	case merged != nil:
		merged.Cause = row.err
		e.Column, e.Err, e.Value = row.column, merged, merged.Range()
		if c := openQuoteColumn(row.text, r.comma); c > 0 {
			e.Column = c
		}
		if e.Column > 0 && e.Column <= len(r.lay.columns) {
			e.Field = r.lay.columns[e.Column-1].Field
		}
	case row.err != nil:
		e.Column, e.Err = row.column, row.err
	case r.info.Format == FormatCSV && len(row.cells) < width:
		e.Column, e.Err = len(row.cells)+1, fmt.Errorf("%w: %d, the header has %d", ErrFieldCount, len(row.cells), width)
	case nulCell(row.cells) >= 0:
		i := nulCell(row.cells)
		e.Column, e.Value, e.Err = i+1, strings.ReplaceAll(row.cells[i], "\x00", "\\0"), ErrNUL
		if i < len(r.lay.columns) {
			e.Field = r.lay.columns[i].Field
		}
	default:
		for i := width; i < len(row.cells); i++ {
			if !normalize.IsBlank(row.cells[i]) {
				e.Column, e.Err = i+1, fmt.Errorf("%w: %d, the header has %d (value beyond the last column)", ErrFieldCount, len(row.cells), width)
				break
			}
		}
	}
	if e.Err == nil {
		return nil
	}
	return e
}

// record builds one type's record from a row; extra sets derived raw
// values (ids) before normalising.
func (r *Reader) record(b binding, row rawRow, extra map[string]string) Record {
	raw := make(map[string]string, len(b.cols)+len(extra))
	for f, idx := range b.cols {
		raw[f] = r.cell(row, idx)
		if r.date1904 {
			raw[f] = r.dateSerial(b.typ, f, raw[f])
		}
	}
	for f, v := range extra {
		raw[f] = v
	}
	vals, issues := NormalizeIn(b.typ, raw, r.opts.Mapping, r.now, r.dateOrder)
	for c, is := range r.dateNotes {
		if is.Field == "" || c >= len(row.cells) || normalize.NumericDateEvidence(row.cells[c]) == normalize.EvidenceNone {
			continue
		}
		if _, mine := b.cols[is.Field]; mine && r.lay.columns[c].Type == b.typ.Name {
			issues = append(issues, is)
			delete(r.dateNotes, c)
		}
	}
	// Columns declared not migrated stay in the record's source data, under
	// their header (the last record of the row keeps them).
	if b.typ.Name == r.lay.parts[len(r.lay.parts)-1].typ.Name {
		for i, c := range r.lay.columns {
			if c.Ignored && i < len(row.cells) && !normalize.IsBlank(row.cells[i]) {
				key := c.Header
				if _, taken := raw[key]; taken {
					key = fmt.Sprintf("%s (%d)", c.Header, c.Index)
				}
				raw[key] = row.cells[i]
			}
		}
	}
	for i := range issues {
		if idx, ok := b.cols[issues[i].Field]; ok && issues[i].Column == 0 {
			issues[i].Column = idx[0] + 1
		}
	}
	// Cell-level notes go to the record of the type that owns the column;
	// unmapped columns' to the row's last record.
	last := b.typ.Name == r.lay.parts[len(r.lay.parts)-1].typ.Name
	for _, c := range row.bad {
		col := Column{}
		if c < len(r.lay.columns) {
			col = r.lay.columns[c]
		}
		if col.Type == b.typ.Name || col.Type == "" && last {
			issues = append(issues, Issue{Severity: SevWarning, Type: IssueInvalidEncoding, Field: col.Field, Column: c + 1,
				Value: clip(row.cells[c], 200), Message: "invalid utf-8 bytes read as windows-1252",
				MessageES: "bytes UTF-8 inválidos leídos como Windows-1252"})
		}
	}
	for _, c := range row.bareQuotes {
		col := Column{}
		if c < len(r.lay.columns) {
			col = r.lay.columns[c]
		}
		if col.Type == b.typ.Name || col.Type == "" && last {
			issues = append(issues, Issue{Severity: SevInfo, Type: IssueBareQuote, Field: col.Field, Column: c + 1,
				Value: clip(row.cells[c], 200), Message: fmt.Sprintf("line %d: a quote inside an unquoted cell read as a character, as spreadsheets do", row.line),
				MessageES: fmt.Sprintf("línea %d: una comilla dentro de una celda sin comillas se leyó como un carácter, como hacen las hojas de cálculo", row.line)})
		}
	}
	for c, col := range r.lay.columns {
		if last && col.Note == NoteUnnamed && c < len(row.cells) && !normalize.IsBlank(row.cells[c]) {
			issues = append(issues, Issue{Severity: SevWarning, Type: IssueUnnamedColumnValue, Column: c + 1,
				Value: clip(row.cells[c], 200), Message: "value in a column without header; not imported",
				MessageES: "valor en una columna sin encabezado; no se importa"})
		}
	}
	return Record{Type: b.typ.Name, SourceID: vals["id"].Text, File: r.info.Path, Line: row.line, RawText: row.text,
		Raw: raw, Values: vals, Issues: issues}
}

// dateSerial reads a 1904-system date serial of a date, datetime or
// boolean-or-date field as the 1900-system serial Normalize expects. A
// boolean's 0 and 1 are not dates, so only serials from 10000 (1931) move.
func (r *Reader) dateSerial(t Type, field, s string) string {
	f, ok := t.Field(field)
	if !ok {
		return s
	}
	switch f.Kind {
	case KindDate, KindDateTime:
		return shift1904(s)
	case KindBool:
		if v, err := strconv.ParseFloat(s, 64); err == nil && v >= 10000 {
			return shift1904(s)
		}
	}
	return s
}

// cell is the raw text of a field. A field fed by several report columns
// (Contacto, TContacto -> notas) gets "Header: value" parts joined by "; ".
func (r *Reader) cell(row rawRow, idx []int) string {
	if len(idx) == 1 {
		if idx[0] < len(row.cells) {
			return row.cells[idx[0]]
		}
		return ""
	}
	var parts []string
	for _, i := range idx {
		if i < len(row.cells) && !normalize.IsBlank(row.cells[i]) {
			parts = append(parts, r.lay.header[i]+": "+normalize.Clean(row.cells[i]))
		}
	}
	return strings.Join(parts, "; ")
}

// buildMascotas splits a report row into its owner (once per owner) and
// its pet, with derived ids (docs/okvet-format.md, "Derived ids").
func (r *Reader) buildMascotas(row rawRow, rowErr error) (Record, error) {
	owners, pets := r.lay.parts[0], r.lay.parts[1]
	ownerRaw := map[string]string{}
	for f, idx := range owners.cols {
		ownerRaw[f] = r.cell(row, idx)
	}
	ownerID := OwnerID(ownerRaw["tipo_documento"], ownerRaw["documento"], ownerRaw["celular"], row.line)
	birth := ""
	if idx, ok := pets.cols["fecha_nacimiento"]; ok {
		cell := r.cell(row, idx)
		if r.date1904 {
			cell = r.dateSerial(pets.typ, "fecha_nacimiento", cell)
		}
		if d, err := normalize.DateIn(cell, r.dateOrder); err == nil && !d.IsZero() {
			birth = d.Format(time.DateOnly)
		}
	}
	name := ""
	if idx, ok := pets.cols["nombre"]; ok {
		name = r.cell(row, idx)
	}
	petID := PetID(ownerID, name, birth)
	if rowErr != nil { // one record carries the row's error, of the type being read
		if r.only == owners.typ.Name {
			return withMergeIssue(r.record(owners, row, map[string]string{"id": ownerID}), rowErr), rowErr
		}
		return withMergeIssue(r.record(pets, row, map[string]string{"id": petID, "id_cliente": ownerID}), rowErr), rowErr
	}
	pet := r.record(pets, row, map[string]string{"id": petID, "id_cliente": ownerID})
	if _, dup := r.pets[petID]; dup {
		pet.Issues = append(pet.Issues, Issue{Severity: SevWarning, Type: IssueDuplicateID, Field: "id", Value: petID,
			Message:   "another row has the same owner, pet name and birth date",
			MessageES: "otra fila tiene el mismo propietario, nombre de mascota y fecha de nacimiento"})
	}
	r.pets[petID] = struct{}{}
	if _, seen := r.owners[ownerID]; seen {
		return pet, nil
	}
	r.owners[ownerID] = struct{}{}
	owner := r.record(owners, row, map[string]string{"id": ownerID})
	r.pending = append(r.pending, pet)
	return owner, nil
}

// OwnerID derives the external id of a Mascotas report owner:
// "own:<doctype>:<number>" from the normalised identity document,
// else "own:tel:<E.164 mobile>", else "own:row:<line>".
func OwnerID(docType, docNumber, mobile string, line int) string {
	dt := normalize.DocumentType(docType)
	if num, err := normalize.DocumentNumber(dt, docNumber); identityDoc(dt) && num != "" &&
		(err == nil || normalize.CodeOf(err) == normalize.CodeNITCheckDigit) {
		return "own:" + normalize.Fold(dt) + ":" + num
	}
	phones := []string{mobile}
	if dt == "" || dt == "none" { // "Ninguno / Teléfono móvil" puts the mobile in Ident.
		phones = append(phones, docNumber)
	}
	for _, p := range phones {
		if tel, err := normalize.Phone(p); err == nil && tel != "" {
			return "own:tel:" + tel
		}
	}
	return "own:row:" + strconv.Itoa(line)
}

// identityDoc tells a real identity document type from "none"/"phone".
func identityDoc(dt string) bool {
	switch dt {
	case "", "none":
		return false
	}
	return true
}

// PetID derives the external id of a Mascotas report pet:
// "pet:<owner id>:<folded name>:<birth yyyy-mm-dd or empty>".
func PetID(ownerID, name, birth string) string {
	return "pet:" + ownerID + ":" + normalize.Fold(name) + ":" + birth
}

// countLines counts the physical lines a CSV row spans beyond its first
// (FileInfo.ContinuationLines or MergedLines) and returns the merge when
// one of them looks like a row of the file of its own: a quoting error,
// not a multi-line note.
func (r *Reader) countLines(row rawRow) *MergedLinesError {
	if r.info.Format != FormatCSV || strings.IndexByte(row.text, '\n') < 0 {
		return nil
	}
	lines := strings.Split(row.text, "\n")
	extra, looks := 0, false
	for _, l := range lines[1:] {
		if strings.TrimRight(l, "\r") == "" {
			continue
		}
		extra++
		looks = looks || r.looksLikeRow(l, row)
	}
	if !looks {
		r.info.ContinuationLines += extra
		return nil
	}
	r.info.MergedLines += extra
	return &MergedLinesError{Line: row.line, First: row.line + 1, Last: row.line + len(lines) - 1}
}

// looksLikeRow tells a line swallowed by a quoting error from a line of a
// multi-line cell: it has nearly as many delimiters as the header has
// columns (two thirds of them, at least two), and when the file has an id
// column its cell there has the shape of the row's own id ("C00007" like
// "C00006": letters, digits and punctuation in the same order).
func (r *Reader) looksLikeRow(line string, row rawRow) bool {
	width := len(r.lay.header)
	need := max(2, (2*(width-1)+2)/3)
	if strings.Count(line, string(r.comma)) < need {
		return false
	}
	if len(r.lay.parts) != 1 {
		return true
	}
	idx, ok := r.lay.parts[0].cols["id"]
	if !ok || len(idx) != 1 || idx[0] >= len(row.cells) || normalize.IsBlank(row.cells[idx[0]]) {
		return true
	}
	cells := strings.Split(strings.TrimRight(line, "\r"), string(r.comma))
	if idx[0] >= len(cells) {
		return false
	}
	return idShape(strings.Trim(cells[idx[0]], `" `)) == idShape(normalize.Clean(row.cells[idx[0]]))
}

// idShape is an id's pattern: each run of digits is 9, each run of letters
// A, other characters kept ("C00123" and "C7" are both "A9"; "FV-12" is
// "A-9").
func idShape(s string) string {
	if s == "" {
		return ""
	}
	var b strings.Builder
	last := rune(0)
	for _, c := range s {
		k := c
		switch {
		case c >= '0' && c <= '9':
			k = '9'
		case unicode.IsLetter(c):
			k = 'A'
		}
		if k != last || (k != '9' && k != 'A') {
			b.WriteRune(k)
		}
		last = k
	}
	return b.String()
}

// openQuoteColumn is the 1-based column of the quoted cell still open at
// the end of the record's first line (where the stray quote is), or 0.
func openQuoteColumn(text string, comma rune) int {
	first, _, _ := strings.Cut(text, "\n")
	col, quoted, atStart, justClosed := 1, false, true, false
	for _, c := range first {
		if quoted {
			if c == '"' {
				quoted, justClosed = false, true
			}
			continue
		}
		if c == '"' && (justClosed || atStart) { // a doubled quote, or a quoted cell opening
			quoted, justClosed, atStart = true, false, false
			continue
		}
		justClosed, atStart = false, false
		if c == comma {
			col++
			atStart = true
		}
	}
	if quoted {
		return col
	}
	return 0
}

// nulCell is the index of the first cell holding a NUL byte, or -1.
func nulCell(cells []string) int {
	for i, c := range cells {
		if strings.IndexByte(c, 0) >= 0 {
			return i
		}
	}
	return -1
}

func blankCells(cells []string) bool {
	for _, c := range cells {
		if !normalize.IsBlank(c) {
			return false
		}
	}
	return true
}

func allBlank(rows []rawRow) bool {
	for _, r := range rows {
		if r.err != nil || !blankCells(r.cells) {
			return false
		}
	}
	return true
}

// closingSource closes the underlying file after the xlsx source.
type closingSource struct {
	rowSource
	c io.Closer
}

func (s *closingSource) close() error {
	err := s.rowSource.close()
	if s.c != nil {
		if cerr := s.c.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// crToLF turns every CR into LF, for files whose lines end with a lone CR.
type crToLF struct{ r io.Reader }

func (c crToLF) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i := range p[:n] {
		if p[i] == '\r' {
			p[i] = '\n'
		}
	}
	return n, err
}
