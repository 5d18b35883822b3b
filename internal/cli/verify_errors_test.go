package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/petfriendly/recon/internal/pgtest"
)

// TestVerifyCommandFailures: verify stops with exit 2 and the reason when
// its mapping is wrong, the JSON cannot be written, or a table it records
// into or reads the sign-off from is gone; nothing is reported as verified.
func TestVerifyCommandFailures(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	badMapping := filepath.Join(dir, "mapping.toml")
	if err := os.WriteFile(badMapping, []byte("[columns.clients]\nfavorito = true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "no-existe", "verificacion.json")
	db := pgtest.MustOpenDB(t)
	noSignoffs, noRuns := pgtest.MustOpenDB(t), pgtest.MustOpenDB(t)
	if _, err := noSignoffs.Pool.Exec(context.Background(), `DROP TABLE migration_signoff`); err != nil {
		t.Fatal(err)
	}
	if _, err := noRuns.Pool.Exec(context.Background(), `DROP TABLE migration_verificationrun CASCADE`); err != nil {
		t.Fatal(err)
	}
	// On a database Django manages, recon checks the schema before it works
	// and names the missing table; on its own, it fails where it needs it.
	runsGone := []string{"recon: save verification run: ERROR: relation \"migration_verificationrun\" does not exist"}
	signoffsGone := []string{"recon: load sign-off: ERROR: relation \"migration_signoff\" does not exist"}
	if pgtest.SchemaCreator() == "django" {
		runsGone = []string{"recon: el esquema de la base de datos no cumple el contrato de recon (1 problemas)",
			"falta la tabla migration_verificationrun"}
		signoffsGone = []string{"recon: the database schema does not meet recon's contract (1 problems)",
			"table migration_signoff is missing"}
	}
	tests := []struct {
		name     string
		url      string
		args     []string
		wantCode int
		wantOut  []string
		wantErr  []string
		notOut   []string
	}{
		{"mapping with unknown keys", db.URL, []string{"verify", "--mapping", badMapping}, ExitError, nil,
			[]string{"recon: mapping " + badMapping + ": toml: line 2", "incompatible types"}, []string{"RESULTADO"}},
		{"json into a missing folder", db.URL, []string{"verify", "--json", missing}, ExitError, nil,
			[]string{"recon: --json " + missing + ": la carpeta " + filepath.Dir(missing) + " no existe; créela o elija otra antes de verificar"}, []string{"RESULTADO"}},
		{"run table dropped", noRuns.URL, []string{"verify"}, ExitError, nil, runsGone, []string{"RESULTADO"}},
		{"sign-off table dropped", noSignoffs.URL, []string{"--lang", "en", "verify"}, ExitError, nil, signoffsGone, []string{"RESULT"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(t, append([]string{"--database-url", tt.url, "--home", t.TempDir(), "--no-progress"}, tt.args...)...)
			checkRun(t, code, out, errs, tt.wantCode, tt.wantOut, tt.wantErr)
			for _, w := range tt.notOut {
				if strings.Contains(out, w) {
					t.Errorf("stdout has %q after the failure:\n%s", w, out)
				}
			}
		})
	}
}
