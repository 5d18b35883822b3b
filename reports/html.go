package reports

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strconv"
	"time"

	"github.com/petfriendly/recon/internal/approval"
	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/internal/words"
	"github.com/petfriendly/recon/reconcile"
	"github.com/petfriendly/recon/source"
	"github.com/petfriendly/recon/templates"
)

// HTMLOptions set how a report reads; the zero value is a Spanish report
// that uses the clinic name stored with the run.
type HTMLOptions struct {
	Lang     i18n.Lang
	Clinic   string           // overrides Result.Clinic when set
	Now      func() time.Time // when the report is generated; nil leaves the line out
	Location *time.Location   // time zone for dates; nil keeps each time's own
	Charts   Charts           // the library to inline; without one each chart is a notice
	Signoff  *approval.Status // the latest recorded digital sign-off; nil leaves the line out
}

// maxTableRows caps the long lists so a report of a bad rehearsal still
// opens quickly; the JSON output keeps every row.
const maxTableRows = 500

// HTML writes the verification report as one self-contained HTML file:
// ECharts (opts.Charts) is inlined, so it opens with no network, and every
// table is plain HTML, readable with JavaScript off. Without the library
// the page says, where each chart would be, that the table holds its data.
func HTML(w io.Writer, r reconcile.Result, opts HTMLOptions) error {
	v := buildReportView(r, opts)
	v.ECharts = template.JS(opts.Charts.js) // checked by NewCharts; never user data
	return execute(w, "report.html", v)
}

