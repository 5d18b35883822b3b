package reconcile_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/petfriendly/recon/internal/gen"
	"github.com/petfriendly/recon/reconcile"
)

// TestVerifySameResultWhateverTheJobs checks that verifying the types one
// at a time or several at once gives the same Result, byte for byte, and
// so the same fingerprints, on a database with findings in several types
// (so the merge of the types' tallies is what orders them). Run it with
// -race: the types share the parents' id maps and the sources.
func TestVerifySameResultWhateverTheJobs(t *testing.T) {
	t.Parallel()
	in := importExport(t, gen.TinyScale, 11)
	ctx := context.Background()
	exec(t, in.pool, `DELETE FROM medical_medicalrecord WHERE id = (SELECT target_id FROM migration_externalidmapping
		WHERE source_type = 'record' ORDER BY target_id OFFSET 100 LIMIT 1)`)
	exec(t, in.pool, `UPDATE pets_pet SET name = name || ' x' WHERE id = (SELECT target_id FROM migration_externalidmapping
		WHERE source_type = 'pet' ORDER BY target_id DESC LIMIT 1)`)
	exec(t, in.pool, `UPDATE medical_vaccinationrecord SET pet_id = (SELECT min(id) FROM pets_pet WHERE id <> medical_vaccinationrecord.pet_id)
		WHERE id = (SELECT target_id FROM migration_externalidmapping WHERE source_type = 'vaccine' ORDER BY target_id OFFSET 7 LIMIT 1)`)
	exec(t, in.pool, `UPDATE inventory_product SET external_id = 'P-OTHER' WHERE id = (SELECT target_id FROM migration_externalidmapping
		WHERE source_type = 'product' ORDER BY target_id OFFSET 2 LIMIT 1)`)
	cfg := in.pool.Config()
	cfg.MaxConns = int32(reconcile.AheadConns(4))
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	run := func(opts reconcile.Options) (reconcile.Result, string) {
		t.Helper()
		opts.MediaDir, opts.Now = in.media, func() time.Time { return testNow }
		res, err := reconcile.Verify(ctx, pool, opts)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		return res, string(b)
	}
	one, oneJSON := run(reconcile.Options{Jobs: 1})
	types := map[string]bool{}
	for _, f := range one.Findings {
		types[f.Type] = true
	}
	for _, m := range one.Mismatches {
		types[m.Type] = true
	}
	for _, u := range one.Unexplained {
		types[u.Type] = true
	}
	if len(types) < 3 {
		t.Fatalf("findings in %d types (%v), want at least 3 for the merge to order", len(types), types)
	}
	for name, opts := range map[string]reconcile.Options{
		"4 jobs":               {Jobs: 4},
		"4 jobs, look-ups":     {Jobs: 4, Reads: reconcile.ReadsLookups},
		"2 jobs, streamed":     {Jobs: 2, Reads: reconcile.ReadsStreamed},
		"one per core":         {},
		"4 jobs, small chunks": {Jobs: 4, ChunkSize: 40},
	} {
		res, b := run(opts)
		if res.Fingerprint != one.Fingerprint || res.ContentFingerprint != one.ContentFingerprint {
			t.Errorf("%s: fingerprints %s / %s, one job %s / %s", name, res.Fingerprint, res.ContentFingerprint, one.Fingerprint, one.ContentFingerprint)
		}
		if b != oneJSON {
			t.Errorf("%s: results differ:\none job %s\n%s %s", name, oneJSON, name, b)
		}
	}
	// A pool too small for the jobs asked is refused, not deadlocked.
	if _, err := reconcile.Verify(ctx, in.pool, reconcile.Options{MediaDir: in.media, Now: func() time.Time { return testNow }, Jobs: 4,
		Reads: reconcile.ReadsStreamed}); err == nil {
		t.Errorf("4 jobs on a pool of %d connections: no error", in.pool.Config().MaxConns)
	}
}
