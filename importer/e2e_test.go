package importer_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/petfriendly/recon/importer"
	"github.com/petfriendly/recon/internal/gen"
	"github.com/petfriendly/recon/internal/pgtest"
)

// TestImportGeneratedExport is the end-to-end check of the outcome rules:
// the generator knows each row's outcome by construction, and the importer
// must reach exactly the same counts for every type and variant.
func TestImportGeneratedExport(t *testing.T) {
	for _, variant := range []string{"utf8", "excel-es", "xlsx"} {
		t.Run(variant, func(t *testing.T) {
			t.Parallel()
			db := pgtest.MustOpenDB(t)
			dir := filepath.Join(t.TempDir(), "export")
			// Every defect kind is in the tiny export; a batch of 37 rows
			// makes every file cross several batch boundaries.
			exp, err := gen.Generate(context.Background(), gen.Options{Out: dir, Scale: gen.TinyScale, Seed: 7, Variant: variant})
			if err != nil {
				t.Fatal(err)
			}
			im := newImporter(t, db.Pool, func(o *importer.Options) { o.BatchSize = 37 })
			res, err := im.ImportDir(context.Background(), dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Unrecognised) != 0 {
				t.Errorf("unrecognised files: %v", res.Unrecognised)
			}
			got := map[string]importer.Summary{}
			for _, s := range res.Summaries {
				got[s.Type] = s
			}
			for typ, want := range exp.Types {
				s, ok := got[typ]
				if !ok {
					t.Errorf("%s: not imported", typ)
					continue
				}
				if s.Read != want.SourceRows || s.Imported != want.Imported || s.Merged != want.MergedDuplicates ||
					s.Rejected != want.Rejected || s.Orphaned != want.Orphaned || s.Skipped != want.Skipped {
					t.Errorf("%s: got read=%d imported=%d merged=%d rejected=%d orphaned=%d skipped=%d\n"+
						"        want read=%d imported=%d merged=%d rejected=%d orphaned=%d skipped=%d",
						typ, s.Read, s.Imported, s.Merged, s.Rejected, s.Orphaned, s.Skipped,
						want.SourceRows, want.Imported, want.MergedDuplicates, want.Rejected, want.Orphaned, want.Skipped)
				}
			}
			for typ, want := range exp.DestinationRows {
				table := map[string]string{"clients": "vet_clinic_ownerprofile", "pets": "pets_pet", "medical": "medical_medicalrecord",
					"vaccines": "medical_vaccinationrecord", "appointments": "appointments_appointment", "products": "inventory_product",
					"invoices": "billing_invoice", "invoice_items": "billing_invoiceitem", "documents": "documents_document"}[typ]
				if n := count(t, db.Pool, "SELECT count(*) FROM "+table); n != want {
					t.Errorf("%s: %d destination rows, want %d", table, n, want)
				}
			}
		})
	}
}
