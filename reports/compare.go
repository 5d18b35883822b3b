package reports

import (
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/internal/words"
	"github.com/petfriendly/recon/reconcile"
)

// RunInfo is one run to compare: a stored run or a verify JSON file.
type RunInfo struct {
	Label  string // how the comparison names the run, e.g. "#7" or "ensayo1.json"
	Result reconcile.Result
}

// Comparison tells whether a rehearsal went better than the one before.
// Its JSON form is what `recon compare --json` writes.
type Comparison struct {
	Runs  []RunSummary `json:"runs"`  // oldest first
	Types []TypeTrend  `json:"types"` // report order
	Steps []Step       `json:"steps"` // one per pair of consecutive runs
}

// RunSummary is what the comparison keeps of one run.
type RunSummary struct {
	Label        string               `json:"label"`
	RunID        int64                `json:"run_id"`
	GeneratedAt  time.Time            `json:"generated_at"`
	Operator     string               `json:"operator"`
	Clinic       string               `json:"clinic"`
	OK           bool                 `json:"ok"`
	SignoffReady bool                 `json:"signoff_ready"`
	Fingerprint  string               `json:"fingerprint"`
	Totals       reconcile.TypeCounts `json:"totals"`
	OpenIssues   map[string]int       `json:"open_issues"` // by severity
	Metrics      map[string]int       `json:"metrics"`     // problem counts, see problemMetrics
	// Durations of the run's import and verification (nil for runs stored
	// before they were kept).
	Durations *reconcile.Durations `json:"durations,omitempty"`
}

// TypeTrend holds one type's counts in every run, in run order.
type TypeTrend struct {
	Type   string                 `json:"type"`
	Counts []reconcile.TypeCounts `json:"counts"`
}

// Step compares two consecutive runs.
type Step struct {
	From            string `json:"from"`
	To              string `json:"to"`
	Verdict         string `json:"verdict"` // better, worse, mixed or same
	SameFingerprint bool   `json:"same_fingerprint"`
	// ContentChanged lists the tables whose content fingerprint differs
	// between the two runs (nil when either run has none).
	ContentChanged []string      `json:"content_changed"`
	SameContent    bool          `json:"same_content"`
	Improved       []string      `json:"improved"` // metric keys that went down
	Worsened       []string      `json:"worsened"` // metric keys that went up
	Issues         []IssueChange `json:"issues"`
	Rows           []RowChange   `json:"rows"`
	// Outcomes are the per-type outcome counts that changed (459 orphans
	// imported once an owner existed shows as orphaned −459, imported +459).
	Outcomes []OutcomeChange `json:"outcomes"`
	// Corrections are the manual corrections the later run lists and the
	// earlier did not: what an operator changed between the two.
	Corrections []reconcile.Correction `json:"corrections"`
}

// OutcomeChange is one type's count of one outcome in two runs.
type OutcomeChange struct {
	Type    string `json:"type"`
	Outcome string `json:"outcome"` // imported, merged_duplicates, rejected, orphaned, skipped, unexplained
	Before  int    `json:"before"`
	After   int    `json:"after"`
}

// IssueChange is the change in open issues of one severity and type.
type IssueChange struct {
	Severity   string `json:"severity"`
	Type       string `json:"issue_type"`
	OpenBefore int    `json:"open_before"`
	OpenAfter  int    `json:"open_after"`
	Opened     int    `json:"opened"`   // more open issues than before
	Resolved   int    `json:"resolved"` // fewer open issues than before
	// ResolvedBetween is how many more issues of the kind were resolved
	// in the later run than in the earlier: resolutions made between them.
	ResolvedBetween int `json:"resolved_between"`
}

// RowChange is a source row whose outcome changed: it was unexplained or
// had a field difference in one run and not in the other.
type RowChange struct {
	Type     string `json:"type"`
	SourceID string `json:"source_id"`
	Kind     string `json:"kind"`   // unexplained or mismatch
	Detail   string `json:"detail"` // the reason, or the field that differs
	Change   string `json:"change"` // fixed (gone in the later run) or new
}

