package importer_test

import (
	"context"
	"testing"

	"github.com/petfriendly/recon/importer"
	"github.com/petfriendly/recon/internal/pgtest"
)

// progress records what an import reports for one file.
type progress struct {
	typ, file string
	rows      int
	finished  int
}

func (p *progress) Add(n int) { p.rows += n }
func (p *progress) Finish()   { p.finished++ }

// TestImportReportsProgress checks that each file gets its own progress,
// told of every row read, finished once.
func TestImportReportsProgress(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	dir := t.TempDir()
	writeFile(t, dir, "clientes.csv", clientsCSV)
	writeFile(t, dir, "mascotas.csv", petsCSV)
	var reports []*progress
	im := newImporter(t, db.Pool, func(o *importer.Options) {
		o.NewProgress = func(typ, file string) importer.Progress {
			p := &progress{typ: typ, file: file}
			reports = append(reports, p)
			return p
		}
	})
	res, err := im.ImportDir(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(reports) != 2 || len(res.Summaries) != 2 {
		t.Fatalf("%d progress reports for %d files", len(reports), len(res.Summaries))
	}
	for i, want := range []struct{ typ, file string }{{"clients", "clientes.csv"}, {"pets", "mascotas.csv"}} {
		p, sum := reports[i], res.Summaries[i]
		if p.typ != want.typ || p.file != want.file || p.finished != 1 || p.rows == 0 || p.rows != sum.Read {
			t.Errorf("progress %+v for %s (summary: %d rows read)", *p, want.file, sum.Read)
		}
	}
}
