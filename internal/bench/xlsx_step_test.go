package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/petfriendly/recon/database"
	"github.com/petfriendly/recon/source"
)

// fakeXLSXRecon is a recon that answers db start/url/stop for the cluster
// at url and runs imp for import all; $limit is --max-xlsx-mb (empty for
// the default) and $db the --database-url.
func fakeXLSXRecon(t *testing.T, url, imp string) string {
	t.Helper()
	return fakeTool(t, "recon", `db=; limit=
for a in "$@"; do
	case "$a" in
	--database-url=*) db="${a#--database-url=}" ;;
	--max-xlsx-mb=*) limit="${a#--max-xlsx-mb=}" ;;
	esac
done
case "$*" in
*"db start"*|*"db stop"*) : ;;
*"db url"*) echo '`+url+`' ;;
*"import all --dir="*) `+imp+` ;;
*) echo "fake recon: unexpected arguments $*" >&2; exit 99 ;;
esac
`)
}

// TestXLSXStep runs the XLSX step against a real cluster with a fake recon
// that refuses the 2 MB workbook at --max-xlsx-mb 2 and below, as recon
// does, and otherwise holds 32 MiB in memory and records a batch: the step
// must take the peak RSS of each import from GNU time, tell the import from
// the refusal, and put both in the JSON and the document; each way the step
// can go wrong must fail the run with a message that says which.
func TestXLSXStep(t *testing.T) {
	if timeV() == "" {
		t.Fatal("GNU time (/usr/bin/time -v) is needed to measure peak RSS: apt-get install time")
	}
	url := benchCluster(t)
	psql, err := findTool("psql")
	if err != nil {
		t.Fatal(err)
	}
	wb, err := WriteClientsXLSX(filepath.Join(t.TempDir(), "clientes.xlsx"), 2)
	if err != nil {
		t.Fatal(err)
	}
	rows := strconv.Itoa(wb.Rows)
	// What recon writes for the limit, with the workbook's path in it.
	refuse := `for a in "$@"; do case "$a" in --dir=*) dir="${a#--dir=}" ;; esac; done
echo "  clientes.xlsx: the workbook is beyond a limit; if it is genuine, raise --max-xlsx-mb ($dir/clientes.xlsx: it unpacks to 2 MB)" >&2; exit 1`
	batch := func(read, imported, merged string) string {
		return `x=$(head -c 33554432 /dev/zero | tr '\0' a)
` + psql + ` -X -q -v ON_ERROR_STOP=1 -d "$db" -c "CREATE TABLE migration_migrationbatch (total_records int, imported_count int, duplicate_count int, status text);
INSERT INTO migration_migrationbatch VALUES (` + read + `, ` + imported + `, ` + merged + `, 'completed'), (7, 7, 0, 'failed')"`
	}
	good := `if [ "${limit:-100}" -le 2 ]; then ` + refuse + `; fi
` + batch(rows, strconv.Itoa(wb.Rows-1), "1")

	t.Run("side by side", func(t *testing.T) {
		dir := t.TempDir()
		data, doc := filepath.Join(dir, "data"), filepath.Join(dir, "performance.md")
		var out bytes.Buffer
		res, err := Run(t.Context(), Options{Recon: fakeXLSXRecon(t, url, good), Work: workDir(t), Reps: 2, XLSXMB: 2,
			DataDir: data, Doc: doc, Out: &out})
		if err != nil {
			t.Fatalf("%v\n%s", err, out.String())
		}
		x := res.XLSX
		if x == nil {
			t.Fatalf("no XLSX result:\n%s", out.String())
		}
		want := XLSXResult{TargetMB: 2, FileBytes: wb.FileBytes, UnpackedBytes: wb.UnpackedBytes, Rows: wb.Rows, MaxXLSXMB: 3,
			ReconRows: int64(wb.Rows), Imported: int64(wb.Rows - 1), Merged: 1, RefusedLimitMB: 2,
			RefusedMessage: "clientes.xlsx: the workbook is beyond a limit; if it is genuine, raise --max-xlsx-mb (clientes.xlsx: it unpacks to 2 MB)"}
		got := *x
		got.Import, got.Refused = nil, Measurement{}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("result %+v\nwant   %+v", got, want)
		}
		// The import held 32 MiB; the refusal nothing of the kind.
		if len(x.Import) != 2 {
			t.Fatalf("%d import measurements, want one per repetition", len(x.Import))
		}
		for _, m := range x.Import {
			if !m.ExitOK || m.Seconds <= 0 || m.MaxRSSK < 32<<10 || m.UserSec+m.SysSec <= 0 {
				t.Errorf("import %+v: want a clean exit and a peak RSS of 32 MiB or more", m)
			}
		}
		if r := x.Refused; r.ExitOK || r.Seconds <= 0 || r.MaxRSSK <= 0 || r.MaxRSSK >= 16<<10 {
			t.Errorf("refusal %+v: want exit 1 and a small, measured peak RSS", r)
		}
		if len(res.Scales) != 0 {
			t.Errorf("scales %+v without any asked", res.Scales)
		}

		b, err := os.ReadFile(filepath.Join(data, SectionSideBySide+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var saved Result
		if err := json.Unmarshal(b, &saved); err != nil || !reflect.DeepEqual(saved.XLSX, x) {
			t.Errorf("saved XLSX result %+v (%v), want %+v", saved.XLSX, err, x)
		}
		d, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		side, _ := cut(t, string(d), SectionSideBySide)
		s := Summarise(x.Import)
		intro := "XLSX: one `clientes.xlsx` of " + strconv.FormatFloat(float64(wb.FileBytes)/1e6, 'f', 1, 64) + " MB that unpacks to 2.0 MiB, " +
			rows + " data rows (target 2 MiB); recon read " + rows + " source records, imported " + strconv.Itoa(wb.Rows-1) + ", merged 1."
		if !strings.Contains(side, intro) {
			t.Errorf("side-by-side section lacks %q:\n%s", intro, side)
		}
		// Cells: step, median, min – max, RSS, CPU, load, under 300 MB.
		row := tableRow(t, side, "| `recon import all --max-xlsx-mb=3` |")
		if rss := strconv.FormatFloat(s.RSSMedianMB, 'f', 0, 64) + " / " + strconv.FormatFloat(s.RSSMaxMB, 'f', 0, 64); row[3] != rss || row[6] != "yes" {
			t.Errorf("import row %q: want RSS %q and yes", row, rss)
		}
		positive(t, "xlsx import median", row[1])
		positive(t, "xlsx import CPU", row[4])
		if want := "At `--max-xlsx-mb=2` recon refused the workbook in "; !strings.Contains(side, want) || !strings.Contains(side, "(exit 1, peak RSS ") ||
			!strings.Contains(side, x.RefusedMessage) {
			t.Errorf("side-by-side section lacks the refusal:\n%s", side)
		}
	})

	t.Run("alone", func(t *testing.T) {
		dir := t.TempDir()
		data, doc := filepath.Join(dir, "data"), filepath.Join(dir, "performance.md")
		const original = "# Performance\n\nby hand\n"
		if err := os.WriteFile(doc, []byte(original), 0o644); err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		res, err := Run(t.Context(), Options{Recon: fakeXLSXRecon(t, url, good), Work: workDir(t), Reps: 1, Scales: []int{1},
			XLSXMB: 2, Section: SectionXLSX, DataDir: data, Doc: doc, Out: &out})
		if err != nil {
			t.Fatalf("%v\n%s", err, out.String())
		}
		if res.XLSX == nil || len(res.XLSX.Import) != 1 || len(res.Scales) != 0 {
			t.Fatalf("result %+v: want the XLSX step once and no scale", res)
		}
		if !strings.Contains(out.String(), RenderXLSX(res.XLSX)) {
			t.Errorf("output lacks the table:\n%s", out.String())
		}
		if d, err := os.ReadFile(doc); err != nil || string(d) != original {
			t.Errorf("document changed: %q, %v", d, err)
		}
		if _, err := os.Stat(filepath.Join(data, SectionXLSX+".json")); err != nil {
			t.Error(err)
		}
	})

	tests := []struct {
		name, imp, err string
	}{
		{"default limit accepts it", batch(rows, rows, "0"),
			"xlsx step: recon import all at --max-xlsx-mb 2, below the workbook's 2 MiB: exit status 0, want exit status 1 and a message naming --max-xlsx-mb"},
		{"refusal does not name the flag", `echo 'panic: zip: not a valid zip file'; exit 1`,
			"exit status 1, want exit status 1 and a message naming --max-xlsx-mb: panic: zip: not a valid zip file"},
		{"refusal crashes", `echo 'signal: killed'; exit 2`, "exit status 2, want exit status 1"},
		{"import fails", `if [ "${limit:-100}" -le 2 ]; then ` + refuse + `; fi; echo 'cannot allocate memory'; exit 2`,
			"xlsx step: recon import all --max-xlsx-mb=3: exit status 2: cannot allocate memory"},
		{"import writes no batch", `if [ "${limit:-100}" -le 2 ]; then ` + refuse + `; fi`,
			`xlsx step: count what the import read: ERROR: relation "migration_migrationbatch" does not exist`},
		{"sheet read in part", `if [ "${limit:-100}" -le 2 ]; then ` + refuse + `; fi
` + batch(strconv.Itoa(wb.Rows-5), strconv.Itoa(wb.Rows-5), "0"),
			"xlsx step: recon read " + strconv.Itoa(wb.Rows-5) + " source records of the " + rows + " rows in the workbook"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			res, err := Run(t.Context(), Options{Recon: fakeXLSXRecon(t, url, tt.imp), Work: workDir(t), Reps: 1, XLSXMB: 2,
				Section: SectionXLSX, Out: &out})
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("err = %v, want %q\n%s", err, tt.err, out.String())
			}
			if res == nil || res.XLSX != nil {
				t.Errorf("result %+v: want the run's result without the failed step", res)
			}
		})
	}
}

