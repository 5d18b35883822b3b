package importer_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/petfriendly/recon/internal/pgtest"
)

// TestImportFileRefusals: an unknown type and a file that is not there are
// refused before any batch is recorded.
func TestImportFileRefusals(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	im := newImporter(t, db.Pool, nil)
	dir := t.TempDir()
	clients := writeFile(t, dir, "clientes.csv", clientsCSV)
	missing := filepath.Join(dir, "mascotas.csv")
	tests := []struct {
		typ, path, err string
	}{
		{"gato", clients, `unknown type "gato"`},
		{"pets", missing, "read " + missing + ": open " + missing + ": no such file or directory"},
	}
	for _, tt := range tests {
		if _, err := im.ImportFile(context.Background(), tt.typ, tt.path); err == nil || err.Error() != tt.err {
			t.Errorf("ImportFile(%q, %s): err = %v, want %q", tt.typ, filepath.Base(tt.path), err, tt.err)
		}
	}
	if n := count(t, db.Pool, "SELECT count(*) FROM migration_migrationbatch"); n != 0 {
		t.Errorf("%d batches recorded for refused files", n)
	}
}
