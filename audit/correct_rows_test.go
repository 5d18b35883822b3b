package audit_test

import (
	"context"
	"testing"

	"github.com/petfriendly/recon/audit"
	"github.com/petfriendly/recon/internal/i18n"
)

// TestCorrectDocumentNumber: a document number is read for the row's
// document type, as at import: the dots of a CC number go.
func TestCorrectDocumentNumber(t *testing.T) {
	f := imported(t)
	ctx := context.Background()
	applied, err := audit.Correct(ctx, f.pool, req("client", "C1", set("documento", "1.020.304.051")))
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) != 1 || applied[0].Field != "documento" || applied[0].Old != "1020304050" || applied[0].New != "1020304051" {
		t.Fatalf("applied %+v, want documento 1020304050 → 1020304051", applied)
	}
	var doc string
	if err := f.pool.QueryRow(ctx, `SELECT p.document_number FROM vet_clinic_ownerprofile p JOIN migration_externalidmapping m
		ON m.target_id = p.id WHERE m.source_type = 'client' AND m.source_id = 'C1'`).Scan(&doc); err != nil {
		t.Fatal(err)
	}
	if doc != "1020304051" {
		t.Errorf("stored document %q", doc)
	}
}

// TestCorrectRowDeletedOutsideRecon: a destination row deleted after the
// import cannot be corrected; the refusal says so and nothing is written.
func TestCorrectRowDeletedOutsideRecon(t *testing.T) {
	f := imported(t)
	ctx := context.Background()
	if _, err := f.pool.Exec(ctx, `DELETE FROM medical_medicalrecord WHERE id = (SELECT target_id FROM migration_externalidmapping
		WHERE source_type = 'record' AND source_id = 'H1')`); err != nil {
		t.Fatal(err)
	}
	_, err := audit.Correct(ctx, f.pool, req("record", "H1", set("diagnostico", "Sano")))
	if code(err) != audit.CodeRowMissing {
		t.Fatalf("err = %v, want %s", err, audit.CodeRowMissing)
	}
	if got := err.(*audit.Error).Text(i18n.ES); got != "la fila de destino de record H1 ya no existe" {
		t.Errorf("Spanish refusal %q", got)
	}
	var n int
	if err := f.pool.QueryRow(ctx, "SELECT count(*) FROM migration_correction").Scan(&n); err != nil || n != 0 {
		t.Errorf("%d corrections written (%v)", n, err)
	}
}

// TestFindArguments: an empty search is refused before any query, and a
// limit of 0 takes the default (as many matches as there are, up to 50).
func TestFindArguments(t *testing.T) {
	f := imported(t)
	ctx := context.Background()
	if _, err := audit.Find(ctx, f.pool, "   ", 10); code(err) != audit.CodeBadFilter || err.Error() != "invalid filter: empty search" {
		t.Errorf("empty search: %v", err)
	}
	all, err := audit.Find(ctx, f.pool, "a", 0)
	if err != nil {
		t.Fatal(err)
	}
	one, err := audit.Find(ctx, f.pool, "a", 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(one) != 1 || len(all) < 2 || all[0] != one[0] {
		t.Errorf("Find limit 0 gave %d matches, limit 1 gave %d; want the default limit to allow more", len(all), len(one))
	}
}
