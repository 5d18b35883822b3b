package reports

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/johnfercher/maroto/v2"
	"github.com/johnfercher/maroto/v2/pkg/components/col"
	"github.com/johnfercher/maroto/v2/pkg/components/line"
	"github.com/johnfercher/maroto/v2/pkg/components/page"
	"github.com/johnfercher/maroto/v2/pkg/components/row"
	"github.com/johnfercher/maroto/v2/pkg/components/text"
	"github.com/johnfercher/maroto/v2/pkg/config"
	"github.com/johnfercher/maroto/v2/pkg/consts/align"
	"github.com/johnfercher/maroto/v2/pkg/consts/border"
	"github.com/johnfercher/maroto/v2/pkg/consts/breakline"
	"github.com/johnfercher/maroto/v2/pkg/consts/fontfamily"
	"github.com/johnfercher/maroto/v2/pkg/consts/fontstyle"
	"github.com/johnfercher/maroto/v2/pkg/consts/pagesize"
	"github.com/johnfercher/maroto/v2/pkg/core"
	"github.com/johnfercher/maroto/v2/pkg/core/entity"
	"github.com/johnfercher/maroto/v2/pkg/props"

	"github.com/petfriendly/recon/internal/approval"
	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/internal/words"
	"github.com/petfriendly/recon/reconcile"
)

// PDFOptions set how the approval document reads.
type PDFOptions struct {
	Lang     i18n.Lang
	Clinic   string           // overrides Result.Clinic when set
	Signer   string           // printed on the "verified by" line; a blank line when empty
	Now      func() time.Time // document date and PDF creation date; nil uses Result.GeneratedAt
	Location *time.Location   // time zone for dates; nil keeps each time's own
	Fonts    PDFFonts         // from FindPDFFonts; the zero value is the built-in Helvetica
}

// ttfFamily is the name the TrueType fonts of PDFFonts are registered under.
const ttfFamily = "sans"

// PDF writes the migration approval the clinic signs: counts with the
// reasons for every difference, quality issues, the checklist, the spot
// checks and a signature block, on A4 with the run's identity on every page.
func PDF(w io.Writer, r reconcile.Result, opts PDFOptions) error {
	m, created, err := buildPDF(r, opts)
	if err != nil {
		return err
	}
	doc, err := m.Generate()
	if err != nil {
		return fmt.Errorf("generate pdf: %w", err)
	}
	b, err := addSignatureField(fixModDate(doc.GetBytes(), created), approval.SignatureFieldName)
	if err != nil {
		return fmt.Errorf("pdf signature field: %w", err)
	}
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("write pdf: %w", err)
	}
	return nil
}

// fixModDate sets the modification date to the creation date. Maroto lets
// us fix only the creation date and gofpdf stamps ModDate with the wall
// clock; both are 14 digits, so the rewrite keeps every xref offset valid
// and the same run always yields the same bytes.
func fixModDate(pdf []byte, created time.Time) []byte {
	const key = "/ModDate (D:"
	i := bytes.Index(pdf, []byte(key))
	stamp := created.Format("20060102150405")
	if created.IsZero() || i < 0 || i+len(key)+len(stamp) >= len(pdf) || pdf[i+len(key)+len(stamp)] != ')' {
		return pdf
	}
	out := bytes.Clone(pdf)
	copy(out[i+len(key):], stamp)
	return out
}

// Colours of the document, as 0xRRGGBB; rgb turns one into a fresh
// *props.Color, since maroto takes pointers.
const (
	pdfInk    = 0x1d2330
	pdfMuted  = 0x5b6573
	pdfHead   = 0xe8ecf2
	pdfOK     = 0x1f7a4d
	pdfOKBg   = 0xe3f4ea
	pdfWarn   = 0x8a5a00
	pdfWarnBg = 0xfff3d6
	pdfBad    = 0xb3261e
	pdfBadBg  = 0xfde7e6
	pdfLine   = 0xc8ced6
	// pdfSigBox fills the digital signature box: near white, and used for
	// nothing else, so the box can be found in the page's drawing.
	pdfSigBox = 0xfefefd
)

func rgb(c int) *props.Color {
	return &props.Color{Red: c >> 16 & 0xff, Green: c >> 8 & 0xff, Blue: c & 0xff}
}