// TestXLSXSectionNeedsASize: the step alone with no workbook size is a
// mistake, reported before any cluster starts.
func TestXLSXSectionNeedsASize(t *testing.T) {
	recon := filepath.Join(t.TempDir(), "recon") // never run
	res, err := Run(context.Background(), Options{Recon: recon, Work: t.TempDir(), Section: SectionXLSX})
	if err == nil || err.Error() != "the xlsx section needs a workbook size (XLSXMB, --xlsx-mb) above 0" || res != nil {
		t.Fatalf("Run = %+v, %v", res, err)
	}
}

// TestRenderXLSX covers the verdicts the table can give.
func TestRenderXLSX(t *testing.T) {
	x := &XLSXResult{TargetMB: 200, FileBytes: 16_300_000, UnpackedBytes: 200<<20 + 1500, Rows: 98765, MaxXLSXMB: 201,
		ReconRows: 98765, Imported: 98765, RefusedLimitMB: source.DefaultMaxXLSXMB,
		Refused:        Measurement{Seconds: 0.61, MaxRSSK: 30 << 10},
		RefusedMessage: "clientes.xlsx: … (--max-xlsx-mb 100) …",
		Import: []Measurement{{Seconds: 40, MaxRSSK: 250 << 10, UserSec: 30, SysSec: 2, Load1: 1},
			{Seconds: 42, MaxRSSK: 310 << 10, UserSec: 31, SysSec: 2, Load1: 2}, {Seconds: 41, MaxRSSK: 260 << 10, UserSec: 29, SysSec: 3, Load1: 3}}}
	got := RenderXLSX(x)
	for _, want := range []string{
		"XLSX: one `clientes.xlsx` of 16.3 MB that unpacks to 200.0 MiB, 98765 data rows (target 200 MiB); recon read 98765 source records, imported 98765, merged 0.",
		"| `recon import all --max-xlsx-mb=201` | 41.00 | 40.00 – 42.00 | 260 / 310 | 32.0 | 2.00 | **no** |",
		"At `--max-xlsx-mb=100` (the default) recon refused the workbook in 0.61 s (exit 1, peak RSS 30 MB): `clientes.xlsx: … (--max-xlsx-mb 100) …`",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("table lacks %q:\n%s", want, got)
		}
	}
	// The verdict goes by the worst repetition.
	x.Import[1].MaxRSSK = 299 << 10
	if row := tableRow(t, RenderXLSX(x), "| `recon import all"); row[6] != "yes" {
		t.Errorf("row %q: 299 MB is under 300", row)
	}
	// Without GNU time there is nothing to judge.
	for i := range x.Import {
		x.Import[i].MaxRSSK = 0
	}
	x.Refused.MaxRSSK, x.RefusedLimitMB = 0, 3
	got = RenderXLSX(x)
	if row := tableRow(t, got, "| `recon import all"); row[3] != "–" || row[6] != "not measured" {
		t.Errorf("row %q without RSS", row)
	}
	if !strings.Contains(got, "At `--max-xlsx-mb=3` recon refused the workbook in 0.61 s (exit 1, peak RSS not measured)") {
		t.Errorf("refusal line:\n%s", got)
	}
}

