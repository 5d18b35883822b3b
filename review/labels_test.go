package review_test

import (
	"testing"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/review"
)

func TestOutcomeLabel(t *testing.T) {
	tests := []struct {
		status, reason string
		es, en         string
	}{
		{"imported", "", "importado", "imported"},
		{"duplicate", "merged_into:C1", "fusionado con su duplicado (C1)", "merged into its duplicate (C1)"},
		{"error", "missing_name", "rechazado (missing_name)", "rejected (missing_name)"},
		{"skipped", "orphaned", "huérfano: no importado", "orphaned: not imported"},
		{"skipped", "empty_row", "omitido (empty_row)", "skipped (empty_row)"},
		{"updated", "", "actualizado al reimportar", "updated on re-import"},
		{"unchanged", "", "sin cambios al reimportar", "unchanged on re-import"},
		{"queued", "", "queued", "queued"}, // unknown: shown as stored
	}
	for _, tt := range tests {
		if got := review.OutcomeLabel(i18n.ES, tt.status, tt.reason); got != tt.es {
			t.Errorf("OutcomeLabel(ES, %q, %q) = %q, want %q", tt.status, tt.reason, got, tt.es)
		}
		if got := review.OutcomeLabel(i18n.EN, tt.status, tt.reason); got != tt.en {
			t.Errorf("OutcomeLabel(EN, %q, %q) = %q, want %q", tt.status, tt.reason, got, tt.en)
		}
	}
}

// TestLabelsOfUnknownNames: a name the labels do not know (a type, a
// severity or a field status from a newer version) is shown as stored, in
// either language; the known ones are translated.
func TestLabelsOfUnknownNames(t *testing.T) {
	tests := []struct {
		label  func(i18n.Lang, string) string
		in     string
		es, en string
	}{
		{review.TypeLabel, "record", "Historia clínica", "Medical record"},
		{review.TypeLabel, "prescriptions", "prescriptions", "prescriptions"},
		{review.SeverityLabel, "info", "informativo", "info"},
		{review.SeverityLabel, "fatal", "fatal", "fatal"},
		{review.StatusLabel, review.FieldExplained, "~ explicado por un problema", "~ explained by an issue"},
		{review.StatusLabel, "pending", "pending", "pending"},
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
		err    review.Error
		es, en string
	}{
		{review.Error{Code: review.CodeRowMissing, Type: "pet", SourceID: "P1"},
			"la fila de destino de pet P1 ya no existe", "the destination row of pet P1 no longer exists"},
		{review.Error{Code: "frozen", Type: "pet", SourceID: "P1", Field: "color", Detail: "locked"},
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

func TestParseSeverity(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"", "", true},
		{"critical", "critical", true},
		{"crítico", "critical", true},
		{"CRÍTICOS", "critical", true},
		{" critico ", "critical", true},
		{"advertencia", "warning", true},
		{"Advertencias", "warning", true},
		{"warning", "warning", true},
		{"informativo", "info", true},
		{"información", "info", true},
		{"info", "info", true},
		{"grave", "", false},
		{"critical,warning", "", false},
	}
	for _, tt := range tests {
		got, ok := review.ParseSeverity(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseSeverity(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
