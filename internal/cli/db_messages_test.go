package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/petfriendly/recon/internal/pgtest"
)

// TestDBCheckNamesEveryKindOfSchemaProblem damages a migrated database in
// each way the contract check knows, and `db check` names each problem, in
// both languages, with exit 2.
func TestDBCheckNamesEveryKindOfSchemaProblem(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	if _, err := db.Pool.Exec(context.Background(), `
		ALTER TABLE pets_pet DROP COLUMN color;
		ALTER TABLE pets_pet ALTER COLUMN weight TYPE double precision;
		ALTER TABLE pets_pet ALTER COLUMN notes DROP NOT NULL;
		ALTER TABLE pets_pet ALTER COLUMN birth_date SET NOT NULL;
		ALTER TABLE pets_pet ADD COLUMN clinic_code integer NOT NULL;
		DROP TABLE migration_signoff`); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lang string
		want []string
	}{
		{"es", []string{"el esquema de la base de datos no cumple el contrato de recon (6 problemas)",
			"falta la columna pets_pet.color", "la columna pets_pet.weight es double precision; el contrato dice numeric",
			"la columna pets_pet.notes admite NULL; el contrato dice NOT NULL",
			"la columna pets_pet.birth_date es NOT NULL; el contrato admite NULL",
			"la columna pets_pet.clinic_code (integer) es NOT NULL sin valor por defecto y recon no la escribe",
			"falta la tabla migration_signoff"}},
		{"en", []string{"the database schema does not meet recon's contract (6 problems)",
			"column pets_pet.color (", "is missing", "column pets_pet.weight is double precision, the contract says numeric",
			"column pets_pet.notes allows NULL, the contract says NOT NULL",
			"column pets_pet.birth_date is NOT NULL, the contract allows NULL",
			"column pets_pet.clinic_code (integer) is NOT NULL without a default and recon does not write it",
			"table migration_signoff is missing"}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			code, out, errs := run(t, "--database-url", db.URL, "--lang", tt.lang, "db", "check")
			if code != ExitError || out != "" {
				t.Fatalf("exit %d, want %d; stdout %q", code, ExitError, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errs)
				}
			}
		})
	}
}

// TestDBCommandsOnTheLocalCluster runs the db commands on a local cluster
// whose server binaries fail (fake ones, in --pg-bin): start says initdb
// failed, status and stop say it is not running, url names its socket.
func TestDBCommandsOnTheLocalCluster(t *testing.T) {
	bin, err := os.MkdirTemp("", "recon-fakebin-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(bin) })
	os.Chmod(bin, 0o755)
	for _, name := range []string{"initdb", "pg_ctl", "postgres"} {
		script := "#!/bin/sh\necho '" + name + ": simulated failure' >&2\nexit 1\n"
		if err := os.WriteFile(filepath.Join(bin, name), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	home, err := os.MkdirTemp("", "recon-home-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(home) })
	os.Chmod(home, 0o755)
	for _, k := range []string{"PGHOST", "PGDATABASE", "PGSERVICE", "PGPORT", "DATABASE_URL"} {
		t.Setenv(k, "")
	}
	g := []string{"--home", home, "--pg-bin", bin}
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  []string
		wantErr  []string
	}{
		{"start fails at initdb", []string{"db", "start"}, ExitError, nil, []string{"recon: initdb: initdb: exit status 1", "initdb: simulated failure"}},
		{"status of a stopped cluster", []string{"db", "status"}, ExitProblems, []string{"Clúster local detenido ("},
			[]string{"el clúster local no está en marcha"}},
		{"status in English", []string{"--lang", "en", "db", "status"}, ExitProblems, []string{"Local cluster stopped ("},
			[]string{"the local cluster is not running"}},
		{"stop a stopped cluster", []string{"--lang", "en", "db", "stop"}, 0, []string{"The local cluster is not running."}, nil},
		{"url", []string{"db", "url"}, 0, []string{"postgres://postgres@/recon?host="}, nil},
		{"a command needing the database", []string{"batches"}, ExitError, nil, []string{"clúster local: initdb"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(t, append(append([]string{}, g...), tt.args...)...)
			checkRun(t, code, out, errs, tt.wantCode, tt.wantOut, tt.wantErr)
		})
	}
}