// Step verdicts and row changes.
const (
	VerdictBetter = "better"
	VerdictWorse  = "worse"
	VerdictMixed  = "mixed"
	VerdictSame   = "same"

	ChangeFixed = "fixed"
	ChangeNew   = "new"

	KindUnexplained = "unexplained"
	KindMismatch    = "mismatch"
)

// problemMetrics are the counts that should fall to zero before sign-off,
// in display order; lower is better for each.
func problemMetrics() []string {
	return []string{"unexplained", "field_mismatches", "open_critical", "broken_chains", "attachment_problems", "source_problems"}
}

func metricLabel(l i18n.Lang, key string) string {
	switch key {
	case "unexplained":
		return l.S("filas sin explicar", "unexplained rows")
	case "field_mismatches":
		return l.S("diferencias de campo", "field differences")
	case "open_critical":
		return l.S("problemas críticos abiertos", "open critical issues")
	case "broken_chains":
		return l.S("cadenas rotas", "broken chains")
	case "attachment_problems":
		return l.S("adjuntos faltantes o alterados", "missing or altered attachments")
	case "source_problems":
		return l.S("archivos de origen faltantes o cambiados", "missing or changed source files")
	}
	return key
}

func summarise(ri RunInfo) RunSummary {
	r := ri.Result
	t := totals(r.Types)
	broken := 0
	for _, c := range r.Chains {
		if !c.OK {
			broken++
		}
	}
	sources := 0
	for _, s := range r.Sources {
		if s.Status != "ok" {
			sources++
		}
	}
	open := map[string]int{}
	for s, n := range r.IssuesBySev {
		open[s] = n
	}
	return RunSummary{
		Label: ri.Label, RunID: r.RunID, GeneratedAt: r.GeneratedAt, Operator: r.Operator, Clinic: r.Clinic,
		OK: r.OK, SignoffReady: r.SignoffReady, Fingerprint: r.Fingerprint, Totals: t, OpenIssues: open,
		Durations: r.Durations,
		Metrics: map[string]int{
			"unexplained":         t.Unexplained,
			"field_mismatches":    t.FieldMismatches,
			"open_critical":       r.IssuesBySev["critical"],
			"broken_chains":       broken,
			"attachment_problems": r.Attachments.Missing + r.Attachments.Corrupt,
			"source_problems":     sources,
		},
	}
}

// Compare lines runs up by date, oldest first, and says for each pair of
// consecutive runs what got better and what got worse.
func Compare(runs []RunInfo) Comparison {
	runs = append([]RunInfo(nil), runs...)
	sort.SliceStable(runs, func(i, j int) bool { return runs[i].Result.GeneratedAt.Before(runs[j].Result.GeneratedAt) })

	c := Comparison{Runs: []RunSummary{}, Types: []TypeTrend{}, Steps: []Step{}}
	all := map[string]reconcile.TypeCounts{}
	for _, ri := range runs {
		c.Runs = append(c.Runs, summarise(ri))
		for n := range ri.Result.Types {
			all[n] = reconcile.TypeCounts{}
		}
	}
	for _, n := range typeOrder(all) {
		if len(runs) == 0 {
			break
		}
		tt := TypeTrend{Type: n, Counts: []reconcile.TypeCounts{}}
		for _, ri := range runs {
			tt.Counts = append(tt.Counts, ri.Result.Types[n])
		}
		c.Types = append(c.Types, tt)
	}
	for i := 1; i < len(runs); i++ {
		c.Steps = append(c.Steps, compareStep(runs[i-1], runs[i], c.Runs[i-1], c.Runs[i]))
	}
	return c
}

