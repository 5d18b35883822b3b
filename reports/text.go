package reports

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/petfriendly/recon/internal/approval"
	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/internal/words"
	"github.com/petfriendly/recon/reconcile"
	"github.com/petfriendly/recon/source"
)

// TextOptions set how the text report reads; the zero value is Spanish,
// each time in its own zone, without a sign-off line.
type TextOptions struct {
	Lang     i18n.Lang
	Location *time.Location   // time zone for dates; nil keeps each time's own
	Signoff  *approval.Status // the latest recorded digital sign-off; nil leaves the line out
}

// textListMax is how many entries of a long list the text report shows;
// the JSON output keeps every one.
const textListMax = 20

// Text writes the verification as the plain-text report verify prints: the
// counts per type and per table, what explains their differences, the
// findings and long lists (cut at 20), the checklist, the verdict and the
// approval lines to fill in by hand.
func Text(w io.Writer, r reconcile.Result, opts TextOptions) error {
	var buf bytes.Buffer
	t := textReport{w: &buf, l: opts.Lang, loc: opts.Location}
	t.header(r)
	t.counts(r)
	t.findings(r)
	t.rowLists(r)
	t.problems(r)
	t.columnUse(r.Sources)
	t.sampleAndIssues(r)
	t.logins(r.Logins)
	t.closing(r)
	if opts.Signoff != nil {
		fmt.Fprintln(t.w)
		fmt.Fprintln(t.w, SignedApproval(t.l, *opts.Signoff, opts.Location))
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write text report: %w", err)
	}
	return nil
}

// textReport writes the sections of the text report in one language.
type textReport struct {
	w   io.Writer
	l   i18n.Lang
	loc *time.Location
}

// num writes a count with the language's thousands separator.
func (t textReport) num(n int) string { return t.l.Int(n) }

// clock writes a time in the report's zone, the zone written; "-" when unset.
func (t textReport) clock(at time.Time) string {
	if at.IsZero() {
		return "-"
	}
	if t.loc != nil {
		at = at.In(t.loc)
	}
	return at.Format("2006-01-02 15:04 MST")
}

// more says, at the end of a cut list of n entries, how many were left out.
func (t textReport) more(n int) {
	fmt.Fprintln(t.w, t.l.F("  ... y %s más (ver --json)", "  ... and %s more (see --json)", t.num(n-textListMax)))
}

func (t textReport) header(r reconcile.Result) {
	l, w := t.l, t.w
	line := strings.Repeat("=", 78)
	fmt.Fprintln(w, line)
	fmt.Fprintln(w, l.S("INFORME DE VERIFICACIÓN DE MIGRACIÓN — OkVet.co → Pet-Friendly", "MIGRATION VERIFICATION REPORT — OkVet.co → Pet-Friendly"))
	fmt.Fprintln(w, line)
	fmt.Fprintln(w, l.F("Clínica: %s", "Clinic: %s", r.Clinic))
	fmt.Fprintln(w, l.F("Fecha: %s   Operador: %s   Ejecución: #%d", "Date: %s   Operator: %s   Run: #%d",
		t.clock(r.GeneratedAt), r.Operator, r.RunID))
	fmt.Fprintln(w, l.F("Huella: %s", "Fingerprint: %s", r.Fingerprint))
	fmt.Fprintln(w, l.F("Huella del contenido: %s", "Content fingerprint: %s", r.ContentFingerprint))
	fmt.Fprintln(w)
}

