package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/petfriendly/recon/database"
	"github.com/petfriendly/recon/internal/pgtest"
)

func TestMain(m *testing.M) {
	// Import and verify tune the collector for the whole process while they
	// run (memory.go); tests run many of them at once in one process, where
	// one's restore would undo another's setting. The runtime has read its
	// environment already: this only makes them leave the settings alone.
	os.Setenv("GOMEMLIMIT", "off")
	os.Exit(pgtest.Main(m))
}

// run executes the CLI in-process with captured output.
func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestHelpAndParsing(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  []string // substrings of stdout
		wantErr  []string // substrings of stderr
	}{
		{"spanish help by default", []string{"--help"}, 0,
			[]string{"Uso: recon", "Opciones:", "Comandos:", "Muestra la ayuda", "--database-url", "--font-dir=DIR", "RECON_FONT_DIR", "db start"}, nil},
		{"english help", []string{"--lang", "en", "--help"}, 0,
			[]string{"Usage: recon", "Flags:", "Commands:", "Show context-sensitive help", "Destination PostgreSQL URL"}, nil},
		{"english help with equals", []string{"--lang=en", "db", "--help"}, 0,
			[]string{"Start (or reuse) the local PostgreSQL cluster"}, nil},
		{"subcommand help in spanish", []string{"db", "migrate", "--help"}, 0,
			[]string{"Aplica las migraciones"}, nil},
		{"unknown command", []string{"frobnicate"}, 2, nil,
			[]string{"argumento inesperado", "recon --help"}},
		{"unknown command english", []string{"--lang=en", "frobnicate"}, 2, nil,
			[]string{"unexpected argument", "for more information"}},
		{"bad language", []string{"--lang=fr", "version"}, 2, nil,
			[]string{"--lang"}},
		{"version", []string{"version"}, 0, []string{"recon"}, nil},
		{"import all help names --jobs", []string{"import", "all", "--help"}, 0,
			[]string{"--jobs=2", "Archivos de tipos independientes que se cargan a la"}, nil},
		{"jobs out of range", []string{"import", "all", "--dir", ".", "--jobs=0"}, 2, nil,
			[]string{"--jobs=0: debe estar entre 1 y 16"}},
		{"jobs out of range english", []string{"--lang=en", "import", "all", "--dir", ".", "--jobs=17"}, 2, nil,
			[]string{"--jobs=17: must be between 1 and 16"}},
		{"verify help names --jobs", []string{"--lang=en", "verify", "--help"}, 0,
			[]string{"--jobs=0", "Types verified at once (0: one per core)"}, nil},
		{"verify jobs out of range", []string{"verify", "--jobs=17"}, 2, nil,
			[]string{"--jobs=17: debe estar entre 0 y 16"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(t, tt.args...)
			checkRun(t, code, out, errs, tt.wantCode, tt.wantOut, tt.wantErr)
		})
	}
}

// Every command of the product must stay reachable from the tree.
func TestEveryCommandInHelp(t *testing.T) {
	_, out, _ := run(t, "--help")
	for _, cmd := range []string{"db start", "db stop", "db status", "db url", "db migrate", "gen", "inspect", "import all",
		"import clients", "import pets", "import records", "import vaccines", "import products", "import appointments",
		"import invoices", "import invoice-items", "import documents", "rollback", "batches", "issues list", "issues show",
		"issues resolve", "correct", "show", "review", "verify", "report", "compare", "demo", "version"} {
		if !strings.Contains(out, "\n  "+cmd+" ") {
			t.Errorf("command %q missing from help", cmd)
		}
	}
}