func compareStep(a, b RunInfo, sa, sb RunSummary) Step {
	s := Step{
		From: a.Label, To: b.Label,
		SameFingerprint: a.Result.Fingerprint != "" && a.Result.Fingerprint == b.Result.Fingerprint,
		Improved:        []string{}, Worsened: []string{},
		Issues:      issueChanges(a.Result.IssuesByType, b.Result.IssuesByType),
		Rows:        rowChanges(a.Result, b.Result),
		Outcomes:    outcomeChanges(a.Result, b.Result),
		Corrections: newCorrections(a.Result, b.Result),
	}
	s.ContentChanged, s.SameContent = contentChanges(a.Result, b.Result)
	for _, k := range problemMetrics() {
		switch {
		case sb.Metrics[k] < sa.Metrics[k]:
			s.Improved = append(s.Improved, k)
		case sb.Metrics[k] > sa.Metrics[k]:
			s.Worsened = append(s.Worsened, k)
		}
	}
	switch {
	case len(s.Improved) > 0 && len(s.Worsened) == 0:
		s.Verdict = VerdictBetter
	case len(s.Worsened) > 0 && len(s.Improved) == 0:
		s.Verdict = VerdictWorse
	case len(s.Worsened) > 0:
		s.Verdict = VerdictMixed
	default:
		s.Verdict = VerdictSame
	}
	return s
}

// contentChanges names the tables whose content changed between two runs.
func contentChanges(a, b reconcile.Result) ([]string, bool) {
	if a.ContentFingerprint == "" || b.ContentFingerprint == "" {
		return nil, false
	}
	before := map[string]string{}
	for _, t := range a.Tables {
		before[t.Table] = t.SHA256
	}
	changed := []string{}
	for _, t := range b.Tables {
		if before[t.Table] != t.SHA256 {
			changed = append(changed, t.Table)
		}
	}
	return changed, a.ContentFingerprint == b.ContentFingerprint
}

// outcomeNames are the outcomes of a source row compared between runs.
func outcomeNames() []string {
	return []string{"imported", "merged_duplicates", "rejected", "orphaned", "skipped", "unexplained"}
}

func outcomeCount(c reconcile.TypeCounts, outcome string) int {
	switch outcome {
	case "imported":
		return c.Imported
	case "merged_duplicates":
		return c.Merged
	case "rejected":
		return c.Rejected
	case "orphaned":
		return c.Orphaned
	case "skipped":
		return c.Skipped
	case "unexplained":
		return c.Unexplained
	}
	return 0
}

// outcomeChanges lists, in report order, every type's outcome whose count
// differs between two runs.
func outcomeChanges(a, b reconcile.Result) []OutcomeChange {
	all := map[string]reconcile.TypeCounts{}
	for n := range a.Types {
		all[n] = reconcile.TypeCounts{}
	}
	for n := range b.Types {
		all[n] = reconcile.TypeCounts{}
	}
	out := []OutcomeChange{}
	for _, n := range typeOrder(all) {
		for _, o := range outcomeNames() {
			x, y := outcomeCount(a.Types[n], o), outcomeCount(b.Types[n], o)
			if x != y {
				out = append(out, OutcomeChange{Type: n, Outcome: o, Before: x, After: y})
			}
		}
	}
	return out
}

// newCorrections are the corrections of the later run the earlier did
// not list.
func newCorrections(a, b reconcile.Result) []reconcile.Correction {
	// Times read from JSON carry different *Location values: compare them
	// as instants.
	key := func(c reconcile.Correction) string {
		return strings.Join([]string{c.Type, c.SourceID, c.Field, c.Old, c.New, c.By, c.At.UTC().Format(time.RFC3339Nano), c.Reason}, "\x00")
	}
	seen := map[string]bool{}
	for _, c := range a.Corrections {
		seen[key(c)] = true
	}
	out := []reconcile.Correction{}
	for _, c := range b.Corrections {
		if !seen[key(c)] {
			out = append(out, c)
		}
	}
	return out
}

func issueChanges(before, after []reconcile.IssueCount) []IssueChange {
	type key struct{ sev, typ string }
	open := map[key][4]int{} // open before, open after, resolved before, resolved after
	for _, ic := range before {
		k := key{ic.Severity, ic.Type}
		v := open[k]
		v[0] += ic.Open
		v[2] += ic.Resolved
		open[k] = v
	}
	for _, ic := range after {
		k := key{ic.Severity, ic.Type}
		v := open[k]
		v[1] += ic.Open
		v[3] += ic.Resolved
		open[k] = v
	}
	out := []IssueChange{}
	for k, v := range open {
		if v[0] == v[1] && v[3] <= v[2] {
			continue
		}
		ch := IssueChange{Severity: k.sev, Type: k.typ, OpenBefore: v[0], OpenAfter: v[1]}
		if v[1] > v[0] {
			ch.Opened = v[1] - v[0]
		} else {
			ch.Resolved = v[0] - v[1]
		}
		if v[3] > v[2] {
			ch.ResolvedBetween = v[3] - v[2]
		}
		out = append(out, ch)
	}
	sort.Slice(out, func(i, j int) bool {
		if sevRank(out[i].Severity) != sevRank(out[j].Severity) {
			return sevRank(out[i].Severity) < sevRank(out[j].Severity)
		}
		if out[i].Severity != out[j].Severity {
			return out[i].Severity < out[j].Severity
		}
		return out[i].Type < out[j].Type
	})
	return out
}

