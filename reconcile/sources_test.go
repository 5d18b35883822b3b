package reconcile

import (
	"reflect"
	"sort"
	"strconv"
	"testing"
)

func TestPlanSources(t *testing.T) {
	done := func(id int64, typ, path, sum string) batchInfo {
		return batchInfo{ID: id, Type: typ, Path: path, SHA256: sum, Status: "completed"}
	}
	file := func(path, sum string, types ...string) exportFile {
		return exportFile{Path: path, Types: types, SHA256: sum}
	}
	type want struct {
		files    []string // path:status:batch
		findings []string // code:type:file
	}
	tests := []struct {
		name      string
		batches   []batchInfo
		listing   []exportFile
		sourceDir string
		want      want
	}{{
		name:    "one file imported and unchanged",
		batches: []batchInfo{done(1, "clients", "/e/clientes.csv", "a")},
		listing: []exportFile{file("/e/clientes.csv", "a", "clients")},
		want:    want{files: []string{"/e/clientes.csv:ok:1"}},
	}, {
		name:    "split export: both files, in import order",
		batches: []batchInfo{done(1, "clients", "/e/clientes.csv", "a"), done(2, "clients", "/e/clientes_2.csv", "b")},
		listing: []exportFile{file("/e/clientes.csv", "a", "clients"), file("/e/clientes_2.csv", "b", "clients")},
		want:    want{files: []string{"/e/clientes.csv:ok:1", "/e/clientes_2.csv:ok:2"}},
	}, {
		name:    "the same file imported twice: its latest batch",
		batches: []batchInfo{done(1, "clients", "/e/clientes.csv", "a"), done(5, "clients", "/e/clientes.csv", "a")},
		listing: []exportFile{file("/e/clientes.csv", "a", "clients")},
		want:    want{files: []string{"/e/clientes.csv:ok:5"}},
	}, {
		name:    "a newer export in another folder supersedes the older",
		batches: []batchInfo{done(1, "clients", "/old/clientes.csv", "a"), done(2, "clients", "/new/clientes.csv", "b")},
		listing: []exportFile{file("/new/clientes.csv", "b", "clients")},
		want:    want{files: []string{"/new/clientes.csv:ok:2"}},
	}, {
		name:    "file edited after the import",
		batches: []batchInfo{done(1, "clients", "/e/clientes.csv", "a")},
		listing: []exportFile{file("/e/clientes.csv", "z", "clients")},
		want:    want{files: []string{"/e/clientes.csv:changed:1"}, findings: []string{CodeSourceChanged + ":clients:/e/clientes.csv"}},
	}, {
		name:    "file gone",
		batches: []batchInfo{done(1, "clients", "/e/clientes.csv", "a")},
		want:    want{files: []string{"/e/clientes.csv:missing:1"}, findings: []string{CodeSourceMissing + ":clients:/e/clientes.csv"}},
	}, {
		name:    "a file of the folder never imported",
		batches: []batchInfo{done(1, "clients", "/e/clientes.csv", "a")},
		listing: []exportFile{file("/e/clientes.csv", "a", "clients"), file("/e/clientes_2.csv", "b", "clients"), file("/e/mascotas.csv", "c", "pets")},
		want: want{files: []string{"/e/clientes.csv:ok:1"}, findings: []string{
			CodeFileNotImported + ":clients:/e/clientes_2.csv", CodeNeverImported + ":pets:/e/mascotas.csv"}},
	}, {
		name: "latest batch failed, rolled back or running",
		batches: []batchInfo{done(1, "clients", "/e/clientes.csv", "a"), {ID: 2, Type: "clients", Path: "/e/clientes.csv", Status: "failed"},
			{ID: 3, Type: "pets", Path: "/e/mascotas.csv", Status: "rolled_back"}, {ID: 4, Type: "medical", Path: "/e/h.csv", Status: "running"}},
		listing: []exportFile{file("/e/clientes.csv", "a", "clients"), file("/e/mascotas.csv", "c", "pets"), file("/e/h.csv", "d", "medical")},
		want: want{files: []string{"/e/clientes.csv:ok:1"}, findings: []string{
			CodeBatchFailed + ":clients:/e/clientes.csv", CodeBatchRunning + ":medical:/e/h.csv",
			CodeNeverImported + ":medical:/e/h.csv", CodeNeverImported + ":pets:/e/mascotas.csv", CodeRolledBack + ":pets:/e/mascotas.csv"}},
	}, {
		name:      "source dir: same file by name",
		batches:   []batchInfo{done(1, "clients", "/e/clientes.csv", "a")},
		listing:   []exportFile{file("/e/clientes.csv", "a", "clients"), file("/n/clientes.csv", "a", "clients")},
		sourceDir: "/n",
		want:      want{files: []string{"/n/clientes.csv:ok:1"}},
	}, {
		name:      "source dir: the only file with the only file, changed",
		batches:   []batchInfo{done(1, "clients", "/e/clientes.csv", "a")},
		listing:   []exportFile{file("/e/clientes.csv", "a", "clients"), file("/n/clientes_2026.csv", "b", "clients")},
		sourceDir: "/n",
		want:      want{files: []string{"/n/clientes_2026.csv:changed:1"}, findings: []string{CodeSourceChanged + ":clients:/n/clientes_2026.csv"}},
	}, {
		name:      "source dir: an imported file absent, a new one present",
		batches:   []batchInfo{done(1, "clients", "/e/clientes.csv", "a"), done(2, "clients", "/e/clientes_2.csv", "b")},
		listing:   []exportFile{file("/n/clientes.csv", "a", "clients"), file("/n/otros.csv", "c", "clients")},
		sourceDir: "/n",
		want: want{files: []string{"/n/clientes.csv:ok:1", "/e/clientes_2.csv:missing:2", "/n/otros.csv:new:0"},
			findings: []string{CodeFileNotImported + ":clients:/n/otros.csv", CodeSourceMissing + ":clients:/e/clientes_2.csv"}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, findings := planSources(tt.batches, tt.listing, tt.sourceDir)
			var got want
			for _, f := range files {
				got.files = append(got.files, f.Path+":"+f.Status+":"+strconv.FormatInt(f.BatchID, 10))
			}
			for _, f := range findings {
				if !f.Blocks {
					t.Errorf("finding %+v does not block", f)
				}
				got.findings = append(got.findings, f.Code+":"+f.Type+":"+f.File)
			}
			sort.Strings(got.findings)
			sort.Strings(tt.want.findings)
			if !reflect.DeepEqual(got.files, tt.want.files) {
				t.Errorf("files %q, want %q", got.files, tt.want.files)
			}
			if !reflect.DeepEqual(got.findings, tt.want.findings) {
				t.Errorf("findings %q, want %q", got.findings, tt.want.findings)
			}
		})
	}
}

