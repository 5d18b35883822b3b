package reconcile_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/petfriendly/recon/importer"
	"github.com/petfriendly/recon/internal/pgtest"
	"github.com/petfriendly/recon/reconcile"
)

var update = flag.Bool("update", false, "rewrite the golden want.json files")

// copyDir copies the shared tiny export so each case imports its own files.
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// importTinyExport imports a copy of testdata/reconcile/export into a
// fresh database and returns its pool and media folder.
func importTinyExport(t *testing.T) (*pgxpool.Pool, string) {
	t.Helper()
	export := filepath.Join(t.TempDir(), "export")
	copyDir(t, filepath.Join("..", "testdata", "reconcile", "export"), export)
	return importInto(t, export)
}

// importInto imports an export folder into a fresh database and returns
// its pool and media folder.
func importInto(t *testing.T, dir string) (*pgxpool.Pool, string) {
	t.Helper()
	db := pgtest.MustOpenDB(t)
	media := t.TempDir()
	im, err := importer.New(db.Pool, importer.Options{MediaDir: media, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := im.ImportDir(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	return db.Pool, media
}

// TestGolden runs one verification per finding kind: each case directory
// holds tamper.sql, applied after importing testdata/reconcile/export, and
// want.json, the expected result (go test ./reconcile -run TestGolden -update).
func TestGolden(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "testdata", "reconcile")
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() || e.Name() == "export" {
			continue
		}
		name := e.Name()
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			caseDir := filepath.Join(root, name)
			tamper, err := os.ReadFile(filepath.Join(caseDir, "tamper.sql"))
			if err != nil {
				t.Fatal(err)
			}
			pool, media := importTinyExport(t)
			clock := func() time.Time { return testNow }
			if _, err := pool.Exec(context.Background(), string(tamper)); err != nil {
				t.Fatalf("tamper.sql: %v", err)
			}
			res, err := reconcile.Verify(context.Background(), pool, reconcile.Options{MediaDir: media, Now: clock, Operator: "prueba"})
			if err != nil {
				t.Fatal(err)
			}
			for i := range res.Sources {
				res.Sources[i].Path = filepath.Base(res.Sources[i].Path)
			}
			got, err := json.MarshalIndent(res, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			wantPath := filepath.Join(caseDir, "want.json")
			if *update {
				if err := os.WriteFile(wantPath, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(wantPath)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("result differs from %s (run with -update after checking the change):\n%s", wantPath, diffLines(string(want), string(got)))
			}
		})
	}
}

// diffLines shows the first differing lines of two texts.
func diffLines(want, got string) string {
	w, g := bytes.Split([]byte(want), []byte("\n")), bytes.Split([]byte(got), []byte("\n"))
	var out bytes.Buffer
	shown := 0
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b []byte
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if !bytes.Equal(a, b) {
			out.WriteString("- " + string(a) + "\n+ " + string(b) + "\n")
			if shown++; shown == 10 {
				break
			}
		}
	}
	return out.String()
}
