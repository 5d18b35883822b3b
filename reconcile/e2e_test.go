package reconcile_test

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/petfriendly/recon/internal/gen"
	"github.com/petfriendly/recon/internal/pgtest"
	"github.com/petfriendly/recon/reconcile"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var testNow = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

type imported struct {
	pool  *pgxpool.Pool
	dir   string
	media string
	exp   gen.Expected
}

// importExport generates an export and imports it into a fresh database.
func importExport(t *testing.T, scale float64, seed uint64) imported {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "export")
	exp, err := gen.Generate(context.Background(), gen.Options{Out: dir, Scale: scale, Seed: seed, Variant: "utf8"})
	if err != nil {
		t.Fatal(err)
	}
	pool, media := importInto(t, dir)
	return imported{pool: pool, dir: dir, media: media, exp: exp}
}

func verify(t *testing.T, in imported) reconcile.Result {
	t.Helper()
	res, err := reconcile.Verify(context.Background(), in.pool, reconcile.Options{MediaDir: in.media, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func exec(t *testing.T, pool *pgxpool.Pool, sql string, args ...any) {
	t.Helper()
	tag, err := pool.Exec(context.Background(), sql, args...)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	if tag.RowsAffected() != 1 {
		t.Fatalf("%s: %d rows affected, want 1", sql, tag.RowsAffected())
	}
}

// TestVerifyFindsExactlyTheTampering imports a generated export, verifies it
// clean, then tampers with five rows and expects exactly five findings.
func TestVerifyFindsExactlyTheTampering(t *testing.T) {
	t.Parallel()
	in := importExport(t, 1, 5) // the one end-to-end at scale 1: default chunks of 5,000 rows filled and crossed
	clean := verify(t, in)
	if !clean.OK {
		t.Fatalf("clean import does not verify: unexplained=%v mismatches=%v chains=%v attachments=%+v sources=%+v",
			first(clean.Unexplained), first(clean.Mismatches), clean.Chains, clean.Attachments, clean.Sources)
	}
	for name, want := range in.exp.Types {
		got := clean.Types[name]
		if got.SourceRows != want.SourceRows || got.Imported != want.Imported || got.Merged != want.MergedDuplicates ||
			got.Rejected != want.Rejected || got.Orphaned != want.Orphaned || got.Skipped != want.Skipped ||
			got.DestinationRows != in.exp.DestinationRows[name] || got.Unexplained != 0 || got.FieldMismatches != 0 {
			t.Errorf("%s: verify counts %+v, expected %+v", name, got, want)
		}
	}
	if len(clean.Samples) != 9*10 {
		t.Errorf("%d samples, want 10 per type", len(clean.Samples))
	}
	again := verify(t, in)
	if again.Fingerprint != clean.Fingerprint {
		t.Error("two runs over the same data have different fingerprints")
	}

	ctx := context.Background()
	var recordID, petRenamed, petMoved, invoice string
	var docFile string
	q := func(sql string, dst ...any) {
		t.Helper()
		if err := in.pool.QueryRow(ctx, sql).Scan(dst...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	q(`SELECT source_id FROM migration_externalidmapping WHERE source_type='record' ORDER BY source_id LIMIT 1`, &recordID)
	q(`SELECT source_id FROM migration_externalidmapping WHERE source_type='pet' ORDER BY source_id LIMIT 1`, &petRenamed)
	q(`SELECT source_id FROM migration_externalidmapping WHERE source_type='pet' ORDER BY source_id DESC LIMIT 1`, &petMoved)
	q(`SELECT source_id FROM migration_externalidmapping WHERE source_type='invoice' ORDER BY source_id LIMIT 1`, &invoice)
	q(`SELECT file FROM documents_document ORDER BY id LIMIT 1`, &docFile)

	exec(t, in.pool, `DELETE FROM medical_medicalrecord WHERE id = (SELECT target_id FROM migration_externalidmapping
		WHERE source_type='record' AND source_id=$1)`, recordID)
	exec(t, in.pool, `UPDATE pets_pet SET name = name || ' (renombrada)' WHERE id = (SELECT target_id FROM migration_externalidmapping
		WHERE source_type='pet' AND source_id=$1)`, petRenamed)
	exec(t, in.pool, `UPDATE pets_pet SET owner_id = (SELECT min(id) FROM vet_clinic_ownerprofile WHERE id <> pets_pet.owner_id)
		WHERE id = (SELECT target_id FROM migration_externalidmapping WHERE source_type='pet' AND source_id=$1)`, petMoved)
	exec(t, in.pool, `UPDATE billing_invoice SET total = total + 1000 WHERE id = (SELECT target_id FROM migration_externalidmapping
		WHERE source_type='invoice' AND source_id=$1)`, invoice)
	var sameContent int
	q(`SELECT count(*) FROM documents_document WHERE file = '`+docFile+`'`, &sameContent)
	if err := os.Remove(filepath.Join(in.media, docFile)); err != nil {
		t.Fatal(err)
	}

	res := verify(t, in)
	if res.OK {
		t.Fatal("tampered database verifies OK")
	}
	if len(res.Unexplained) != 1 || res.Unexplained[0].Type != "medical" || res.Unexplained[0].SourceID != recordID {
		t.Errorf("unexplained = %+v, want the deleted record %s", res.Unexplained, recordID)
	}
	var got []string
	for _, m := range res.Mismatches {
		got = append(got, m.Type+"/"+m.SourceID+"/"+m.Field)
	}
	sort.Strings(got)
	want := []string{"invoices/" + invoice + "/total", "pets/" + petRenamed + "/nombre"}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("mismatches = %v, want %v", got, want)
	}
	var broken []reconcile.Chain
	for _, c := range res.Chains {
		if !c.OK {
			broken = append(broken, c)
		}
	}
	if len(broken) != 1 || broken[0].Violations != 1 || broken[0].Check != "pets.id_cliente → client" {
		t.Errorf("broken chains = %+v, want only the moved pet %s", broken, petMoved)
	}
	if res.Attachments.Missing != sameContent || res.Attachments.Corrupt != 0 {
		t.Errorf("attachments = %+v, want %d missing", res.Attachments, sameContent)
	}
	if res.Fingerprint == clean.Fingerprint {
		t.Error("fingerprint did not change after tampering")
	}
}

func first[T any](s []T) []T {
	if len(s) > 3 {
		return s[:3]
	}
	return s
}
