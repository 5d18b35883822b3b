package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/petfriendly/recon/internal/pgtest"
	"github.com/petfriendly/recon/reports"
)

// runWith runs the CLI with the given chart library instead of the one
// built into the test binary, so these tests hold with or without
// `make assets`.
func runWith(t *testing.T, charts reports.Charts, chartsErr error, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = runCLI(context.Background(), args, nil, &out, &errb, charts, chartsErr)
	return code, out.String(), errb.String()
}

func fakeCharts(t *testing.T) reports.Charts {
	t.Helper()
	lib, err := reports.NewCharts([]byte(`/* fake echarts */(function(t){t.version="6.1.0"})(this);`))
	if err != nil {
		t.Fatal(err)
	}
	return lib
}

// dejaVuDir returns the folder holding DejaVu Sans; CI installs it.
func dejaVuDir(t *testing.T) string {
	t.Helper()
	f := reports.FindPDFFonts(reports.FontDirs(""))
	if f.Family != "DejaVu Sans" {
		if os.Getenv("CI") != "" {
			t.Fatal("CI must have DejaVu Sans (apt-get install fonts-dejavu-core)")
		}
		t.Skip("DejaVu Sans (apt-get install fonts-dejavu-core)")
	}
	return filepath.Dir(f.Regular)
}

func TestVersionSaysWhatReportsUse(t *testing.T) {
	empty, dejavu := t.TempDir(), dejaVuDir(t)
	tests := []struct {
		name      string
		charts    reports.Charts
		chartsErr error
		args      []string
		want      []string
	}{
		{"charts embedded", fakeCharts(t), nil, []string{"--font-dir", dejavu, "version"},
			[]string{"recon ", "gráficos: ECharts 6.1.0 incluido", "fuentes del PDF: DejaVu Sans (" + filepath.Join(dejavu, "DejaVuSans.ttf") + ")"}},
		{"built without charts", reports.Charts{}, nil, []string{"--font-dir", empty, "version"},
			[]string{"gráficos: no incluidos (compilado sin `make assets`)", "fuentes del PDF: Helvetica incorporada"}},
		{"english", reports.Charts{}, nil, []string{"--lang", "en", "--font-dir", empty, "version"},
			[]string{"charts: not embedded (built without `make assets`)", "PDF fonts: built-in Helvetica"}},
		{"unusable library", reports.Charts{}, errors.New("assets/echarts.min.js: echarts library is empty"), []string{"--lang", "en", "version"},
			[]string{"charts: cannot be used (assets/echarts.min.js: echarts library is empty)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runWith(t, tt.charts, tt.chartsErr, tt.args...)
			if code != 0 || errs != "" {
				t.Fatalf("exit %d, stderr %q", code, errs)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("version output lacks %q:\n%s", w, out)
				}
			}
		})
	}
	// RECON_FONT_DIR is the option's variable.
	t.Setenv("RECON_FONT_DIR", empty)
	if _, out, _ := runWith(t, reports.Charts{}, nil, "version"); !strings.Contains(out, "Helvetica incorporada") {
		t.Errorf("RECON_FONT_DIR not used:\n%s", out)
	}
}

const (
	chartsNoticeES = "aviso: este binario de recon se compiló sin ECharts: los informes HTML se escriben sin gráficos"
	chartsNoticeEN = "notice: this recon binary was built without ECharts: the HTML reports are written without charts"
	fontsNoticeES  = "aviso: no se encontraron fuentes TrueType para el PDF"
	fontsNoticeEN  = "notice: no TrueType fonts for the PDF"
)

