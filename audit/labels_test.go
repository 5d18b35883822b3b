package audit_test

import (
	"testing"

	"github.com/petfriendly/recon/audit"
	"github.com/petfriendly/recon/internal/i18n"
)

// TestLabelsOfUnknownNames: a name the labels do not know (a type or a
// field status from a newer version) is shown as stored, in
// either language; the known ones are translated.
func TestLabelsOfUnknownNames(t *testing.T) {
	tests := []struct {
		label  func(i18n.Lang, string) string
		in     string
		es, en string
	}{
		{audit.TypeLabel, "record", "Historia clínica", "Medical record"},
		{audit.TypeLabel, "prescriptions", "prescriptions", "prescriptions"},
		{audit.StatusLabel, audit.FieldExplained, "~ explicado por un problema", "~ explained by an issue"},
		{audit.StatusLabel, "pending", "pending", "pending"},
	}
	for _, tt := range tests {
		if got := tt.label(i18n.ES, tt.in); got != tt.es {
			t.Errorf("label(ES, %q) = %q, want %q", tt.in, got, tt.es)
		}
		if got := tt.label(i18n.EN, tt.in); got != tt.en {
			t.Errorf("label(EN, %q) = %q, want %q", tt.in, got, tt.en)
		}
	}
}

// TestErrorTexts: refusals the other tests do not reach, in both
// languages; Error is the English text, and a code without a text names
// its parts.
func TestErrorTexts(t *testing.T) {
	tests := []struct {
		err    audit.Error
		es, en string
	}{
		{audit.Error{Code: audit.CodeRowMissing, Type: "pet", SourceID: "P1"},
			"la fila de destino de pet P1 ya no existe", "the destination row of pet P1 no longer exists"},
		{audit.Error{Code: "frozen", Type: "pet", SourceID: "P1", Field: "color", Detail: "locked"},
			"frozen: pet P1 color locked", "frozen: pet P1 color locked"},
	}
	for _, tt := range tests {
		if got := tt.err.Text(i18n.ES); got != tt.es {
			t.Errorf("Text(ES) = %q, want %q", got, tt.es)
		}
		if got := tt.err.Error(); got != tt.en {
			t.Errorf("Error() = %q, want %q", got, tt.en)
		}
	}
}
