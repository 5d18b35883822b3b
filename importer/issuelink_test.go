package importer_test

import (
	"context"
	"testing"

	"github.com/petfriendly/recon/importer"
	"github.com/petfriendly/recon/internal/pgtest"
)

// TestRerunLinksOpenIssues: importing the same export again does not open a
// second copy of an open issue (same row, type, field); the new batch and
// record are linked to it, and a rollback of the first batch hands the
// issue over to the later one.
func TestRerunLinksOpenIssues(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	dir := t.TempDir()
	file := writeFile(t, dir, "clientes.csv", clientHeader+
		"C1,,CC,1020304050,,3001234567,jose@example.com,,,,,\n"+
		"C2,María Muñoz,CC,52000111,,3109998877,maria@@example,,,,,\n"+
		"C3,Ana,CC,3,,3001112233,ana@example.com,,,,,\n")
	im := newImporter(t, db.Pool, nil)
	first := mustImport(t, im, "clients", file)
	open := count(t, db.Pool, `SELECT count(*) FROM migration_dataqualityissue WHERE NOT resolved`)
	if open == 0 || first.Rejected != 2 {
		t.Fatalf("first import: %+v, %d open issues", first, open)
	}
	for range 3 { // crashes and re-runs
		mustImport(t, im, "clients", file)
	}
	if got := count(t, db.Pool, `SELECT count(*) FROM migration_dataqualityissue WHERE NOT resolved`); got != open {
		t.Fatalf("%d open issues after re-runs, want %d", got, open)
	}
	if got := count(t, db.Pool, `SELECT count(*) FROM migration_dataqualityissue WHERE source_id = 'C1' AND issue_type = 'empty_name'`); got != 1 {
		t.Fatalf("empty_name of C1 open %d times", got)
	}
	if got := count(t, db.Pool, `SELECT count(*) FROM migration_issuebatch l JOIN migration_migrationrecord r ON r.id = l.record_id
		WHERE r.source_id = 'C1' AND r.batch_id = l.batch_id`); got != 3 {
		t.Fatalf("C1's issue linked to %d later records, want 3", got)
	}
	// A resolved issue raised again is a new finding.
	if _, err := db.Pool.Exec(ctx, `UPDATE migration_dataqualityissue SET resolved = true, resolution = 'x', resolved_by_name = 't', resolved_at = now()
		WHERE source_id = 'C1'`); err != nil {
		t.Fatal(err)
	}
	mustImport(t, im, "clients", file)
	if got := count(t, db.Pool, `SELECT count(*) FROM migration_dataqualityissue WHERE source_id = 'C1' AND NOT resolved`); got != 1 {
		t.Fatalf("after resolving, the re-raised issue is open %d times, want 1", got)
	}
	// Rolling back the first batch hands its still-open issues to the latest
	// completed batch that raised them again.
	if _, err := importer.Rollback(ctx, db.Pool, first.BatchID, importer.RollbackOptions{MediaDir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	if got := count(t, db.Pool, `SELECT count(*) FROM migration_dataqualityissue i JOIN migration_migrationbatch b ON b.id = i.batch_id
		WHERE i.source_id = 'C2' AND NOT i.resolved AND b.status = 'completed'`); got == 0 {
		t.Fatal("C2's open issue went with the rolled-back batch")
	}
}
