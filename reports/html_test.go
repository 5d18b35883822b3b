package reports

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/internal/words"
	"github.com/petfriendly/recon/reconcile"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/reports")

const goldenDir = "../testdata/reports"

// fakeECharts stands in for the library in golden files, which would
// otherwise hold a megabyte of minified code that changes with its version.
const fakeECharts = "/* echarts */"

// withFake gives o the stand-in library.
func withFake(o HTMLOptions) HTMLOptions {
	lib, err := NewCharts([]byte(fakeECharts))
	if err != nil {
		panic(err)
	}
	o.Charts = lib
	return o
}

// caseOptions is testdata/reports/<case>/options.json.
type caseOptions struct {
	Lang   string    `json:"lang"`
	Clinic string    `json:"clinic"`
	Now    time.Time `json:"now"`
}

func loadResult(t testing.TB, path string) reconcile.Result {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var r reconcile.Result
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return r
}

func loadCase(t testing.TB, dir string) (reconcile.Result, HTMLOptions) {
	t.Helper()
	r := loadResult(t, filepath.Join(dir, "result.json"))
	var co caseOptions
	if b, err := os.ReadFile(filepath.Join(dir, "options.json")); err == nil {
		if err := json.Unmarshal(b, &co); err != nil {
			t.Fatalf("%s/options.json: %v", dir, err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	o := HTMLOptions{Lang: i18n.Lang(co.Lang), Clinic: co.Clinic}
	if !co.Now.IsZero() {
		now := co.Now
		o.Now = func() time.Time { return now }
	}
	return r, o
}

// fixture is the realistic rehearsal every other test reuses.
func fixture(t testing.TB) reconcile.Result {
	return loadResult(t, filepath.Join(goldenDir, "rehearsal_es", "result.json"))
}

func fixedNow() time.Time {
	return time.Date(2026, 11, 14, 16, 0, 0, 0, time.FixedZone("-05", -5*3600))
}

func TestHTMLGolden(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join(goldenDir, "*", "result.json"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no golden cases under %s: %v", goldenDir, err)
	}
	for _, p := range dirs {
		dir := filepath.Dir(p)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			r, o := loadCase(t, dir)
			var buf bytes.Buffer
			if err := HTML(&buf, r, withFake(o)); err != nil {
				t.Fatal(err)
			}
			want := filepath.Join(dir, "want.html")
			if *update {
				if err := os.WriteFile(want, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			w, err := os.ReadFile(want)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got := buf.String(); got != string(w) {
				t.Errorf("%s differs from the rendering; diff them after `go test ./reports/ -run TestHTMLGolden -update`\n%s",
					want, firstDiff(got, string(w)))
			}
			// The same input renders the same bytes.
			var again bytes.Buffer
			if err := HTML(&again, r, withFake(o)); err != nil {
				t.Fatal(err)
			}
			if again.String() != buf.String() {
				t.Error("two renderings of the same result differ")
			}
		})
	}
}

// firstDiff shows the first differing line of two texts.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			return "line " + itoa(i+1) + ":\n got: " + a + "\nwant: " + b
		}
	}
	return ""
}

func itoa(n int) string { return num(i18n.EN, n) }

