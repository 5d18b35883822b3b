package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/petfriendly/recon/database"
	"github.com/petfriendly/recon/internal/gen"
)

// buildRecon builds cmd/recon into a temporary folder: Run drives the real
// binary, as `make bench` does.
func buildRecon(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "recon")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/petfriendly/recon/cmd/recon").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// workDir is a scratch folder the postgres user can reach when tests run as
// root: t.TempDir() is 0700, and the server runs as postgres.
func workDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "recon-bench-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return filepath.Join(dir, "work")
}

// cut returns the text between a section's markers and the document with
// that text removed.
func cut(t *testing.T, doc, section string) (inside, rest string) {
	t.Helper()
	begin, end := markers(section)
	i, j := strings.Index(doc, begin), strings.Index(doc, end)
	if i < 0 || j < i || strings.Count(doc, begin) != 1 || strings.Count(doc, end) != 1 {
		t.Fatalf("section %s: markers missing or repeated:\n%s", section, doc)
	}
	return doc[i+len(begin) : j], doc[:i+len(begin)] + doc[j:]
}

// tableRow returns the cells of the first table row starting with prefix.
func tableRow(t *testing.T, table, prefix string) []string {
	t.Helper()
	for line := range strings.SplitSeq(table, "\n") {
		if strings.HasPrefix(line, prefix) {
			cells := strings.Split(strings.Trim(line, "|"), "|")
			for i := range cells {
				cells[i] = strings.TrimSpace(cells[i])
			}
			return cells
		}
	}
	t.Fatalf("no row starting with %q in:\n%s", prefix, table)
	return nil
}

// positive parses a table cell that must hold a number above zero.
func positive(t *testing.T, what, cell string) {
	t.Helper()
	if v, err := strconv.ParseFloat(cell, 64); err != nil || v <= 0 {
		t.Errorf("%s = %q, want a positive number", what, cell)
	}
}