// pdfDoc builds one document; each PDF call makes its own.
type pdfDoc struct {
	l       i18n.Lang
	m       core.Maroto
	loc     *time.Location  // the clinic's time zone for dates; nil keeps each time's own
	covered func(rune) bool // what the fonts draw; see transliterate
}

// fit rewrites s so the document's fonts draw all of it.
func (d *pdfDoc) fit(s string) string { return transliterate(s, d.covered) }

// mmPerPoint converts font sizes (points) to maroto's millimetres.
const mmPerPoint = 25.4 / 72

// gridSize is maroto's column count; 48 lets the counts table give its
// long headings room.
const gridSize = 48

// rule is a full-width horizontal line.
func rule(height float64, color int, thickness float64) core.Row {
	return line.NewRow(height, props.Line{Color: rgb(color), Thickness: thickness, SizePercent: 100, OffsetPercent: 50})
}

// breakFor breaks lines at spaces, unless a word is too long for a table
// cell (hashes, pasted markup), which is then hyphenated anywhere.
func breakFor(s string, maxWord int) breakline.Strategy {
	for _, w := range strings.Fields(s) {
		if utf8.RuneCountInString(w) > maxWord {
			return breakline.DashStrategy
		}
	}
	return breakline.EmptySpaceStrategy
}

func (d *pdfDoc) txt(size int, s string, p props.Text) core.Col {
	if p.Size == 0 {
		p.Size = 8.5
	}
	if p.Color == nil {
		p.Color = rgb(pdfInk)
	}
	if p.Top == 0 {
		p.Top = 1
	}
	if p.Bottom == 0 {
		p.Bottom = 1
	}
	if p.Left == 0 && p.Align != align.Right {
		p.Left = 1
	}
	if p.Right == 0 && p.Align == align.Right {
		p.Right = 1
	}
	if p.VerticalPadding == 0 {
		// maroto spaces wrapped lines by the font size alone, closer than
		// the glyphs' own height; a quarter more keeps lines apart.
		p.VerticalPadding = p.Size * 0.25 * mmPerPoint
	}
	return text.NewCol(size, d.fit(s), p)
}

// keepTogether places rows of known total height on this page, or on the
// next one when they do not fit.
func (d *pdfDoc) keepTogether(height float64, rows ...core.Row) {
	if !d.m.FitlnCurrentPage(height) {
		d.m.AddPages(page.New().Add(rows...))
		return
	}
	d.m.AddRows(rows...)
}

// heading starts a section; it moves to the next page with the room
// that the first lines of its section need.
func (d *pdfDoc) heading(s string, follow float64) {
	rows := []core.Row{
		row.New(5),
		row.New(7).Add(d.txt(gridSize, s, props.Text{Size: 12, Style: fontstyle.Bold})),
		rule(2, pdfInk, 0.3),
	}
	d.keepTogether(14+follow, rows...)
}

func (d *pdfDoc) para(s string, p props.Text) {
	d.m.AddAutoRow(d.txt(gridSize, s, p))
}

// tableCol is one column of a PDF table: its width in grid columns,
// whether it holds numbers (aligned right) and its heading.
type tableCol struct {
	size    int
	right   bool
	heading string
}

func (d *pdfDoc) tableHead(cols []tableCol) {
	var cs []core.Col
	for _, c := range cols {
		p := props.Text{Size: 7, Style: fontstyle.Bold}
		if c.right {
			p.Align = align.Right
		}
		cs = append(cs, d.txt(c.size, c.heading, p))
	}
	d.m.AddRows(row.New().Add(cs...).WithStyle(&props.Cell{BackgroundColor: rgb(pdfHead)}))
}

type cellStyle struct {
	bold  bool
	color *props.Color
}

