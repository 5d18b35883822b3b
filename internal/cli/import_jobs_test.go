package cli

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/petfriendly/recon/internal/gen"
	"github.com/petfriendly/recon/internal/pgtest"
	"github.com/petfriendly/recon/reconcile"
	"github.com/petfriendly/recon/source"
)

// The audit trail, row by row, with everything that does not depend on the
// order batches ran in: batches are named by type and file, not by id, and
// the clock's columns are left out.
var auditQueries = map[string]string{
	"records": `SELECT concat_ws('|', b.batch_type, r.source_type, r.source_id, r.line_number, r.status, r.reason,
			r.source_data::text, r.raw_line, r.validation_errors::text, r.target_model, r.target_id, r.previous_values::text,
			r.error_message, r.duplicate_of)
		FROM migration_migrationrecord r JOIN migration_migrationbatch b ON b.id = r.batch_id`,
	"mappings": `SELECT concat_ws('|', b.batch_type, m.source_system, m.source_type, m.source_id, m.target_model, m.target_id, m.is_merged)
		FROM migration_externalidmapping m JOIN migration_migrationbatch b ON b.id = m.batch_id`,
	"issues": `SELECT concat_ws('|', b.batch_type, i.source_type, i.source_id, i.severity, i.issue_type, i.field_name, i.description,
			i.source_value, i.resolved, r.line_number)
		FROM migration_dataqualityissue i JOIN migration_migrationbatch b ON b.id = i.batch_id
		LEFT JOIN migration_migrationrecord r ON r.id = i.record_id`,
	"batches": `SELECT concat_ws('|', batch_type, source_sha256, status, total_records, imported_count, duplicate_count, error_count,
			orphaned_count, skipped_count, updated_count, unchanged_count, blank_rows, continuation_lines, merged_lines)
		FROM migration_migrationbatch`,
}

func auditRows(t *testing.T, pool *pgxpool.Pool, query string) []string {
	t.Helper()
	rows, err := pool.Query(context.Background(), query)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// TestImportJobsSameDatabase: loading files of independent types at once
// writes exactly what loading them one after the other writes — the same
// destination rows under the same ids (verify's content fingerprint and
// tables), the same audit trail row for row, the same batch counts — and
// each batch starts only after the batches of the types it depends on have
// completed.
func TestImportJobsSameDatabase(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	export := filepath.Join(dir, "export")
	if _, err := gen.Generate(context.Background(), gen.Options{Out: export, Scale: gen.TinyScale, Seed: 5, Variant: "utf8"}); err != nil {
		t.Fatal(err)
	}
	type loaded struct {
		pool   *pgxpool.Pool
		verify reconcile.Result
	}
	load := func(jobs string) loaded {
		db := pgtest.MustOpenDB(t)
		home := filepath.Join(dir, "home-"+jobs)
		if code, out, errs := run(t, "--database-url", db.URL, "--home", home, "--no-progress", "--quiet",
			"import", "all", "--dir", export, "--jobs", jobs); code != 0 {
			t.Fatalf("import --jobs=%s: exit %d\n%s%s", jobs, code, out, errs)
		}
		code, out, errs := run(t, "--database-url", db.URL, "--home", home, "--no-progress", "verify", "--json=-")
		if code != 0 {
			t.Fatalf("verify after --jobs=%s: exit %d\n%s", jobs, code, errs)
		}
		var res reconcile.Result
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("verify --json: %v\n%s", err, out)
		}
		return loaded{db.Pool, res}
	}
	seq, par := load("1"), load("4")

	if seq.verify.ContentFingerprint == "" || seq.verify.ContentFingerprint != par.verify.ContentFingerprint {
		t.Errorf("content fingerprint %q one at a time, %q four at once", seq.verify.ContentFingerprint, par.verify.ContentFingerprint)
	}
	if a, b := mustJSON(t, seq.verify.Tables), mustJSON(t, par.verify.Tables); a != b {
		t.Errorf("table hashes differ:\n%s\n%s", a, b)
	}
	if a, b := mustJSON(t, seq.verify.Types), mustJSON(t, par.verify.Types); a != b {
		t.Errorf("type counts differ:\n%s\n%s", a, b)
	}
	for name, q := range auditQueries {
		a, b := auditRows(t, seq.pool, q), auditRows(t, par.pool, q)
		if len(a) == 0 {
			t.Errorf("%s: none written", name)
		}
		if !slices.Equal(a, b) {
			t.Errorf("%s differ: %d rows one at a time, %d four at once", name, len(a), len(b))
		}
	}

	// Each batch began after every batch of the types it depends on had
	// completed; and some batches did overlap, or nothing ran at once.
	rows, err := par.pool.Query(context.Background(), `SELECT c.batch_type, p.batch_type
		FROM migration_migrationbatch c JOIN migration_migrationbatch p ON p.id <> c.id
		WHERE c.started_at < p.completed_at AND p.started_at < c.completed_at`)
	if err != nil {
		t.Fatal(err)
	}
	overlaps := 0
	for rows.Next() {
		var child, parent string
		if err := rows.Scan(&child, &parent); err != nil {
			t.Fatal(err)
		}
		overlaps++
		if dependsOn(child, parent) {
			t.Errorf("%s ran while %s, which it depends on, was still running", child, parent)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if overlaps == 0 {
		t.Error("with --jobs=4 no two batches overlapped")
	}
}

// dependsOn reports whether batch type child depends on parent, directly or
// through another type.
func dependsOn(child, parent string) bool {
	c, ok := source.TypeByName(child)
	if !ok {
		return false
	}
	p, _ := source.TypeByName(parent)
	for _, d := range c.DependsOn {
		if d == p.SourceType {
			return true
		}
		if dt, ok := source.TypeByName(d); ok && dependsOn(dt.BatchType, parent) {
			return true
		}
	}
	return false
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}
