package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/petfriendly/recon/database"
)

// fakeSteps are the shell snippets a fake recon runs for each command the
// harness gives it; $out is gen's --out folder, $db import's and verify's
// --database-url and $json verify's report, which holds the content
// fingerprint content ("c0ffee" if empty) before the snippet runs. An empty
// snippet succeeds without output.
type fakeSteps struct {
	start, url, gen, imp, verify string
	content                      string
}

// fakeRecon writes a shell script standing in for the recon binary.
func fakeRecon(t *testing.T, s fakeSteps) string {
	t.Helper()
	or := func(snippet string) string {
		if snippet == "" {
			return ":"
		}
		return snippet
	}
	content := s.content
	if content == "" {
		content = "c0ffee"
	}
	return fakeTool(t, "recon", `out=; db=; json=
for a in "$@"; do
	case "$a" in
	--out=*) out="${a#--out=}" ;;
	--database-url=*) db="${a#--database-url=}" ;;
	--json=*) json="${a#--json=}"; echo '{"content_fingerprint": "`+content+`"}' > "$json" ;;
	esac
done
case "$*" in
*"db start"*) `+or(s.start)+` ;;
*"db url"*) `+or(s.url)+` ;;
*"db stop"*) : ;;
*" gen "*) mkdir -p "$out"; `+or(s.gen)+` ;;
*"import all"*) `+or(s.imp)+` ;;
*" verify "*) `+or(s.verify)+` ;;
*) echo "fake recon: unexpected arguments $*" >&2; exit 99 ;;
esac
`)
}

// TestRunSetupFailures checks that each way the bench cluster can fail to
// come up is reported, without a PostgreSQL server.
func TestRunSetupFailures(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	noServer := "echo postgres://postgres@/recon?host=/nonexistent\\&port=1"
	tests := []struct {
		name  string
		recon string
		work  string
		err   string
		log   string // expected in the run's output
	}{
		{"recon missing", filepath.Join(t.TempDir(), "recon"), "", "recon binary: stat ", "stop the bench cluster: "},
		{"work under a file", fakeRecon(t, fakeSteps{}), filepath.Join(file, "work"), file + ": not a directory", ""},
		{"start fails", fakeRecon(t, fakeSteps{start: "echo 'port 5432 in use'; exit 1"}), "", "start the bench cluster: exit status 1: port 5432 in use", ""},
		{"url fails", fakeRecon(t, fakeSteps{url: "exit 3"}), "", "bench cluster url: exit status 3", ""},
		{"url empty", fakeRecon(t, fakeSteps{url: "echo"}), "", "bench cluster url: empty", ""},
		{"no server", fakeRecon(t, fakeSteps{url: noServer}), "", "connect to the bench cluster: ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			work := tt.work
			if work == "" {
				work = filepath.Join(t.TempDir(), "work")
			}
			var out bytes.Buffer
			res, err := Run(context.Background(), Options{Recon: tt.recon, Work: work, Scales: []int{1}, Out: &out})
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("err = %v, want %q", err, tt.err)
			}
			if res != nil {
				t.Errorf("result %+v after a failed setup", res)
			}
			if strings.Contains(out.String(), "] bench cluster: ") {
				t.Errorf("the run logged a cluster it did not reach:\n%s", out.String())
			}
			if tt.log != "" && !strings.Contains(out.String(), tt.log) {
				t.Errorf("output lacks %q:\n%s", tt.log, out.String())
			}
		})
	}

	// Without pgloader on the PATH the peer step becomes a note.
	t.Setenv("PATH", t.TempDir())
	var out bytes.Buffer
	_, err := Run(context.Background(), Options{Recon: fakeRecon(t, fakeSteps{url: noServer}), Work: filepath.Join(t.TempDir(), "work"),
		PGLoader: true, Out: &out})
	if err == nil || !strings.Contains(err.Error(), "connect to the bench cluster: ") {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(out.String(), "note: pgloader is not installed") {
		t.Errorf("no pgloader note:\n%s", out.String())
	}
}

// benchCluster starts a private PostgreSQL cluster for the harness to
// measure and returns its URL.
func benchCluster(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster; skipped with -short")
	}
	bin, err := database.FindBinaries()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI must have PostgreSQL (apt-get install postgresql): %v", err)
		}
		t.Skip("PostgreSQL binaries not installed (apt-get install postgresql)")
	}
	dir := filepath.Dir(workDir(t)) // reachable by the postgres user when root
	c, err := database.NewCluster(database.ClusterOptions{Dir: filepath.Join(dir, "pg"), BinDir: bin})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if _, err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := c.Remove(context.Background()); err != nil {
			t.Errorf("remove the cluster: %v", err)
		}
	})
	return c.URL(database.DefaultDatabase)
}

