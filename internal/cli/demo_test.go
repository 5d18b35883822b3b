package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/petfriendly/recon/internal/pgtest"
)

// TestDemo runs the whole loop at scale 1 on the test server.
func TestDemo(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	out := filepath.Join(t.TempDir(), "demo")
	code, stdout, stderr := run(t, "--database-url", db.URL, "--home", t.TempDir(), "--no-progress", "demo", "--out", out)
	if code != 0 {
		t.Fatalf("demo: exit %d\n%s\n%s", code, stdout, stderr)
	}
	for _, want := range []string{"los conteos coinciden con expected.json", "verificación correcta", "comparison.html"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("demo output lacks %q:\n%s", want, stdout)
		}
	}
	for _, f := range []string{"export/expected.json", "export/clientes.csv", "verificacion-1.json", "verificacion-2.txt",
		"migration_report.html", "aprobacion.pdf", "comparison.html"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("demo left no %s: %v", f, err)
		}
	}
	// Running it again starts from a fresh database and gets the same result.
	code, stdout2, _ := run(t, "--database-url", db.URL, "--home", t.TempDir(), "--no-progress", "demo", "--out", out)
	if code != 0 || !strings.Contains(stdout2, "verificación correcta") {
		t.Fatalf("second demo: exit %d\n%s", code, stdout2)
	}
}