// counts writes the rows per type, the rows per destination table and the
// notes that explain where source and destination differ.
func (t textReport) counts(r reconcile.Result) {
	l, w := t.l, t.w
	notes := t.explanationNotes(r)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, l.S("Tipo               \tOrigen\tImportados\tFusionados\tRechazados\tHuérfanos\tOmitidos\tDestino\tSin explicar\tDiferencias\t",
		"Type               \tSource\tImported\tMerged\tRejected\tOrphaned\tSkipped\tDestination\tUnexplained\tMismatches\t"))
	for _, name := range reconcile.TypeNames() {
		tc := r.Types[name]
		mark := ""
		if tc.SourceRows != tc.DestinationRows {
			mark = "*"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s%s\t%s\t%s\t\n", fmt.Sprintf("%-19s", typeLabel(l, name)), t.num(tc.SourceRows), t.num(tc.Imported),
			t.num(tc.Merged), t.num(tc.Rejected), t.num(tc.Orphaned), t.num(tc.Skipped), t.num(tc.DestinationRows), mark,
			t.num(tc.Unexplained), t.num(tc.FieldMismatches))
	}
	tw.Flush()
	fmt.Fprintln(w)
	fmt.Fprintln(w, l.S("Destino: filas de cada tabla = de la migración + marcador + no de la migración",
		"Destination: rows of each table = from the migration + placeholder + not from the migration"))
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, l.S("Tabla                       \tFilas\tMigración\tMarcador\tNo de la migración\tDesaparecidas\t",
		"Table                       \tRows\tMigrated\tPlaceholder\tNot from migration\tVanished\t"))
	for _, tc := range r.Tables {
		c := r.Types[tc.Type]
		fmt.Fprintf(tw, "%-28s\t%s\t%s\t%s\t%s\t%s\t\n", tc.Table, t.num(c.TableRows), t.num(c.MappedRows), t.num(c.Placeholder),
			t.num(c.NotFromMigration), t.num(c.Vanished))
	}
	tw.Flush()
	if len(notes) > 0 {
		fmt.Fprintln(w)
		for _, n := range notes {
			fmt.Fprintln(w, "* "+n)
		}
	}
}

// findings writes the findings, blocking ones marked ✗, and what changed
// in OkVet since the import.
func (t textReport) findings(r reconcile.Result) {
	l, w := t.l, t.w
	if len(r.Findings) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, l.S("Hallazgos:", "Findings:"))
		for i, f := range r.Findings {
			if i == textListMax {
				t.more(len(r.Findings))
				break
			}
			mark := "i"
			if f.Blocks {
				mark = "✗"
			}
			fmt.Fprintf(w, "  %s %s\n", mark, FindingText(l, f))
		}
	}
	for _, name := range reconcile.TypeNames() {
		if d, ok := r.SourceDelta[name]; ok {
			fmt.Fprintln(w, l.F("Cambios en OkVet desde la importación, %s: %s añadidas, %s eliminadas, %s cambiadas %v",
				"Changes in OkVet since the import, %s: %s added, %s removed, %s changed %v",
				typeLabel(l, name), t.num(d.Added), t.num(d.Removed), t.num(d.Changed), d.Examples))
		}
	}
}

// rowLists writes the unexplained rows, the field differences and the
// audited corrections, each cut at 20.
func (t textReport) rowLists(r reconcile.Result) {
	l, w := t.l, t.w
	if len(r.Unexplained) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, l.S("Filas sin explicar:", "Unexplained rows:"))
		for i, u := range r.Unexplained {
			if i == textListMax {
				t.more(len(r.Unexplained))
				break
			}
			fmt.Fprintf(w, "  %s %s: %s\n", typeLabel(l, u.Type), u.SourceID, ReasonLabel(l, u.Reason))
		}
	}
	if len(r.Mismatches) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, l.S("Diferencias de campos (origen → destino):", "Field differences (source → destination):"))
		for i, m := range r.Mismatches {
			if i == textListMax {
				t.more(len(r.Mismatches))
				break
			}
			fmt.Fprintf(w, "  %s %s %s: %q → %q\n", typeLabel(l, m.Type), m.SourceID, m.Field, m.Source, m.Destination)
		}
	}
	if len(r.Corrections) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, l.S("Correcciones manuales auditadas (no cuentan como diferencias si el destino conserva el valor corregido):",
			"Audited manual corrections (not counted as differences while the destination keeps the corrected value):"))
		for i, c := range r.Corrections {
			if i == textListMax {
				t.more(len(r.Corrections))
				break
			}
			fmt.Fprintf(w, "  %s %s %s: %q → %q — %s, %s: %s\n", typeLabel(l, c.Type), c.SourceID, c.Field, c.Old, c.New, c.By,
				t.clock(c.At), c.Reason)
		}
	}
}