func (d *pdfDoc) tableRow(cols []tableCol, vals []string, bg *props.Color, styles ...cellStyle) {
	var cs []core.Col
	for i, c := range cols {
		p := props.Text{Size: 8, BreakLineStrategy: breakFor(vals[i], 2*c.size)}
		if c.right {
			p.Align = align.Right
		}
		if i < len(styles) {
			if styles[i].bold {
				p.Style = fontstyle.Bold
			}
			p.Color = styles[i].color
		}
		cs = append(cs, d.txt(c.size, vals[i], p))
	}
	st := &props.Cell{BorderType: border.Bottom, BorderColor: rgb(pdfLine), BorderThickness: 0.1}
	if bg != nil {
		st.BackgroundColor = bg
	}
	d.m.AddRows(row.New().Add(cs...).WithStyle(st))
}

func markText(l i18n.Lang, ok bool) (string, *props.Color) {
	if ok {
		return "✔ " + l.S("sí", "yes"), rgb(pdfOK)
	}
	return "✘ " + l.S("no", "no"), rgb(pdfBad)
}

// buildPDF lays out the document without generating it, so tests can
// compare maroto's structure. It returns the creation date it used.
func buildPDF(r reconcile.Result, o PDFOptions) (core.Maroto, time.Time, error) {
	l := o.Lang
	if l == "" {
		l = i18n.ES
	}
	family, fonts := fontfamily.Helvetica, []*entity.CustomFont(nil)
	if !o.Fonts.Builtin() {
		family = ttfFamily
		fonts = []*entity.CustomFont{
			{Family: ttfFamily, Style: fontstyle.Normal, Bytes: o.Fonts.regular},
			{Family: ttfFamily, Style: fontstyle.Bold, Bytes: o.Fonts.bold},
		}
	}
	covered, err := o.Fonts.coverage()
	if err != nil {
		return nil, time.Time{}, err
	}
	created := r.GeneratedAt
	if o.Now != nil {
		created = o.Now()
	}
	clinic := clinicName(l, o.Clinic, r)
	title := l.S("Aprobación de migración de datos", "Data migration approval")
	runID := "#" + strconv.FormatInt(r.RunID, 10)
	if r.RunID == 0 {
		runID = l.S("sin guardar", "not stored")
	}
	cfg := config.NewBuilder().
		WithPageSize(pagesize.A4).
		WithLeftMargin(15).WithRightMargin(15).WithTopMargin(12).WithBottomMargin(10).
		WithMaxGridSize(gridSize).
		WithCustomFonts(fonts).
		WithDefaultFont(&props.Font{Family: family, Size: 9, Color: rgb(pdfInk)}).
		WithPageNumber(props.PageNumber{Pattern: transliterate(l.S("Página {current} de {total}", "Page {current} of {total}"), covered),
			Place: props.RightBottom, Family: family, Size: 7.5, Color: rgb(pdfMuted)}).
		WithTitle(title+" — "+clinic, true).
		WithSubject(l.F("Verificación %s, huella %s", "Verification %s, fingerprint %s", runID, r.Fingerprint), true).
		WithKeywords(identityOf(r).Keywords(), false).
		WithAuthor(orDash(r.Operator), true).
		WithCreator("recon", true).
		WithCreationDate(created).
		WithCompression(true).
		WithSequentialMode().
		Build()
	d := &pdfDoc{l: l, m: maroto.New(cfg), loc: o.Location, covered: covered}

	small := props.Text{Size: 7.5, Color: rgb(pdfMuted)}
	header := []core.Row{
		row.New().Add(
			d.txt(28, title, props.Text{Size: 14, Style: fontstyle.Bold}),
			d.txt(20, clinic, props.Text{Size: 10, Style: fontstyle.Bold, Align: align.Right, Top: 2}),
		),
		row.New().Add(d.txt(gridSize, l.F("%s → %s · Verificación del %s · Ejecución %s",
			"%s → %s · Verified on %s · Run %s", sourceSystem, destSystem, fmtTime(l, r.GeneratedAt, o.Location), runID), small)),
		row.New().Add(d.txt(gridSize, l.F("Huella (SHA-256): %s", "Fingerprint (SHA-256): %s", orDash(r.Fingerprint)), small)),
		row.New().Add(d.txt(gridSize, l.F("Huella del contenido (SHA-256): %s", "Content fingerprint (SHA-256): %s", orDash(r.ContentFingerprint)), small)),
		rule(3, pdfInk, 0.4),
	}
	if err := d.m.RegisterHeader(header...); err != nil {
		return nil, created, fmt.Errorf("pdf header: %w", err)
	}
	footer := []core.Row{
		rule(2, pdfLine, 0.2),
		row.New().Add(d.txt(gridSize, l.F("%s · Ejecución %s · Documento generado el %s", "%s · Run %s · Document generated on %s",
			clinic, runID, fmtTime(l, created, o.Location)), props.Text{Size: 7, Color: rgb(pdfMuted)})),
		row.New(4),
	}
	if err := d.m.RegisterFooter(footer...); err != nil {
		return nil, created, fmt.Errorf("pdf footer: %w", err)
	}

	d.summary(r, o, clinic, runID, created)
	d.counts(r)
	d.changes(r)
	d.issues(r)
	d.checklist(r)
	d.findings(r)
	d.samples(r)
	// The annex comes before the approval: the signature box must be on
	// the last page (addSignatureField).
	d.resolvedAnnex(r)
	d.signature(o)
	return d.m, created, nil
}