// rowProblems indexes a run's problem rows by type, id, kind and detail.
func rowProblems(r reconcile.Result) map[RowChange]bool {
	m := map[RowChange]bool{}
	for _, u := range r.Unexplained {
		m[RowChange{Type: u.Type, SourceID: u.SourceID, Kind: KindUnexplained}] = true
	}
	for _, mm := range r.Mismatches {
		m[RowChange{Type: mm.Type, SourceID: mm.SourceID, Kind: KindMismatch, Detail: mm.Field}] = true
	}
	return m
}

func rowChanges(a, b reconcile.Result) []RowChange {
	before, after := rowProblems(a), rowProblems(b)
	reasons := map[RowChange]string{}
	for _, src := range []reconcile.Result{a, b} {
		for _, u := range src.Unexplained {
			reasons[RowChange{Type: u.Type, SourceID: u.SourceID, Kind: KindUnexplained}] = u.Reason
		}
	}
	out := []RowChange{}
	add := func(k RowChange, change string) {
		if k.Kind == KindUnexplained {
			k.Detail = reasons[k]
		}
		k.Change = change
		out = append(out, k)
	}
	for k := range before {
		if !after[k] {
			add(k, ChangeFixed)
		}
	}
	for k := range after {
		if !before[k] {
			add(k, ChangeNew)
		}
	}
	rank := map[string]int{}
	for i, n := range reconcile.TypeNames() {
		rank[n] = i + 1
	}
	sort.Slice(out, func(i, j int) bool {
		x, y := out[i], out[j]
		switch {
		case rank[x.Type] != rank[y.Type]:
			return rank[x.Type] < rank[y.Type]
		case x.Type != y.Type:
			return x.Type < y.Type
		case x.SourceID != y.SourceID:
			return x.SourceID < y.SourceID
		case x.Kind != y.Kind:
			return x.Kind < y.Kind
		case x.Detail != y.Detail:
			return x.Detail < y.Detail
		}
		return x.Change < y.Change
	})
	return out
}

// CompareJSON writes the comparison as indented JSON.
func CompareJSON(w io.Writer, c Comparison) error {
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return fmt.Errorf("encode comparison: %w", err)
	}
	if _, err := w.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("write comparison: %w", err)
	}
	return nil
}

// CompareHTML writes the comparison as one self-contained HTML page, with
// the same chart library, or notices without one, as HTML.
func CompareHTML(w io.Writer, c Comparison, opts HTMLOptions) error {
	v := buildCompareView(c, opts)
	v.ECharts = template.JS(opts.Charts.js) // checked by NewCharts; never user data
	return execute(w, "compare.html", v)
}

type runRow struct {
	Label, Date, Operator, Verdict, Tone, Fingerprint string
	ImportTime, VerifyTime                            string
	SameAsPrevious                                    bool
}

type outcomeRow struct {
	Type, Outcome, Before, After, Change string
	Better                               bool
}

type trendCell struct {
	Value string
	Bad   bool
}

type trendRow struct {
	Label string
	Cells []trendCell
}

type metricChange struct{ Label, Before, After string }

type issueChangeRow struct {
	Sev, SevLabel, Type, Before, After, Change string
	Opened                                     bool
}

type rowChangeRow struct {
	Type, SourceID, Kind, Detail, Change string
	Fixed                                bool
}

