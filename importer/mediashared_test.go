package importer_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/petfriendly/recon/importer"
	"github.com/petfriendly/recon/internal/pgtest"
)

// sharedExport writes an export with two documents (different content).
func sharedExport(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range map[string]string{
		"clientes.csv":     okClients,
		"mascotas.csv":     okPets,
		"adjuntos/rx.pdf":  "%PDF-1.4 rx",
		"adjuntos/lab.pdf": "%PDF-1.4 lab",
		"documentos.csv": "id,id_paciente,id_cliente,archivo,tipo,descripcion,fecha\n" +
			"D1,P1,C1,adjuntos/rx.pdf,pdf,Rx,2023-01-01\nD2,P2,C2,adjuntos/lab.pdf,pdf,Lab,2023-01-02\n",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestMediaSharedByTwoDatabases replays issue 28: the same export imported
// into two databases of one home, then the rehearsal's documents rolled
// back. The other database still references the files, so they stay and
// it still verifies; once no database references them, they go.
func TestMediaSharedByTwoDatabases(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	prod, rehearsal := pgtest.MustOpenDB(t), pgtest.MustOpenDB(t)
	export, home := sharedExport(t), t.TempDir()
	media := filepath.Join(home, "media")
	cli := func(url string, args ...string) (int, string) {
		return runCLI(t, append([]string{"--database-url", url, "--home", home, "--no-progress", "--lang", "es"}, args...)...)
	}
	for _, db := range []*pgtest.DB{prod, rehearsal} {
		if code, out := cli(db.URL, "import", "all", "--dir", export); code != 0 {
			t.Fatalf("import: exit %d\n%s", code, clipOut(out))
		}
	}
	docsBatch := func(db *pgtest.DB) string {
		var id int64
		if err := db.Pool.QueryRow(ctx, `SELECT id FROM migration_migrationbatch WHERE batch_type = 'documents' AND status = 'completed'`).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return strconv.FormatInt(id, 10)
	}
	stored, err := filepath.Glob(filepath.Join(media, "[0-9a-f][0-9a-f]", "*"))
	if err != nil || len(stored) != 2 {
		t.Fatalf("stored %v, want 2 files (%v)", stored, err)
	}
	code, out := cli(rehearsal.URL, "rollback", "--batch-id", docsBatch(rehearsal))
	if code != 0 {
		t.Fatalf("rollback: exit %d\n%s", code, out)
	}
	for _, f := range stored {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("rolling back the rehearsal removed %s, which the other database references: %v\n%s", f, err, out)
		}
	}
	if !strings.Contains(out, "Adjuntos conservados porque otra base de datos que usa la misma carpeta de medios los referencia: 2") {
		t.Errorf("the rollback does not say why the files were kept:\n%s", out)
	}
	if code, out := cli(prod.URL, "verify", "--source-dir", export); code != 0 {
		t.Fatalf("the other database no longer verifies: exit %d\n%s", code, clipOut(out))
	}
	if left, err := importer.UnreferencedMedia(media); err != nil || len(left) != 0 {
		t.Errorf("unreferenced %v (%v), want none", left, err)
	}
	// A file nothing references (a crash between storing and listing):
	// verify names it.
	stray := filepath.Join(media, "ab", strings.Repeat("ab", 32))
	os.MkdirAll(filepath.Dir(stray), 0o755)
	os.WriteFile(stray, []byte("stray"), 0o644)
	if code, out := cli(prod.URL, "verify", "--source-dir", export); code != 0 ||
		!strings.Contains(out, "1 archivo(s) del almacén de adjuntos") || !strings.Contains(out, "ab/"+strings.Repeat("ab", 32)) {
		t.Errorf("verify: exit %d, want 0 and a notice naming the stray file\n%s", code, clipOut(out))
	}
	os.Remove(stray)
	if code, out := cli(prod.URL, "rollback", "--batch-id", docsBatch(prod)); code != 0 {
		t.Fatalf("second rollback: exit %d\n%s", code, out)
	}
	for _, f := range stored {
		if _, err := os.Stat(f); !os.IsNotExist(err) {
			t.Errorf("%s is referenced by no database and still stored (%v)", f, err)
		}
	}
}

// TestMediaOfFailedBatchRemoved: a documents batch that fails after its
// attachments were stored leaves none of them in the store.
func TestMediaOfFailedBatchRemoved(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.MustOpenDB(t)
	export, home := sharedExport(t), t.TempDir()
	media := filepath.Join(home, "media")
	if _, err := db.Pool.Exec(ctx, `CREATE FUNCTION refuse_documents() RETURNS trigger LANGUAGE plpgsql AS
		$$BEGIN RAISE EXCEPTION 'documents refused by the test'; END$$;
		CREATE TRIGGER refuse_documents BEFORE INSERT ON documents_document FOR EACH ROW EXECUTE FUNCTION refuse_documents()`); err != nil {
		t.Fatal(err)
	}
	code, out := runCLI(t, "--database-url", db.URL, "--home", home, "--no-progress", "--lang", "es", "import", "all", "--dir", export)
	if code == 0 || !strings.Contains(out, "documents refused by the test") {
		t.Fatalf("import: exit %d, want the documents batch failed\n%s", code, clipOut(out))
	}
	if left, _ := filepath.Glob(filepath.Join(media, "[0-9a-f][0-9a-f]", "*")); len(left) != 0 {
		t.Errorf("the failed batch left %v in the media store", left)
	}
	if left, err := importer.UnreferencedMedia(media); err != nil || len(left) != 0 {
		t.Errorf("unreferenced %v (%v), want none", left, err)
	}
}
