package reports

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/reconcile"
)

// rehearsals are two runs with different outcomes: rehearsal 1 found
// problems, rehearsal 2 a week later is clean.
func rehearsals(t testing.TB) []RunInfo {
	return []RunInfo{
		{Label: "#7", Result: loadResult(t, filepath.Join(goldenDir, "rehearsal_es", "result.json"))},
		{Label: "#9", Result: loadResult(t, filepath.Join(goldenDir, "clean_en", "result.json"))},
	}
}

func at(day int) time.Time { return time.Date(2026, 11, day, 9, 0, 0, 0, time.UTC) }

func TestCompare(t *testing.T) {
	rs := rehearsals(t)
	bad, clean := rs[0], rs[1]
	// The same rehearsals with their dates swapped: clean first.
	early, late := clean, bad
	early.Result.GeneratedAt, late.Result.GeneratedAt = at(1), at(2)

	fixed := []RowChange{
		{Type: "clients", SourceID: "C-0042", Kind: KindMismatch, Detail: "celular", Change: ChangeFixed},
		{Type: "pets", SourceID: "P-0007", Kind: KindMismatch, Detail: "nombre", Change: ChangeFixed},
		{Type: "pets", SourceID: "P-0311", Kind: KindMismatch, Detail: "raza", Change: ChangeFixed},
		{Type: "medical", SourceID: "HC-88120", Kind: KindUnexplained, Detail: "sin mapeo ni resultado registrado", Change: ChangeFixed},
		{Type: "medical", SourceID: "HC-88121", Kind: KindUnexplained, Detail: "el registro de destino fue eliminado", Change: ChangeFixed},
		{Type: "invoice_items", SourceID: "FI-10022", Kind: KindMismatch, Detail: "valor_unitario", Change: ChangeFixed},
	}
	broken := make([]RowChange, len(fixed))
	for i, r := range fixed {
		r.Change = ChangeNew
		broken[i] = r
	}
	resolved := []IssueChange{
		{Severity: "critical", Type: "empty_name", OpenBefore: 8, OpenAfter: 0, Resolved: 8, ResolvedBetween: 8},
		{Severity: "critical", Type: "invalid_email", OpenBefore: 4, OpenAfter: 0, Resolved: 4, ResolvedBetween: 4},
		{Severity: "critical", Type: "orphaned_record", OpenBefore: 34, OpenAfter: 0, Resolved: 34, ResolvedBetween: 34},
		{Severity: "warning", Type: "invalid_phone", OpenBefore: 1247, OpenAfter: 1208, Resolved: 39, ResolvedBetween: 39},
		{Severity: "info", Type: "</script><script>document.title='PWNED'</script>", OpenBefore: 10, OpenAfter: 0, Resolved: 10},
	}
	opened := make([]IssueChange, len(resolved))
	for i, ic := range resolved {
		opened[i] = IssueChange{Severity: ic.Severity, Type: ic.Type, OpenBefore: ic.OpenAfter, OpenAfter: ic.OpenBefore, Opened: ic.Resolved}
	}
	all := problemMetrics()

	// Mixed: the later run explains every row but breaks a field.
	m1 := RunInfo{Label: "a", Result: reconcile.Result{GeneratedAt: at(1), Types: map[string]reconcile.TypeCounts{"pets": {Unexplained: 1}},
		Unexplained: []reconcile.Unexplained{{Type: "pets", SourceID: "P1", Reason: "sin mapeo"}}}}
	m2 := RunInfo{Label: "b", Result: reconcile.Result{GeneratedAt: at(2), Types: map[string]reconcile.TypeCounts{"pets": {FieldMismatches: 1}},
		Mismatches: []reconcile.Mismatch{{Type: "pets", SourceID: "P1", Field: "nombre"}}}}

	tests := []struct {
		name       string
		runs       []RunInfo
		wantLabels []string
		wantSteps  []Step
	}{
		{"rehearsal 2 is better", []RunInfo{bad, clean}, []string{"#7", "#9"},
			[]Step{{From: "#7", To: "#9", Verdict: VerdictBetter, Improved: all, Worsened: []string{}, Issues: resolved, Rows: fixed}}},
		{"given newest first, ordered by date", []RunInfo{clean, bad}, []string{"#7", "#9"},
			[]Step{{From: "#7", To: "#9", Verdict: VerdictBetter, Improved: all, Worsened: []string{}, Issues: resolved, Rows: fixed}}},
		{"a later run got worse", []RunInfo{late, early}, []string{"#9", "#7"},
			[]Step{{From: "#9", To: "#7", Verdict: VerdictWorse, Improved: []string{}, Worsened: all, Issues: opened, Rows: broken}}},
		{"same run twice", []RunInfo{bad, {Label: "#7 bis", Result: bad.Result}}, []string{"#7", "#7 bis"},
			[]Step{{From: "#7", To: "#7 bis", Verdict: VerdictSame, SameFingerprint: true, Improved: []string{}, Worsened: []string{},
				Issues: []IssueChange{}, Rows: []RowChange{}}}},
		{"mixed", []RunInfo{m1, m2}, []string{"a", "b"},
			[]Step{{From: "a", To: "b", Verdict: VerdictMixed, Improved: []string{"unexplained"}, Worsened: []string{"field_mismatches"},
				Issues: []IssueChange{}, Rows: []RowChange{
					{Type: "pets", SourceID: "P1", Kind: KindMismatch, Detail: "nombre", Change: ChangeNew},
					{Type: "pets", SourceID: "P1", Kind: KindUnexplained, Detail: "sin mapeo", Change: ChangeFixed},
				}}}},
		{"one run", []RunInfo{bad}, []string{"#7"}, []Step{}},
		{"no runs", nil, nil, []Step{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Compare(tt.runs)
			var labels []string
			for _, r := range c.Runs {
				labels = append(labels, r.Label)
			}
			if !reflect.DeepEqual(labels, tt.wantLabels) {
				t.Errorf("runs %v, want %v", labels, tt.wantLabels)
			}
			// Outcome changes and corrections are pinned by
			// TestCompareOutcomesCorrectionsDurations.
			for i := range c.Steps {
				c.Steps[i].Outcomes, c.Steps[i].Corrections = nil, nil
			}
			if !reflect.DeepEqual(c.Steps, tt.wantSteps) {
				got, _ := json.MarshalIndent(c.Steps, "", " ")
				want, _ := json.MarshalIndent(tt.wantSteps, "", " ")
				t.Errorf("steps\n got: %s\nwant: %s", got, want)
			}
			for _, tr := range c.Types {
				if len(tr.Counts) != len(c.Runs) {
					t.Errorf("type %s has %d counts for %d runs", tr.Type, len(tr.Counts), len(c.Runs))
				}
			}
		})
	}
}

