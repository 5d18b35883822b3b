package cli

import (
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/petfriendly/recon/internal/pgtest"
)

// TestCommandsStopBeforeWork: review, import and correct stop with exit 2
// and the reason, before touching any data, when their mapping file is
// broken, the database cannot be reached, or the review address is taken.
func TestCommandsStopBeforeWork(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "mapping.toml")
	if err := os.WriteFile(bad, []byte("[columns.pets]\nPeso = 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	export := copyExport(t)
	db := pgtest.MustOpenDB(t)
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	nowhere := "postgres://nobody@/x?host=/nonexistent-recon-socket"
	mappingErr := "recon: mapping " + bad + ": toml: line 2"
	correct := []string{"correct", "--type", "pet", "--source-id", "P1", "--set", "peso=2 kg", "--reason", "pesada", "--by", "ana"}
	tests := []struct {
		name     string
		url      string
		args     []string
		wantCode int
		wantErr  []string
	}{
		{"review: broken mapping", db.URL, []string{"review", "--addr", "127.0.0.1:0", "--mapping", bad}, ExitError, []string{mappingErr}},
		{"review: database unreachable", nowhere, []string{"review", "--addr", "127.0.0.1:0"}, ExitError,
			[]string{"recon: connect to ", "nonexistent-recon-socket"}},
		{"review: address taken", db.URL, []string{"review", "--addr", taken.Addr().String()}, ExitError,
			[]string{"recon: abrir la página de revisión: listen tcp " + taken.Addr().String() + ": bind: address already in use"}},
		{"review in english: address taken", db.URL, []string{"--lang", "en", "review", "--addr", taken.Addr().String()}, ExitError,
			[]string{"recon: open the review page: listen tcp " + taken.Addr().String()}},
		{"import: broken mapping", db.URL, []string{"import", "all", "--dir", export, "--mapping", bad}, ExitError, []string{mappingErr}},
		{"import: database unreachable", nowhere, []string{"import", "all", "--dir", export}, ExitError,
			[]string{"recon: connect to ", "nonexistent-recon-socket"}},
		{"correct: broken mapping", db.URL, append(append([]string{}, correct...), "--mapping", bad), ExitError, []string{mappingErr}},
		{"correct: database unreachable", nowhere, correct, ExitError, []string{"recon: connect to ", "nonexistent-recon-socket"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(t, append([]string{"--database-url", tt.url, "--home", t.TempDir(), "--no-progress"}, tt.args...)...)
			checkRun(t, code, out, errs, tt.wantCode, nil, tt.wantErr)
		})
	}
	var batches int
	if err := db.Pool.QueryRow(t.Context(), `SELECT count(*) FROM migration_migrationbatch`).Scan(&batches); err != nil || batches != 0 {
		t.Errorf("%d batches after commands that should not have run: %v", batches, err)
	}
}