func renderFixture(t *testing.T, r reconcile.Result, o HTMLOptions) string {
	t.Helper()
	var buf bytes.Buffer
	if err := HTML(&buf, r, withFake(o)); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestHTMLContent(t *testing.T) {
	r := fixture(t)
	es := renderFixture(t, r, HTMLOptions{Now: fixedNow})
	en := renderFixture(t, r, HTMLOptions{Lang: i18n.EN, Clinic: "Dr. Pablo's", Now: fixedNow})

	for _, tc := range []struct {
		name, html string
		want       []string
	}{
		{"spanish", es, []string{
			`<html lang="es">`, "Informe de verificación de migración", "Clínica Veterinaria Dr. Pablo", "OkVet.co", "Pet-Friendly",
			"14 de noviembre de 2026, 15:30", "Informe generado", "María Fernández", "#7", r.Fingerprint,
			"La verificación encontró problemas", "tone-bad",
			// thousands separators and every type label
			"1.234", "23.456", "67.662", "clientes", "mascotas", "historias clínicas", "vacunas", "citas", "facturas",
			"ítems de factura", "productos", "documentos",
			// the note that explains the client difference
			"clientes: 1.234 en origen, 1.185 en destino — 37 duplicados fusionados (duplicate_merged), 12 rechazados (empty_name, invalid_email)",
			"14 huérfanos (orphaned_record)", "2 SIN EXPLICAR",
			`id="chart_counts"`, `id="chart_outcomes"`, `id="chart_issues"`,
			"Teléfono confirmado con la dueña", "cambió desde la importación", "no encontrado",
			"HC-88120", "valor_unitario", "radiografia_Ñoño.pdf", "semilla 20261114",
			`id="issue-filter" hidden`, `data-sev="critical"`,
		}},
		{"english", en, []string{
			`<html lang="en">`, "Migration verification report", "Dr. Pablo&#39;s", "November 14, 2026 15:30",
			"1,234", "23,456", "medical records", "invoice items", "Verification found problems",
			"clients: 1,234 in source, 1,185 in destination — 37 duplicates merged (duplicate_merged), 12 rejected (empty_name, invalid_email)",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, w := range tc.want {
				if !strings.Contains(tc.html, w) {
					t.Errorf("report lacks %q", w)
				}
			}
		})
	}
}

func TestHTMLEscapesUserText(t *testing.T) {
	html := renderFixture(t, fixture(t), HTMLOptions{})
	if strings.Contains(html, "<script>alert(1)") || strings.Contains(html, "<img src=x") {
		t.Error("a pet name reached the page as markup")
	}
	if !strings.Contains(html, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the pet name is not shown as text")
	}
	// The chart option travels as an escaped JS string: the issue type that
	// tries to close the script must never appear raw.
	if strings.Contains(html, "</script><script>document.title") {
		t.Error("an issue type closed the chart script")
	}
	// Every <script> is one of ours: the library, the class switch, the
	// filter and the chart setup.
	if n := strings.Count(html, "<script"); n != 4 {
		t.Errorf("%d script elements, want 4", n)
	}
}

// networkRef finds an element that would load something over the network.
var networkRef = regexp.MustCompile(`(?i)<(script|link|img|iframe|object|embed|source)\b[^>]*\b(src|href|data)\s*=\s*["']?\s*(https?:)?//`)

func TestHTMLWorksOffline(t *testing.T) {
	html := renderFixture(t, fixture(t), HTMLOptions{})
	if m := networkRef.FindString(html); m != "" {
		t.Errorf("report loads a network resource: %s", m)
	}
	for _, bad := range []string{"http://", "https://"} {
		if strings.Contains(html, bad) {
			t.Errorf("report mentions %s", bad)
		}
	}
	if !strings.Contains(html, "<script>"+fakeECharts+"</script>") {
		t.Error("the ECharts library is not inlined")
	}
}

// TestEmbeddedCharts holds whether or not this binary was built after
// `make assets`: with the library the page inlines it and draws its charts;
// without it the page carries the notice instead.
func TestEmbeddedCharts(t *testing.T) {
	lib, err := EmbeddedCharts()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := HTML(&buf, fixture(t), HTMLOptions{Charts: lib}); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	b, readErr := assets.ReadFile(echartsPath)
	if lib.Available() != (readErr == nil) {
		t.Fatalf("Available() = %v with the asset read error %v", lib.Available(), readErr)
	}
	if lib.Available() {
		if !strings.Contains(page, string(b[:200])) || strings.Contains(page, "Gráfico no disponible") {
			t.Error("the embedded ECharts is not in the page")
		}
		if !regexp.MustCompile(`^\d+\.\d+\.\d+`).MatchString(lib.Version()) {
			t.Errorf("embedded ECharts version %q", lib.Version())
		}
	} else if strings.Count(page, "Gráfico no disponible") != 3 {
		t.Error("a page without the library lacks the chart notices")
	}
	// The library itself names XML namespaces and its licence; what must
	// not exist is anything that loads from the network.
	if m := networkRef.FindString(page); m != "" {
		t.Errorf("report loads a network resource: %s", m)
	}
}

func TestNewCharts(t *testing.T) {
	tests := []struct {
		name, js    string
		wantVersion string
		wantErr     string
	}{
		{"minified 6.1.0", `(function(t){t.throttle=um,t.version="6.1.0",t.zrUtil=Tt})`, "6.1.0", ""},
		{"release candidate", `;e.version = "5.4.0-rc.1";`, "5.4.0-rc.1", ""},
		{"zrender's version is not ECharts'", `var z={painter:1,version:"6.0.0"}`, "", ""},
		{"no version", "var echarts={};", "", ""},
		{"empty", "", "", "echarts library is empty"},
		{"closes script", "a='</SCRIPT>'", "", "cannot be inlined"},
		{"opens comment", "a='<!--'", "", "cannot be inlined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lib, err := NewCharts([]byte(tt.js))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || lib.Available() {
					t.Fatalf("got %v (available %v), want an error containing %q", err, lib.Available(), tt.wantErr)
				}
				return
			}
			if err != nil || !lib.Available() || lib.Version() != tt.wantVersion {
				t.Fatalf("got version %q, available %v, %v; want %q", lib.Version(), lib.Available(), err, tt.wantVersion)
			}
		})
	}
}