// problems writes the broken chains, the missing or altered attachments
// and the source files that are gone or changed.
func (t textReport) problems(r reconcile.Result) {
	l, w := t.l, t.w
	for _, c := range r.Chains {
		if c.OK {
			continue
		}
		fmt.Fprintln(w)
		fmt.Fprintln(w, l.F("Cadena rota: %s (%s casos) %s", "Broken chain: %s (%s cases) %s", ChainLabel(l, c.Check), t.num(c.Violations),
			ChainLegend(l)))
		for _, e := range c.Examples {
			fmt.Fprintln(w, "  "+e)
		}
	}
	if a := r.Attachments; a.Missing+a.Corrupt > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, l.F("Adjuntos: %s faltantes, %s alterados", "Attachments: %s missing, %s altered", t.num(a.Missing), t.num(a.Corrupt)))
		for _, e := range a.Examples {
			fmt.Fprintln(w, "  "+e)
		}
	}
	for _, s := range r.Sources {
		if s.Status != "ok" {
			fmt.Fprintln(w)
			fmt.Fprintln(w, l.F("Archivo de origen %s: %s", "Source file %s: %s", s.Path,
				l.S(map[string]string{"missing": "no encontrado", "changed": "cambió desde la importación"}[s.Status], s.Status)))
		}
	}
}

// sampleAndIssues writes the spot check and the open quality issues per
// severity.
func (t textReport) sampleAndIssues(r reconcile.Result) {
	l, w := t.l, t.w
	fmt.Fprintln(w)
	fmt.Fprintln(w, l.F("Muestra aleatoria: %d filas por tipo (semilla %d)", "Spot check: %d rows per type (seed %d)", sampleSize(r), r.SampleSeed))
	bad := 0
	for _, s := range r.Samples {
		if !s.Match {
			bad++
		}
	}
	fmt.Fprintln(w, l.F("  %s filas revisadas, %s con diferencias", "  %s rows checked, %s with differences", t.num(len(r.Samples)), t.num(bad)))

	fmt.Fprintln(w)
	fmt.Fprintln(w, l.F("Problemas de calidad abiertos: %s críticos, %s advertencias, %s informativos",
		"Open quality issues: %s critical, %s warnings, %s info",
		t.num(r.IssuesBySev["critical"]), t.num(r.IssuesBySev["warning"]), t.num(r.IssuesBySev["info"])))
}

// sampleSize is the most rows the spot check read of one type.
func sampleSize(r reconcile.Result) int {
	per := map[string]int{}
	max := 0
	for _, s := range r.Samples {
		per[s.Type]++
		if per[s.Type] > max {
			max = per[s.Type]
		}
	}
	return max
}

// logins lists Pet-Friendly's own accounts: listed, never counted silently.
func (t textReport) logins(logins []reconcile.Login) {
	l, w := t.l, t.w
	if len(logins) == 0 {
		return
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, l.F("Cuentas de Pet-Friendly sin perfil de propietario: %s", "Pet-Friendly accounts without an owner profile: %s",
		t.num(len(logins))))
	for _, a := range logins {
		kind := l.F("rol %s", "role %s", a.Role)
		switch {
		case a.IsSuperuser:
			kind = l.S("superusuario", "superuser")
		case a.IsStaff:
			kind = l.S("personal (is_staff)", "staff (is_staff)")
		}
		fmt.Fprintf(w, "  #%d %s: %s\n", a.ID, a.Email, kind)
	}
}

// closing writes the checklist, the verdict and the approval to sign.
func (t textReport) closing(r reconcile.Result) {
	l, w := t.l, t.w
	fmt.Fprintln(w)
	fmt.Fprintln(w, l.S("Lista de verificación:", "Checklist:"))
	for _, item := range Checklist(r) {
		mark := "❌"
		if item.OK {
			mark = "✅"
		}
		fmt.Fprintf(w, "  %s %s\n", mark, CheckLabel(l, item.Code))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, words.VerdictOf(l, approval.Verdict(r.OK, r.SignoffReady)).Result)
	fmt.Fprintln(w)
	fmt.Fprintln(w, l.S("Aprobación", "Approval"))
	for _, label := range []string{l.S("Datos verificados por", "Data verified by"), l.S("Cargo", "Role"), l.S("Fecha", "Date"), l.S("Firma", "Signature")} {
		fmt.Fprintf(w, "  %-24s ______________________________\n", label+":")
	}
}

