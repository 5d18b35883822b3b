package importer_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/petfriendly/recon/importer"
	"github.com/petfriendly/recon/internal/gen"
	"github.com/petfriendly/recon/internal/pgtest"
)

// TestRawLineKeptOnlyWhereNeeded imports the tiny generated export and
// reads every migration record back: a rejected or orphaned row keeps its
// line as written (reject files, review); any other row keeps it only when
// source_data cannot rebuild it, and a blank raw_line is always rebuilt,
// here independently of the reader (header order, source_data values, CSV),
// into exactly the file's line.
func TestRawLineKeptOnlyWhereNeeded(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	dir := filepath.Join(t.TempDir(), "export")
	if _, err := gen.Generate(context.Background(), gen.Options{Out: dir, Scale: gen.TinyScale, Seed: 7, Variant: "utf8"}); err != nil {
		t.Fatal(err)
	}
	im := newImporter(t, db.Pool, func(o *importer.Options) { o.BatchSize = 37 })
	if _, err := im.ImportDir(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	type file struct {
		header []string
		lines  []string
	}
	files := map[string]file{}
	load := func(path string) file {
		if f, ok := files[path]; ok {
			return f
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(data), "\n")
		header, err := csv.NewReader(strings.NewReader(strings.TrimSuffix(lines[0], "\r"))).Read()
		if err != nil {
			t.Fatal(err)
		}
		files[path] = file{header, lines}
		return files[path]
	}
	rows, err := db.Pool.Query(context.Background(), `SELECT b.source_file, r.line_number, r.status, r.reason, r.raw_line, r.source_data::text
		FROM migration_migrationrecord r JOIN migration_migrationbatch b ON b.id = r.batch_id ORDER BY r.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var blank, kept, problems int
	for rows.Next() {
		var path, status, reason, rawLine, data string
		var line int
		if err := rows.Scan(&path, &line, &status, &reason, &rawLine, &data); err != nil {
			t.Fatal(err)
		}
		f := load(path)
		problem := status == importer.StatusError || reason == importer.ReasonOrphaned
		if problem {
			problems++
		}
		if rawLine != "" {
			kept++
			continue
		}
		blank++
		if problem {
			t.Errorf("%s:%d: %s/%s row without its raw line", filepath.Base(path), line, status, reason)
			continue
		}
		var values map[string]string
		if err := json.Unmarshal([]byte(data), &values); err != nil {
			t.Fatal(err)
		}
		cells := make([]string, len(f.header))
		for i, h := range f.header {
			cells[i] = values[h]
		}
		var b strings.Builder
		w := csv.NewWriter(&b)
		w.Write(cells)
		w.Flush()
		got := strings.TrimSuffix(b.String(), "\n")
		// A record may span several physical lines (a quoted line break).
		end := line - 1 + strings.Count(got, "\n") + 1
		if line < 1 || end > len(f.lines) || got != strings.TrimSuffix(strings.Join(f.lines[line-1:end], "\n"), "\r") {
			t.Errorf("%s:%d: blank raw_line, but source_data rebuilds\n%q\nnot the file's line", filepath.Base(path), line, got)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	// The tiny export has every defect kind: some rows must keep their
	// line, and most need not.
	if problems == 0 || kept < problems || blank <= kept {
		t.Fatalf("%d blank raw lines, %d kept, %d rejected or orphaned rows", blank, kept, problems)
	}
	t.Logf("%d blank raw lines, %d kept (%d rejected or orphaned)", blank, kept, problems)
}

// TestRawLineKeptWhenNotRebuilt: an imported row keeps its line when
// writing its source_data back as CSV would not give the same text.
func TestRawLineKeptWhenNotRebuilt(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	dir := t.TempDir()
	im := newImporter(t, db.Pool, nil)
	mustImport(t, im, "clients", writeFile(t, dir, "clientes.csv", clientsCSV))
	pets := "id,id_cliente,nombre,especie,raza,sexo,fecha_nacimiento,peso,color,microchip,esterilizado,fallecido,notas\n" +
		"P1,C1,Luna,Canino,Criollo(a),Hembra,03/04/2021,\"12,5\",Negro,,Sí,No,\n" +
		"P8,C2,\"Toby\",Canino,,,,,,,,,\n" +
		"P9,C2,Nube,Canino,,,,,,,,,,\n" +
		"P10,C2, Copo,Canino,,,,,,,,,\n"
	mustImport(t, im, "pets", writeFile(t, dir, "mascotas.csv", pets))
	tests := []struct {
		id, want string
	}{
		{"P1", ""}, // quoted only where CSV must quote: rebuilt
		{"P8", `P8,C2,"Toby",Canino,,,,,,,,,`},
		{"P9", "P9,C2,Nube,Canino,,,,,,,,,,"},   // a trailing empty cell
		{"P10", "P10,C2, Copo,Canino,,,,,,,,,"}, // CSV would quote a leading space
	}
	for _, tt := range tests {
		var got, status string
		if err := db.Pool.QueryRow(context.Background(), `SELECT raw_line, status FROM migration_migrationrecord
			WHERE source_type = 'pet' AND source_id = $1`, tt.id).Scan(&got, &status); err != nil {
			t.Fatalf("%s: %v", tt.id, err)
		}
		if status != importer.StatusImported || got != tt.want {
			t.Errorf("%s: %s with raw_line %q, want imported with %q", tt.id, status, got, tt.want)
		}
	}
}
