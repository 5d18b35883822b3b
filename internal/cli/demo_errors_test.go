package cli

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/petfriendly/recon/internal/pgtest"
)

// unprivilegedURL returns a URL reaching db as a new login role that owns
// nothing and may create nothing: every statement that needs a privilege
// fails as it would for a misconfigured account.
func unprivilegedURL(t *testing.T, db *pgtest.DB) string {
	t.Helper()
	u, err := url.Parse(db.URL)
	if err != nil || u.Scheme == "" {
		t.Fatalf("test database URL %q is not a URL: %v", db.URL, err)
	}
	role := "nopriv_" + db.Name
	ctx := context.Background()
	if _, err := db.Pool.Exec(ctx, "CREATE ROLE "+pgx.Identifier{role}.Sanitize()+" LOGIN NOCREATEDB"); err != nil {
		t.Fatalf("create role: %v", err)
	}
	t.Cleanup(func() {
		// The database, dropped after this cleanup, may still hold the role's sessions.
		db.Pool.Exec(context.Background(), "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1", role)
		if _, err := db.Pool.Exec(context.Background(), "DROP ROLE IF EXISTS "+pgx.Identifier{role}.Sanitize()); err != nil {
			t.Errorf("drop role %s: %v", role, err)
		}
	})
	u.User = url.User(role)
	return u.String()
}

// TestDemoFailures: the demo stops at the step that fails and names it:
// an output folder that cannot be made, a server that cannot be reached or
// refuses to create the demo database, and outputs that cannot be written
// after each rehearsal.
func TestDemoFailures(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	nopriv := unprivilegedURL(t, db)
	file := filepath.Join(t.TempDir(), "archivo")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	// blocked returns a demo folder where name is a folder, so writing the
	// file of that name fails.
	blocked := func(name string) string {
		out := filepath.Join(t.TempDir(), "demo")
		if err := os.MkdirAll(filepath.Join(out, name), 0o755); err != nil {
			t.Fatal(err)
		}
		return out
	}
	tests := []struct {
		name     string
		url      string
		out      string
		wantCode int
		wantOut  []string
		wantErr  []string
		notOut   []string
	}{
		{name: "output under a file", url: db.URL, out: filepath.Join(file, "demo"), wantCode: ExitError,
			wantErr: []string{"recon: demo: ", "not a directory"}, notOut: []string{"Ensayo 1"}},
		{name: "server unreachable", url: "postgres://nobody@/x?host=/nonexistent-recon-socket", out: filepath.Join(t.TempDir(), "demo"),
			wantCode: ExitError, wantOut: []string{"Ensayo 1 (--orphans=flag)", `a. Base de datos nueva "recon_demo"`},
			wantErr: []string{"recon: demo: connect: ", "nonexistent-recon-socket"}},
		{name: "role may not create databases", url: nopriv, out: filepath.Join(t.TempDir(), "demo"), wantCode: ExitError,
			wantErr: []string{"recon: demo: create database recon_demo: ERROR: permission denied to create database"}, notOut: []string{"b. Importando"}},
		{name: "first verification cannot be written", url: db.URL, out: blocked("verificacion-1.txt"), wantCode: ExitError,
			wantOut: []string{"los conteos coinciden con expected.json", "c. Verificando ..."},
			wantErr: []string{"recon: demo: open ", "verificacion-1.txt: is a directory"}, notOut: []string{"Ensayo 2"}},
		{name: "second verification cannot be written", url: db.URL, out: blocked("verificacion-2.json"), wantCode: ExitError,
			wantOut: []string{"Ensayo 2 (--orphans=placeholder)"}, wantErr: []string{"recon: demo: ", "verificacion-2.json"},
			notOut: []string{"Informes del ensayo 2"}},
		{name: "comparison cannot be written", url: db.URL, out: blocked("comparison.html"), wantCode: ExitError,
			wantOut: []string{"Informes del ensayo 2:"}, wantErr: []string{"recon: demo: ", "comparison.html"},
			notOut: []string{"Resultados en "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := []string{"--database-url", tt.url, "--home", t.TempDir(), "--no-progress", "demo", "--out", tt.out}
			if tt.url == db.URL { // the others create no database: the default name stays in their messages
				args = append(args, demoArgs(t, db)...)
			} else {
				args = append(args, "--scale", "0.04")
			}
			code, out, errs := run(t, args...)
			checkRun(t, code, out, errs, tt.wantCode, tt.wantOut, tt.wantErr)
			for _, w := range tt.notOut {
				if strings.Contains(out, w) {
					t.Errorf("stdout has %q after the failure:\n%s", w, out)
				}
			}
		})
	}
}