// TestRunEndToEnd runs the harness at scale 1 in a private cluster, the
// side-by-side section and then the scaling one into the same document, and
// checks the result, the JSON files and the document against the export.
func TestRunEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster and child processes; skipped with -short")
	}
	if _, err := database.FindBinaries(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI must have PostgreSQL (apt-get install postgresql): %v", err)
		}
		t.Skip("PostgreSQL binaries not installed (apt-get install postgresql)")
	}
	// The bench measures its own cluster even when the environment names
	// another server: DATABASE_URL points nowhere here, and the run must
	// still succeed. The PG* variables are unset, not emptied: psql reads
	// an empty PGSERVICE as a service named "".
	for _, k := range []string{"PGHOST", "PGDATABASE", "PGSERVICE", "PGPORT"} {
		t.Setenv(k, "") // restores the value afterwards
		os.Unsetenv(k)
	}
	t.Setenv("DATABASE_URL", "postgres://nobody@/elsewhere?host=/nonexistent&port=1")
	_, lookErr := exec.LookPath("pgloader")
	havePGL := lookErr == nil
	haveTime := timeV() != ""
	t.Logf("pgloader on PATH: %v; GNU /usr/bin/time: %v", havePGL, haveTime)

	bin := buildRecon(t)
	work := workDir(t)
	// Run stops the cluster itself; this covers a test that dies before.
	t.Cleanup(func() {
		home := filepath.Join(work, "home")
		if _, err := os.Stat(home); err != nil {
			return
		}
		if out, err := exec.Command(bin, "--home="+home, "--lang=en", "db", "stop").CombinedOutput(); err != nil {
			t.Errorf("stop the bench cluster: %v: %s", err, out)
		}
		// A cluster kept outside the home (TMPDIR closed to postgres) outlives it.
		if c, err := database.NewCluster(database.ClusterOptions{Dir: filepath.Join(home, "pg")}); err == nil && c.Relocated() {
			if err := c.Remove(context.Background()); err != nil {
				t.Errorf("remove the bench cluster: %v", err)
			}
		}
	})

	tmp := t.TempDir()
	dataDir, docPath := filepath.Join(tmp, "data"), filepath.Join(tmp, "performance.md")
	sideBegin, sideEnd := markers(SectionSideBySide)
	scaleBegin, scaleEnd := markers(SectionScaling)
	original := "# Performance\n\nHand-written intro: how to read the tables.\n\n" +
		sideBegin + "\nstale side-by-side table\n" + sideEnd +
		"\n\nHand-written text between the sections.\n\n" +
		scaleBegin + "\nstale scaling table\n" + scaleEnd +
		"\n\nHand-written tail.\n"
	if err := os.WriteFile(docPath, []byte(original), 0o644); err != nil {
		t.Fatal(err)
	}

	// A guard against a hung child process, not a speed goal: under -race
	// on a loaded 2-core machine the two runs took over 3 minutes.
	ctx, cancel := context.WithTimeout(t.Context(), 15*time.Minute)
	defer cancel()
	// The same binary stands for the "before" revision: its rows must be
	// there and its content fingerprint the same.
	opts := Options{Recon: bin, Before: bin, BeforeRev: "self", Work: work, Scales: []int{1}, Reps: 1, Seed: 1, Doc: docPath, DataDir: dataDir,
		Section: SectionSideBySide, PGLoader: havePGL, Command: "recon-bench --scales=1 --reps=1", Out: t.Output()}
	started := time.Now()
	res, err := Run(ctx, opts)
	if err != nil {
		t.Fatalf("side-by-side run: %v", err)
	}
	t.Logf("side-by-side run: %s", time.Since(started).Round(time.Second))

	// What the generator wrote, to check the counts against.
	export := filepath.Join(work, "export-s1")
	b, err := os.ReadFile(filepath.Join(export, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var exp gen.Expected
	if err := json.Unmarshal(b, &exp); err != nil {
		t.Fatalf("expected.json: %v", err)
	}
	wantRows := int64(exp.TotalRows())
	csvs, _ := filepath.Glob(filepath.Join(export, "*.csv"))
	var wantBytes int64
	for _, p := range csvs {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		wantBytes += st.Size()
	}

	if res.Section != SectionSideBySide || res.Reps != 1 || res.Command != opts.Command || len(res.Scales) != 1 {
		t.Fatalf("result: section %q, reps %d, command %q, %d scales", res.Section, res.Reps, res.Command, len(res.Scales))
	}
	if !strings.HasPrefix(res.Machine.Postgres, "PostgreSQL ") || !strings.Contains(res.Machine.Postgres, "fsync=on") {
		t.Errorf("Machine.Postgres = %q: the server settings were not read", res.Machine.Postgres)
	}
	if havePGL == (res.Machine.PGLoader == "") {
		t.Errorf("Machine.PGLoader = %q with pgloader on PATH %v", res.Machine.PGLoader, havePGL)
	}
	if haveTime != (len(res.Notes) == 0) {
		t.Errorf("notes %q with GNU time %v", res.Notes, haveTime)
	}
	sr := res.Scales[0]
	if sr.Scale != 1 || sr.Files != len(csvs) || sr.Bytes != wantBytes {
		t.Errorf("scale %d, %d files, %d bytes; want 1, %d, %d", sr.Scale, sr.Files, sr.Bytes, len(csvs), wantBytes)
	}
	if sr.Rows != wantRows || sr.Rows < 50000 {
		t.Errorf("floor loaded %d rows, the generator wrote %d", sr.Rows, wantRows)
	}
	if sr.ReconRows != sr.Rows {
		t.Errorf("recon read %d source records, the floor loaded %d rows", sr.ReconRows, sr.Rows)
	}
	if want := map[bool]int64{true: sr.Rows, false: 0}[havePGL]; sr.PGLRows != want {
		t.Errorf("pgloader loaded %d rows, want %d", sr.PGLRows, want)
	}

	// Every step once, the peer only when pgloader is there; recon's own
	// steps run under GNU time, which reports their CPU and peak RSS.
	tests := []struct {
		step  string
		runs  int
		timed bool
	}{
		{StepFloor, 1, false},
		{StepPGLoader, map[bool]int{true: 1, false: 0}[havePGL], false},
		{StepSchema, 1, false},
		{StepImportBefore, 1, true},
		{StepImport, 1, true},
		{StepVerifyBefore, 1, true},
		{StepVerify, 1, true},
	}
	if len(tests) != len(Steps) {
		t.Fatalf("test covers %d steps, the harness has %d", len(tests), len(Steps))
	}
	for _, tt := range tests {
		ms, ok := sr.Steps[tt.step]
		if len(ms) != tt.runs || ok != (tt.runs > 0) {
			t.Errorf("%s: %d measurements (key present %v), want %d", tt.step, len(ms), ok, tt.runs)
			continue
		}
		for _, m := range ms {
			if m.Seconds <= 0 || !m.ExitOK || m.Note != "" {
				t.Errorf("%s: %+v, want positive seconds and a clean exit", tt.step, m)
			}
			if tt.timed && haveTime && (m.MaxRSSK <= 0 || m.UserSec+m.SysSec <= 0) {
				t.Errorf("%s: peak RSS %d KiB, CPU %.2f s under GNU time", tt.step, m.MaxRSSK, m.UserSec+m.SysSec)
			}
			if (!tt.timed || !haveTime) && m.MaxRSSK != 0 {
				t.Errorf("%s: peak RSS %d KiB without GNU time around it", tt.step, m.MaxRSSK)
			}
		}
	}

	b, err = os.ReadFile(filepath.Join(dataDir, SectionSideBySide+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var saved Result
	if err := json.Unmarshal(b, &saved); err != nil {
		t.Fatalf("%s.json: %v", SectionSideBySide, err)
	}
	if !reflect.DeepEqual(&saved, res) {
		t.Errorf("%s.json differs from the result:\n%s\nwant %+v", SectionSideBySide, b, *res)
	}

	doc, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatal(err)
	}
	side, _ := cut(t, string(doc), SectionSideBySide)
	for _, want := range []string{
		fmt.Sprintf("Scale 1: %d files, %.1f MB of CSV, %d data rows (floor count; recon read %d source records", len(csvs), float64(wantBytes)/1e6, wantRows, wantRows),
		"reproduce with `" + opts.Command + "`",
		res.Machine.Postgres,
	} {
		if !strings.Contains(side, want) {
			t.Errorf("side-by-side section lacks %q:\n%s", want, side)
		}
	}
	if strings.Contains(side, "stale") {
		t.Errorf("side-by-side section not replaced:\n%s", side)
	}
	// Cells: step, median, min – max, × floor, RSS, CPU, load.
	floorRow := tableRow(t, side, "| floor: `psql \\copy` into text tables |")
	positive(t, "floor median", floorRow[1])
	if floorRow[3] != "1.0" {
		t.Errorf("floor row × floor = %q", floorRow[3])
	}
	for _, label := range []string{"`recon import all`", "`recon verify --json`", "schema floor: "} {
		row := tableRow(t, side, "| "+label)
		positive(t, label+" median", row[1])
		positive(t, label+" × floor", row[3])
		if rss := regexp.MustCompile(`^\d+ / \d+$`).MatchString(row[4]); rss != (haveTime && label != "schema floor: ") {
			t.Errorf("%s peak RSS cell %q with GNU time %v", label, row[4], haveTime)
		}
	}
	peer := tableRow(t, side, "| peer: `pgloader` into text tables |")
	if havePGL {
		positive(t, "pgloader median", peer[1])
		if want := fmt.Sprintf("; pgloader loaded %d)", wantRows); !strings.Contains(side, want) {
			t.Errorf("side-by-side section lacks %q:\n%s", want, side)
		}
	} else if peer[1] != "not run" {
		t.Errorf("peer row without pgloader: %q", peer)
	}
	if !strings.Contains(side, "Import ÷ schema floor: ") {
		t.Errorf("side-by-side section lacks the schema floor ratios:\n%s", side)
	}
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(sr.Content) || sr.BeforeContent != sr.Content || res.BeforeRev != "self" {
		t.Errorf("content fingerprint %q, before %q (rev %q)", sr.Content, sr.BeforeContent, res.BeforeRev)
	}
	for _, label := range []string{"`recon import all` before (self)", "`recon verify --json` before (self)"} {
		positive(t, label+" median", tableRow(t, side, "| "+label+" |")[1])
	}
	for _, want := range []string{
		"\nVerify ÷ floor: ", " — target ≤ 3.",
		"Content fingerprint of the imported database: `" + sr.Content + "`, the same before and now.",
	} {
		if !strings.Contains(side, want) {
			t.Errorf("side-by-side section lacks %q:\n%s", want, side)
		}
	}
	if strings.Contains(side, "Import ÷ pgloader: ") != havePGL {
		t.Errorf("import ÷ pgloader line with pgloader %v:\n%s", havePGL, side)
	}

	// The scaling section, into the same document, without the peer: its
	// column must then stay empty.
	opts.Section, opts.PGLoader, opts.Before = SectionScaling, false, ""
	started = time.Now()
	res2, err := Run(ctx, opts)
	if err != nil {
		t.Fatalf("scaling run: %v", err)
	}
	t.Logf("scaling run: %s", time.Since(started).Round(time.Second))
	if len(res2.Scales) != 1 || res2.Scales[0].Rows != wantRows || res2.Scales[0].ReconRows != wantRows {
		t.Fatalf("scaling result: %+v", res2.Scales)
	}
	if _, ok := res2.Scales[0].Steps[StepPGLoader]; ok || res2.Scales[0].PGLRows != 0 {
		t.Errorf("pgloader ran with PGLoader false: %+v", res2.Scales[0])
	}
	if _, err := os.Stat(filepath.Join(dataDir, SectionScaling+".json")); err != nil {
		t.Error(err)
	}

	doc, err = os.ReadFile(docPath)
	if err != nil {
		t.Fatal(err)
	}
	// The side-by-side section survives the scaling run untouched.
	if again, _ := cut(t, string(doc), SectionSideBySide); again != side {
		t.Errorf("scaling run changed the side-by-side section:\n%s", again)
	}
	scaling, _ := cut(t, string(doc), SectionScaling)
	if strings.Contains(scaling, "stale") || strings.Contains(scaling, "From scale") {
		t.Errorf("scaling section (one scale below 5, no growth line):\n%s", scaling)
	}
	// Cells: scale, rows, floor, pgloader, schema floor, import, verify,
	// import × floor, import × schema floor, verify × floor, import RSS, verify RSS.
	row := tableRow(t, scaling, "| 1 |")
	if len(row) != 12 || row[1] != strconv.FormatInt(wantRows, 10) || row[3] != "–" {
		t.Fatalf("scaling row %q: want %d rows and no pgloader time", row, wantRows)
	}
	for i, what := range map[int]string{2: "floor s", 4: "schema floor s", 5: "import s", 6: "verify s", 7: "import × floor", 8: "import × schema floor", 9: "verify × floor"} {
		positive(t, "scaling "+what, row[i])
	}
	for _, i := range []int{10, 11} {
		if (row[i] != "0") != haveTime {
			t.Errorf("scaling RSS cell %q with GNU time %v", row[i], haveTime)
		}
	}

	// Outside the markers, the hand-written text is byte for byte the same.
	_, got := cut(t, string(doc), SectionSideBySide)
	_, got = cut(t, got, SectionScaling)
	_, want := cut(t, original, SectionSideBySide)
	_, want = cut(t, want, SectionScaling)
	if got != want {
		t.Errorf("hand-written text changed:\n%s\nwant:\n%s", got, want)
	}
}
