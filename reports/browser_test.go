package reports

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// needBrowser returns Chromium and the real ECharts library. Developers
// without them skip; CI, which installs both, fails instead.
func needBrowser(t *testing.T) (chromium string, echarts Charts) {
	t.Helper()
	skip := func(why string) {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI must have %s", why)
		}
		t.Skip(why)
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			chromium = p
			break
		}
	}
	if chromium == "" {
		skip("chromium (apt-get install chromium)")
	}
	lib, err := EmbeddedCharts()
	if err != nil {
		t.Fatal(err)
	}
	if !lib.Available() {
		skip("the ECharts asset (make assets)")
	}
	return chromium, lib
}

// browse opens a file in headless Chromium with no network features and
// returns what the browser printed (the DOM, or nothing for screenshots).
func browse(t *testing.T, chromium, file string, extra ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	args := append([]string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
		"--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
		"--user-data-dir=" + t.TempDir(), "--virtual-time-budget=5000",
	}, extra...)
	args = append(args, "file://"+file)
	cmd := exec.CommandContext(ctx, chromium, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, errb.String())
	}
	return out.String()
}

// chartDrawn reports whether the element with id holds what ECharts draws.
func chartDrawn(dom, id string) bool {
	i := strings.Index(dom, `id="`+id+`"`)
	if i < 0 {
		return false
	}
	rest := dom[i:]
	if end := strings.Index(rest, "</figure>"); end >= 0 {
		rest = rest[:end]
	}
	return strings.Contains(rest, "<svg") || strings.Contains(rest, "<canvas")
}

func writeFile(t *testing.T, name string, render func(*bytes.Buffer) error) string {
	t.Helper()
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestHTMLInBrowser(t *testing.T) {
	chromium, lib := needBrowser(t)
	r := fixture(t)
	page := writeFile(t, "report.html", func(b *bytes.Buffer) error { return HTML(b, r, HTMLOptions{Now: fixedNow, Charts: lib}) })
	dom := browse(t, chromium, page, "--dump-dom")

	for _, id := range []string{"chart_counts", "chart_outcomes", "chart_issues"} {
		if !chartDrawn(dom, id) {
			t.Errorf("chart %s was not drawn", id)
		}
	}
	// The payloads in pet names and issue types set the title and add an
	// element when they run.
	title := regexp.MustCompile(`<title>([^<]*)</title>`).FindStringSubmatch(dom)
	if len(title) < 2 || strings.Contains(title[1], "PWNED") {
		t.Errorf("page title %q: injected script ran", title)
	}
	if strings.Contains(dom, `id="pwned"`) {
		t.Error("injected markup created an element")
	}
	if !strings.Contains(dom, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the pet name is not shown as text")
	}
	// The filter is shown once its script ran.
	if strings.Contains(dom, `id="issue-filter" hidden`) {
		t.Error("the issue filter script did not run")
	}
}

// TestHTMLWithoutJavaScript prints the page with every script removed, as
// a browser with JavaScript off shows it (headless Chromium cannot capture
// with scripts disabled), and reads the PDF back: the tables must all be
// there and the empty chart boxes hidden.
func TestHTMLWithoutJavaScript(t *testing.T) {
	chromium, lib := needBrowser(t)
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("CI must have pdftotext (apt-get install poppler-utils)")
		}
		t.Skip("pdftotext (apt-get install poppler-utils)")
	}
	scripts := regexp.MustCompile(`(?s)<script\b.*?</script>`)
	page := writeFile(t, "report.html", func(b *bytes.Buffer) error {
		var full bytes.Buffer
		if err := HTML(&full, fixture(t), HTMLOptions{Charts: lib}); err != nil {
			return err
		}
		b.WriteString(scripts.ReplaceAllString(full.String(), ""))
		return nil
	})
	pdf := filepath.Join(t.TempDir(), "nojs.pdf")
	browse(t, chromium, page, "--no-pdf-header-footer", "--print-to-pdf="+pdf)
	out, err := exec.Command(pdftotext, "-layout", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	text := string(out)
	for _, want := range []string{"1.234", "historias clínicas", "HC-88120", "Huella (SHA-256)", "empty_name", "Pastor Alemán"} {
		if !strings.Contains(text, want) {
			t.Errorf("with JavaScript off the page lacks %q", want)
		}
	}
	if strings.Contains(text, "Filas en origen y en destino por tipo") {
		t.Error("an empty chart box shows with JavaScript off")
	}
}

func TestCompareHTMLInBrowser(t *testing.T) {
	chromium, lib := needBrowser(t)
	c := Compare(rehearsals(t))
	page := writeFile(t, "compare.html", func(b *bytes.Buffer) error { return CompareHTML(b, c, HTMLOptions{Now: fixedNow, Charts: lib}) })
	dom := browse(t, chromium, page, "--dump-dom")
	for _, id := range []string{"chart_cmp_counts", "chart_cmp_problems"} {
		if !chartDrawn(dom, id) {
			t.Errorf("chart %s was not drawn", id)
		}
	}
	title := regexp.MustCompile(`<title>([^<]*)</title>`).FindStringSubmatch(dom)
	if len(title) < 2 || strings.Contains(title[1], "PWNED") || strings.Contains(dom, `id="pwned"`) {
		t.Errorf("page title %q: injected script ran", title)
	}
}

// TestScreenshots writes PNGs of both pages for a person to look at:
// RECON_SCREENSHOTS=DIR go test ./reports/ -run TestScreenshots. Without the
// variable they go to a temporary folder, so the path never rots.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("RECON_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	chromium, lib := needBrowser(t)
	report := writeFile(t, "report.html", func(b *bytes.Buffer) error { return HTML(b, fixture(t), HTMLOptions{Now: fixedNow, Charts: lib}) })
	cmp := writeFile(t, "compare.html", func(b *bytes.Buffer) error {
		return CompareHTML(b, Compare(rehearsals(t)), HTMLOptions{Now: fixedNow, Charts: lib})
	})
	for name, page := range map[string]string{"report.png": report, "compare.png": cmp} {
		out, err := filepath.Abs(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		browse(t, chromium, page, "--window-size=1280,7000", "--hide-scrollbars", "--screenshot="+out)
		if fi, err := os.Stat(out); err != nil || fi.Size() == 0 {
			t.Errorf("%s: no screenshot written: %v", name, err)
		}
	}
}