type stepView struct {
	From, To, Verdict, Tone string
	SameFingerprint         bool
	Content                 string
	Improved, Worsened      []metricChange
	Issues                  []issueChangeRow
	Rows                    []rowChangeRow
	RowsMore                string
	Outcomes                []outcomeRow
	Corrections             []correctionRow
}

type compareView struct {
	Lang      string
	T         map[string]string
	Clinic    string
	Generated string
	Signoff   string // the latest recorded sign-off (SignoffLine), or ""
	SignoffOK bool
	Runs      []runRow
	RunLabels []string
	Steps     []stepView

	Destination, Problems []trendRow
	ProblemTotals         []trendRow

	CountsChart, ProblemsChart chartView
	ChartData                  []chartData

	ECharts template.JS
}

func stepVerdict(l i18n.Lang, v string) (string, string) {
	switch v {
	case VerdictBetter:
		return l.S("Mejor que la anterior", "Better than the previous run"), "ok"
	case VerdictWorse:
		return l.S("Peor que la anterior", "Worse than the previous run"), "bad"
	case VerdictMixed:
		return l.S("Mejoras y retrocesos", "Some better, some worse"), "warn"
	}
	return l.S("Sin cambios en los problemas", "No change in problems"), "ok"
}

func buildCompareView(c Comparison, o HTMLOptions) compareView {
	l := o.Lang
	if l == "" {
		l = i18n.ES
	}
	v := compareView{Lang: string(l), T: compareTexts(l), Clinic: o.Clinic}
	if o.Signoff != nil {
		v.Signoff, v.SignoffOK = SignoffLine(l, *o.Signoff, o.Location), o.Signoff.Unchanged
	}
	for i := len(c.Runs) - 1; i >= 0 && v.Clinic == ""; i-- {
		v.Clinic = c.Runs[i].Clinic
	}
	if v.Clinic == "" {
		v.Clinic = l.S("Clínica veterinaria", "Veterinary clinic")
	}
	if o.Now != nil {
		v.Generated = fmtTime(l, o.Now(), o.Location)
	}
	for i, r := range c.Runs {
		text, tone := verdict(l, reconcile.Result{OK: r.OK, SignoffReady: r.SignoffReady})
		v.Runs = append(v.Runs, runRow{
			Label: r.Label, Date: fmtShortTime(r.GeneratedAt, o.Location), Operator: orDash(r.Operator),
			Verdict: text, Tone: tone, Fingerprint: orDash(r.Fingerprint),
			ImportTime: runDuration(l, r.Durations, true), VerifyTime: runDuration(l, r.Durations, false),
			SameAsPrevious: i > 0 && r.Fingerprint != "" && r.Fingerprint == c.Runs[i-1].Fingerprint,
		})
		v.RunLabels = append(v.RunLabels, r.Label)
	}
	for _, tt := range c.Types {
		d := trendRow{Label: typeLabel(l, tt.Type)}
		p := trendRow{Label: typeLabel(l, tt.Type)}
		for _, tc := range tt.Counts {
			d.Cells = append(d.Cells, trendCell{num(l, tc.DestinationRows) + " / " + num(l, tc.SourceRows), tc.Unexplained > 0})
			p.Cells = append(p.Cells, trendCell{num(l, tc.Unexplained) + " / " + num(l, tc.FieldMismatches), tc.Unexplained+tc.FieldMismatches > 0})
		}
		v.Destination = append(v.Destination, d)
		v.Problems = append(v.Problems, p)
	}
	for _, k := range problemMetrics() {
		row := trendRow{Label: metricLabel(l, k)}
		for _, r := range c.Runs {
			row.Cells = append(row.Cells, trendCell{num(l, r.Metrics[k]), r.Metrics[k] > 0})
		}
		v.ProblemTotals = append(v.ProblemTotals, row)
	}
	for i, s := range c.Steps {
		sv := stepView{From: s.From, To: s.To, SameFingerprint: s.SameFingerprint}
		switch {
		case s.SameContent:
			sv.Content = l.S("Mismo contenido en todas las tablas (huella del contenido idéntica).",
				"Same content in every table (identical content fingerprint).")
		case s.ContentChanged != nil:
			sv.Content = l.F("Contenido cambiado en: %s.", "Content changed in: %s.", strings.Join(s.ContentChanged, ", "))
		}
		sv.Verdict, sv.Tone = stepVerdict(l, s.Verdict)
		before, after := c.Runs[i], c.Runs[i+1]
		for _, k := range s.Improved {
			sv.Improved = append(sv.Improved, metricChange{metricLabel(l, k), num(l, before.Metrics[k]), num(l, after.Metrics[k])})
		}
		for _, k := range s.Worsened {
			sv.Worsened = append(sv.Worsened, metricChange{metricLabel(l, k), num(l, before.Metrics[k]), num(l, after.Metrics[k])})
		}
		for _, ic := range s.Issues {
			row := issueChangeRow{Sev: ic.Severity, SevLabel: words.Severity(l, ic.Severity), Type: ic.Type,
				Before: num(l, ic.OpenBefore), After: num(l, ic.OpenAfter), Opened: ic.Opened > 0}
			row.Change = issueChangeText(l, ic)
			sv.Issues = append(sv.Issues, row)
		}
		for j, rc := range s.Rows {
			if j == maxTableRows {
				break
			}
			row := rowChangeRow{Type: typeLabel(l, rc.Type), SourceID: rc.SourceID, Detail: rc.Detail, Fixed: rc.Change == ChangeFixed}
			row.Kind = l.S("sin explicar", "unexplained")
			if rc.Kind == KindMismatch {
				row.Kind = l.S("diferencia de campo", "field difference")
			}
			row.Change = l.S("nueva", "new")
			if row.Fixed {
				row.Change = l.S("corregida", "fixed")
			}
			sv.Rows = append(sv.Rows, row)
		}
		sv.RowsMore = moreRows(l, len(s.Rows))
		for _, oc := range s.Outcomes {
			sv.Outcomes = append(sv.Outcomes, outcomeRow{Type: typeLabel(l, oc.Type), Outcome: words.CountedOutcome(l, oc.Outcome),
				Before: num(l, oc.Before), After: num(l, oc.After), Change: signed(l, oc.After-oc.Before),
				Better: (oc.Outcome == "imported" || oc.Outcome == "merged_duplicates") == (oc.After > oc.Before)})
		}
		for _, c := range s.Corrections {
			sv.Corrections = append(sv.Corrections, correctionRow{Type: typeLabel(l, c.Type), SourceID: c.SourceID, Field: c.Field,
				Old: c.Old, New: c.New, By: orDash(c.By), At: fmtShortTime(c.At, o.Location), Reason: c.Reason})
		}
		v.Steps = append(v.Steps, sv)
	}
	v.CountsChart = trendCountsChart(l, c, o.Location)
	v.ProblemsChart = trendProblemsChart(l, c, o.Location)
	v.ChartData = placeCharts(l, o.Charts, &v.CountsChart, &v.ProblemsChart)
	return v
}