func TestCompareTrends(t *testing.T) {
	c := Compare(rehearsals(t))
	if len(c.Types) != 9 || c.Types[0].Type != "clients" || c.Types[2].Type != "medical" {
		t.Fatalf("types %+v", c.Types)
	}
	med := c.Types[2].Counts
	if med[0].DestinationRows != 15400 || med[1].DestinationRows != 15402 || med[0].Unexplained != 2 || med[1].Unexplained != 0 {
		t.Errorf("medical trend %+v", med)
	}
	r0, r1 := c.Runs[0], c.Runs[1]
	if r0.Fingerprint == r1.Fingerprint || r0.OK || !r1.SignoffReady || r0.Metrics["open_critical"] != 46 || r1.Metrics["open_critical"] != 0 {
		t.Errorf("run summaries %+v %+v", r0, r1)
	}
	if r0.OpenIssues["warning"] != 1289 || r0.Totals.SourceRows != 67662 {
		t.Errorf("run 0 totals %+v issues %v", r0.Totals, r0.OpenIssues)
	}
}

// Compare must not reorder the caller's slice.
func TestCompareKeepsInput(t *testing.T) {
	rs := rehearsals(t)
	in := []RunInfo{rs[1], rs[0]}
	Compare(in)
	if in[0].Label != "#9" {
		t.Error("Compare reordered its input")
	}
}

func TestCompareGolden(t *testing.T) {
	c := Compare(rehearsals(t))
	var page, js bytes.Buffer
	if err := CompareHTML(&page, c, withFake(HTMLOptions{Now: fixedNow})); err != nil {
		t.Fatal(err)
	}
	if err := CompareJSON(&js, c); err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string][]byte{"want.html": page.Bytes(), "want.json": js.Bytes()} {
		p := filepath.Join(goldenDir, "compare", name)
		if *update {
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(p)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if string(got) != string(want) {
			t.Errorf("%s differs; rerun with -update and review the diff\n%s", p, firstDiff(string(got), string(want)))
		}
	}
}