// TestXLSXStepRealRecon runs the step alone with the real recon at 2 MB, in
// a cluster of its own: recon must import every row as its own owner (no
// row merged into another), and refuse the workbook one MB lower with its
// own message naming --max-xlsx-mb.
func TestXLSXStepRealRecon(t *testing.T) {
	if timeV() == "" {
		t.Fatal("GNU time (/usr/bin/time -v) is needed to measure peak RSS: apt-get install time")
	}
	bin := buildRecon(t)
	work := workDir(t)
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
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Minute) // a hang guard, not a speed goal
	defer cancel()
	res, err := Run(ctx, Options{Recon: bin, Work: work, Reps: 1, XLSXMB: 2, Section: SectionXLSX, Out: t.Output()})
	if err != nil {
		t.Fatal(err)
	}
	x := res.XLSX
	if x == nil || x.ReconRows != int64(x.Rows) || x.Imported != int64(x.Rows) || x.Merged != 0 || x.Rows < 800 {
		t.Fatalf("result %+v: want every row read and imported, none merged", x)
	}
	if x.RefusedLimitMB != 2 || x.MaxXLSXMB != 3 || !strings.Contains(x.RefusedMessage, "(--max-xlsx-mb 2)") || strings.Contains(x.RefusedMessage, work) {
		t.Errorf("refusal at --max-xlsx-mb %d, import at %d, message %q", x.RefusedLimitMB, x.MaxXLSXMB, x.RefusedMessage)
	}
	if m := x.Import[0]; !m.ExitOK || m.MaxRSSK <= 0 || m.MaxRSSK >= XLSXRSSTargetMB<<10 {
		t.Errorf("import %+v: want a clean exit and a measured peak RSS under %d MB", m, XLSXRSSTargetMB)
	}
}