// explanationNotes points each difference between source and destination
// counts to the issue types that explain it.
func (t textReport) explanationNotes(r reconcile.Result) []string {
	l := t.l
	var totalMerged, totalRejected, totalOrphaned, totalSkipped int
	rejectedBy := map[string]int{}
	for _, tc := range r.Types {
		totalMerged += tc.Merged
		totalRejected += tc.Rejected
		totalOrphaned += tc.Orphaned
		totalSkipped += tc.Skipped
		for k, n := range tc.RejectedBy {
			rejectedBy[k] += n
		}
	}
	var notes []string
	if totalMerged > 0 {
		notes = append(notes, l.F("%s duplicados fusionados con su registro sobreviviente (duplicate_merged)",
			"%s duplicates merged into their surviving record (duplicate_merged)", t.num(totalMerged)))
	}
	if by := rowBreakdown(l, rejectedBy); totalRejected > 0 && by != "" {
		notes = append(notes, l.F("%s filas rechazadas por validación (%s)", "%s rows rejected by validation (%s)",
			t.num(totalRejected), by))
	} else if totalRejected > 0 {
		// A run stored before rows were counted per reason: issues per type.
		notes = append(notes, l.F("%s filas rechazadas por validación (%s)", "%s rows rejected by validation (%s)",
			t.num(totalRejected), t.rejectionIssues(r)))
	}
	if totalOrphaned > 0 {
		notes = append(notes, l.F("%s registros huérfanos: su propietario, mascota o factura no está en el destino (orphaned_record)",
			"%s orphaned rows: their owner, pet or invoice is not in the destination (orphaned_record)", t.num(totalOrphaned)))
	}
	if totalSkipped > 0 {
		notes = append(notes, l.F("%s filas omitidas (eliminadas en OkVet u otras razones registradas)",
			"%s rows skipped (deleted in OkVet or other recorded reasons)", t.num(totalSkipped)))
	}
	return notes
}

// rejectionIssues lists the critical issues of a run stored before
// rejected rows were counted per reason, "invalid_date 4, missing_required 2",
// by issue type.
func (t textReport) rejectionIssues(r reconcile.Result) string {
	byType := map[string]int{}
	for _, ic := range r.IssuesByType {
		if ic.Severity == "critical" && ic.Type != issueMerged && ic.Type != issueOrphaned {
			byType[ic.Type] += ic.Open + ic.Resolved
		}
	}
	keys := make([]string, 0, len(byType))
	for k := range byType {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %s", k, t.num(byType[k])))
	}
	return strings.Join(parts, ", ")
}

// columnUse lists, per source file, where its columns went: how many
// feed a field, and each one that does not, by name; and a workbook's
// sheets that were not read.
func (t textReport) columnUse(sources []reconcile.SourceFile) {
	l, w := t.l, t.w
	header := false
	for _, s := range sources {
		if len(s.Columns) == 0 && len(s.Sheets) == 0 {
			continue
		}
		if !header {
			fmt.Fprintln(w)
			fmt.Fprintln(w, l.S("Columnas por archivo:", "Columns per file:"))
			header = true
		}
		mapped := 0
		for _, c := range s.Columns {
			if c.Status == source.ColumnMapped {
				mapped++
			}
		}
		fmt.Fprintln(w, l.F("  %s (%s): %s de %s columnas asignadas a un campo", "  %s (%s): %s of %s columns mapped to a field",
			filepath.Base(s.Path), typeLabel(l, s.Type), t.num(mapped), t.num(len(s.Columns))))
		for _, c := range s.Columns {
			if c.Status == source.ColumnMapped {
				continue
			}
			where := ""
			if c.Sheet != "" && len(s.Sheets) > 1 {
				where = l.F(" [hoja %q]", " [sheet %q]", c.Sheet)
			}
			fmt.Fprintf(w, "    %s%s: %s\n", ColumnHeader(l, c), where, ColumnLabel(l, c))
		}
		for _, sh := range s.Sheets {
			if sh.Status != source.SheetRead {
				fmt.Fprintln(w, l.F("    hoja %q: %s", "    sheet %q: %s", sh.Name, SheetLabel(l, sh)))
			}
		}
	}
}