func TestCompareHTMLContent(t *testing.T) {
	c := Compare(rehearsals(t))
	render := func(o HTMLOptions) string {
		var b bytes.Buffer
		if err := CompareHTML(&b, c, withFake(o)); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	es := render(HTMLOptions{})
	for _, want := range []string{
		"Comparación de ensayos de migración", "Clínica Veterinaria Dr. Pablo", "#7 → #9", "Mejor que la anterior",
		"filas sin explicar 2 → 0", "problemas críticos abiertos 46 → 0", "1.247", "1.208", "39 resueltos",
		"HC-88120", "corregida", "valor_unitario", `id="chart_cmp_counts"`, `id="chart_cmp_problems"`,
		c.Runs[0].Fingerprint, c.Runs[1].Fingerprint, "15.400 / 15.432", "15.402 / 15.432",
		"&lt;/script&gt;&lt;script&gt;document.title=",
	} {
		if !strings.Contains(es, want) {
			t.Errorf("comparison lacks %q", want)
		}
	}
	if strings.Contains(es, "</script><script>document.title") || strings.Contains(es, "<script>alert(1)") {
		t.Error("user text reached the page unescaped")
	}
	if m := networkRef.FindString(es); m != "" {
		t.Errorf("comparison loads a network resource: %s", m)
	}
	en := render(HTMLOptions{Lang: i18n.EN, Clinic: "Dr. Pablo's"})
	for _, want := range []string{"Migration rehearsal comparison", "Better than the previous run", "1,247", "39 resolved", "fixed"} {
		if !strings.Contains(en, want) {
			t.Errorf("english comparison lacks %q", want)
		}
	}

	worse := Compare([]RunInfo{{Label: "a", Result: reconcile.Result{GeneratedAt: at(1)}},
		{Label: "b", Result: reconcile.Result{GeneratedAt: at(2), IssuesBySev: map[string]int{"critical": 2},
			IssuesByType: []reconcile.IssueCount{{Severity: "critical", Type: "empty_name", Open: 2}},
			Unexplained:  []reconcile.Unexplained{{Type: "pets", SourceID: "P9", Reason: "sin mapeo"}}}}})
	var b bytes.Buffer
	if err := CompareHTML(&b, worse, withFake(HTMLOptions{})); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Peor que la anterior", "&#43;2 abiertos", "nueva", "P9", "Empeoró"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("worse comparison lacks %q", want)
		}
	}
	b.Reset()
	if err := CompareHTML(&b, Compare(nil), withFake(HTMLOptions{})); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "Se necesita más de una ejecución") {
		t.Error("an empty comparison does not say it needs runs")
	}
}

func TestCompareJSONShape(t *testing.T) {
	var b bytes.Buffer
	if err := CompareJSON(&b, Compare(nil)); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != "{\n  \"runs\": [],\n  \"types\": [],\n  \"steps\": []\n}\n" {
		t.Errorf("empty comparison JSON %q", got)
	}
	if err := CompareJSON(failWriter{}, Compare(nil)); err == nil || !strings.Contains(err.Error(), "write comparison") {
		t.Errorf("got %v", err)
	}
}

func TestCompareHTMLWithoutCharts(t *testing.T) {
	c := Compare(rehearsals(t))
	for _, tt := range []struct {
		lang         i18n.Lang
		notice, want string
	}{
		{i18n.ES, "Gráfico no disponible", "Mejor que la anterior"},
		{i18n.EN, "Chart not available", "Better than the previous run"},
	} {
		var b bytes.Buffer
		if err := CompareHTML(&b, c, HTMLOptions{Lang: tt.lang}); err != nil {
			t.Fatal(err)
		}
		page := b.String()
		if n := strings.Count(page, tt.notice); n != 2 {
			t.Errorf("%s: %d chart notices, want 2", tt.lang, n)
		}
		// The tables hold the numbers the charts would draw.
		for _, w := range []string{tt.want, "1.247", "1.208"} {
			if tt.lang == i18n.EN {
				w = strings.ReplaceAll(w, ".", ",")
			}
			if !strings.Contains(page, w) {
				t.Errorf("%s: comparison lacks %q", tt.lang, w)
			}
		}
		if strings.Contains(page, `id="chart_cmp_counts"`) || strings.Contains(page, "echarts.init") {
			t.Errorf("%s: comparison without the library holds a chart box or its script", tt.lang)
		}
	}
}
