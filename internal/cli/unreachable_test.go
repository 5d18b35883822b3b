package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/petfriendly/recon/internal/pgtest"
)

// TestEveryCommandReportsAnUnreachableDatabase runs each command that
// needs the database against a server that is not there: each stops with
// exit 2 and a "recon:" message naming where it tried to connect, before
// doing anything else (no file written, nothing printed on stdout).
func TestEveryCommandReportsAnUnreachableDatabase(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "clientes.csv")
	if err := os.WriteFile(file, []byte(rollbackClients), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	const socket = "/nonexistent-recon-socket"
	tests := [][]string{
		{"db", "status"},
		{"db", "check"},
		{"db", "migrate"},
		{"import", "clients", "--file", file},
		{"import", "all", "--dir", dir},
		{"rollback", "--batch-id", "1"},
		{"batches"},
		{"issues", "list"},
		{"issues", "show", "1"},
		{"issues", "resolve", "1", "--resolution", "x", "--by", "y"},
		{"correct", "--type", "pet", "--source-id", "P1", "--set", "nombre=x", "--reason", "r", "--by", "y"},
		{"show", "--type", "pet", "--source-id", "P1"},
		{"verify", "--json", out + ".json"},
		{"report", "--json", out + ".json"},
		{"compare"},
	}
	for _, args := range tests {
		t.Run(strings.Join(args[:min(2, len(args))], " "), func(t *testing.T) {
			all := append([]string{"--database-url", "postgres://nobody@/x?host=" + socket, "--home", t.TempDir(), "--no-progress"}, args...)
			code, stdout, stderr := run(t, all...)
			if code != ExitError || (!strings.Contains(stderr, "\nrecon: ") && !strings.HasPrefix(stderr, "recon: ")) || !strings.Contains(stderr, socket) {
				t.Errorf("exit %d, want %d; stderr %q", code, ExitError, stderr)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
			if _, err := os.Stat(out + ".json"); err == nil {
				t.Errorf("%s written", out+".json")
			}
		})
	}
}

// TestCommandsRefuseWhileTheLockIsHeld: import and verify, like rollback,
// stop at once with the holder named when another command holds the lock,
// and go ahead once it is released.
func TestCommandsRefuseWhileTheLockIsHeld(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	dir := t.TempDir()
	file := filepath.Join(dir, "clientes.csv")
	if err := os.WriteFile(file, []byte(rollbackClients), 0o644); err != nil {
		t.Fatal(err)
	}
	base := []string{"--database-url", db.URL, "--home", t.TempDir(), "--no-progress"}
	tests := []struct {
		name    string
		holder  string
		args    []string
		wantErr []string
	}{
		{"import while a rollback runs", "rollback", []string{"import", "clients", "--file", file},
			[]string{"otra importación, reversión o verificación está en curso", "reversión desde"}},
		{"verify while an import runs, in English", "import", []string{"--lang", "en", "verify"},
			[]string{"another import, rollback or verification is running", "import since"}},
		{"import all while a verification runs", "verify", []string{"import", "all", "--dir", dir},
			[]string{"verificación desde"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			release := holdLock(ctx, db, tt.holder)(t)
			code, _, errs := run(t, append(append([]string{}, base...), tt.args...)...)
			release()
			if code != ExitError {
				t.Errorf("exit %d, want %d\n%s", code, ExitError, errs)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errs)
				}
			}
			var n int
			if err := db.Pool.QueryRow(ctx, "SELECT count(*) FROM vet_clinic_ownerprofile").Scan(&n); err != nil || n != 0 {
				t.Errorf("%d owners written while the lock was held (%v)", n, err)
			}
		})
	}
	if code, out, errs := run(t, append(append([]string{}, base...), "import", "clients", "--file", file)...); code != 0 {
		t.Fatalf("import once the lock is free: exit %d\n%s%s", code, out, errs)
	}
}
