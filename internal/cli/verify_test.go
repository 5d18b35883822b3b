package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/petfriendly/recon/internal/pgtest"
)

// copyExport copies the tiny hand-written export used by the verify goldens.
func copyExport(t *testing.T) string {
	t.Helper()
	from := filepath.Join("..", "..", "testdata", "reconcile", "export")
	to := filepath.Join(t.TempDir(), "export")
	err := filepath.Walk(from, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return to
}

func TestImportAndVerifyCommands(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	export := copyExport(t)
	home := t.TempDir()
	base := []string{"--database-url", db.URL, "--home", home, "--no-progress"}
	args := func(a ...string) []string { return append(append([]string{}, base...), a...) }

	code, out, errs := run(t, args("import", "all", "--dir", export, "--dry-run")...)
	if code != 0 || !strings.Contains(out, "simulación") {
		t.Fatalf("dry run: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = run(t, args("import", "all", "--dir", export)...)
	if code != 0 || !strings.Contains(out, "mascotas") || !strings.Contains(out, "completado") {
		t.Fatalf("import all: exit %d\n%s%s", code, out, errs)
	}
	outDir := t.TempDir()
	jsonPath := filepath.Join(outDir, "v.json")
	htmlPath, pdfPath := filepath.Join(outDir, "migration_report.html"), filepath.Join(outDir, "aprobacion.pdf")
	code, out, errs = run(t, args("verify", "--json", jsonPath, "--seed", "42", "--report", htmlPath, "--pdf", pdfPath)...)
	if code != 0 || !strings.Contains(out, "✅ Cada fila de origen tiene un resultado explicado") || !strings.Contains(out, "semilla 42") {
		t.Fatalf("verify: exit %d\n%s%s", code, out, errs)
	}
	if html, err := os.ReadFile(htmlPath); err != nil || !strings.Contains(string(html), "Luna") {
		t.Errorf("verify --report wrote no report naming the pets: %v", err)
	}
	if pdf, err := os.ReadFile(pdfPath); err != nil || !strings.HasPrefix(string(pdf), "%PDF") {
		t.Errorf("verify --pdf wrote no PDF: %v", err)
	}
	b, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"ok", "run_id", "generated_at", "fingerprint", "types", "mismatches", "unexplained", "chains",
		"samples", "missing_fields", "issues_by_severity", "signoff_ready", "corrections"} {
		if _, ok := doc[key]; !ok {
			t.Errorf("verify JSON lacks key %q", key)
		}
	}
	var types map[string]map[string]int
	json.Unmarshal(doc["types"], &types)
	var names []string
	for n, counts := range types {
		names = append(names, n)
		for _, k := range []string{"source_rows", "imported", "merged_duplicates", "rejected", "orphaned", "skipped",
			"destination_rows", "unexplained", "field_mismatches"} {
			if _, ok := counts[k]; !ok {
				t.Errorf("types.%s lacks %q", n, k)
			}
		}
	}
	sort.Strings(names)
	if strings.Join(names, ",") != "appointments,clients,documents,invoice_items,invoices,medical,pets,products,vaccines" {
		t.Errorf("types keys %v", names)
	}

	// A tampered destination verifies with problems: exit 1.
	if _, err := db.Pool.Exec(context.Background(), `UPDATE pets_pet SET name = 'Otra' WHERE name = 'Luna'`); err != nil {
		t.Fatal(err)
	}
	code, out, _ = run(t, args("--lang", "en", "verify")...)
	if code != 1 || !strings.Contains(out, "pets") || !strings.Contains(out, `"Luna" → "Otra"`) {
		t.Fatalf("tampered verify: exit %d\n%s", code, out)
	}
	// An unreachable database cannot be verified: exit 2.
	code, _, _ = run(t, "--database-url", "postgres://x@/nope?host=/nonexistent", "verify")
	if code != 2 {
		t.Fatalf("unreachable verify: exit %d, want 2", code)
	}
}

func TestImportErrors(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "leeme.txt"), []byte("hola\n"), 0o644)
	code, _, errs := run(t, "--database-url", db.URL, "--home", t.TempDir(), "import", "all", "--dir", dir)
	if code != 2 || !strings.Contains(errs, "leeme.txt") && !strings.Contains(errs, "no OkVet export") {
		t.Fatalf("empty export folder: exit %d: %s", code, errs)
	}
	code, _, errs = run(t, "--database-url", db.URL, "import", "pets", "--file", filepath.Join(dir, "no-existe.csv"))
	if code != 2 || !strings.Contains(errs, "no-existe.csv") {
		t.Fatalf("missing file: exit %d: %s", code, errs)
	}
	code, _, errs = run(t, "--database-url", db.URL, "import", "pets", "--file", filepath.Join(dir, "leeme.txt"), "--orphans", "drop")
	if code != 2 || !strings.Contains(errs, "--orphans") {
		t.Fatalf("bad orphan mode: exit %d: %s", code, errs)
	}
}

// A batch left running by a process that died is marked failed by the next
// command, whatever the command.
func TestAnyCommandRecoversInterruptedBatch(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	var id int64
	var empty string
	err := db.Pool.QueryRow(context.Background(), newBatchSQL, batchType(t, "pets"), "running", "").Scan(&empty, &id)
	if err != nil {
		t.Fatal(err)
	}
	// A second one whose database server restarted while it ran (it
	// recorded an older server start): recon may have exited normally.
	var closed int64
	if err := db.Pool.QueryRow(context.Background(), newBatchSQL, batchType(t, "pets"), "running", "").Scan(&empty, &closed); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(context.Background(), `UPDATE migration_migrationbatch SET options = '{"server_started_at": "2000-01-01T00:00:00Z"}' WHERE id = $1`, closed); err != nil {
		t.Fatal(err)
	}
	code, _, errs := run(t, "--database-url", db.URL, "batches")
	if code != 0 || !strings.Contains(errs, "Lotes que quedaron en curso (su proceso terminó o la base de datos se cerró; «recon batches» dice cuál), marcados como fallidos") {
		t.Fatalf("batches: exit %d: %s", code, errs)
	}
	for _, lang := range []struct{ flag, died, closed string }{
		{"es", "interrumpido: el proceso de recon terminó antes de cerrar el lote", "interrumpido: la base de datos se cerró mientras el lote corría"},
		{"en", "interrupted: the recon process ended before closing the batch", "interrupted: the database shut down while the batch ran"},
	} {
		_, out, _ := run(t, "--database-url", db.URL, "--lang", lang.flag, "batches")
		if !strings.Contains(out, fmt.Sprintf(" %d: %s\n", id, lang.died)) || !strings.Contains(out, fmt.Sprintf(" %d: %s\n", closed, lang.closed)) {
			t.Errorf("--lang %s: batches do not say why each was interrupted:\n%s", lang.flag, out)
		}
	}
	var status, msg string
	db.Pool.QueryRow(context.Background(), "SELECT status, notes FROM migration_migrationbatch WHERE id=$1", id).Scan(&status, &msg)
	if status != "failed" || !strings.Contains(msg, "interrupted") {
		t.Errorf("batch %d: %s %q", id, status, msg)
	}
}
