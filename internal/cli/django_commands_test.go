package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/petfriendly/recon/internal/pgtest"
	"github.com/petfriendly/recon/source"
)

// buildRecon compiles this tree's recon for tests that run it as a program.
func buildRecon(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "recon")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/petfriendly/recon/cmd/recon").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// tinyExport is a complete export of every type, a few rows each:
// testdata/reconcile/export plus testdata/django-export's four files.
func tinyExport(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "export")
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "..", "testdata", "reconcile", "export"))); err != nil {
		t.Fatal(err)
	}
	extra, err := filepath.Glob(filepath.Join("testdata", "django-export", "*.csv"))
	if err != nil || len(extra) != 4 {
		t.Fatalf("testdata/django-export: %v %v", extra, err)
	}
	for _, f := range extra {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// exitCode runs cmd and returns its exit code and its output.
func exitCode(t *testing.T, cmd *exec.Cmd) (int, string) {
	t.Helper()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0, out.String()
	case errors.As(err, &ee):
		return ee.ExitCode(), out.String()
	}
	t.Fatalf("%v: %v\n%s", cmd.Args, err, out.String())
	return -1, ""
}

// The story's management commands (issue 27 item 7) run recon against the
// project's own DATABASES setting and exit with recon's code.
func TestDjangoManagementCommands(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := djangoDB(t)
	bin := buildRecon(t)
	export := tinyExport(t)
	home := t.TempDir()
	work := t.TempDir()
	manage := func(env []string, args ...string) (int, string) {
		t.Helper()
		cmd, err := pgtest.ManageCmd(ctx, db.URL, args...)
		if err != nil {
			t.Fatal(err)
		}
		cmd.Env = append(append(cmd.Env, "RECON_BIN="+bin, "RECON_HOME="+home, "RECON_OPERATOR=ana@clinica.co"), env...)
		return exitCode(t, cmd)
	}
	recon := func(args ...string) (int, string) {
		t.Helper()
		cmd := exec.CommandContext(ctx, bin, append([]string{"--database-url", db.URL, "--home", home, "--no-progress"}, args...)...)
		return exitCode(t, cmd)
	}
	batch := func() (id int64, typ, status string) {
		t.Helper()
		if err := db.Pool.QueryRow(ctx, `SELECT id, batch_type, status FROM migration_migrationbatch ORDER BY id DESC LIMIT 1`).
			Scan(&id, &typ, &status); err != nil {
			t.Fatal(err)
		}
		return id, typ, status
	}

	// One command per type, named after recon's subcommand: each turns its
	// options into that recon command, which recon accepts.
	listing, err := pgtest.Manage(ctx, db.URL, "shell", "-c", `
import json
from django.core.management import get_commands, load_command_class
out = {}
for name, app in sorted(get_commands().items()):
    if app == "migration" and name.startswith("import_okvet_"):
        cmd = load_command_class(app, name)
        args = ["--dir=D"] if name == "import_okvet_all" else ["--file=F"]
        out[name] = cmd.recon_argv(vars(cmd.create_parser("manage.py", name).parse_args(args + ["--dry-run", "--", "--jobs=1"])))
print(json.dumps(out))`)
	if err != nil {
		t.Fatal(err)
	}
	var argvs map[string][]string
	if err := json.Unmarshal(listing, &argvs); err != nil {
		t.Fatalf("%v\n%s", err, listing)
	}
	wantArgv := map[string][]string{"import_okvet_all": {"import", "all", "--dir=D", "--dry-run", "--jobs=1"}}
	for _, ty := range source.Types() {
		sub := map[string]string{"medical": "records", "invoice_items": "invoice-items"}[ty.Name]
		if sub == "" {
			sub = ty.Name
		}
		wantArgv["import_okvet_"+strings.ReplaceAll(sub, "-", "_")] = []string{"import", sub, "--file=F", "--dry-run", "--jobs=1"}
	}
	if !reflect.DeepEqual(argvs, wantArgv) {
		t.Errorf("import commands and the recon commands they run:\n got %v\nwant %v", argvs, wantArgv)
	}
	for name, argv := range argvs {
		if code, _, errs := run(t, argv[0], argv[1], "--help"); code != 0 {
			t.Errorf("%s runs recon %s %s, which recon refuses: %s", name, argv[0], argv[1], errs)
		}
	}

	// End to end: one file, then the whole folder (the clients again, unchanged).
	if code, out := manage(nil, "import_okvet_clients", "--file="+filepath.Join(export, "clientes.csv"), "--batch-size=50"); code != 0 {
		t.Fatalf("import_okvet_clients: exit %d\n%s", code, out)
	}
	if _, typ, status := batch(); typ != "clients" || status != "completed" {
		t.Errorf("import_okvet_clients: last batch %s %s", typ, status)
	}
	if code, out := manage(nil, "import_okvet_all", "--dir="+export, "--", "--jobs=1"); code != 0 {
		t.Fatalf("import_okvet_all: exit %d\n%s", code, out)
	}
	var types, unchanged, batches int
	if err := db.Pool.QueryRow(ctx, `SELECT count(DISTINCT batch_type), count(*) FILTER (WHERE batch_type = 'clients' AND unchanged_count > 0 AND imported_count = 0),
		count(*) FROM migration_migrationbatch WHERE status = 'completed'`).Scan(&types, &unchanged, &batches); err != nil {
		t.Fatal(err)
	}
	if types != len(source.Types()) || unchanged != 1 || batches != len(source.Types())+1 {
		t.Errorf("after import_okvet_clients and import_okvet_all: %d completed batches of %d types, %d clients batch with only unchanged rows; want %d, %d, 1",
			batches, types, unchanged, len(source.Types())+1, len(source.Types()))
	}

	// verify_migration exits as recon verify does, verified and not.
	for _, tamper := range []string{"", `UPDATE pets_pet SET name = 'Otra' WHERE external_id = 'P1'`} {
		if tamper != "" {
			if _, err := db.Pool.Exec(ctx, tamper); err != nil {
				t.Fatal(err)
			}
		}
		want, rout := recon("verify")
		report := filepath.Join(work, "r"+strconv.Itoa(want)+".html")
		code, out := manage(nil, "verify_migration", "--report="+report)
		if code != want {
			t.Errorf("tamper %q: verify_migration exit %d, recon verify %d\n%s\n%s", tamper, code, want, out, rout)
		}
		if st, err := os.Stat(report); err != nil || st.Size() == 0 {
			t.Errorf("verify_migration --report: %v", err)
		}
		if wantCode := map[bool]int{true: 0, false: 1}[tamper == ""]; want != wantCode {
			t.Errorf("tamper %q: recon verify exit %d, want %d\n%s", tamper, want, wantCode, rout)
		}
	}

	output := filepath.Join(work, "comparison.html")
	want, _ := recon("compare", "--output", filepath.Join(work, "recon-comparison.html"))
	if code, out := manage(nil, "compare_migration", "--output="+output); code != want || code != 0 {
		t.Errorf("compare_migration: exit %d, recon compare %d\n%s", code, want, out)
	}
	if st, err := os.Stat(output); err != nil || st.Size() == 0 {
		t.Errorf("compare_migration --output: %v", err)
	}

	last, typ, _ := batch()
	if code, out := manage(nil, "rollback_migration", "--batch-id="+strconv.FormatInt(last, 10)); code != 0 {
		t.Fatalf("rollback_migration: exit %d\n%s", code, out)
	}
	if id, _, status := batch(); id != last || status != "rolled_back" {
		t.Errorf("batch %d (%s) after rollback_migration: %s", id, typ, status)
	}
	code, out := manage([]string{"RECON_BIN=" + filepath.Join(work, "no-recon")}, "verify_migration")
	if code != 2 || !strings.Contains(out, "RECON_BIN=") {
		t.Errorf("verify_migration without recon: exit %d, want 2 naming RECON_BIN\n%s", code, out)
	}
}
