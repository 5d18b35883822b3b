package importer

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/petfriendly/recon/source"
)

// TestImportRulesCoverTypes: the registry has rules for every type of the
// type table and for nothing else, so a type without rules fails here and
// not on a clinic's first row.
func TestImportRulesCoverTypes(t *testing.T) {
	reg := importRules()
	var names []string
	for _, typ := range source.Types() {
		names = append(names, typ.Name)
		if _, err := rulesOf(typ); err != nil {
			t.Error(err)
		}
	}
	for name := range reg {
		if !slices.Contains(names, name) {
			t.Errorf("import rules for %q, which is not a type of source.Types()", name)
		}
	}
	if _, err := rulesOf(weightsType()); err == nil {
		t.Error("rulesOf accepted a type without rules")
	}
}

// weightsType is a hypothetical tenth type: a pet's weighings, with one
// reference. Adding it to source.Types() and weightRule to importRules is
// all it takes (TestTenthType).
func weightsType() source.Type {
	return source.Type{
		Name: "weights", SourceType: "weight", BatchType: "weights",
		LabelES: "pesajes", LabelEN: "weighings", OneES: "pesaje", HeadingES: "Pesaje", HeadingEN: "Weighing",
		Command: "weights", ImportES: "Importa pesajes.", ImportEN: "Import weighings.",
		Files: []string{"pesajes", "weights"}, Table: "pets_weight", DependsOn: []string{"pet"},
		Title: []string{"fecha", "peso"},
		Extra: []source.DestColumn{{Name: "created_at", Now: true}},
		Fields: []source.Field{
			{Name: "id", Kind: source.KindID, Required: true},
			{Name: "id_paciente", Aliases: []string{"pet_id"}, Kind: source.KindRef, Ref: "pet", Required: true, Column: "pet_id"},
			{Name: "fecha", Aliases: []string{"date"}, Kind: source.KindDate, Column: "weighed_on", Past: true},
			{Name: "peso", Aliases: []string{"weight"}, Kind: source.KindWeight, Column: "weight"},
		},
	}
}

// weightRule is the tenth type's rule function, written like the others.
func (b *batchWriter) weightRule(ctx context.Context, rec source.Record, _ Checked) (outcome, error) {
	o := outcome{status: StatusImported, targetModel: b.t.Table}
	pet, ok, err := b.parent(ctx, rec, "id_paciente", "pet", &o)
	if err != nil || !ok {
		return o, err
	}
	id, err := b.newID(ctx, b.t.Table)
	if err != nil {
		return outcome{}, err
	}
	o.targetID = id
	return o, b.put(ctx, b.t.Table, map[string]any{"id": id, "external_id": rec.SourceID, "pet_id": pet,
		"weighed_on": date(rec, "fecha"), "weight": boundedDecimal(rec, &o, "peso", source.KindWeight)})
}

