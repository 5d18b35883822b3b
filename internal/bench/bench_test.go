package bench

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseTimeV(t *testing.T) {
	var m Measurement
	parseTimeV(`	Command being timed: "bin/recon import all"
	User time (seconds): 37.28
	System time (seconds): 5.10
	Percent of CPU this job got: 28%
	Elapsed (wall clock) time (h:mm:ss or m:ss): 2:26.29
	Maximum resident set size (kbytes): 171844
`, &m)
	if m.UserSec != 37.28 || m.SysSec != 5.10 || m.MaxRSSK != 171844 {
		t.Fatalf("parsed %+v", m)
	}
}

func TestMedianAndSummarise(t *testing.T) {
	if median(nil) != 0 || median([]float64{3, 1, 2}) != 2 || median([]float64{4, 1, 3, 2}) != 2.5 {
		t.Fatal("median")
	}
	s := Summarise([]Measurement{{Seconds: 3, MaxRSSK: 2048, Load1: 1}, {Seconds: 1, MaxRSSK: 1024, Load1: 2}, {Seconds: 2, MaxRSSK: 4096, Load1: 3}})
	if s.Median != 2 || s.Min != 1 || s.Max != 3 || s.RSSMedianMB != 2 || s.RSSMaxMB != 4 || s.LoadMedian != 2 {
		t.Fatalf("summary %+v", s)
	}
}

func TestTablesAndLoaderScript(t *testing.T) {
	if got := TableName("factura_items.csv"); got != "bench_floor_factura_items" {
		t.Errorf("TableName = %q", got)
	}
	if got := TableName("Historia Clínica.CSV"); got != "bench_floor_historia_cl_nica" {
		t.Errorf("TableName = %q", got)
	}
	sql := CreateTableSQL("bench_floor_x", []string{"id", "", "id", `we"ird`})
	if sql != `CREATE TABLE "bench_floor_x" ("id" text, "col2" text, "col3" text, "we""ird" text)` {
		t.Errorf("CreateTableSQL = %s", sql)
	}
	u, err := PGLoaderURL("postgres://postgres@/recon?host=/tmp/b/pg/run&port=5432&sslmode=disable", "bench_pgloader")
	if err != nil || u != "pgsql://postgres@unix:/tmp/b/pg/run:5432/bench_pgloader" {
		t.Errorf("PGLoaderURL = %q, %v", u, err)
	}
	script := PGLoaderScript(u, []string{"/x/it's.csv"}, []string{"bench_floor_it_s"})
	for _, want := range []string{"FROM '/x/it''s.csv'", "INTO " + u, "TARGET TABLE bench_floor_it_s", "skip header = 1"} {
		if !strings.Contains(script, want) {
			t.Errorf("script lacks %q:\n%s", want, script)
		}
	}
}

func TestUpdateDocKeepsHandWrittenText(t *testing.T) {
	p := filepath.Join(t.TempDir(), "perf.md")
	if err := UpdateDoc(p, "a", "first"); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	doc := strings.Replace(string(b), "# Performance\n", "# Performance\n\nHand-written intro.\n", 1) + "\nHand-written tail.\n"
	os.WriteFile(p, []byte(doc), 0o644)
	if err := UpdateDoc(p, "a", "second"); err != nil {
		t.Fatal(err)
	}
	if err := UpdateDoc(p, "b", "other"); err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(p)
	s := string(b)
	for _, want := range []string{"Hand-written intro.", "Hand-written tail.", "second", "other"} {
		if !strings.Contains(s, want) {
			t.Errorf("document lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "first") || strings.Count(s, "BEGIN generated: a") != 1 {
		t.Errorf("section a not replaced:\n%s", s)
	}
	os.WriteFile(p, []byte("<!-- BEGIN generated: a -->\n"), 0o644)
	if err := UpdateDoc(p, "a", "x"); err == nil {
		t.Error("unbalanced markers accepted")
	}
}

func TestParseGoBench(t *testing.T) {
	out := `goos: linux
pkg: github.com/petfriendly/recon/source
BenchmarkReadNormalize/clientes-2         	      10	 100000000 ns/op	  20.00 MB/s	    100000 rows/s	 5000 B/op	      50 allocs/op
BenchmarkReadNormalize/clientes-2         	      10	 300000000 ns/op	  10.00 MB/s	     30000 rows/s	 7000 B/op	      70 allocs/op
BenchmarkReadNormalize/clientes-2         	      10	 200000000 ns/op	  15.00 MB/s	     50000 rows/s	 6000 B/op	      60 allocs/op
pkg: github.com/petfriendly/recon/reconcile
BenchmarkCompareRecord/pets-2	1000	 1500 ns/op	 700 B/op	 9 allocs/op
PASS
`
	res := ParseGoBench(out)
	if len(res) != 2 || res[0].Name != "BenchmarkReadNormalize/clientes" || res[0].Runs != 3 || res[0].NsPerOp != 2e8 ||
		res[0].Metrics["rows/s"] != 50000 || res[1].Package != "github.com/petfriendly/recon/reconcile" {
		t.Fatalf("parsed %+v", res)
	}
	table := RenderGoBench(res, "go test", Machine{CPU: "cpu", Cores: 2, Go: "go1"})
	if !strings.Contains(table, "| `BenchmarkReadNormalize/clientes` | 3 | 200.00 ms | 50000 | 15.0 | 6000 | 60 |") {
		t.Errorf("table:\n%s", table)
	}
}

func TestRenderTables(t *testing.T) {
	res := &Result{Date: time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC), Reps: 1, Command: "make bench",
		Machine: Machine{CPU: "cpu", Cores: 2, MemoryGiB: "23.5"}}
	for _, sc := range []int{5, 50} {
		k := float64(sc)
		res.Scales = append(res.Scales, ScaleResult{Scale: sc, Rows: int64(sc) * 1000, Steps: map[string][]Measurement{
			StepFloor:  {{Seconds: k / 10}},
			StepImport: {{Seconds: k, MaxRSSK: 100 * 1024}},
			StepVerify: {{Seconds: k / 2, MaxRSSK: 50 * 1024}},
		}})
	}
	side := RenderSideBySide(res)
	for _, want := range []string{"| `recon import all` | 5.00 | 5.00 – 5.00 | 10.0 | 100 / 100 |", "peer: `pgloader` into text tables | not run"} {
		if !strings.Contains(side, want) {
			t.Errorf("side-by-side lacks %q:\n%s", want, side)
		}
	}
	scaling := RenderScaling(res)
	if !strings.Contains(scaling, "From scale 5 to 50: rows × 10.0; floor time × 10.0; import time × 10.0, import peak RSS × 1.00") {
		t.Errorf("scaling:\n%s", scaling)
	}
}