func (d *pdfDoc) summary(r reconcile.Result, o PDFOptions, clinic, runID string, created time.Time) {
	l := d.l
	text, tone := verdict(l, r)
	fg, bg := rgb(pdfOK), rgb(pdfOKBg)
	switch tone {
	case "warn":
		fg, bg = rgb(pdfWarn), rgb(pdfWarnBg)
	case "bad":
		fg, bg = rgb(pdfBad), rgb(pdfBadBg)
	}
	d.m.AddRow(2)
	d.m.AddRows(row.New().Add(d.txt(gridSize, l.S("Resultado: ", "Result: ")+text,
		props.Text{Size: 11, Style: fontstyle.Bold, Color: fg, Top: 2.5, Bottom: 2.5, Left: 3})).
		WithStyle(&props.Cell{BackgroundColor: bg}))
	d.m.AddRow(2)
	kv := [][2]string{
		{l.S("Clínica", "Clinic"), clinic},
		{l.S("Origen → destino", "Source → destination"), sourceSystem + " → " + destSystem},
		{l.S("Fecha de verificación", "Verified on"), fmtTime(l, r.GeneratedAt, o.Location)},
		{l.S("Documento generado", "Document generated"), fmtTime(l, created, o.Location)},
		{l.S("Operador", "Operator"), orDash(r.Operator)},
		{l.S("Ejecución", "Run"), runID},
		{l.S("Huella (SHA-256)", "Fingerprint (SHA-256)"), orDash(r.Fingerprint)},
		{l.S("Huella del contenido", "Content fingerprint"), orDash(r.ContentFingerprint)},
	}
	for _, p := range kv {
		d.m.AddAutoRow(
			d.txt(12, p[0], props.Text{Color: rgb(pdfMuted)}),
			d.txt(36, p[1], props.Text{BreakLineStrategy: breakFor(p[1], 70)}),
		)
	}
}

func (d *pdfDoc) counts(r reconcile.Result) {
	l := d.l
	d.heading(l.S("Conteos por tipo", "Counts per type"), 40)
	d.para(l.S("Cada fila de origen termina importada, fusionada con un duplicado, rechazada, huérfana u omitida; ninguna debe quedar sin explicar. * explica la diferencia entre origen y destino.",
		"Every source row ends imported, merged into a duplicate, rejected, orphaned or skipped; none may stay unexplained. * explains the difference between source and destination."),
		props.Text{Size: 7.5, Color: rgb(pdfMuted)})
	cols := []tableCol{
		{6, false, l.S("Tipo", "Type")},
		{4, true, l.S("Origen", "Source")},
		{5, true, l.S("Importadas", "Imported")},
		{5, true, l.S("Fusionadas", "Merged")},
		{5, true, l.S("Rechazadas", "Rejected")},
		{5, true, l.S("Huérfanas", "Orphaned")},
		{4, true, l.S("Omitidas", "Skipped")},
		{5, true, l.S("Destino", "Destination")},
		{4, true, l.S("Sin explicar", "Not explained")}, // two words: the heading may wrap
		{5, true, l.S("Diferencias de campo", "Field differences")},
	}
	d.tableHead(cols)
	notes := differenceNotes(l, r)
	noted := map[string]bool{}
	for _, n := range notes {
		noted[n.Type] = true
	}
	rowOf := func(label string, c reconcile.TypeCounts, mark bool) []string {
		dst := num(l, c.DestinationRows)
		if mark {
			dst += " *"
		}
		return []string{label, num(l, c.SourceRows), num(l, c.Imported), num(l, c.Merged), num(l, c.Rejected),
			num(l, c.Orphaned), num(l, c.Skipped), dst, num(l, c.Unexplained), num(l, c.FieldMismatches)}
	}
	for _, n := range typeOrder(r.Types) {
		c := r.Types[n]
		var bg *props.Color
		if c.Unexplained > 0 || c.FieldMismatches > 0 {
			bg = rgb(pdfBadBg)
		}
		d.tableRow(cols, rowOf(typeLabel(l, n), c, noted[n]), bg)
	}
	bold := make([]cellStyle, len(cols))
	for i := range bold {
		bold[i] = cellStyle{bold: true}
	}
	d.tableRow(cols, rowOf(l.S("Total", "Total"), totals(r.Types), false), rgb(pdfHead), bold...)
	if len(notes) > 0 {
		d.m.AddRow(1.5)
		for _, n := range notes {
			d.para("* "+n.Text, props.Text{Size: 7.5, Top: 0.5, Bottom: 0.5})
		}
	}
	d.tables(r)
}

