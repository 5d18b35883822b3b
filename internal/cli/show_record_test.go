package cli

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/petfriendly/recon/internal/pgtest"
)

// TestShowRecordHistory: `recon show` tells a merged duplicate by its
// survivor's row, a destination row deleted since the import, the audited
// corrections and the resolved issues of a row, in both languages; a
// mapping file is read for the view and a broken one stops the command.
func TestShowRecordHistory(t *testing.T) {
	e := newReviewEnv(t)
	ctx := context.Background()
	weight := e.issueID(t, "unknown_weight") // P3
	if code, out, errs := e.run(t, nil, "correct", "--type", "pet", "--source-id", "P3", "--set", "peso=350 g", "--reason", "pesada en consulta",
		"--by", "ana"); code != 0 {
		t.Fatalf("correct: exit %d\n%s%s", code, out, errs)
	}
	if code, out, errs := e.run(t, nil, "issues", "resolve", strconv.FormatInt(weight, 10), "--resolution", "pesada", "--by", "ana"); code != 0 {
		t.Fatalf("resolve: exit %d\n%s%s", code, out, errs)
	}
	tag, err := e.db.Pool.Exec(ctx, `DELETE FROM documents_document WHERE id = (SELECT target_id FROM migration_externalidmapping
		WHERE source_type = 'document' AND source_id = 'D1')`)
	if err != nil || tag.RowsAffected() != 1 {
		t.Fatalf("delete D1's row: %v (%d rows)", err, tag.RowsAffected())
	}
	bad := filepath.Join(t.TempDir(), "mapping.toml")
	if err := os.WriteFile(bad, []byte("[columns.pets]\nPeso = 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	example := filepath.Join("..", "..", "testdata", "source", "mapping-example.toml")
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  []string
		wantErr  []string
	}{
		{name: "merged duplicate", args: []string{"show", "--type", "client", "--source-id", "C4"},
			wantOut: []string{"C4", "(fila del sobreviviente)"}},
		{name: "merged duplicate in english", args: []string{"--lang", "en", "show", "--type", "client", "--source-id", "C4"},
			wantOut: []string{"(the survivor's row)"}},
		{name: "row deleted since the import", args: []string{"show", "--type", "document", "--source-id", "D1"},
			wantOut: []string{"destino: documents_document #", " — ¡LA FILA YA NO EXISTE!"}},
		{name: "row deleted, in english", args: []string{"--lang", "en", "show", "--type", "document", "--source-id", "D1"},
			wantOut: []string{" — THE ROW NO LONGER EXISTS!"}},
		{name: "corrected and resolved", args: []string{"show", "--type", "pet", "--source-id", "P3"},
			wantOut: []string{`ana: peso "" → "0.350" (pesada en consulta)`, "! #" + strconv.FormatInt(weight, 10) + " ", "informativo unknown_weight peso (resuelto)"}},
		{name: "with a mapping", args: []string{"--lang", "en", "show", "--type", "pet", "--source-id", "P3", "--mapping", example},
			wantOut: []string{"▶ ", "P3", "resolved"}},
		{name: "with a broken mapping", args: []string{"show", "--type", "pet", "--source-id", "P3", "--mapping", bad}, wantCode: ExitError,
			wantErr: []string{"recon: mapping " + bad + ": toml: line 2"}},
		{name: "issue with a broken mapping", args: []string{"issues", "show", strconv.FormatInt(weight, 10), "--mapping", bad}, wantCode: ExitError,
			wantErr: []string{"recon: mapping " + bad + ": toml: line 2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := e.run(t, nil, tt.args...)
			checkRun(t, code, out, errs, tt.wantCode, tt.wantOut, tt.wantErr)
		})
	}
}

// TestBatchesWithoutImportsAndDryRuns: an empty database says how to start,
// and a dry run is labelled as such in the list.
func TestBatchesWithoutImportsAndDryRuns(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	base := []string{"--database-url", db.URL, "--home", t.TempDir(), "--no-progress"}
	args := func(a ...string) []string { return append(append([]string{}, base...), a...) }
	code, out, errs := run(t, args("batches")...)
	checkRun(t, code, out, errs, 0, []string{"Todavía no hay lotes: importe con «recon import»."}, nil)
	code, out, errs = run(t, args("--lang", "en", "batches")...)
	checkRun(t, code, out, errs, 0, []string{`No batches yet: import with "recon import".`}, nil)
	if code, out, errs := run(t, args("import", "all", "--dir", copyExport(t), "--dry-run")...); code != 0 {
		t.Fatalf("dry run: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = run(t, args("batches")...)
	checkRun(t, code, out, errs, 0, []string{"completado (simulación)"}, nil)
	code, out, errs = run(t, args("--lang", "en", "batches")...)
	checkRun(t, code, out, errs, 0, []string{"completed (dry run)"}, nil)
	if strings.Contains(out, "completed  ") {
		t.Errorf("a dry-run batch listed without its label:\n%s", out)
	}
}