func TestLoadCharts(t *testing.T) {
	tests := []struct {
		name      string
		fs        fstest.MapFS
		available bool
		wantErr   string
	}{
		{"present", fstest.MapFS{echartsPath: {Data: []byte(`;t.version="6.1.0";`)}}, true, ""},
		{"built without", fstest.MapFS{"assets/README.md": {Data: []byte("x")}}, false, ""},
		{"empty", fstest.MapFS{echartsPath: {Data: nil}}, false, "assets/echarts.min.js: echarts library is empty"},
		{"closes script", fstest.MapFS{echartsPath: {Data: []byte("a='</SCRIPT>'")}}, false, "cannot be inlined"},
		{"unreadable", fstest.MapFS{echartsPath: {Mode: 0o755 | os.ModeDir}}, false, "read assets/echarts.min.js"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lib, err := loadCharts(tt.fs)
			if lib.Available() != tt.available {
				t.Errorf("Available() = %v, want %v", lib.Available(), tt.available)
			}
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

// TestHTMLWithoutCharts renders with no library, as a binary built without
// `make assets` does: no error, a notice where each chart would be, in the
// reader's language, and every table still there.
func TestHTMLWithoutCharts(t *testing.T) {
	r := fixture(t)
	tests := []struct {
		lang   i18n.Lang
		notice string
		want   []string
	}{
		{i18n.ES, "Gráfico no disponible: esta copia de recon se compiló sin la biblioteca ECharts",
			[]string{"Filas en origen y en destino por tipo", "Las tablas de esta sección contienen los mismos datos", "1.234", "23.456", "HC-88120", "empty_name"}},
		{i18n.EN, "Chart not available: this copy of recon was built without the ECharts library",
			[]string{"Source and destination rows per type", "The tables of this section hold the same numbers", "1,234", "23,456", "HC-88120", "empty_name"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.lang), func(t *testing.T) {
			var buf bytes.Buffer
			if err := HTML(&buf, r, HTMLOptions{Lang: tt.lang, Now: fixedNow}); err != nil {
				t.Fatal(err)
			}
			page := buf.String()
			if n := strings.Count(page, tt.notice); n != 3 {
				t.Errorf("%d chart notices, want 3", n)
			}
			for _, w := range append(tt.want, `id="counts-table"`, `class="chart-missing"`) {
				if !strings.Contains(page, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			// No chart box to fill and no library or chart script: only
			// the class switch and the issue filter run.
			for _, id := range []string{`id="chart_counts"`, `id="chart_outcomes"`, `id="chart_issues"`, "echarts.init"} {
				if strings.Contains(page, id) {
					t.Errorf("page without the library holds %s", id)
				}
			}
			if n := strings.Count(page, "<script"); n != 2 {
				t.Errorf("%d script elements, want 2", n)
			}
		})
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestHTMLWriteError(t *testing.T) {
	err := HTML(failWriter{}, fixture(t), withFake(HTMLOptions{}))
	if err == nil || !strings.Contains(err.Error(), "write report: disk full") {
		t.Fatalf("got %v", err)
	}
}

func TestNum(t *testing.T) {
	tests := []struct {
		n      int
		es, en string
	}{
		{0, "0", "0"}, {999, "999", "999"}, {1000, "1.000", "1,000"}, {1234, "1.234", "1,234"},
		{1234567, "1.234.567", "1,234,567"}, {-4321, "−4.321", "−4,321"},
	}
	for _, tt := range tests {
		if got := num(i18n.ES, tt.n); got != tt.es {
			t.Errorf("num(es, %d) = %q, want %q", tt.n, got, tt.es)
		}
		if got := num(i18n.EN, tt.n); got != tt.en {
			t.Errorf("num(en, %d) = %q, want %q", tt.n, got, tt.en)
		}
	}
	if signed(i18n.ES, 3) != "+3" || signed(i18n.ES, -3) != "−3" || signed(i18n.ES, 0) != "0" {
		t.Error("signed")
	}
}

// edgeResult has what a real run rarely has: a type and severity recon
// does not know yet, an unknown file status, hundreds of differences, and
// a verified run still blocked by critical issues.
func edgeResult() reconcile.Result {
	r := reconcile.Result{
		OK: true, SignoffReady: false, RunID: 3,
		GeneratedAt: time.Date(2026, 3, 1, 17, 0, 0, 0, time.UTC),
		Types: map[string]reconcile.TypeCounts{
			"treatments": {SourceRows: 5, Imported: 6, DestinationRows: 6},
			"pets":       {SourceRows: 2, Imported: 1, Rejected: 1, DestinationRows: 1},
		},
		IssuesBySev:  map[string]int{"critical": 1, "blocker": 2},
		IssuesByType: []reconcile.IssueCount{{Severity: "blocker", Type: "weird", Open: 2}, {Severity: "critical", Type: "empty_name", Open: 1}},
		Sources:      []reconcile.SourceFile{{Type: "treatments", Path: "t.csv", Status: "odd"}},
	}
	for i := 0; i < maxTableRows+20; i++ {
		id := "P" + itoa(i)
		r.Mismatches = append(r.Mismatches, reconcile.Mismatch{Type: "pets", SourceID: id, Field: "nombre", Source: "a", Destination: "b"})
		r.Unexplained = append(r.Unexplained, reconcile.Unexplained{Type: "pets", SourceID: id, Reason: "sin mapeo"})
		r.Corrections = append(r.Corrections, reconcile.Correction{Type: "pets", SourceID: id, Field: "nombre", Old: "a", New: "b"})
	}
	return r
}

func TestHTMLEdgeCases(t *testing.T) {
	bogota := time.FixedZone("COT", -5*3600)
	html := renderFixture(t, edgeResult(), HTMLOptions{Location: bogota})
	for _, want := range []string{
		"Verificada, con problemas críticos por resolver antes de aprobar", "tone-warn",
		"1 de marzo de 2026, 12:00 COT", // moved into the clinic's zone
		"treatments", "blocker", "weird", "odd", "#3",
		"… y 20 filas más: vea el JSON de la verificación.",
		"treatments: 5 en origen, 6 en destino (1 más en destino)",
		"mascotas: 2 en origen, 1 en destino — 1 rechazados (empty_name)",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// Three capped tables, plus the counts table's row.
	if n := strings.Count(html, "<td>mascotas</td>"); n != 3*maxTableRows+1 {
		t.Errorf("%d rows, want %d", n, 3*maxTableRows+1)
	}
	en := renderFixture(t, edgeResult(), HTMLOptions{Lang: i18n.EN})
	for _, want := range []string{"Verified, with critical issues to resolve before sign-off", "March 1, 2026 17:00 UTC",
		"… and 20 more rows"} {
		if !strings.Contains(en, want) {
			t.Errorf("english report lacks %q", want)
		}
	}
}

func bogota(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("America/Bogota")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestLabels(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{words.Severity(i18n.EN, "warning"), "warning"}, {words.Severity(i18n.ES, "info"), "informativo"},
		{sourceStatus(i18n.EN, "missing"), "not found"}, {sourceStatus(i18n.EN, "changed"), "changed since import"},
		{sevColor("info"), colorInfo}, {sevColor("warning"), colorWarning}, {sevColor("x"), colorSkipped},
		{fmtShortTime(time.Time{}, nil), "—"}, {fmtTime(i18n.ES, time.Time{}, nil), "—"},
		{fmtShortTime(time.Date(2026, 1, 2, 23, 0, 0, 0, time.UTC), time.FixedZone("", -5*3600)), "2026-01-02 18:00 -0500"},
		{fmtShortTime(time.Date(2026, 1, 2, 23, 0, 0, 0, time.UTC), bogota(t)), "2026-01-02 18:00 -05"},
		{fmtTime(i18n.ES, time.Date(2026, 1, 2, 23, 0, 0, 0, time.UTC), bogota(t)), "2 de enero de 2026, 18:00 -05"},
		{fmtShortTime(time.Date(2026, 1, 2, 23, 0, 0, 0, time.UTC), nil), "2026-01-02 23:00 UTC"},
		{clinicName(i18n.EN, "", reconcile.Result{}), "Veterinary clinic"},
		{metricLabel(i18n.EN, "broken_chains"), "broken chains"}, {metricLabel(i18n.ES, "x"), "x"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
	for v, want := range map[string]string{VerdictWorse: "Worse than the previous run", VerdictMixed: "Some better, some worse",
		VerdictSame: "No change in problems", VerdictBetter: "Better than the previous run"} {
		if got, _ := stepVerdict(i18n.EN, v); got != want {
			t.Errorf("stepVerdict(%s) = %q", v, got)
		}
	}
}

// Labels reach the chart exactly, whatever entities or quotes they hold:
// go-echarts HTML-escapes the option and unescapes it again.
func TestChartLabelsSurviveSnippet(t *testing.T) {
	label := `a&quot;b&amp;c<"d">`
	c := issuesChart(i18n.ES, []reconcile.IssueCount{{Severity: "info", Type: label, Open: 1}})
	var opt struct {
		XAxis []struct {
			Data []string `json:"data"`
		} `json:"xAxis"`
	}
	if err := json.Unmarshal([]byte(c.Option), &opt); err != nil {
		t.Fatalf("option is not JSON: %v\n%s", err, c.Option)
	}
	if len(opt.XAxis) != 1 || len(opt.XAxis[0].Data) != 1 || opt.XAxis[0].Data[0] != label {
		t.Errorf("axis %+v, want [%q]", opt.XAxis, label)
	}
	cmp := Compare([]RunInfo{{Label: label}, {Label: "b"}})
	lc := trendCountsChart(i18n.ES, cmp, nil)
	if err := json.Unmarshal([]byte(lc.Option), &opt); err != nil || opt.XAxis[0].Data[0] != label {
		t.Errorf("run label %v %+v", err, opt.XAxis)
	}
}

// TestDifferenceNotesPerType checks each type's note names only the issue
// types recorded for its own rows, and that counts of runs stored before
// issues were recorded per type still explain every type.
func TestDifferenceNotesPerType(t *testing.T) {
	r := reconcile.Result{
		Types: map[string]reconcile.TypeCounts{
			"clients": {SourceRows: 3, Imported: 1, Rejected: 1, Merged: 1, DestinationRows: 1},
			"pets":    {SourceRows: 2, Imported: 1, Rejected: 1, DestinationRows: 1},
		},
		IssuesByType: []reconcile.IssueCount{
			{RecordType: "clients", Severity: "critical", Type: "no_contact", Open: 1},
			{RecordType: "clients", Severity: "warning", Type: "duplicate_merged", Open: 1},
			{RecordType: "pets", Severity: "critical", Type: "empty_name", Open: 1},
		},
	}
	tests := []struct {
		name      string
		legacy    bool
		want, not map[string][]string
	}{
		{"per type", false,
			map[string][]string{"clients": {"no_contact", "duplicate_merged"}, "pets": {"empty_name"}},
			map[string][]string{"clients": {"empty_name"}, "pets": {"no_contact", "duplicate_merged"}}},
		{"stored before record types", true,
			map[string][]string{"clients": {"no_contact", "empty_name", "duplicate_merged"}, "pets": {"no_contact", "empty_name"}},
			nil},
	}
	for _, tt := range tests {
		in := r
		if tt.legacy {
			in.IssuesByType = nil
			for _, ic := range r.IssuesByType {
				ic.RecordType = ""
				in.IssuesByType = append(in.IssuesByType, ic)
			}
		}
		notes := map[string]string{}
		for _, n := range differenceNotes(i18n.ES, in) {
			notes[n.Type] = n.Text
		}
		for typ, codes := range tt.want {
			for _, c := range codes {
				if !strings.Contains(notes[typ], c) {
					t.Errorf("%s: note for %s = %q, missing %s", tt.name, typ, notes[typ], c)
				}
			}
		}
		for typ, codes := range tt.not {
			for _, c := range codes {
				if strings.Contains(notes[typ], c) {
					t.Errorf("%s: note for %s = %q names %s of another type", tt.name, typ, notes[typ], c)
				}
			}
		}
	}
	totals := reconcile.IssueTotals([]reconcile.IssueCount{
		{RecordType: "pets", Severity: "critical", Type: "orphaned_record", Open: 2, Resolved: 1},
		{RecordType: "medical", Severity: "critical", Type: "orphaned_record", Open: 3},
		{RecordType: "medical", Severity: "info", Type: "placeholder_value", Open: 1},
	})
	if len(totals) != 2 || totals[0] != (reconcile.IssueCount{Severity: "critical", Type: "orphaned_record", Open: 5, Resolved: 1}) ||
		totals[1].Type != "placeholder_value" {
		t.Errorf("IssueTotals = %+v", totals)
	}
}