// TestTenthType: the tenth type's rows go through the same decide path as
// every type's (Check, then its rule, put checking the columns against the
// table's), with nothing else changed: imported with its pet, orphaned
// without it, an implausible weight stored empty with the normaliser's
// warning.
func TestTenthType(t *testing.T) {
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	typ := weightsType()
	layout, err := newTableLayout(append(source.Types(), typ))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name       string
		raw        map[string]string
		status     string
		reason     string
		wantColumn string // a column the built row must hold
		issue      string // an issue the outcome must carry
	}{
		{"imported", map[string]string{"id": "W1", "id_paciente": "P1", "fecha": "2020-01-02", "peso": "12,5"}, StatusImported, "", "weight", ""},
		{"orphaned", map[string]string{"id": "W2", "id_paciente": "P9", "fecha": "2020-01-02", "peso": "3"}, StatusSkipped, ReasonOrphaned, "", "orphaned_record"},
		{"too heavy", map[string]string{"id": "W3", "id_paciente": "P1", "fecha": "2020-01-02", "peso": "123456789"}, StatusImported, "", "weight", "invalid_weight"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			im := &Importer{opts: Options{Now: func() time.Time { return now }, Orphans: OrphansFlag, DryRun: true},
				virtual: newVirtualState(true)}
			b := &batchWriter{im: im, t: typ, dryRun: true, virtual: im.virtual, now: now, refs: newRefIndex(nil, im.virtual),
				tables: newTableBuffers(nil, layout, 100, true), rules: typeRules{decide: (*batchWriter).weightRule},
				seen: map[string]int{}, failed: map[string]int{}}
			b.refs.targets = map[string]map[string]int64{"pet": {"P1": 20}}
			b.cur = &capture{target: 100} // keep the rows the rule builds
			vals, issues := source.Normalize(typ, tc.raw, nil, now)
			rec := source.Record{Type: typ.Name, SourceID: tc.raw["id"], File: "pesajes.csv", Line: 2, Raw: tc.raw, Values: vals, Issues: issues}
			o, err := b.decide(context.Background(), rec)
			if err != nil {
				t.Fatal(err)
			}
			if o.status != tc.status || tc.reason != "" && o.reason != tc.reason {
				t.Fatalf("status %s reason %s %v, want %s %s", o.status, o.reason, o.issues, tc.status, tc.reason)
			}
			if tc.issue != "" && !slices.ContainsFunc(append(o.issues, rec.Issues...), func(is source.Issue) bool { return is.Type == tc.issue }) {
				t.Errorf("issues %v, want a %s", o.issues, tc.issue)
			}
			if tc.wantColumn == "" {
				if len(b.cur.rows) != 0 {
					t.Errorf("rows built for a row not imported: %v", b.cur.rows)
				}
				return
			}
			if len(b.cur.rows) != 1 || b.cur.rows[0].table != typ.Table {
				t.Fatalf("rows %v, want one %s row", b.cur.rows, typ.Table)
			}
			row, err := layout.rowValues(typ.Table, b.cur.rows[0].vals, now)
			if err != nil {
				t.Fatal(err)
			}
			if len(row) != len(typ.Columns(typ.Table)) {
				t.Errorf("%d values for %d columns", len(row), len(typ.Columns(typ.Table)))
			}
			if got := b.cur.rows[0].vals["pet_id"]; got != int64(20) {
				t.Errorf("pet_id = %v, want the pet's target 20", got)
			}
			if _, ok := b.cur.rows[0].vals[tc.wantColumn]; !ok {
				t.Errorf("no %s value", tc.wantColumn)
			}
		})
	}
	if p, ok := Parent(typ); !ok || p.Ref != "pet" {
		t.Errorf("parent %+v %v, want the pet reference", p, ok)
	}
}

// TestReimportColumnsFromTable: a re-import names a changed column by the
// field the type table says it comes from, and touches a table's
// updated_at only where the table has one.
func TestReimportColumnsFromTable(t *testing.T) {
	for _, tc := range []struct {
		typ, table, col string
		field           string
	}{
		{"clients", "accounts_user", "email", "email"},
		{"clients", "accounts_user", "first_name", "nombre"},
		{"clients", "accounts_user", "last_name", "nombre"},
		{"clients", "accounts_user", "date_joined", "date_joined"},
		{"clients", "vet_clinic_ownerprofile", "data_consent_at", "autorizacion_datos"},
		{"clients", "vet_clinic_ownerprofile", "full_name", "nombre"},
		{"appointments", "appointments_appointment", "starts_at", "fecha"},
		{"pets", "pets_pet", "owner_id", "id_cliente"},
	} {
		typ, _ := source.TypeByName(tc.typ)
		if got := fieldOfColumn(typ, tc.table, tc.col); got != tc.field {
			t.Errorf("%s.%s: field %q, want %q", tc.table, tc.col, got, tc.field)
		}
	}
	for table, want := range map[string]string{"vet_clinic_ownerprofile": "updated_at", "pets_pet": "updated_at",
		"accounts_user": "", "billing_invoice": "", "medical_medicalrecord": ""} {
		if got := touchColumn(table); got != want {
			t.Errorf("touchColumn(%s) = %q, want %q", table, got, want)
		}
	}
}
