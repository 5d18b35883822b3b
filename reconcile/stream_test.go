package reconcile_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/petfriendly/recon/internal/gen"
	"github.com/petfriendly/recon/reconcile"
)

// plainQuerier hides the pool behind the bare Querier, so Verify cannot open
// its streams and looks every id up instead.
type plainQuerier struct{ q reconcile.Querier }

func (p plainQuerier) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	return p.q.Query(ctx, sql, args...)
}

func (p plainQuerier) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return p.q.QueryRow(ctx, sql, args...)
}

// TestVerifySameResultWhateverTheReadPath checks that how verify reaches the
// destination rows (ordered streams with a window, a window so small most
// rows are looked up one by one, look-ups only, or a file whose order is the
// reverse of the import's) never changes what it finds.
func TestVerifySameResultWhateverTheReadPath(t *testing.T) {
	t.Parallel()
	in := importExport(t, gen.TinyScale, 11)
	ctx := context.Background()
	exec(t, in.pool, `DELETE FROM medical_medicalrecord WHERE id = (SELECT target_id FROM migration_externalidmapping
		WHERE source_type = 'record' ORDER BY target_id OFFSET 100 LIMIT 1)`)
	exec(t, in.pool, `UPDATE pets_pet SET name = name || ' x' WHERE id = (SELECT target_id FROM migration_externalidmapping
		WHERE source_type = 'pet' ORDER BY target_id DESC LIMIT 1)`)
	exec(t, in.pool, `UPDATE medical_vaccinationrecord SET pet_id = (SELECT min(id) FROM pets_pet WHERE id <> medical_vaccinationrecord.pet_id)
		WHERE id = (SELECT target_id FROM migration_externalidmapping WHERE source_type = 'vaccine' ORDER BY target_id OFFSET 7 LIMIT 1)`)

	run := func(db reconcile.Querier, opts reconcile.Options) reconcile.Result {
		t.Helper()
		opts.MediaDir, opts.Now = in.media, func() time.Time { return testNow }
		res, err := reconcile.Verify(ctx, db, opts)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	streamed := run(in.pool, reconcile.Options{})
	if streamed.OK || len(streamed.Unexplained) != 1 || len(streamed.Mismatches) != 1 {
		t.Fatalf("tampered database: ok=%v unexplained=%v mismatches=%v, want one of each", streamed.OK, streamed.Unexplained, streamed.Mismatches)
	}
	broken := 0
	for _, c := range streamed.Chains {
		if !c.OK {
			broken++
		}
	}
	if broken == 0 {
		t.Fatal("the moved vaccination breaks no chain")
	}
	for name, res := range map[string]reconcile.Result{
		"small window": run(in.pool, reconcile.Options{ChunkSize: 40}),
		"look-ups":     run(plainQuerier{in.pool}, reconcile.Options{}),
	} {
		if res.Fingerprint != streamed.Fingerprint {
			t.Errorf("%s: fingerprint %s, streamed %s", name, res.Fingerprint, streamed.Fingerprint)
		}
	}

	reversed := reverseExport(t, in.dir)
	res := run(in.pool, reconcile.Options{SourceDir: reversed})
	if !reflect.DeepEqual(res.Types, streamed.Types) {
		t.Errorf("reversed files: counts %+v, streamed %+v", res.Types, streamed.Types)
	}
	for name, pair := range map[string][2]any{
		"mismatches":  {res.Mismatches, streamed.Mismatches},
		"unexplained": {res.Unexplained, streamed.Unexplained},
	} {
		if !reflect.DeepEqual(pair[0], pair[1]) {
			t.Errorf("reversed files: %s %+v, streamed %+v", name, pair[0], pair[1])
		}
	}
	// Examples are listed in file order; the checks and counts are not.
	if len(res.Chains) != len(streamed.Chains) || len(res.Missing) != len(streamed.Missing) {
		t.Fatalf("reversed files: %d chains and %d missing fields, streamed %d and %d",
			len(res.Chains), len(res.Missing), len(streamed.Chains), len(streamed.Missing))
	}
	for i, c := range res.Chains {
		s := streamed.Chains[i]
		if c.Check != s.Check || c.OK != s.OK || c.Violations != s.Violations {
			t.Errorf("reversed files: chain %+v, streamed %+v", c, s)
		}
	}
	for i, m := range res.Missing {
		s := streamed.Missing[i]
		if m.Type != s.Type || m.Field != s.Field || m.Rows != s.Rows {
			t.Errorf("reversed files: missing %+v, streamed %+v", m, s)
		}
	}
}

// reverseExport copies an export with every CSV's data rows in reverse order.
func reverseExport(t *testing.T, dir string) string {
	t.Helper()
	out := t.TempDir()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".csv") {
			continue
		}
		f, err := os.Open(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		slices.Reverse(rows[1:])
		w, err := os.Create(filepath.Join(out, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		cw := csv.NewWriter(w)
		if err := cw.WriteAll(rows); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestVerifyConcurrentSameResult checks that the three ways verify can
// account for the destination give the result, byte for byte, and both
// fingerprints: the table accounted for from the two ordered streams with
// the audit trail and the per-pet counts read ahead on a connection of
// their own (a pool of five or more), the same with those read in line,
// and a verifier that cannot stream and asks the server for each table's
// gaps instead.
func TestVerifyConcurrentSameResult(t *testing.T) {
	t.Parallel()
	in := importExport(t, gen.TinyScale, 13)
	ctx := context.Background()
	exec(t, in.pool, `DELETE FROM migration_externalidmapping WHERE id = (SELECT id FROM migration_externalidmapping
		WHERE source_type = 'vaccine' ORDER BY target_id OFFSET 3 LIMIT 1)`)
	exec(t, in.pool, `UPDATE migration_externalidmapping SET target_model = 'pets_pet' WHERE id = (SELECT id FROM migration_externalidmapping
		WHERE source_type = 'invoice' ORDER BY target_id OFFSET 5 LIMIT 1)`)
	exec(t, in.pool, `DELETE FROM medical_medicalrecord WHERE id = (SELECT target_id FROM migration_externalidmapping
		WHERE source_type = 'record' ORDER BY target_id OFFSET 100 LIMIT 1)`)
	exec(t, in.pool, `DELETE FROM migration_dataqualityissue WHERE id = (SELECT i.id FROM migration_dataqualityissue i
		JOIN migration_migrationrecord r ON r.id = i.record_id WHERE r.status = 'error' ORDER BY i.id LIMIT 1)`)
	// Two pets' mappings on one row (the other row is left unexplained),
	// a product that says it is another OkVet row, a client's mapping
	// renamed to an id the export does not hold (vanished, and the real
	// id loses its mapping), and the last mapped appointment's row gone.
	exec(t, in.pool, `UPDATE migration_externalidmapping SET target_id = (SELECT target_id FROM migration_externalidmapping
		WHERE source_type = 'pet' ORDER BY target_id OFFSET 10 LIMIT 1)
		WHERE id = (SELECT id FROM migration_externalidmapping WHERE source_type = 'pet' ORDER BY target_id OFFSET 20 LIMIT 1)`)
	exec(t, in.pool, `UPDATE inventory_product SET external_id = 'P-OTHER' WHERE id = (SELECT target_id FROM migration_externalidmapping
		WHERE source_type = 'product' ORDER BY target_id OFFSET 2 LIMIT 1)`)
	exec(t, in.pool, `UPDATE migration_externalidmapping SET source_id = 'ZZ-GONE' WHERE id = (SELECT id FROM migration_externalidmapping
		WHERE source_type = 'client' ORDER BY target_id OFFSET 30 LIMIT 1)`)
	exec(t, in.pool, `DELETE FROM appointments_appointment WHERE id = (SELECT max(target_id) FROM migration_externalidmapping
		WHERE source_type = 'appointment')`)
	cfg := in.pool.Config()
	cfg.MaxConns = 6
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	run := func(db reconcile.Querier, opts reconcile.Options) (reconcile.Result, []byte) {
		t.Helper()
		opts.MediaDir, opts.Now = in.media, func() time.Time { return testNow }
		res, err := reconcile.Verify(ctx, db, opts)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		return res, b
	}
	ahead, aheadJSON := run(pool, reconcile.Options{})
	codes := map[string]bool{}
	for _, f := range ahead.Findings {
		codes[f.Code] = true
	}
	for _, c := range []string{reconcile.CodeNotFromMigration, reconcile.CodeWrongModel, reconcile.CodeTargetMissing, reconcile.CodeRecordNoIssue,
		reconcile.CodeSharedTarget, reconcile.CodeExternalIDMismatch, reconcile.CodeVanished} {
		if !codes[c] {
			t.Errorf("no %s finding: the tampering is not seen (findings %v)", c, ahead.Findings)
		}
	}
	for name, db := range map[string]reconcile.Querier{"in line": pool, "look-ups": plainQuerier{pool}} {
		opts := reconcile.Options{}
		if name == "in line" {
			opts = reconcile.SequentialTableChecks(opts)
		}
		res, b := run(db, opts)
		if ahead.Fingerprint != res.Fingerprint || ahead.ContentFingerprint != res.ContentFingerprint {
			t.Errorf("%s: fingerprints %s / %s, read ahead %s / %s", name, res.Fingerprint, res.ContentFingerprint, ahead.Fingerprint, ahead.ContentFingerprint)
		}
		if string(aheadJSON) != string(b) {
			t.Errorf("%s: results differ:\nahead %s\n%s %s", name, aheadJSON, name, b)
		}
	}
}
