package source

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/petfriendly/recon/source/normalize"
)

// TestTypeTableConsistent: what the table says about a type refers to
// fields and types it has, so code reading it never meets a dangling name.
func TestTypeTableConsistent(t *testing.T) {
	types := Types()
	for _, typ := range types {
		has := func(field string) bool { _, ok := typ.Field(field); return ok }
		for _, f := range typ.Title {
			if !has(f) {
				t.Errorf("%s: title field %s is not a field", typ.Name, f)
			}
		}
		for _, c := range typ.Extra {
			if c.From != "" && !has(c.From) {
				t.Errorf("%s: %s is computed from %s, not a field", typ.Name, c.Name, c.From)
			}
		}
		for _, f := range typ.Fields {
			if f.Kind == KindRef {
				if _, ok := TypeByName(f.Ref); !ok {
					t.Errorf("%s.%s refers to unknown type %s", typ.Name, f.Name, f.Ref)
				}
			}
			// The importer resolves a reference via the parent only for a
			// pet's owner (importer's refIndex.petOwner).
			if p, _ := typ.Parent(); f.ViaParent && (f.Ref != "client" || p.Ref != "pet") {
				t.Errorf("%s.%s: via its parent %s, the importer knows only a pet's client", typ.Name, f.Name, p.Ref)
			}
			// A part has its column's name as Column (date) or none (time).
			if f.Within != "" && (f.Column != "" && f.Column != f.Within || f.Kind != KindDate && f.Kind != KindTime) {
				t.Errorf("%s.%s: part of %s with column %q and kind %s", typ.Name, f.Name, f.Within, f.Column, f.Kind)
			}
		}
		switch typ.Merge {
		case "", MergeOwner, MergeSKU:
		default:
			t.Errorf("%s: unknown merge %q", typ.Name, typ.Merge)
		}
		if p, ok := typ.Parent(); typ.ChainAll && !ok {
			t.Errorf("%s: ChainAll without a parent %+v", typ.Name, p)
		}
		if typ.Report < 1 || slices.ContainsFunc(types, func(o Type) bool { return o.Name != typ.Name && o.Report == typ.Report }) {
			t.Errorf("%s: report place %d not positive or not unique", typ.Name, typ.Report)
		}
		if typ.HeadingES == "" || typ.HeadingEN == "" || typ.OneES == "" || typ.LabelES == "" || typ.LabelEN == "" {
			t.Errorf("%s: a label is missing", typ.Name)
		}
		// recon import <Command> takes it, beside import all.
		if typ.Command == "" || typ.Command == "all" || typ.ImportES == "" || typ.ImportEN == "" ||
			slices.ContainsFunc(types, func(o Type) bool { return o.Name != typ.Name && o.Command == typ.Command }) {
			t.Errorf("%s: import command %q missing, not unique or without help", typ.Name, typ.Command)
		}
	}
}

// TestChainEdges: the chain review shows (owner → pet → clinical rows,
// owner → invoice → items) follows from the required references.
func TestChainEdges(t *testing.T) {
	types := Types()
	names := func(ts []Type) []string {
		var out []string
		for _, t := range ts {
			out = append(out, t.Name)
		}
		return out
	}
	for _, tc := range []struct {
		typ      string
		parent   string // Parent().Ref, "" for a root
		children []string
	}{
		{"clients", "", []string{"pets", "invoices"}},
		{"pets", "client", []string{"medical", "vaccines", "appointments", "documents"}},
		{"invoices", "client", []string{"invoice_items"}},
		{"invoice_items", "invoice", nil},
		{"appointments", "pet", nil},
		{"products", "", nil},
	} {
		typ, _ := TypeByName(tc.typ)
		p, _ := typ.Parent()
		if p.Ref != tc.parent {
			t.Errorf("%s: parent %q, want %q", tc.typ, p.Ref, tc.parent)
		}
		if got := names(typ.Children(types)); !slices.Equal(got, tc.children) {
			t.Errorf("%s: children %v, want %v", tc.typ, got, tc.children)
		}
	}
}

// weightsType is a hypothetical tenth type with one reference (its
// importer rule is in importer's TestTenthType).
func weightsType() Type {
	return Type{
		Name: "weights", SourceType: "weight", BatchType: "weights",
		LabelES: "pesajes", LabelEN: "weighings", OneES: "pesaje", HeadingES: "Pesaje", HeadingEN: "Weighing",
		Command: "weights", ImportES: "Importa pesajes.", ImportEN: "Import weighings.",
		Files: []string{"pesajes", "weights"}, Table: "pets_weight", DependsOn: []string{"pet"},
		Extra: []DestColumn{{Name: "created_at", Now: true}},
		Fields: []Field{
			{Name: "id", Kind: KindID, Required: true},
			{Name: "id_paciente", Aliases: []string{"pet_id"}, Kind: KindRef, Ref: "pet", Required: true, Column: "pet_id"},
			{Name: "fecha", Aliases: []string{"date"}, Kind: KindDate, Column: "weighed_on", Past: true},
			{Name: "peso", Aliases: []string{"weight"}, Kind: KindWeight, Column: "weight"},
		},
	}
}

// TestTenthTypeHeaderAndValues: the header matcher and the normaliser take
// a new type from its entry alone: its file name and headers (aliases,
// any case and accents) bind to its fields, and each cell is normalised by
// its field's kind.
func TestTenthTypeHeaderAndValues(t *testing.T) {
	w := weightsType()
	header := []string{"ID", "Pet_ID", "Fécha", "Weight"}
	folded := make([]string, len(header))
	for i, h := range header {
		folded[i] = normalize.Fold(h)
	}
	c := seedCandidate(w, foldIndex(w), header, folded, "pesajes_2024.csv", nil)
	if len(c.missing) != 0 || !c.named || c.score != 4 {
		t.Fatalf("candidate missing %v named %v score %d, want nothing missing, named, 4 columns", c.missing, c.named, c.score)
	}
	for i, want := range []string{"id", "id_paciente", "fecha", "peso"} {
		if got := c.columns[i].Field; got != want || c.columns[i].Type != "weights" {
			t.Errorf("column %q bound to %s.%s, want weights.%s", header[i], c.columns[i].Type, got, want)
		}
	}
	now := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	vals, issues := Normalize(w, map[string]string{"id": " W1 ", "id_paciente": "P1", "fecha": "02/01/2020", "peso": "12,5 kg"}, nil, now)
	for field, want := range map[string]string{"id": "W1", "id_paciente": "P1", "fecha": "2020-01-02", "peso": "12.5"} {
		if got := vals[field].Text; got != want {
			t.Errorf("%s = %q, want %q", field, got, want)
		}
	}
	if len(issues) != 0 {
		t.Errorf("issues %v", issues)
	}
}

func TestPerParentCheckAndPathField(t *testing.T) {
	var checks, paths []string
	for _, typ := range Types() {
		if c := typ.PerParentCheck(); c != "" {
			checks = append(checks, c)
		}
		if f, ok := typ.PathField(); ok {
			paths = append(paths, typ.Name+"."+f.Name)
		}
	}
	if got, want := strings.Join(checks, ","), "per_pet:medical,per_pet:vaccines"; got != want {
		t.Errorf("per-parent checks %s, want %s", got, want)
	}
	if got, want := strings.Join(paths, ","), "documents.archivo"; got != want {
		t.Errorf("path fields %s, want %s", got, want)
	}
	// A count per parent needs a parent.
	if c := (Type{Name: "x", CountPerParent: true}).PerParentCheck(); c != "" {
		t.Errorf("a type without a required reference has the check %q", c)
	}
}
