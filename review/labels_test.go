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