func TestDBMigrateExternalTwice(t *testing.T) {
	db := pgtest.MustOpenEmptyDB(t)
	code, out, errs := run(t, "--database-url", db.URL, "db", "migrate")
	if code != 0 || !strings.Contains(out, "Migraciones aplicadas") {
		t.Fatalf("first migrate: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = run(t, "--database-url", db.URL, "db", "migrate")
	if code != 0 || !strings.Contains(out, "ya está al día") {
		t.Fatalf("second migrate: exit %d\n%s%s", code, out, errs)
	}
	code, out, _ = run(t, "--database-url", db.URL, "--lang", "en", "db", "status")
	if code != 0 || !strings.Contains(out, fmt.Sprintf("schema version: %d", latestVersion(t))) {
		t.Fatalf("status: exit %d\n%s", code, out)
	}
	code, out, _ = run(t, "--database-url", db.URL, "db", "url")
	if code != 0 || strings.TrimSpace(out) != db.URL {
		t.Fatalf("url: exit %d %q", code, out)
	}
}

func TestDBUnreachable(t *testing.T) {
	code, _, errs := run(t, "--database-url", "postgres://nobody@/x?host=/nonexistent-recon-socket", "db", "migrate")
	if code != 2 || !strings.Contains(errs, "recon:") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
}

func latestVersion(t *testing.T) int {
	t.Helper()
	ms, err := database.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	return ms[len(ms)-1].Version
}

// homeDir makes a --home the postgres user can reach when tests run as root
// (unless TMPDIR itself is closed to it); its cluster is removed at the end,
// wherever it lives.
func homeDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "recon-home-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755)
	home := filepath.Join(dir, "home")
	t.Cleanup(func() {
		removeCluster(home)
		os.RemoveAll(dir)
	})
	return home
}

// removeCluster stops and deletes the embedded cluster of home.
func removeCluster(home string) {
	if c, err := database.NewCluster(database.ClusterOptions{Dir: filepath.Join(home, "pg")}); err == nil {
		c.Remove(context.Background())
	}
}

func TestEmbeddedClusterCommands(t *testing.T) {
	if pgtest.TestURL() != "" && os.Getenv("CI") == "" {
		t.Skip("external test server configured; embedded cluster not exercised")
	}
	home := homeDir(t)
	t.Setenv("DATABASE_URL", "")
	for _, k := range []string{"PGHOST", "PGDATABASE", "PGSERVICE", "PGPORT"} {
		t.Setenv(k, "")
	}
	h := "--home=" + home
	t.Cleanup(func() { run(t, h, "db", "stop") })

	code, out, errs := run(t, h, "db", "status")
	if code != 1 || !strings.Contains(out, "detenido") {
		t.Fatalf("status before start: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = run(t, h, "db", "start")
	if code != 0 || !strings.Contains(out, "iniciado") {
		t.Fatalf("start: exit %d\n%s%s", code, out, errs)
	}
	code, out, _ = run(t, h, "db", "start")
	if code != 0 || !strings.Contains(out, "ya estaba en marcha") {
		t.Fatalf("second start should reuse: exit %d\n%s", code, out)
	}
	code, out, errs = run(t, h, "db", "migrate")
	if code != 0 {
		t.Fatalf("migrate: exit %d\n%s%s", code, out, errs)
	}
	code, out, _ = run(t, h, "--lang=en", "db", "status")
	if code != 0 || !strings.Contains(out, "running") || !strings.Contains(out, fmt.Sprintf("schema version: %d", latestVersion(t))) {
		t.Fatalf("status: exit %d\n%s", code, out)
	}
	c, err := database.NewCluster(database.ClusterOptions{Dir: filepath.Join(home, "pg")})
	if err != nil {
		t.Fatal(err)
	}
	code, out, _ = run(t, h, "db", "url")
	if code != 0 || !strings.Contains(out, "host="+c.SocketDir()+"&") {
		t.Fatalf("url: exit %d %q, want the socket in %s", code, out, c.SocketDir())
	}
	code, out, _ = run(t, h, "db", "stop")
	if code != 0 || !strings.Contains(out, "detenido") {
		t.Fatalf("stop: exit %d\n%s", code, out)
	}
	code, out, _ = run(t, h, "db", "stop")
	if code != 0 || !strings.Contains(out, "no está en marcha") {
		t.Fatalf("second stop: exit %d\n%s", code, out)
	}
}

// TestEmbeddedClusterInClosedFolder runs the db commands with a home under a
// 0700 folder, like a clone under /root. As root the server runs as postgres,
// which cannot enter it: the cluster is kept in recon's managed folder,
// recorded in the home, and status, stop and a second start find it there.
// Otherwise it lives in the home. The folder's mode is never changed.
func TestEmbeddedClusterInClosedFolder(t *testing.T) {
	closed := filepath.Join(t.TempDir(), "closed")
	if err := os.Mkdir(closed, 0o700); err != nil {
		t.Fatal(err)
	}
	home := filepath.Join(closed, "clone", ".recon")
	t.Setenv("DATABASE_URL", "")
	for _, k := range []string{"PGHOST", "PGDATABASE", "PGSERVICE", "PGPORT"} {
		t.Setenv(k, "")
	}
	h := "--home=" + home
	t.Cleanup(func() { removeCluster(home) })

	code, out, errs := run(t, h, "db", "start")
	if code != 0 || !strings.Contains(out, "iniciado") {
		t.Fatalf("start: exit %d\n%s%s", code, out, errs)
	}
	where := filepath.Join(home, "pg") // where the cluster must be: the home, or the recorded folder as root
	if os.Geteuid() == 0 {
		rec, err := os.ReadFile(filepath.Join(home, "pg", "location"))
		if err != nil {
			t.Fatalf("no location recorded in the home: %v\n%s", err, out)
		}
		where = strings.TrimSpace(string(rec))
		if filepath.Dir(where) != database.DefaultManagedRoot {
			t.Fatalf("recorded location %q is not a folder of %s", where, database.DefaultManagedRoot)
		}
		if !strings.Contains(out, "El usuario postgres no llega a "+filepath.Join(home, "pg")) || !strings.Contains(out, where) {
			t.Errorf("start does not say where the cluster is kept:\n%s", out)
		}
	}
	code, out, _ = run(t, h, "--lang=en", "db", "status")
	if code != 0 || !strings.Contains(out, "Local cluster running") || !strings.Contains(out, "in "+where+";") {
		t.Fatalf("status: exit %d, want running in %s\n%s", code, where, out)
	}
	if os.Geteuid() == 0 && !strings.Contains(out, "The postgres user cannot reach") {
		t.Errorf("status does not explain the location:\n%s", out)
	}
	code, out, _ = run(t, h, "db", "stop")
	if code != 0 || !strings.Contains(out, "Clúster local detenido") {
		t.Fatalf("stop: exit %d\n%s", code, out)
	}
	code, out, _ = run(t, h, "db", "status")
	if code != 1 || !strings.Contains(out, "detenido ("+where+")") {
		t.Fatalf("status after stop: exit %d, want stopped in %s\n%s", code, where, out)
	}
	code, out, errs = run(t, h, "db", "start")
	if code != 0 || !strings.Contains(out, "Clúster local iniciado en "+where) {
		t.Fatalf("second start: exit %d, want started again in %s\n%s%s", code, where, out, errs)
	}
	code, out, errs = run(t, h, "db", "url")
	if code != 0 {
		t.Fatalf("url: exit %d %s", code, errs)
	}
	pool, err := database.Open(context.Background(), strings.TrimSpace(out))
	if err != nil {
		t.Fatalf("connect to %s: %v", out, err)
	}
	defer pool.Close()
	var db string
	if err := pool.QueryRow(context.Background(), "SELECT current_database()").Scan(&db); err != nil || db != database.DefaultDatabase {
		t.Errorf("connected to %q, %v", db, err)
	}
	if fi, err := os.Stat(closed); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("the closed folder's mode changed: %v, %v", fi.Mode(), err)
	}
}

func TestNoBinariesMessage(t *testing.T) {
	code, _, errs := run(t, "--home", t.TempDir(), "--pg-bin", t.TempDir(), "db", "start")
	if code != 2 || !strings.Contains(errs, "apt-get install postgresql") || !strings.Contains(errs, "--database-url") {
		t.Fatalf("exit %d, unhelpful message: %s", code, errs)
	}
	code, _, errs = run(t, "--lang=en", "--home", t.TempDir(), "--pg-bin", t.TempDir(), "db", "status")
	if code != 2 || !strings.Contains(errs, "PostgreSQL was not found") {
		t.Fatalf("exit %d, unhelpful message: %s", code, errs)
	}
}

// checkRun fails t unless a command exited with wantCode and its stdout
// and stderr hold every wanted text.
func checkRun(t *testing.T, code int, out, errs string, wantCode int, wantOut, wantErr []string) {
	t.Helper()
	if code != wantCode {
		t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, wantCode, out, errs)
	}
	for _, w := range wantOut {
		if !strings.Contains(out, w) {
			t.Errorf("stdout lacks %q:\n%s", w, out)
		}
	}
	for _, w := range wantErr {
		if !strings.Contains(errs, w) {
			t.Errorf("stderr lacks %q:\n%s", w, errs)
		}
	}
}
