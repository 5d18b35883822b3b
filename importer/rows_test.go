package importer

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/petfriendly/recon/source"
)

// sampleRaw is a plausible cell for each kind, so every type's rules reach
// the point where they build their destination rows.
func sampleRaw(f source.Field) (string, bool) {
	if f.Column == "" {
		return "", false // dump-only helpers
	}
	switch f.Kind {
	case source.KindID:
		return "X1", true
	case source.KindRef:
		return map[string]string{"client": "C1", "pet": "P1", "invoice": "F1", "product": "PR1"}[f.Ref], true
	case source.KindName:
		return "Ana Pérez", true
	case source.KindEmail:
		return "ana@example.com", true
	case source.KindPhone:
		return "3001234567", true
	case source.KindDate:
		return "2020-01-02", true
	case source.KindDateTime:
		return "2020-01-02 10:00", true
	case source.KindInt:
		return "5", true
	case source.KindMoney:
		return "1000", true
	case source.KindDecimal:
		return "1.5", true
	case source.KindWeight:
		return "12.5", true
	case source.KindBool:
		return "Sí", true
	case source.KindSpecies:
		return "Canino", true
	case source.KindSex:
		return "Hembra", true
	case source.KindMicrochip:
		return "985141000123456", true
	case source.KindDocType:
		return "CC", true
	case source.KindDocument:
		return "1020304050", true
	case source.KindStatus:
		return "Confirmada", true
	case source.KindPath:
		return "rx.pdf", true
	}
	return "texto", true
}

// TestRowsMatchTypeTable runs every type's rules on a sample row and checks
// that each destination row they build has exactly the columns the type
// table lists for its table, in number and by name.
func TestRowsMatchTypeTable(t *testing.T) {
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	layout := mustLayout(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "rx.pdf"), []byte("%PDF-1.4"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, typ := range source.Types() {
		t.Run(typ.Name, func(t *testing.T) {
			im := &Importer{opts: Options{Now: func() time.Time { return now }, Orphans: OrphansFlag, MediaDir: t.TempDir(), DryRun: true},
				virtual: newVirtualState(true)}
			b := &batchWriter{im: im, t: typ, dryRun: true, virtual: im.virtual, now: now, exportDir: dir, refs: newRefIndex(nil, im.virtual),
				tables: newTableBuffers(nil, layout, 100, true)}
			var err error
			if b.rules, err = rulesOf(typ); err != nil {
				t.Fatal(err)
			}
			b.refs.targets = map[string]map[string]int64{"client": {"C1": 10}, "pet": {"P1": 20}, "invoice": {"F1": 30}, "product": {"PR1": 40}}
			b.refs.petOwner = map[int64]int64{20: 10}
			b.owners = &ownerIndex{byKey: map[string]int64{}, sources: map[int64]string{}, virtual: im.virtual}
			b.product = &productIndex{bySKU: map[string]int64{}, source: map[int64]string{}, virtual: im.virtual}
			raw := map[string]string{}
			for _, f := range typ.Fields {
				if v, ok := sampleRaw(f); ok {
					raw[f.Name] = v
				}
			}
			vals, issues := source.Normalize(typ, raw, nil, now)
			rec := source.Record{Type: typ.Name, SourceID: "X1", File: "x.csv", Line: 2, Raw: raw, Values: vals, Issues: issues}
			// Capture mode keeps the rows the rules build (put checks them).
			b.cur = &capture{target: 100, user: 101}
			c := Check(typ, rec, b.exportDir)
			if c.Bad {
				t.Fatalf("sample row rejected: %+v", c.Problem)
			}
			o, err := b.decideType(context.Background(), rec, c)
			if err != nil {
				t.Fatal(err)
			}
			if o.status != StatusImported {
				t.Fatalf("sample row not imported: %s %s %v", o.status, o.reason, o.issues)
			}
			written := map[string]bool{}
			for _, tr := range b.cur.rows {
				written[tr.table] = true
				cols := typ.Columns(tr.table)
				values, err := layout.rowValues(tr.table, tr.vals, now)
				if err != nil {
					t.Fatal(err)
				}
				if len(values) != len(cols) {
					t.Errorf("%s: %d values for %d columns", tr.table, len(values), len(cols))
				}
				for _, c := range layout.order {
					if c.table == tr.table && len(c.columns) != len(values) {
						t.Errorf("%s: %d values for %d COPY columns", tr.table, len(values), len(c.columns))
					}
				}
				if got := tr.vals["external_id"]; tr.table == typ.Table && got != "X1" {
					t.Errorf("%s.external_id = %v, want the source id", tr.table, got)
				}
			}
			for _, table := range typ.Tables() {
				if !written[table] {
					t.Errorf("no %s row built", table)
				}
			}
		})
	}
}

// TestRowValuesRefusesMismatch: a value for an unlisted column, or none
// for a computed one, is an error, never a silently shifted row.
func TestRowValuesRefusesMismatch(t *testing.T) {
	now := time.Now()
	layout := mustLayout(t)
	vals := map[string]any{"id": int64(1), "external_id": "X", "sku": "", "name": "", "category": "", "product_type": "",
		"price": nil, "cost": nil, "stock": nil, "unit": "", "is_active": true}
	if _, err := layout.rowValues("inventory_product", vals, now); err != nil {
		t.Fatalf("complete row refused: %v", err)
	}
	vals["weight_kg"] = 1
	if _, err := layout.rowValues("inventory_product", vals, now); err == nil {
		t.Error("unlisted column accepted")
	}
	delete(vals, "weight_kg")
	delete(vals, "unit")
	if _, err := layout.rowValues("inventory_product", vals, now); err == nil {
		t.Error("missing column accepted")
	}
	vals["unit"], vals["created_at"] = "", now
	if _, err := layout.rowValues("inventory_product", vals, now); err == nil {
		t.Error("fixed column overridden")
	}
}

func mustLayout(t *testing.T) *tableLayout {
	t.Helper()
	l, err := newTableLayout(source.Types())
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// Two types claiming one destination table is a type-table error.
func TestTableLayoutRefusesSharedTable(t *testing.T) {
	types := source.Types()
	types[1].Table = types[0].Table
	if _, err := newTableLayout(types); err == nil || !strings.Contains(err.Error(), "belongs to two types") {
		t.Fatalf("newTableLayout with a shared table: %v", err)
	}
}
