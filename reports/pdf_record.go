package reports

import (
	"path/filepath"
	"sort"
	"strings"

	"github.com/johnfercher/maroto/v2/pkg/components/row"
	"github.com/johnfercher/maroto/v2/pkg/consts/fontstyle"
	"github.com/johnfercher/maroto/v2/pkg/props"

	"github.com/petfriendly/recon/internal/words"
	"github.com/petfriendly/recon/reconcile"
	"github.com/petfriendly/recon/source"
)

// The approval is the whole record of what the director signs: besides the
// counts it says what in Pet-Friendly differs from the export (manual
// corrections, rows created there, what was not migrated) and how the
// critical issues were closed. This file holds those sections.

// subheading names a part of a section; it keeps the room its first lines
// need on the same page.
func (d *pdfDoc) subheading(s string, follow float64) {
	d.keepTogether(9+follow,
		row.New(2),
		row.New(7).Add(d.txt(gridSize, s, props.Text{Size: 10, Style: fontstyle.Bold})))
}

func (d *pdfDoc) muted(s string) {
	d.para(s, props.Text{Size: 8, Color: rgb(pdfMuted)})
}

// changes lists what differs from the export on purpose or by a person's
// hand, so "salvo lo indicado arriba" points at something.
func (d *pdfDoc) changes(r reconcile.Result) {
	l := d.l
	d.heading(l.S("Diferencias con la exportación", "What differs from the export"), 25)
	d.para(l.S("Lo que Pet-Friendly tiene distinto de la exportación de OkVet y no es un error de la migración: correcciones hechas a mano, filas creadas en Pet-Friendly y lo que no se migró.",
		"What Pet-Friendly holds differently from the OkVet export and is not a migration error: manual corrections, rows created in Pet-Friendly and what was not migrated."),
		props.Text{Size: 7.5, Color: rgb(pdfMuted)})

	d.subheading(l.F("Correcciones manuales (%s)", "Manual corrections (%s)", num(l, len(r.Corrections))), 12)
	if len(r.Corrections) == 0 {
		d.muted(l.S("Nadie corrigió datos a mano.", "Nobody corrected data by hand."))
	} else {
		cols := []tableCol{
			{5, false, l.S("Tipo", "Type")},
			{5, false, l.S("ID en OkVet", "OkVet id")},
			{5, false, l.S("Campo", "Field")},
			{7, false, l.S("Antes", "Before")},
			{7, false, l.S("Después", "After")},
			{8, false, l.S("Quién y cuándo", "Who and when")},
			{11, false, l.S("Motivo", "Reason")},
		}
		d.tableHead(cols)
		for _, c := range r.Corrections {
			d.tableRow(cols, []string{typeLabel(l, c.Type), c.SourceID, c.Field, orDash(c.Old), orDash(c.New),
				orDash(c.By) + " · " + fmtShortTime(c.At, d.loc), orDash(c.Reason)}, nil)
		}
	}

	d.subheading(l.S("Filas creadas en Pet-Friendly", "Rows created in Pet-Friendly"), 12)
	created := d.createdRows(r)
	if len(created) == 0 {
		d.muted(l.S("Ninguna: cada fila de las tablas de destino viene de la migración o es el propietario marcador.",
			"None: every row of the destination tables comes from the migration or is the placeholder owner."))
	}
	for _, s := range created {
		d.para("• "+s, props.Text{Size: 8})
	}

	d.subheading(l.S("No migrado", "Not migrated"), 12)
	left := d.notMigrated(r)
	if len(left) == 0 {
		d.muted(l.S("Se migró cada archivo de la exportación y ningún campo con valor quedó vacío.",
			"Every file of the export was migrated and no field with a value was left empty."))
	}
	for _, s := range left {
		d.para("• "+s, props.Text{Size: 8})
	}
	if deltas := deltaLines(l, r); len(deltas) > 0 {
		d.subheading(l.S("Cambios en OkVet después de la importación", "Changes in OkVet after the import"), 8)
		for _, s := range deltas {
			d.para("• "+s, props.Text{Size: 8})
		}
	}
}

// createdRows says, per table, how many rows no mapping of the export
// explains, with some of them by id.
func (d *pdfDoc) createdRows(r reconcile.Result) []string {
	l := d.l
	examples := map[string][]string{}
	for _, f := range r.Findings {
		if (f.Code == reconcile.CodeNotFromMigration || f.Code == reconcile.CodeCreatedAfterImport) && f.TargetID != 0 && len(examples[f.Type]) < 5 {
			examples[f.Type] = append(examples[f.Type], "id "+l.Int(int(f.TargetID)))
		}
	}
	var out []string
	for _, n := range typeOrder(r.Types) {
		c := r.Types[n]
		if c.NotFromMigration == 0 {
			continue
		}
		s := l.F("%s: %s filas que no vienen de la migración", "%s: %s rows that do not come from the migration",
			typeLabel(l, n), num(l, c.NotFromMigration))
		if c.CreatedAfterImport > 0 {
			s += l.F(", %s creadas después de la importación", ", %s created after the import", num(l, c.CreatedAfterImport))
		}
		if ex := examples[n]; len(ex) > 0 {
			s += " (" + strings.Join(ex, ", ") + ")"
		}
		out = append(out, s)
	}
	if len(out) > 0 && r.AllowNewRows {
		out = append(out, l.S("La verificación se hizo con --allow-new-rows: estas filas no la hacen fallar.",
			"The verification ran with --allow-new-rows: these rows do not fail it."))
	}
	return out
}

