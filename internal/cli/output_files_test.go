package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/petfriendly/recon/internal/pgtest"
	"github.com/petfriendly/recon/reports"
)

// failingFile is a staged report file whose Write or Sync fails as on a
// full disk.
type failingFile struct {
	*os.File
	failWrite, failSync bool
}

func (f *failingFile) Write(p []byte) (int, error) {
	if f.failWrite {
		n, _ := f.File.Write(p[:len(p)/2]) // half written, then the disk is full
		return n, syscall.ENOSPC
	}
	return f.File.Write(p)
}

func (f *failingFile) Sync() error {
	if f.failSync {
		return syscall.EIO
	}
	return f.File.Sync()
}

// failFor makes the staged file of the report whose name contains name
// fail; the others are real files.
func failFor(name string, write, sync bool) func(dir, pattern string) (outputFile, error) {
	return func(dir, pattern string) (outputFile, error) {
		f, err := os.CreateTemp(dir, pattern)
		if err != nil || !strings.Contains(pattern, name) {
			return f, err
		}
		return &failingFile{File: f, failWrite: write, failSync: sync}, nil
	}
}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestVerifyOutputsWholeOrNotAtAll: when one report cannot be written
// (disk full on write or on sync), verify leaves no report half-written,
// keeps an older file as it was, does not store the run, and names the
// report; a missing folder fails before any work; when all are written the
// run is stored and no temporary file is left.
func TestVerifyOutputsWholeOrNotAtAll(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	runs := func() int {
		var n int
		if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM migration_verificationrun`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	tests := []struct {
		name      string
		create    func(dir, pattern string) (outputFile, error)
		wantErr   string
		wantFiles []string
		wantRuns  int
	}{
		{"the PDF hits a full disk", failFor("aprobacion.pdf", true, false),
			"not written: PDF (--pdf DIR/aprobacion.pdf): no space left on device; no output was written and the verification run was not stored",
			[]string{"informe.html"}, 0},
		{"the HTML cannot be synced", failFor("informe.html", false, true),
			"not written: HTML (--report DIR/informe.html): input/output error; no output was written and the verification run was not stored",
			[]string{"informe.html"}, 0},
		{"every report written", nil, "", []string{"aprobacion.pdf", "informe.html", "run.json"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			// An older report stays as it was when the new one fails.
			if err := os.WriteFile(filepath.Join(dir, "informe.html"), []byte("old"), 0o644); err != nil {
				t.Fatal(err)
			}
			before := runs()
			var out bytes.Buffer
			g := reportGlobals(t, db.URL, &out)
			g.L = "en"
			g.CreateOutput = tt.create
			cmd := VerifyCmd{JSON: filepath.Join(dir, "run.json"), Report: filepath.Join(dir, "informe.html"), PDF: filepath.Join(dir, "aprobacion.pdf"),
				Sample: 1, Operator: "ana"}
			err := cmd.Run(ctx, g)
			got := ""
			if err != nil {
				got = strings.ReplaceAll(err.Error(), dir, "DIR")
			}
			var ec *codedError
			if tt.wantErr == "" && errors.As(err, &ec) && ec.code == ExitProblems {
				got = "" // verification found problems: the outputs are what is tested
			}
			if got != tt.wantErr {
				t.Fatalf("verify: %q, want %q", got, tt.wantErr)
			}
			if files := listDir(t, dir); !slices.Equal(files, tt.wantFiles) {
				t.Errorf("files left: %q, want %q", files, tt.wantFiles)
			}
			if b, _ := os.ReadFile(filepath.Join(dir, "informe.html")); tt.wantErr != "" && string(b) != "old" {
				t.Errorf("the older report was changed: %.40q", b)
			}
			if n := runs() - before; n != tt.wantRuns {
				t.Errorf("%d runs stored, want %d", n, tt.wantRuns)
			}
		})
	}
}

// TestOutputFoldersCheckedFirst: a report folder that is missing, a file,
// or not writable fails at once naming it — before the database is even
// reached (the URL here goes nowhere).
func TestOutputFoldersCheckedFirst(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "archivo")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "no-existe")
	denied := func(dir, pattern string) (outputFile, error) { return nil, os.ErrPermission }
	tests := []struct {
		name   string
		args   []string
		create func(dir, pattern string) (outputFile, error)
		want   string
	}{
		{"verify --report into a missing folder", []string{"verify", "--json", filepath.Join(dir, "r.json"), "--report", filepath.Join(missing, "r.html")}, nil,
			"--report " + filepath.Join(missing, "r.html") + ": la carpeta " + missing + " no existe; créela o elija otra antes de verificar"},
		{"verify --pdf under a file", []string{"verify", "--pdf", filepath.Join(file, "a.pdf")}, nil,
			"--pdf " + filepath.Join(file, "a.pdf") + ": " + file + " no es una carpeta"},
		{"verify --json into a folder that refuses files", []string{"verify", "--json", filepath.Join(dir, "r.json")}, denied,
			"--json " + filepath.Join(dir, "r.json") + ": no se puede escribir en la carpeta " + dir + ": permission denied"},
		{"report --html into a missing folder", []string{"report", "--html", filepath.Join(missing, "r.html")}, nil,
			"--html " + filepath.Join(missing, "r.html") + ": la carpeta " + missing + " no existe"},
		{"compare --output into a missing folder", []string{"compare", "1", "2", "--output", filepath.Join(missing, "c.html")}, nil,
			"--output " + filepath.Join(missing, "c.html") + ": la carpeta " + missing + " no existe"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := runCLIWith(context.Background(), append([]string{"--database-url", "postgres://127.0.0.1:1/none?connect_timeout=1", "--home", t.TempDir()}, tt.args...),
				&out, &errb, tt.create)
			if code != ExitError || !strings.Contains(errb.String(), tt.want) {
				t.Fatalf("exit %d\n%s%s\nwant %q", code, out.String(), errb.String(), tt.want)
			}
		})
	}
	if files := listDir(t, dir); !slices.Equal(files, []string{"archivo"}) {
		t.Errorf("files left: %q", files)
	}
}

// TestReportAndCompareWholeOrNotAtAll: report and compare write nothing
// when one of their outputs fails, and say which.
func TestReportAndCompareWholeOrNotAtAll(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	storeRehearsals(t, db)
	ctx := context.Background()
	dir := t.TempDir()
	var out bytes.Buffer
	g := reportGlobals(t, db.URL, &out)
	g.CreateOutput = failFor(".pdf", true, false)
	err := (&ReportCmd{JSON: filepath.Join(dir, "r.json"), HTML: filepath.Join(dir, "r.html"), PDF: filepath.Join(dir, "r.pdf")}).Run(ctx, g)
	want := "no se escribió: PDF (--pdf " + filepath.Join(dir, "r.pdf") + "): no space left on device"
	if err == nil || err.Error() != want {
		t.Errorf("report: %v, want %q", err, want)
	}
	g.CreateOutput = failFor(".json", true, false)
	err = (&CompareCmd{Runs: []string{"1", "2"}, JSON: filepath.Join(dir, "c.json"), Output: filepath.Join(dir, "c.html")}).Run(ctx, g)
	want = "no se escribió: JSON (--json " + filepath.Join(dir, "c.json") + "): no space left on device"
	if err == nil || err.Error() != want {
		t.Errorf("compare: %v, want %q", err, want)
	}
	if files := listDir(t, dir); len(files) != 0 {
		t.Errorf("files left: %q", files)
	}
}

// runCLIWith runs the CLI with create as the staged-output factory (nil:
// the real one).
func runCLIWith(ctx context.Context, args []string, stdout, stderr *bytes.Buffer, create func(dir, pattern string) (outputFile, error)) int {
	charts, err := reports.EmbeddedCharts()
	return runCLI(ctx, args, nil, stdout, stderr, charts, err, func(g *Globals) { g.CreateOutput = create })
}

// TestVerifyRunStoredButReportNotRenamed: when every report is staged but
// one cannot be put in place (its path is a folder), the run is stored and
// the message says which report is missing and how to write it again.
func TestVerifyRunStoredButReportNotRenamed(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	dir := t.TempDir()
	blocked := filepath.Join(dir, "run.json")
	if err := os.MkdirAll(filepath.Join(blocked, "dentro"), 0o755); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	g := reportGlobals(t, db.URL, &out)
	err := (&VerifyCmd{JSON: blocked, Report: filepath.Join(dir, "informe.html"), Sample: 1, Operator: "ana"}).Run(context.Background(), g)
	var id int64
	if qerr := db.Pool.QueryRow(context.Background(), `SELECT COALESCE(max(id), 0) FROM migration_verificationrun`).Scan(&id); qerr != nil {
		t.Fatal(qerr)
	}
	want := fmt.Sprintf("la verificación #%d se guardó, pero no se escribió: JSON (--json %s): rename ", id, blocked)
	if id == 0 || err == nil || !strings.HasPrefix(err.Error(), want) || !strings.HasSuffix(err.Error(), fmt.Sprintf("; escríbalo con `recon report --run %d`", id)) {
		t.Fatalf("verify: %v\nwant %q…", err, want)
	}
	if files := listDir(t, dir); !slices.Equal(files, []string{"informe.html", "run.json"}) {
		t.Errorf("files left: %q", files)
	}
	if !strings.Contains(out.String(), "HTML escrito en "+filepath.Join(dir, "informe.html")) {
		t.Errorf("the report that was written is not named:\n%s", out.String())
	}
}