// issueChangeText says how one kind of issue changed: opened, closed, and
// resolved by someone between the runs.
func issueChangeText(l i18n.Lang, ic IssueChange) string {
	var parts []string
	if ic.Opened > 0 {
		parts = append(parts, l.F("%s abiertos", "%s opened", signed(l, ic.Opened)))
	} else if ic.Resolved > 0 {
		parts = append(parts, l.F("%s cerrados", "%s closed", num(l, ic.Resolved)))
	}
	if ic.ResolvedBetween > 0 {
		parts = append(parts, l.F("%s resueltos entre las ejecuciones", "%s resolved between the runs", num(l, ic.ResolvedBetween)))
	}
	return strings.Join(parts, "; ")
}

// runDuration is a run's import or verification time, "—" when unknown.
func runDuration(l i18n.Lang, d *reconcile.Durations, imp bool) string {
	if d == nil {
		return "—"
	}
	s := d.VerifySeconds
	if imp {
		s = d.ImportSeconds
	}
	return fmtSeconds(l, s)
}

// fmtSeconds writes a duration for people: "45 s", "3 min 05 s", "1 h 02 min".
func fmtSeconds(l i18n.Lang, s float64) string {
	n := int64(s + 0.5)
	switch {
	case n < 60:
		return fmt.Sprintf("%d s", n)
	case n < 3600:
		return fmt.Sprintf("%d min %02d s", n/60, n%60)
	}
	return fmt.Sprintf("%d h %02d min", n/3600, n%3600/60)
}