// notMigrated lists export files no batch imported, columns and sheets
// left out, and fields whose value did not reach Pet-Friendly.
func (d *pdfDoc) notMigrated(r reconcile.Result) []string {
	l := d.l
	var out []string
	seen := map[string]bool{}
	for _, f := range r.Findings {
		if f.Code != reconcile.CodeNeverImported && f.Code != reconcile.CodeFileNotImported {
			continue
		}
		s := FindingText(l, f)
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, s := range r.Sources {
		if s.Status == "new" {
			out = append(out, l.F("%s: archivo %s sin importar", "%s: file %s not imported", typeLabel(l, s.Type), s.Path))
		}
	}
	// Columns and sheets the migration left out, the declared ones too:
	// what Dr. Pablo signs must name every cell that did not reach
	// Pet-Friendly.
	for _, src := range r.Sources {
		file := filepath.Base(src.Path)
		for _, c := range src.Columns {
			switch c.Status {
			case source.ColumnNotMigrated, source.ColumnConflict, source.ColumnIgnored:
				where := file
				if c.Sheet != "" {
					where += l.F(", hoja %q", ", sheet %q", c.Sheet)
				}
				out = append(out, l.F("%s, columna %q: %s", "%s, column %q: %s", where, ColumnHeader(l, c), ColumnLabel(l, c)))
			}
		}
		for _, sh := range src.Sheets {
			if sh.Status == source.SheetHidden || sh.Status == source.SheetUnrecognised {
				out = append(out, l.F("%s, hoja %q: %s", "%s, sheet %q: %s", file, sh.Name, SheetLabel(l, sh)))
			}
		}
	}
	for _, m := range r.Missing {
		s := l.F("%s, campo %s: %s filas con valor en OkVet quedaron vacías", "%s, field %s: %s rows with a value in OkVet are empty",
			typeLabel(l, m.Type), m.Field, num(l, m.Rows))
		if len(m.Examples) > 0 {
			s += " (" + strings.Join(m.Examples, ", ") + ")"
		}
		out = append(out, s)
	}
	return out
}

// resolutions says who closed quality issues and how, worst severity
// first; the resolved critical ones are listed one by one in the annex.
func (d *pdfDoc) resolutions(r reconcile.Result) {
	l := d.l
	resolved := 0
	for _, ic := range r.IssuesByType {
		resolved += ic.Resolved
	}
	if resolved == 0 {
		return
	}
	d.subheading(l.S("Cómo se resolvieron", "How they were resolved"), 12)
	if len(r.Resolutions) == 0 {
		// Runs stored before resolutions were part of the result.
		d.muted(l.S("Esta verificación no guardó quién resolvió los problemas; vuelva a verificar para incluirlo.",
			"This verification did not store who resolved the issues; verify again to include it."))
		return
	}
	list := append([]reconcile.ResolutionCount(nil), r.Resolutions...)
	sort.SliceStable(list, func(i, j int) bool { return sevRank(list[i].Severity) < sevRank(list[j].Severity) })
	cols := []tableCol{
		{8, false, l.S("Gravedad", "Severity")},
		{11, false, l.S("Resuelto por", "Resolved by")},
		{23, false, l.S("Resolución", "Resolution")},
		{6, true, l.S("Problemas", "Issues")},
	}
	d.tableHead(cols)
	for _, rc := range list {
		d.tableRow(cols, []string{words.Severity(l, rc.Severity), orDash(rc.By), orDash(rc.Resolution), num(l, rc.Issues)}, nil)
	}
	if len(r.ResolvedCritical) > 0 {
		d.m.AddRow(1.5)
		d.muted(l.S("El anexo A lista uno por uno los problemas críticos resueltos.",
			"Annex A lists the resolved critical issues one by one."))
	}
}

// resolvedAnnex lists every resolved critical issue the run holds.
func (d *pdfDoc) resolvedAnnex(r reconcile.Result) {
	if len(r.ResolvedCritical) == 0 {
		return
	}
	l := d.l
	d.heading(l.F("Anexo A: problemas críticos resueltos (%s)", "Annex A: resolved critical issues (%s)", num(l, len(r.ResolvedCritical))), 20)
	total := 0
	for _, ic := range r.IssuesByType {
		if ic.Severity == "critical" {
			total += ic.Resolved
		}
	}
	if total > len(r.ResolvedCritical) {
		d.muted(l.F("Se listan los primeros %s de %s; el JSON de la verificación y «recon issues list» los tienen todos.",
			"The first %s of %s are listed; the verification JSON and «recon issues list» hold them all.",
			num(l, len(r.ResolvedCritical)), num(l, total)))
	}
	cols := []tableCol{
		{5, false, l.S("Tipo", "Type")},
		{5, false, l.S("ID en OkVet", "OkVet id")},
		{8, false, l.S("Problema", "Issue")},
		{5, false, l.S("Campo", "Field")},
		{9, false, l.S("Quién y cuándo", "Who and when")},
		{16, false, l.S("Resolución", "Resolution")},
	}
	d.tableHead(cols)
	for _, ri := range r.ResolvedCritical {
		d.tableRow(cols, []string{typeLabel(l, ri.RecordType), orDash(ri.SourceID), ri.IssueType, orDash(ri.Field),
			orDash(ri.By) + " · " + fmtShortTime(ri.At, d.loc), orDash(ri.Resolution)}, nil)
	}
}