// tables is the destination side of the accounting: each table's real row
// count and what explains it.
func (d *pdfDoc) tables(r reconcile.Result) {
	l := d.l
	d.m.AddRow(2)
	d.para(l.S("Destino: filas de cada tabla = de la migración + propietario marcador + no de la migración.",
		"Destination: rows of each table = from the migration + placeholder owner + not from the migration."),
		props.Text{Size: 7.5, Color: rgb(pdfMuted)})
	cols := []tableCol{
		{12, false, l.S("Tabla", "Table")},
		{6, true, l.S("Filas", "Rows")},
		{6, true, l.S("De la migración", "From migration")},
		{6, true, l.S("Marcador", "Placeholder")},
		{6, true, l.S("No de la migración", "Not from migration")},
		{6, true, l.S("Desaparecidas del origen", "Vanished from source")},
		{6, true, l.S("Líneas fusionadas", "Merged lines")},
	}
	d.tableHead(cols)
	for _, n := range typeOrder(r.Types) {
		c := r.Types[n]
		var bg *props.Color
		if c.NotFromMigration > 0 || c.Vanished > 0 || c.MergedLines > 0 {
			bg = rgb(pdfBadBg)
		}
		table := n
		for _, tc := range r.Tables {
			if tc.Type == n {
				table = tc.Table
			}
		}
		d.tableRow(cols, []string{table, num(l, c.TableRows), num(l, c.MappedRows), num(l, c.Placeholder), num(l, c.NotFromMigration),
			num(l, c.Vanished), num(l, c.MergedLines)}, bg)
	}
}

func (d *pdfDoc) issues(r reconcile.Result) {
	l := d.l
	d.heading(l.S("Problemas de calidad", "Quality issues"), 25)
	d.para(l.F("Abiertos: %s críticos, %s advertencias, %s informativos.", "Open: %s critical, %s warnings, %s info.",
		num(l, r.IssuesBySev["critical"]), num(l, r.IssuesBySev["warning"]), num(l, r.IssuesBySev["info"])), props.Text{})
	if len(r.IssuesByType) == 0 {
		d.para(l.S("No hay problemas de calidad registrados.", "No quality issues were recorded."), props.Text{Color: rgb(pdfMuted)})
		return
	}
	cols := []tableCol{
		{10, false, l.S("Gravedad", "Severity")},
		{22, false, l.S("Tipo de problema", "Issue type")},
		{8, true, l.S("Abiertos", "Open")},
		{8, true, l.S("Resueltos", "Resolved")},
	}
	d.tableHead(cols)
	for _, ic := range sortedIssues(r.IssuesByType) {
		st := []cellStyle{{color: rgb(pdfInk)}}
		if ic.Severity == "critical" && ic.Open > 0 {
			st = []cellStyle{{bold: true, color: rgb(pdfBad)}}
		}
		d.tableRow(cols, []string{words.Severity(l, ic.Severity), ic.Type, num(l, ic.Open), num(l, ic.Resolved)}, nil, st...)
	}
	d.resolutions(r)
}