// TestRunStepFailures runs the harness against a real cluster with a fake
// recon (and a fake pgloader) that fail one step each, and checks that the
// failing step is named with its output, and that a verification that
// finds problems (exit 1) still counts as a full run.
func TestRunStepFailures(t *testing.T) {
	url := benchCluster(t)
	psql, err := findTool("psql")
	if err != nil {
		t.Fatal(err)
	}
	urlStep := "echo '" + url + "'"
	goodCSV := `printf 'id,name\n1,Ana\n2,Luis\n' > "$out/clientes.csv"`
	sql := func(stmts string) string { return psql + ` -X -q -v ON_ERROR_STOP=1 -d "$db" -c "` + stmts + `"` }
	batch := "CREATE TABLE migration_migrationbatch (total_records int, status text); " +
		"INSERT INTO migration_migrationbatch VALUES (5, 'completed'), (7, 'failed'), (4, 'completed')"
	var emptyTables string
	for _, tb := range schemaTables {
		emptyTables += "CREATE TABLE " + tb + " (); "
	}
	fakePGL := fakeTool(t, "pgloader", `if [ "$1" = --version ]; then echo 'pgloader version "3.6.9"'; echo 'compiled with SBCL'; exit 0; fi
echo 'FATAL: could not connect'; exit 1
`)

	tests := []struct {
		name     string
		steps    fakeSteps
		pgloader bool
		err      string
	}{
		{"gen fails", fakeSteps{gen: "echo 'disk full' >&2; exit 4"}, false, "recon gen: exit status 4: disk full"},
		{"no csv", fakeSteps{}, false, "no CSV file in "},
		{"empty csv", fakeSteps{gen: `: > "$out/clientes.csv"`}, false, "clientes.csv: EOF"},
		{"floor fails", fakeSteps{gen: `printf 'id,name\n1,Ana,extra\n' > "$out/clientes.csv"`}, false, "floor (psql \\copy): exit status 3: "},
		{"pgloader fails", fakeSteps{gen: goodCSV}, true, "pgloader: exit status 1: FATAL: could not connect"},
		{"import fails", fakeSteps{gen: goodCSV, imp: "echo 'cannot read the export'; exit 2"}, false, "recon import all: exit status 2: cannot read the export"},
		{"import writes nothing", fakeSteps{gen: goodCSV}, false, `relation "migration_migrationbatch" does not exist`},
		{"verify fails", fakeSteps{gen: goodCSV, imp: sql(batch), verify: "echo 'verify crashed'; exit 2"}, false, "recon verify: exit status 2: verify crashed"},
		{"verify reports no content fingerprint", fakeSteps{gen: goodCSV, imp: sql(batch), verify: `echo '{}' > "$json"`}, false,
			"has no content fingerprint"},
		{"schema floor dump fails", fakeSteps{gen: goodCSV, imp: sql(batch), verify: "exit 1"}, false, `schema floor dump: exit status 3: `},
		{"schema floor load fails", fakeSteps{gen: goodCSV, imp: sql(strings.Replace(emptyTables, "CREATE TABLE migration_migrationbatch ();", batch+";", 1)), verify: "exit 1"}, false,
			"schema floor load: exit status 3: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.steps.url = urlStep
			if tt.pgloader {
				t.Setenv("PATH", filepath.Dir(fakePGL)+string(os.PathListSeparator)+os.Getenv("PATH"))
			}
			var out bytes.Buffer
			res, err := Run(t.Context(), Options{Recon: fakeRecon(t, tt.steps), Work: workDir(t), Scales: []int{1}, Reps: 1, Seed: 1,
				PGLoader: tt.pgloader, Out: &out})
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("err = %v, want %q\n%s", err, tt.err, out.String())
			}
			if res == nil || len(res.Scales) != 0 {
				t.Fatalf("result %+v: want the run's result without the failed scale", res)
			}
			if tt.pgloader && res.Machine.PGLoader != `pgloader version "3.6.9"` {
				t.Errorf("Machine.PGLoader = %q", res.Machine.PGLoader)
			}
		})
	}

	// The revision before wrote other content: the before-and-after is void.
	t.Run("before and now differ", func(t *testing.T) {
		tables := strings.Replace(emptyTables, "migration_migrationbatch ()", "migration_migrationbatch (total_records int, status text)", 1)
		steps := fakeSteps{url: urlStep, gen: goodCSV, imp: sql(tables), content: "new"}
		before := steps
		before.content = "0ld"
		var out bytes.Buffer
		res, err := Run(t.Context(), Options{Recon: fakeRecon(t, steps), Before: fakeRecon(t, before), BeforeRev: "r1", Work: workDir(t),
			Scales: []int{1}, Reps: 1, Out: &out})
		if want := "scale 1: the database content differs: content fingerprint 0ld before (r1), new now"; err == nil || err.Error() != want {
			t.Fatalf("err = %v, want %q\n%s", err, want, out.String())
		}
		if res.BeforeRev != "r1" || len(res.Scales) != 0 {
			t.Errorf("result %+v", res)
		}
	})

	// Every step succeeds; verification exits 1 (problems found), which
	// still counts as a run, with a note. The schema floor loads the
	// (empty) tables the fake import created.
	t.Run("problems found", func(t *testing.T) {
		tables := strings.Replace(emptyTables, "migration_migrationbatch ()", "migration_migrationbatch (total_records int, status text)", 1)
		steps := fakeSteps{url: urlStep, gen: goodCSV, imp: sql(tables), verify: "echo '2 problems'; exit 1"}
		res, err := Run(t.Context(), Options{Recon: fakeRecon(t, steps), Work: workDir(t), Scales: []int{1}, Reps: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Scales) != 1 {
			t.Fatalf("scales %+v", res.Scales)
		}
		sr := res.Scales[0]
		if sr.Rows != 2 || sr.Files != 1 {
			t.Errorf("floor: %d rows in %d files, want 2 in 1", sr.Rows, sr.Files)
		}
		ver := sr.Steps[StepVerify]
		if len(ver) != 1 || ver[0].Note != "exit 1 (problems found)" || ver[0].ExitOK {
			t.Errorf("verify measurements %+v", ver)
		}
		if len(sr.Steps[StepSchema]) != 1 || !sr.Steps[StepSchema][0].ExitOK {
			t.Errorf("schema floor measurements %+v", sr.Steps[StepSchema])
		}
	})

	// Without scales the run still writes its (empty) result, with the
	// defaults: three repetitions, the side-by-side section.
	t.Run("no scales", func(t *testing.T) {
		dir := t.TempDir()
		data, doc := filepath.Join(dir, "data"), filepath.Join(dir, "performance.md")
		res, err := Run(t.Context(), Options{Recon: fakeRecon(t, fakeSteps{url: urlStep}), Work: workDir(t), DataDir: data, Doc: doc})
		if err != nil {
			t.Fatal(err)
		}
		if res.Reps != 3 || res.Section != SectionSideBySide || !strings.HasPrefix(res.Machine.Postgres, "PostgreSQL ") {
			t.Errorf("result %+v", res)
		}
		b, err := os.ReadFile(filepath.Join(data, SectionSideBySide+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var saved Result
		if err := json.Unmarshal(b, &saved); err != nil || saved.Reps != 3 {
			t.Errorf("saved result %s: %v", b, err)
		}
		d, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		cut(t, string(d), SectionSideBySide)
	})

	t.Run("output failures", func(t *testing.T) {
		dir := t.TempDir()
		file := filepath.Join(dir, "file")
		jsonDir := filepath.Join(dir, "data")
		unbalanced := filepath.Join(dir, "performance.md")
		begin, _ := markers(SectionScaling)
		for _, err := range []error{
			os.WriteFile(file, nil, 0o644),
			os.MkdirAll(filepath.Join(jsonDir, SectionScaling+".json"), 0o755),
			os.WriteFile(unbalanced, []byte(begin+"\n"), 0o644),
		} {
			if err != nil {
				t.Fatal(err)
			}
		}
		tests := []struct {
			name      string
			data, doc string
			err       string
		}{
			{"data folder is a file", filepath.Join(file, "data"), "", file + ": not a directory"},
			{"result file is a folder", jsonDir, "", "is a directory"},
			{"document markers unbalanced", "", unbalanced, "unbalanced markers for section " + SectionScaling},
		}
		for _, tt := range tests {
			res, err := Run(t.Context(), Options{Recon: fakeRecon(t, fakeSteps{url: urlStep}), Work: workDir(t), Section: SectionScaling,
				DataDir: tt.data, Doc: tt.doc})
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: err = %v, want %q", tt.name, err, tt.err)
			}
			if res == nil || res.Section != SectionScaling {
				t.Errorf("%s: result %+v", tt.name, res)
			}
		}
	})
}