// CompareText writes the comparison's summary for the terminal: the runs
// with their durations, and for each step its verdict, outcome changes,
// issues, corrections and content.
func CompareText(w io.Writer, c Comparison, l i18n.Lang, loc *time.Location) error {
	v := buildCompareView(c, HTMLOptions{Lang: l, Location: loc})
	var b strings.Builder
	b.WriteString(l.S("Ejecuciones comparadas:\n", "Runs compared:\n"))
	for _, r := range v.Runs {
		fmt.Fprintf(&b, "  %s — %s, %s: %s; %s %s, %s %s\n", r.Label, r.Date, r.Operator, r.Verdict,
			l.S("importación", "import"), r.ImportTime, l.S("verificación", "verification"), r.VerifyTime)
	}
	for i, s := range v.Steps {
		fmt.Fprintf(&b, "\n%s → %s: %s\n", s.From, s.To, s.Verdict)
		for _, m := range s.Improved {
			fmt.Fprintf(&b, "  %s %s: %s → %s\n", l.S("mejoró", "improved"), m.Label, m.Before, m.After)
		}
		for _, m := range s.Worsened {
			fmt.Fprintf(&b, "  %s %s: %s → %s\n", l.S("empeoró", "worsened"), m.Label, m.Before, m.After)
		}
		for _, o := range s.Outcomes {
			fmt.Fprintf(&b, "  %s, %s: %s → %s (%s)\n", o.Type, o.Outcome, o.Before, o.After, o.Change)
		}
		for _, ic := range s.Issues {
			fmt.Fprintf(&b, "  %s %s: %s → %s %s (%s)\n", l.S("problemas", "issues"), ic.Type, ic.Before, ic.After,
				l.S("abiertos", "open"), ic.Change)
		}
		for _, c := range s.Corrections {
			fmt.Fprintf(&b, "  %s %s %s %s: %q → %q, %s %s (%s)\n", l.S("corrección", "correction"), c.Type, c.SourceID, c.Field,
				c.Old, c.New, c.By, c.At, c.Reason)
		}
		if len(s.Rows) > 0 {
			fmt.Fprintf(&b, "  %s\n", l.F("%s filas con problemas distintos (ver el HTML)", "%s rows with different problems (see the HTML)",
				num(l, len(c.Steps[i].Rows))))
		}
		if s.Content != "" {
			fmt.Fprintf(&b, "  %s\n", s.Content)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// runAxis names each run on a chart's x axis by label and date.
func runAxis(c Comparison, loc *time.Location) []string {
	out := make([]string, len(c.Runs))
	for i, r := range c.Runs {
		out[i] = r.Label
		if !r.GeneratedAt.IsZero() {
			out[i] += " · " + fmtShortTime(r.GeneratedAt, loc)[:len("2006-01-02")]
		}
	}
	return out
}

// fullRunLabels wraps the runs' names on the x axis instead of cutting
// them: a rehearsal's label says what it tried.
func fullRunLabels() charts.GlobalOpts {
	return charts.WithXAxisOpts(opts.XAxis{AxisLabel: &opts.AxisLabel{Interval: "0", Width: 220, Overflow: "break"}})
}

func trendCountsChart(l i18n.Lang, c Comparison, loc *time.Location) chartView {
	ch := charts.NewLine()
	ch.SetGlobalOptions(baseOpts("chart_cmp_counts")...)
	ch.SetGlobalOptions(fullRunLabels())
	ch.SetXAxis(runAxis(c, loc))
	for _, tt := range c.Types {
		vals := make([]int, len(tt.Counts))
		for i, tc := range tt.Counts {
			vals[i] = tc.DestinationRows
		}
		ch.AddSeries(typeLabel(l, tt.Type), lineData(vals))
	}
	return snippet("chart_cmp_counts", l.S("Filas en destino por tipo en cada ejecución", "Destination rows per type in each run"), ch)
}

func trendProblemsChart(l i18n.Lang, c Comparison, loc *time.Location) chartView {
	ch := charts.NewLine()
	ch.SetGlobalOptions(baseOpts("chart_cmp_problems")...)
	ch.SetGlobalOptions(fullRunLabels())
	ch.SetXAxis(runAxis(c, loc))
	for _, k := range problemMetrics() {
		vals := make([]int, len(c.Runs))
		for i, r := range c.Runs {
			vals[i] = r.Metrics[k]
		}
		ch.AddSeries(metricLabel(l, k), lineData(vals))
	}
	return snippet("chart_cmp_problems", l.S("Problemas por resolver en cada ejecución", "Problems to resolve in each run"), ch)
}

func compareTexts(l i18n.Lang) map[string]string {
	t := commonTexts(l)
	add := func(k, es, en string) { t[k] = l.S(es, en) }
	add("title", "Comparación de ensayos de migración", "Migration rehearsal comparison")
	add("signoff", "Aprobación firmada", "Signed approval")
	add("generated", "Comparación generada", "Comparison generated")
	add("runs", "Ejecuciones comparadas", "Runs compared")
	add("col_run", "Ejecución", "Run")
	add("col_date", "Fecha", "Date")
	add("col_operator", "Operador", "Operator")
	add("col_result", "Resultado", "Result")
	add("same_as_previous", "idéntica a la anterior", "identical to the previous run")
	add("sec_steps", "¿Mejoró cada ensayo?", "Did each rehearsal improve?")
	add("improved", "Mejoró", "Improved")
	add("worsened", "Empeoró", "Worsened")
	add("same_fingerprint", "Misma huella: los hallazgos son idénticos.", "Same fingerprint: the findings are identical.")
	add("sec_problems", "Problemas por resolver", "Problems to resolve")
	add("col_problem", "Problema", "Problem")
	add("sec_counts", "Filas por tipo (destino / origen)", "Rows per type (destination / source)")
	add("sec_type_problems", "Sin explicar / diferencias de campo por tipo", "Unexplained / field differences per type")
	add("sec_issue_changes", "Problemas de calidad abiertos y resueltos", "Quality issues opened and resolved")
	add("col_severity", "Gravedad", "Severity")
	add("col_issue", "Tipo de problema", "Issue type")
	add("col_before", "Abiertos antes", "Open before")
	add("col_after", "Abiertos después", "Open after")
	add("col_change", "Cambio", "Change")
	add("col_id", "ID en OkVet", "OkVet id")
	add("col_kind", "Problema", "Problem")
	add("col_detail", "Detalle", "Detail")
	add("none_issue_changes", "Sin cambios en los problemas de calidad abiertos.", "No change in open quality issues.")
	add("none_row_changes", "Ninguna fila sin explicar o con diferencias de campo cambió.", "No unexplained or differing row changed.")
	add("sec_row_changes", "Filas sin explicar o con diferencias que cambiaron", "Unexplained or differing rows that changed")
	add("sec_outcome_changes", "Resultados de las filas que cambiaron", "Row outcomes that changed")
	add("col_outcome", "Resultado", "Outcome")
	add("col_before_rows", "Filas antes", "Rows before")
	add("col_after_rows", "Filas después", "Rows after")
	add("none_outcome_changes", "Ningún tipo cambió sus cuentas de importadas, fusionadas, rechazadas, huérfanas, omitidas o sin explicar.",
		"No type changed its counts of imported, merged, rejected, orphaned, skipped or unexplained rows.")
	add("sec_corrections_between", "Correcciones manuales hechas entre las ejecuciones", "Manual corrections made between the runs")
	add("none_corrections_between", "Ninguna corrección manual nueva.", "No new manual correction.")
	add("col_field", "Campo", "Field")
	add("col_old", "Antes", "Before")
	add("col_new", "Después", "After")
	add("col_by", "Por", "By")
	add("col_reason", "Motivo", "Reason")
	add("col_import_time", "Duración de la importación", "Import time")
	add("col_verify_time", "Duración de la verificación", "Verification time")
	add("one_run", "Se necesita más de una ejecución para comparar.", "More than one run is needed to compare.")
	return t
}