// execute renders one page template into memory first, so a template error
// never leaves half a report behind on w.
func execute(w io.Writer, name string, data any) error {
	t, err := template.New(name).Option("missingkey=error").ParseFS(templates.FS(), templates.Pattern)
	if err != nil {
		return fmt.Errorf("parse report templates: %w", err)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

type countRow struct {
	Type, Label                                        string
	Source, Imported, Merged, Rejected, Orphaned       string
	Skipped, Destination, Unexplained, FieldMismatches string
	Table, NotFromMigration, Vanished                  string
	Note                                               bool // destination differs from source: see the notes
	Bad                                                bool // unexplained rows or field differences
}

func makeCountRow(l i18n.Lang, name, label string, c reconcile.TypeCounts, note bool) countRow {
	return countRow{
		Type: name, Label: label,
		Source: num(l, c.SourceRows), Imported: num(l, c.Imported), Merged: num(l, c.Merged),
		Rejected: num(l, c.Rejected), Orphaned: num(l, c.Orphaned), Skipped: num(l, c.Skipped),
		Destination: num(l, c.DestinationRows), Unexplained: num(l, c.Unexplained),
		FieldMismatches: num(l, c.FieldMismatches),
		Table:           num(l, c.TableRows), NotFromMigration: num(l, c.NotFromMigration), Vanished: num(l, c.Vanished),
		Note: note, Bad: c.Unexplained > 0 || c.FieldMismatches > 0 || c.NotFromMigration > 0 || c.Vanished > 0,
	}
}

type sevCard struct{ Sev, Label, Open string }

type issueRow struct{ Sev, SevLabel, Type, Open, Resolved string }

type chainRow struct {
	Check      string
	OK         bool
	Violations string
	Examples   []string
}

type fieldRow struct {
	Field, Raw, Normalised, Destination string
	Match                               bool
}

type sampleView struct {
	Type, SourceID string
	Match          bool
	Fields         []fieldRow
}

type mismatchRow struct{ Type, SourceID, Field, Source, Destination string }

type unexplainedRow struct{ Type, SourceID, Reason string }

type findingRow struct {
	Code, Text string
	Blocks     bool
}

type missingRow struct {
	Type, Field, Rows string
	Examples          []string
}

type correctionRow struct{ Type, SourceID, Field, Old, New, By, At, Reason string }

type resolutionRow struct{ Sev, By, Resolution, Issues string }

type resolvedRow struct{ Type, SourceID, Issue, Field, By, At, Resolution string }

type sourceRow struct {
	Type, Path, SHA256, Batch, Status string
	OK                                bool
	Columns                           []columnRow
	Sheets                            []columnRow
}

// columnRow is one source column (or workbook sheet) and where it went.
type columnRow struct {
	Name, Where string
	OK          bool
}

type reportView struct {
	Lang        string
	T           map[string]string
	Clinic      string
	RunAt       string
	Generated   string
	Operator    string
	RunID       string
	Fingerprint string
	Verdict     string
	Tone        string
	Checklist   []checkItem

	Counts []countRow
	Total  countRow
	Notes  []string

	CountsChart, OutcomesChart, IssuesChart chartView
	ChartData                               []chartData

	Severities []sevCard
	Issues     []issueRow
	IssueSevs  []sevCard // filter choices

	Chains        []chainRow
	SampleSummary string
	Samples       []sampleView

	Mismatches         []mismatchRow
	MismatchesMore     string
	Unexplained        []unexplainedRow
	UnexplainedMore    string
	Findings           []findingRow
	FindingsMore       string
	Deltas             []string
	ContentFingerprint string
	Signoff            string // SignoffLine, or "" without a recorded sign-off
	SignoffOK          bool
	Missing            []missingRow

	AttachChecked, AttachMissing, AttachCorrupt string
	AttachOK                                    bool
	AttachExamples                              []string

	Corrections     []correctionRow
	CorrectionsMore string
	// Who resolved quality issues and how; the resolved critical ones,
	// folded.
	Resolutions           []resolutionRow
	ResolvedCritical      []resolvedRow
	ResolvedCriticalTitle string
	ResolvedCriticalMore  string
	Sources               []sourceRow

	ECharts template.JS
}

func moreRows(l i18n.Lang, total int) string {
	if total <= maxTableRows {
		return ""
	}
	return l.F("… y %s filas más: vea el JSON de la verificación.", "… and %s more rows: see the verification JSON.",
		num(l, total-maxTableRows))
}

func buildReportView(r reconcile.Result, o HTMLOptions) reportView {
	l := o.Lang
	if l == "" {
		l = i18n.ES
	}
	text, tone := verdict(l, r)
	v := reportView{
		Lang:               string(l),
		T:                  reportTexts(l),
		Clinic:             clinicName(l, o.Clinic, r),
		RunAt:              fmtTime(l, r.GeneratedAt, o.Location),
		Operator:           orDash(r.Operator),
		RunID:              "#" + strconv.FormatInt(r.RunID, 10),
		Fingerprint:        orDash(r.Fingerprint),
		Verdict:            text,
		Tone:               tone,
		Checklist:          checklist(l, r),
		ContentFingerprint: orDash(r.ContentFingerprint),
	}
	if r.RunID == 0 {
		v.RunID = l.S("sin guardar", "not stored")
	}
	if o.Signoff != nil {
		v.Signoff, v.SignoffOK = SignoffLine(l, *o.Signoff, o.Location), o.Signoff.Unchanged
	}
	if o.Now != nil {
		v.Generated = fmtTime(l, o.Now(), o.Location)
	}

	names := typeOrder(r.Types)
	noted := map[string]bool{}
	for _, n := range differenceNotes(l, r) {
		noted[n.Type] = true
		v.Notes = append(v.Notes, n.Text)
	}
	for _, n := range names {
		v.Counts = append(v.Counts, makeCountRow(l, n, typeLabel(l, n), r.Types[n], noted[n]))
	}
	v.Total = makeCountRow(l, "", l.S("Total", "Total"), totals(r.Types), false)

	issues := sortedIssues(r.IssuesByType)
	v.CountsChart = countsChart(l, r, names)
	v.OutcomesChart = outcomesChart(l, r, names)
	v.IssuesChart = issuesChart(l, issues)
	v.ChartData = placeCharts(l, o.Charts, &v.CountsChart, &v.OutcomesChart, &v.IssuesChart)

	seen := map[string]bool{}
	for s := range r.IssuesBySev {
		seen[s] = true
	}
	for _, ic := range issues {
		seen[ic.Severity] = true
	}
	for _, s := range severities(seen) {
		card := sevCard{Sev: s, Label: words.Severity(l, s), Open: num(l, r.IssuesBySev[s])}
		v.Severities = append(v.Severities, card)
		if seen[s] {
			v.IssueSevs = append(v.IssueSevs, card)
		}
	}
	for _, ic := range issues {
		v.Issues = append(v.Issues, issueRow{Sev: ic.Severity, SevLabel: words.Severity(l, ic.Severity), Type: ic.Type,
			Open: num(l, ic.Open), Resolved: num(l, ic.Resolved)})
	}

	for _, c := range r.Chains {
		v.Chains = append(v.Chains, chainRow{Check: ChainLabel(l, c.Check), OK: c.OK, Violations: num(l, c.Violations), Examples: c.Examples})
	}

	bad := 0
	for _, s := range r.Samples {
		sv := sampleView{Type: typeLabel(l, s.Type), SourceID: s.SourceID, Match: s.Match}
		for _, f := range s.Fields {
			sv.Fields = append(sv.Fields, fieldRow{Field: f.Field, Raw: f.Raw, Normalised: f.Normalised, Destination: f.Destination, Match: f.Match})
		}
		if !s.Match {
			bad++
		}
		v.Samples = append(v.Samples, sv)
	}
	v.SampleSummary = l.F("%s filas revisadas (semilla %d), %s con diferencias.", "%s rows checked (seed %d), %s with differences.",
		num(l, len(r.Samples)), r.SampleSeed, num(l, bad))

	for i, m := range r.Mismatches {
		if i == maxTableRows {
			break
		}
		v.Mismatches = append(v.Mismatches, mismatchRow{typeLabel(l, m.Type), m.SourceID, m.Field, m.Source, m.Destination})
	}
	v.MismatchesMore = moreRows(l, len(r.Mismatches))
	for i, u := range r.Unexplained {
		if i == maxTableRows {
			break
		}
		v.Unexplained = append(v.Unexplained, unexplainedRow{typeLabel(l, u.Type), u.SourceID, ReasonLabel(l, u.Reason)})
	}
	v.UnexplainedMore = moreRows(l, len(r.Unexplained))
	for i, f := range r.Findings {
		if i == maxTableRows {
			break
		}
		v.Findings = append(v.Findings, findingRow{f.Code, FindingText(l, f), f.Blocks})
	}
	v.FindingsMore = moreRows(l, len(r.Findings))
	v.Deltas = deltaLines(l, r)
	for _, m := range r.Missing {
		v.Missing = append(v.Missing, missingRow{typeLabel(l, m.Type), m.Field, num(l, m.Rows), m.Examples})
	}

	a := r.Attachments
	v.AttachChecked, v.AttachMissing, v.AttachCorrupt = num(l, a.Checked), num(l, a.Missing), num(l, a.Corrupt)
	v.AttachOK = a.Missing+a.Corrupt == 0
	v.AttachExamples = a.Examples

	for i, c := range r.Corrections {
		if i == maxTableRows {
			break
		}
		v.Corrections = append(v.Corrections, correctionRow{typeLabel(l, c.Type), c.SourceID, c.Field, c.Old, c.New,
			orDash(c.By), fmtShortTime(c.At, o.Location), c.Reason})
	}
	v.CorrectionsMore = moreRows(l, len(r.Corrections))
	res := append([]reconcile.ResolutionCount(nil), r.Resolutions...)
	sort.SliceStable(res, func(i, j int) bool { return sevRank(res[i].Severity) < sevRank(res[j].Severity) })
	for _, rc := range res {
		v.Resolutions = append(v.Resolutions, resolutionRow{words.Severity(l, rc.Severity), orDash(rc.By), orDash(rc.Resolution), num(l, rc.Issues)})
	}
	for i, ri := range r.ResolvedCritical {
		if i == maxTableRows {
			break
		}
		v.ResolvedCritical = append(v.ResolvedCritical, resolvedRow{typeLabel(l, ri.RecordType), orDash(ri.SourceID), ri.IssueType,
			orDash(ri.Field), orDash(ri.By), fmtShortTime(ri.At, o.Location), orDash(ri.Resolution)})
	}
	v.ResolvedCriticalTitle = l.F("Los %s problemas críticos resueltos, uno por uno", "The %s resolved critical issues, one by one",
		num(l, len(r.ResolvedCritical)))
	v.ResolvedCriticalMore = moreRows(l, len(r.ResolvedCritical))
	for _, s := range r.Sources {
		batch := "—"
		if s.BatchID != 0 {
			batch = "#" + strconv.FormatInt(s.BatchID, 10)
		}
		row := sourceRow{Type: typeLabel(l, s.Type), Path: s.Path, SHA256: s.SHA256, Batch: batch, Status: sourceStatus(l, s.Status), OK: s.Status == "ok"}
		for _, c := range s.Columns {
			name := ColumnHeader(l, c)
			if c.Sheet != "" && len(s.Sheets) > 1 {
				name = c.Sheet + " · " + name
			}
			row.Columns = append(row.Columns, columnRow{name, ColumnLabel(l, c), !c.Unaccounted()})
		}
		for _, sh := range s.Sheets {
			row.Sheets = append(row.Sheets, columnRow{sh.Name, SheetLabel(l, sh), sh.Status == source.SheetRead || sh.Status == source.SheetOtherType})
		}
		v.Sources = append(v.Sources, row)
	}
	return v
}

// reportTexts are the fixed words of the report page.
func reportTexts(l i18n.Lang) map[string]string {
	t := commonTexts(l)
	add := func(k, es, en string) { t[k] = l.S(es, en) }
	add("title", "Informe de verificación de migración", "Migration verification report")
	add("run_at", "Fecha de verificación", "Verified on")
	add("generated", "Informe generado", "Report generated")
	add("operator", "Operador", "Operator")
	add("run", "Ejecución", "Run")
	add("verdict", "Resultado", "Result")
	add("sec_checklist", "Lista de verificación", "Checklist")
	add("content_fingerprint", "Huella del contenido", "Content fingerprint")
	add("signoff", "Aprobación firmada", "Signed approval")
	add("sec_findings", "Hallazgos de la contabilidad de ambos lados", "Findings of the two-sided accounting")
	add("findings_intro", "Origen: cada fila de cada archivo con su registro. Destino: cada fila de cada tabla con su correspondencia, o señalada.",
		"Source: every row of every file with its record. Destination: every row of every table with its mapping, or flagged.")
	add("findings_none", "Ningún hallazgo: ambos lados cuadran.", "No findings: both sides account.")
	add("delta_title", "Cambios en OkVet desde la importación", "Changes in OkVet since the import")
	add("col_table", "En la tabla", "In table")
	add("col_not_migration", "No de la migración", "Not from migration")
	add("col_vanished", "Desaparecidas del origen", "Vanished from source")
	add("sec_counts", "Conteos por tipo", "Counts per type")
	add("counts_intro", "Cada fila de origen termina importada, fusionada con un duplicado, rechazada, huérfana u omitida; ninguna debe quedar sin explicar.",
		"Every source row ends imported, merged into a duplicate, rejected, orphaned or skipped; none may stay unexplained.")
	add("col_imported", "Importadas", "Imported")
	add("col_merged", "Fusionadas", "Merged")
	add("col_rejected", "Rechazadas", "Rejected")
	add("col_orphaned", "Huérfanas", "Orphaned")
	add("col_skipped", "Omitidas", "Skipped")
	add("col_unexplained", "Sin explicar", "Unexplained")
	add("col_mismatches", "Diferencias de campo", "Field differences")
	add("notes_title", "Por qué el destino tiene otra cantidad de filas", "Why the destination holds a different number of rows")
	add("sec_outcomes", "Resultado por tipo", "Outcome per type")
	add("sec_issues", "Problemas de calidad", "Quality issues")
	add("open_issues", "abiertos", "open")
	add("col_severity", "Gravedad", "Severity")
	add("col_issue", "Tipo de problema", "Issue type")
	add("col_open", "Abiertos", "Open")
	add("col_resolved", "Resueltos", "Resolved")
	add("filter_all", "Todas", "All")
	add("filter_type", "Buscar tipo de problema", "Search issue type")
	add("filter_none", "Ningún problema coincide con el filtro.", "No issue matches the filter.")
	add("sec_chains", "Cadenas de referencias", "Reference chains")
	add("col_check", "Comprobación", "Check")
	add("col_intact", "Íntegra", "Intact")
	add("col_violations", "Casos", "Cases")
	add("col_examples", "Ejemplos", "Examples")
	add("sec_samples", "Muestra aleatoria, campo por campo", "Spot check, field by field")
	add("col_field", "Campo", "Field")
	add("col_raw", "Texto en OkVet", "Text in OkVet")
	add("col_normalised", "Normalizado", "Normalised")
	add("col_in_dest", "En Pet-Friendly", "In Pet-Friendly")
	add("col_match", "Coincide", "Match")
	add("sample_ok", "coincide", "matches")
	add("sample_bad", "con diferencias", "differs")
	add("sec_mismatches", "Diferencias de campo", "Field differences")
	add("col_id", "ID en OkVet", "OkVet id")
	add("col_source_value", "Valor en origen", "Source value")
	add("col_dest_value", "Valor en destino", "Destination value")
	add("sec_unexplained", "Filas sin explicar", "Unexplained rows")
	add("col_reason", "Motivo", "Reason")
	add("sec_missing", "Campos perdidos", "Missing fields")
	add("missing_intro", "Filas donde OkVet tenía un valor y Pet-Friendly no tiene ninguno.",
		"Rows where OkVet had a value and Pet-Friendly has none.")
	add("col_rows", "Filas", "Rows")
	add("sec_attachments", "Adjuntos", "Attachments")
	add("attach_checked", "Revisados", "Checked")
	add("attach_missing", "Faltantes", "Missing")
	add("attach_corrupt", "Alterados (SHA-256 distinto)", "Altered (different SHA-256)")
	add("sec_corrections", "Correcciones manuales", "Manual corrections")
	add("col_old", "Antes", "Before")
	add("col_new", "Después", "After")
	add("col_by", "Por", "By")
	add("col_at", "Fecha", "Date")
	add("resolutions_title", "Cómo se resolvieron", "How they were resolved")
	add("col_resolved_by", "Resuelto por", "Resolved by")
	add("col_resolution", "Resolución", "Resolution")
	add("col_issues", "Problemas", "Issues")
	add("sec_sources", "Archivos de origen", "Source files")
	add("col_path", "Archivo", "File")
	add("col_batch", "Lote", "Batch")
	add("col_status", "Estado", "Status")
	add("none_mismatches", "Ninguna: cada campo comparado coincide.", "None: every compared field matches.")
	add("none_unexplained", "Ninguna: cada fila de origen tiene un resultado registrado.", "None: every source row has a recorded outcome.")
	add("none_missing", "Ninguno.", "None.")
	add("none_issues", "No hay problemas de calidad registrados.", "No quality issues were recorded.")
	add("none_chains", "No se comprobaron cadenas.", "No chains were checked.")
	add("none_samples", "No se tomó muestra.", "No spot check was taken.")
	add("none_corrections", "Ninguna corrección manual.", "No manual corrections.")
	add("col_columns", "Columnas y hojas", "Columns and sheets")
	add("col_column", "Columna", "Column")
	add("col_where", "Destino", "Goes to")
	add("col_sheet", "Hoja", "Sheet")
	add("none_sources", "No hay archivos de origen registrados.", "No source files were recorded.")
	return t
}

// commonTexts are shared by the report and the comparison pages.
func commonTexts(l i18n.Lang) map[string]string {
	t := map[string]string{}
	add := func(k, es, en string) { t[k] = l.S(es, en) }
	add("clinic", "Clínica", "Clinic")
	add("source", "Origen", "Source")
	add("destination", "Destino", "Destination")
	add("source_system", sourceSystem, sourceSystem)
	add("dest_system", destSystem, destSystem)
	add("fingerprint", "Huella (SHA-256)", "Fingerprint (SHA-256)")
	add("col_type", "Tipo", "Type")
	add("col_source", "Origen", "Source")
	add("col_dest", "Destino", "Destination")
	add("yes", "sí", "yes")
	add("no", "no", "no")
	add("contents", "Contenido", "Contents")
	add("thousands", ".", ",")
	add("noscript", "Los gráficos necesitan JavaScript; las tablas contienen todos los datos.",
		"Charts need JavaScript; the tables hold all the data.")
	add("footer", "Generado por recon. Este archivo es autónomo: funciona sin conexión a internet.",
		"Generated by recon. This file is self-contained: it works with no internet connection.")
	return t
}
