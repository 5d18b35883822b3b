package reconcile_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/petfriendly/recon/reconcile"
)

// TestVerifySourceFolders checks how verify lists the export files: a
// --source-dir that cannot be read is an error, files that are not exports
// are left out, and an imported folder gone since the import makes its
// files missing rather than failing the run.
func TestVerifySourceFolders(t *testing.T) {
	t.Parallel()
	pool, _ := importTinyExport(t)
	ctx := context.Background()
	opts := func(dir string) reconcile.Options {
		return reconcile.Options{SourceDir: dir, Now: func() time.Time { return testNow }}
	}
	base, err := reconcile.Verify(ctx, pool, opts(""))
	if err != nil {
		t.Fatal(err)
	}
	if len(base.Sources) == 0 {
		t.Fatal("no source files listed")
	}
	imported := filepath.Dir(base.Sources[0].Path)

	missing := filepath.Join(t.TempDir(), "nonexistent")
	if _, err := reconcile.Verify(ctx, pool, opts(missing)); err == nil ||
		!strings.HasPrefix(err.Error(), "read source folder: open "+missing+": no such file or directory") {
		t.Errorf("unreadable source folder: err = %v", err)
	}

	// A copy of the export with files that are not exports beside it.
	copied := filepath.Join(t.TempDir(), "copy")
	copyDir(t, imported, copied)
	for name, data := range map[string]string{"leeme.pdf": "%PDF-1.4 not a table", "foto.bin": "\x00\x01\x02\x03", ".oculto.csv": "id\n1\n"} {
		if err := os.WriteFile(filepath.Join(copied, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := reconcile.Verify(ctx, pool, opts(copied))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range res.Sources {
		if b := filepath.Base(s.Path); b == "leeme.pdf" || b == "foto.bin" || b == ".oculto.csv" {
			t.Errorf("%s listed as a source file: %+v", b, s)
		}
	}

	// The imported folder is gone: its files are missing, the run goes on.
	if err := os.RemoveAll(imported); err != nil {
		t.Fatal(err)
	}
	gone, err := reconcile.Verify(ctx, pool, opts(""))
	if err != nil {
		t.Fatalf("imported folder removed: %v", err)
	}
	if gone.OK || len(gone.Sources) != len(base.Sources) {
		t.Fatalf("imported folder removed: ok=%v, %d sources, want %d missing", gone.OK, len(gone.Sources), len(base.Sources))
	}
	for _, s := range gone.Sources {
		if s.Status != "missing" {
			t.Errorf("%s: status %q, want missing", s.Path, s.Status)
		}
	}
}