// checklist stays on one page with its heading: the signer reads it as
// one list.
func (d *pdfDoc) checklist(r reconcile.Result) {
	l := d.l
	items := checklist(l, r)
	// Each item's row is as tall as its text, so a label that wraps
	// pushes the next item down instead of printing over it; the room kept
	// with the heading assumes every label takes two lines.
	const itemHeight = 2 * 6
	d.heading(l.S("Lista de verificación", "Checklist"), float64(len(items)*itemHeight))
	for _, item := range items {
		mark, color := markText(l, item.OK)
		d.m.AddAutoRow(
			d.txt(6, mark, props.Text{Size: 9.5, Style: fontstyle.Bold, Color: color, Top: 1.5, Bottom: 1.5}),
			d.txt(42, item.Label, props.Text{Size: 9.5, Top: 1.5, Bottom: 1.5}),
		)
	}
}

// maxPDFFindings keeps the approval short; the HTML report lists them all.
const maxPDFFindings = 15

// findings lists the unexplained rows and field differences, if any.
func (d *pdfDoc) findings(r reconcile.Result) {
	l := d.l
	blocking := 0
	for _, f := range r.Findings {
		if f.Blocks {
			blocking++
		}
	}
	if len(r.Unexplained)+len(r.Mismatches)+blocking == 0 {
		return
	}
	d.heading(l.S("Diferencias por resolver", "Differences to resolve"), 20)
	cols := []tableCol{
		{9, false, l.S("Tipo", "Type")},
		{8, false, l.S("ID en OkVet", "OkVet id")},
		{31, false, l.S("Detalle", "Detail")},
	}
	d.tableHead(cols)
	n := 0
	for _, f := range r.Findings {
		if n == maxPDFFindings {
			break
		}
		if f.Blocks {
			n++
			d.tableRow(cols, []string{typeLabel(l, f.Type), orDash(f.SourceID), FindingText(l, f)}, nil)
		}
	}
	for _, u := range r.Unexplained {
		if n == maxPDFFindings {
			break
		}
		n++
		d.tableRow(cols, []string{typeLabel(l, u.Type), u.SourceID, l.S("Sin explicar: ", "Unexplained: ") + ReasonLabel(l, u.Reason)}, nil)
	}
	for _, m := range r.Mismatches {
		if n == maxPDFFindings {
			break
		}
		n++
		d.tableRow(cols, []string{typeLabel(l, m.Type), m.SourceID,
			l.F("%s: «%s» en origen, «%s» en destino", "%s: “%s” in source, “%s” in destination", m.Field, m.Source, m.Destination)}, nil)
	}
	if rest := len(r.Unexplained) + len(r.Mismatches) + blocking - n; rest > 0 {
		d.para(l.F("… y %s más: vea el informe HTML.", "… and %s more: see the HTML report.", num(l, rest)), props.Text{Size: 7.5, Color: rgb(pdfMuted)})
	}
}

