package cli

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/petfriendly/recon/internal/gen"
	"github.com/petfriendly/recon/internal/pgtest"
)

// TestDemo runs the whole loop on a tiny export on the test server.
func TestDemo(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	out := filepath.Join(t.TempDir(), "demo")
	demo := demoArgs(t, db)
	code, stdout, stderr := run(t, append([]string{"--database-url", db.URL, "--home", t.TempDir(), "--no-progress", "demo", "--out", out}, demo...)...)
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
	code, stdout2, _ := run(t, append([]string{"--database-url", db.URL, "--home", t.TempDir(), "--no-progress", "demo", "--out", out}, demo...)...)
	if code != 0 || !strings.Contains(stdout2, "verificación correcta") {
		t.Fatalf("second demo: exit %d\n%s", code, stdout2)
	}
}

// demoArgs makes the demo run on a tiny export in a database of the test's
// own (dropped at the end), so demo tests can run side by side.
func demoArgs(t *testing.T, db *pgtest.DB) []string {
	t.Helper()
	name := db.Name + "_demo"
	t.Cleanup(func() {
		if _, err := db.Pool.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop %s: %v", name, err)
		}
	})
	return []string{"--scale", strconv.FormatFloat(gen.TinyScale, 'f', -1, 64), "--database", name}
}
