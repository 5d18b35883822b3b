package importer_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/petfriendly/recon/internal/pgtest"
)

// TestRejectFilesPerDatabase: two databases imported from one home both
// start at batch 1; each keeps its own reject file.
func TestRejectFilesPerDatabase(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "clientes.csv"), []byte(clientHeader+",Sin Id,CC,1,,3001234567,a@example.com,,,,,\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	re := regexp.MustCompile(`(/\S+/rejects/\S+/1-clients\.csv)`)
	var paths []string
	for range 2 {
		db := pgtest.MustOpenDB(t)
		code, out := runCLI(t, "--database-url", db.URL, "--home", home, "--no-progress", "--lang", "en", "import", "all", "--dir", dir)
		m := re.FindStringSubmatch(out)
		if code != 0 || m == nil {
			t.Fatalf("exit %d, no reject file named:\n%s", code, out)
		}
		paths = append(paths, m[1])
	}
	if paths[0] == paths[1] {
		t.Fatalf("both databases wrote %s", paths[0])
	}
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			t.Fatal(err)
		}
	}
}