// samples lists every spot-checked row; only rows with a difference show
// their fields, to keep the approval short.
func (d *pdfDoc) samples(r reconcile.Result) {
	l := d.l
	d.heading(l.S("Muestra aleatoria", "Spot check"), 20)
	bad := 0
	for _, s := range r.Samples {
		if !s.Match {
			bad++
		}
	}
	d.para(l.F("%s filas revisadas campo por campo (semilla %d), %s con diferencias.",
		"%s rows checked field by field (seed %d), %s with differences.", num(l, len(r.Samples)), r.SampleSeed, num(l, bad)), props.Text{})
	if len(r.Samples) == 0 {
		return
	}
	cols := []tableCol{
		{7, false, l.S("Tipo", "Type")},
		{6, false, l.S("ID en OkVet", "OkVet id")},
		{8, false, l.S("Campo", "Field")},
		{8, false, l.S("Texto en OkVet", "Text in OkVet")},
		{8, false, l.S("Normalizado", "Normalised")},
		{6, false, l.S("En Pet-Friendly", "In Pet-Friendly")},
		{5, false, l.S("Coincide", "Match")},
	}
	// A matching row is one line: its field cells merge into one.
	merged := []tableCol{cols[0], cols[1], {30, false, ""}, cols[6]}
	d.tableHead(cols)
	for _, s := range r.Samples {
		if s.Match {
			mark, color := markText(l, true)
			all := l.F("%d campos comparados, todos coinciden", "%d fields compared, all match", len(s.Fields))
			if len(s.Fields) == 1 {
				all = l.S("1 campo comparado, coincide", "1 field compared, matches")
			}
			d.tableRow(merged, []string{typeLabel(l, s.Type), s.SourceID, all, mark}, nil,
				cellStyle{}, cellStyle{}, cellStyle{color: rgb(pdfMuted)}, cellStyle{bold: true, color: color})
			continue
		}
		for _, f := range s.Fields {
			mark, color := markText(l, f.Match)
			var bg *props.Color
			if !f.Match {
				bg = rgb(pdfBadBg)
			}
			d.tableRow(cols, []string{typeLabel(l, s.Type), s.SourceID, f.Field, f.Raw, f.Normalised, f.Destination, mark}, bg,
				cellStyle{}, cellStyle{}, cellStyle{}, cellStyle{}, cellStyle{}, cellStyle{}, cellStyle{bold: true, color: color})
		}
	}
}

// signature is the block Dr. Pablo signs; it moves to a new page rather
// than split.
func (d *pdfDoc) signature(o PDFOptions) {
	l := d.l
	// Fixed heights: the block's height must be known before it is placed.
	rows := []core.Row{
		row.New(4),
		row.New(8).Add(d.txt(gridSize, l.S("Aprobación", "Approval"), props.Text{Size: 12, Style: fontstyle.Bold})),
		rule(2, pdfInk, 0.3),
		row.New(10).Add(d.txt(gridSize, l.S(
			"Revisé este documento y confirmo que los datos de la clínica pasaron de OkVet.co a Pet-Friendly completos y correctos, salvo lo indicado arriba.",
			"I reviewed this document and confirm that the clinic's data moved from OkVet.co to Pet-Friendly complete and correct, except as noted above."),
			props.Text{Size: 9})),
		row.New(4),
	}
	for _, label := range []string{l.S("Datos verificados por", "Data verified by"), l.S("Cargo", "Role"), l.S("Fecha", "Date"), l.S("Firma", "Signature")} {
		value := ""
		height := 9.0
		if label == l.S("Datos verificados por", "Data verified by") {
			value = o.Signer
		}
		if label == l.S("Firma", "Signature") {
			height = 16
		}
		rows = append(rows, row.New(height).Add(
			d.txt(14, label+":", props.Text{Size: 9.5, Style: fontstyle.Bold, Top: height - 5}),
			col.New(30).Add(text.New(d.fit(value), props.Text{Size: 10, Top: height - 5, Left: 1})).
				WithStyle(&props.Cell{BorderType: border.Bottom, BorderColor: rgb(pdfInk), BorderThickness: 0.3}),
			col.New(4),
		))
	}
	// The box the AcroForm signature field's widget covers; its fill colour
	// is how addSignatureField finds it on the page (see pdfSigBox).
	rows = append(rows,
		row.New(4),
		row.New(20).Add(
			d.txt(14, l.S("Firma digital:", "Digital signature:"), props.Text{Size: 9.5, Style: fontstyle.Bold, Top: 3}),
			col.New(30).WithStyle(&props.Cell{BackgroundColor: rgb(pdfSigBox), BorderType: border.Full, BorderColor: rgb(pdfLine), BorderThickness: 0.2}),
			col.New(4),
		),
		row.New(9).Add(d.txt(gridSize, l.F(
			"Campo de firma «%s»: fírmelo con un certificado digital; «recon signoff check» comprueba la firma y que los datos no cambiaron.",
			"Signature field «%s»: sign it with a digital certificate; «recon signoff check» checks the signature and that the data did not change.",
			approval.SignatureFieldName), props.Text{Size: 7.5, Color: rgb(pdfMuted)})),
	)
	height := 0.0
	for _, r := range rows {
		height += r.GetHeight(nil, nil) // fixed heights need no measuring
	}
	d.keepTogether(height, rows...)
}