// TestReportsWithoutChartsOrFonts runs verify, report and compare as a
// plain `go build` binary on a machine without fonts: every command exits
// 0, says what is missing on stderr, and writes the pages and the PDF.
func TestReportsWithoutChartsOrFonts(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	noFonts, out := t.TempDir(), t.TempDir()
	base := []string{"--database-url", db.URL, "--home", t.TempDir(), "--no-progress", "--font-dir", noFonts}
	args := func(a ...string) []string { return append(append([]string{}, base...), a...) }
	if code, stdout, errs := run(t, args("import", "all", "--dir", copyExport(t))...); code != 0 {
		t.Fatalf("import: exit %d\n%s%s", code, stdout, errs)
	}
	// A second run, so there are two to compare.
	if code, stdout, errs := run(t, args("verify", "--json", filepath.Join(out, "v1.json"))...); code != 0 {
		t.Fatalf("verify: exit %d\n%s%s", code, stdout, errs)
	}
	p := func(name string) string { return filepath.Join(out, name) }
	tests := []struct {
		name        string
		args        []string
		wantNotices []string
		html, pdf   []string // files written
		htmlWant    string
	}{
		{"verify", args("verify", "--report", p("verify.html"), "--pdf", p("verify.pdf")),
			[]string{chartsNoticeES, fontsNoticeES}, []string{p("verify.html")}, []string{p("verify.pdf")}, "Gráfico no disponible"},
		{"report in english", args("--lang", "en", "report", "--html", p("report.html"), "--pdf", p("report.pdf")),
			[]string{chartsNoticeEN, fontsNoticeEN}, []string{p("report.html")}, []string{p("report.pdf")}, "Chart not available"},
		{"compare", args("compare", "-o", p("compare.html")),
			[]string{chartsNoticeES}, []string{p("compare.html")}, nil, "Gráfico no disponible"},
		{"report pdf only", args("report", "--pdf", p("only.pdf")),
			[]string{fontsNoticeES}, nil, []string{p("only.pdf")}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, errs := runWith(t, reports.Charts{}, nil, tt.args...)
			if code != 0 {
				t.Fatalf("exit %d\n%s%s", code, stdout, errs)
			}
			for _, w := range tt.wantNotices {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errs)
				}
			}
			// Besides the notices stderr says where each output went.
			if n := strings.Count(errs, "\n"); n != len(tt.wantNotices)+len(tt.html)+len(tt.pdf) {
				t.Errorf("stderr has %d lines, want one per notice and one per output written:\n%s", n, errs)
			}
			if len(tt.pdf) > 0 && !strings.Contains(errs, noFonts) {
				t.Errorf("the fonts notice does not name --font-dir %s:\n%s", noFonts, errs)
			}
			for _, f := range tt.html {
				b, err := os.ReadFile(f)
				if err != nil || strings.Count(string(b), tt.htmlWant) < 2 || !strings.Contains(string(b), "<table") {
					t.Errorf("%s: %v; want the chart notices and the tables", f, err)
				}
			}
			for _, f := range tt.pdf {
				b, err := os.ReadFile(f)
				if err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.Contains(b, []byte("/BaseFont /Helvetica")) {
					t.Errorf("%s: %v; want a PDF in the built-in Helvetica", f, err)
				}
			}
		})
	}

	// With the library and DejaVu there is nothing to say.
	code, stdout, errs := runWith(t, fakeCharts(t), nil, "--database-url", db.URL, "--font-dir", dejaVuDir(t),
		"report", "--html", p("full.html"), "--pdf", p("full.pdf"))
	if code != 0 || strings.Contains(errs, "aviso") || strings.Count(errs, "\n") != 2 {
		t.Fatalf("exit %d, stderr %q (want only where the two outputs went)\n%s", code, errs, stdout)
	}
	if b, _ := os.ReadFile(p("full.html")); !strings.Contains(string(b), "fake echarts") || strings.Contains(string(b), "Gráfico no disponible") {
		t.Error("the injected library is not in the page")
	}
	if b, _ := os.ReadFile(p("full.pdf")); bytes.Contains(b, []byte("/BaseFont /Helvetica")) {
		t.Error("the PDF uses Helvetica although DejaVu was given")
	}
}

// The notices come before any work: a report that then fails to reach
// its database has already said what its pages will lack.
func TestRenderNoticesBeforeWork(t *testing.T) {
	dir := t.TempDir()
	code, _, errs := runWith(t, reports.Charts{}, nil, "--database-url", "postgres://x@/nope?host=/nonexistent", "--font-dir", dir,
		"report", "--html", filepath.Join(dir, "r.html"), "--pdf", filepath.Join(dir, "r.pdf"))
	if code != ExitError {
		t.Fatalf("exit %d, want %d", code, ExitError)
	}
	lines := strings.Split(strings.TrimSpace(errs), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], chartsNoticeES) || !strings.HasPrefix(lines[1], fontsNoticeES) || !strings.HasPrefix(lines[2], "recon: ") {
		t.Errorf("stderr:\n%s", errs)
	}
	// Commands that draw no report say nothing about charts or fonts.
	if _, _, errs := runWith(t, reports.Charts{}, nil, "--font-dir", dir, "--help"); errs != "" {
		t.Errorf("help printed %q", errs)
	}
}
