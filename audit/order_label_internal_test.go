package audit

import (
	"testing"

	"github.com/petfriendly/recon/reconcile"
	"github.com/petfriendly/recon/source"
)

// Ids sort as people count: "P2" before "P10"; ids that are not a
// prefix and a number sort as text.
func TestNaturalLess(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"P2", "P10", true},
		{"P10", "P2", false},
		{"P02", "P10", true}, // same length: as text
		{"C9", "P1", true},   // different prefixes: as text
		{"P", "P1", true},    // no number: as text
		{"abc", "abd", true},
		{"P7", "P7", false},
	}
	for _, tt := range tests {
		if got := naturalLess(tt.a, tt.b); got != tt.want {
			t.Errorf("naturalLess(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

// A row's label is taken from the destination first, then the normalised
// value, then the raw cell; each type names its row by its own fields.
func TestRecordLabel(t *testing.T) {
	tests := []struct {
		typ  string
		rec  source.Record
		dest map[string]string
		want string
	}{
		{"pets", source.Record{Raw: map[string]string{"nombre": "luna"}}, map[string]string{"nombre": "Luna"}, "Luna"},
		{"clients", source.Record{Values: map[string]source.Value{"nombre": {Text: "Ana Ruiz"}}, Raw: map[string]string{"nombre": "ana ruiz"}}, nil, "Ana Ruiz"},
		{"products", source.Record{Raw: map[string]string{"nombre": "Vacuna triple"}}, nil, "Vacuna triple"},
		{"medical", source.Record{Raw: map[string]string{"fecha": "2024-01-02", "descripcion": "otitis"}}, nil, "2024-01-02 · otitis"},
		{"vaccines", source.Record{Raw: map[string]string{"fecha_aplicacion": "2024-03-01", "vacuna": "Rabia"}}, nil, "2024-03-01 · Rabia"},
		{"appointments", source.Record{Raw: map[string]string{"fecha": "2024-05-06", "hora": "10:00", "motivo": "control"}}, nil, "2024-05-06 · 10:00 · control"},
		{"invoices", source.Record{Raw: map[string]string{"numero": "F-1", "total": "50000"}}, nil, "F-1 · 50000"},
		{"invoice_items", source.Record{Raw: map[string]string{"descripcion": "Consulta"}}, nil, "Consulta"},
		{"documents", source.Record{Raw: map[string]string{"tipo": "Radiografía"}}, nil, "Radiografía"},
		{"pets", source.Record{}, nil, ""},
	}
	for _, tt := range tests {
		typ, ok := source.TypeByName(tt.typ)
		if !ok {
			t.Fatalf("no type %s", tt.typ)
		}
		if got := label(typ, tt.rec, reconcile.Dest{Fields: tt.dest}); got != tt.want {
			t.Errorf("label(%s, %v, %v) = %q, want %q", tt.typ, tt.rec.Raw, tt.dest, got, tt.want)
		}
	}
}

// A row's parent is named by what the source says, else by the source id
// the destination's parent maps back to; a "#id" (a row recon did not
// create) or a type without parent names none.
func TestParentOf(t *testing.T) {
	tests := []struct {
		name            string
		v               RecordView
		wantRef, wantID string
	}{
		{"source value", RecordView{Type: "pets", Fields: []FieldView{{Field: "nombre", Normalised: "Luna"},
			{Field: "id_cliente", Normalised: "C3", Destination: "C4"}}}, "client", "C3"},
		{"destination's parent", RecordView{Type: "invoices", Fields: []FieldView{{Field: "id_cliente", Destination: "C4"}}}, "client", "C4"},
		{"item's invoice", RecordView{Type: "invoice_items", Fields: []FieldView{{Field: "id_factura", Normalised: "F1"}}}, "invoice", "F1"},
		{"clinical row's pet", RecordView{Type: "vaccines", Fields: []FieldView{{Field: "id_paciente", Normalised: "P2"}}}, "pet", "P2"},
		{"placeholder owner", RecordView{Type: "pets", Fields: []FieldView{{Field: "id_cliente", Destination: "#1"}}}, "", ""},
		{"no parent field", RecordView{Type: "pets", Fields: []FieldView{{Field: "nombre", Normalised: "Luna"}}}, "", ""},
		{"type without parent", RecordView{Type: "clients"}, "", ""},
	}
	for _, tt := range tests {
		ref, id := (&shower{}).parentOf(tt.v)
		if ref != tt.wantRef || id != tt.wantID {
			t.Errorf("%s: parentOf = %q, %q; want %q, %q", tt.name, ref, id, tt.wantRef, tt.wantID)
		}
	}
}