func TestContentSumIsOrderIndependentAndSensitive(t *testing.T) {
	rows := []struct {
		id    string
		pairs []string
	}{{"P1", []string{"nombre=Luna", "especie=dog"}}, {"P2", []string{"nombre=Thor", "especie=cat"}}, {"P3", []string{"nombre=", "especie=dog"}}}
	sum := func(order []int, edit func(i int, pairs []string) []string) string {
		var c contentSum
		for _, i := range order {
			p := rows[i].pairs
			if edit != nil {
				p = edit(i, append([]string(nil), p...))
			}
			c.add(rows[i].id, p)
		}
		return c.hex()
	}
	base := sum([]int{0, 1, 2}, nil)
	if got := sum([]int{2, 0, 1}, nil); got != base {
		t.Errorf("order changed the sum: %s vs %s", got, base)
	}
	for name, got := range map[string]string{
		"row missing": sum([]int{0, 1}, nil),
		"row twice":   sum([]int{0, 1, 2, 2}, nil),
		"value changed": sum([]int{0, 1, 2}, func(i int, p []string) []string {
			if i == 1 {
				p[0] = "nombre=Thorr"
			}
			return p
		}),
		// The same texts split differently must not collide.
		"boundary moved": sum([]int{0, 1, 2}, func(i int, p []string) []string {
			if i == 0 {
				return []string{"nombre=Luna|especie=dog"}
			}
			return p
		}),
	} {
		if got == base {
			t.Errorf("%s: sum unchanged", name)
		}
	}
	var empty contentSum
	if empty.hex() != "0000000000000000000000000000000000000000000000000000000000000000" {
		t.Errorf("empty sum %s", empty.hex())
	}
	// Carries propagate: adding the same row 2^k times differs from once.
	var a, b contentSum
	a.add("x", nil)
	b.add("x", nil)
	b.add("x", nil)
	if a.hex() == b.hex() {
		t.Error("adding a row twice changed nothing")
	}
}
