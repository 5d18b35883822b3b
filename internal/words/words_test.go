package words

import (
	"testing"

	"github.com/petfriendly/recon/internal/approval"
	"github.com/petfriendly/recon/internal/i18n"
)

// TestVerdictOf: each verdict has its three wordings in both languages; an
// unknown code reads as problems found.
func TestVerdictOf(t *testing.T) {
	tests := []struct {
		code string
		lang i18n.Lang
		want Verdict
	}{
		{approval.VerdictReady, i18n.ES, Verdict{"Verificada: lista para aprobación", "RESULTADO: LISTO PARA APROBACIÓN", "verificación correcta"}},
		{approval.VerdictReady, i18n.EN, Verdict{"Verified: ready for sign-off", "RESULT: READY FOR SIGN-OFF", "verification passed"}},
		{approval.VerdictCriticalOpen, i18n.ES, Verdict{"Verificada, con problemas críticos por resolver antes de aprobar",
			"RESULTADO: VERIFICADO, pendiente resolver problemas críticos antes de aprobar", "verificación correcta"}},
		{approval.VerdictCriticalOpen, i18n.EN, Verdict{"Verified, with critical issues to resolve before sign-off",
			"RESULT: VERIFIED, critical issues must be resolved before sign-off", "verification passed"}},
		{approval.VerdictProblems, i18n.ES, Verdict{"La verificación encontró problemas", "RESULTADO: LA VERIFICACIÓN ENCONTRÓ PROBLEMAS",
			"la verificación encontró problemas"}},
		{approval.VerdictProblems, i18n.EN, Verdict{"Verification found problems", "RESULT: VERIFICATION FOUND PROBLEMS", "verification found problems"}},
		{"later", i18n.EN, Verdict{"Verification found problems", "RESULT: VERIFICATION FOUND PROBLEMS", "verification found problems"}},
	}
	for _, tt := range tests {
		if got := VerdictOf(tt.lang, tt.code); got != tt.want {
			t.Errorf("VerdictOf(%s, %s) = %+v, want %+v", tt.lang, tt.code, got, tt.want)
		}
	}
}

// TestSeverity: the known severities are translated, an unknown one (from
// a newer version) is shown as stored.
func TestSeverity(t *testing.T) {
	tests := []struct{ in, es, en string }{
		{"critical", "crítico", "critical"},
		{"warning", "advertencia", "warning"},
		{"info", "informativo", "info"},
		{"fatal", "fatal", "fatal"},
	}
	for _, tt := range tests {
		if got := Severity(i18n.ES, tt.in); got != tt.es {
			t.Errorf("Severity(ES, %q) = %q, want %q", tt.in, got, tt.es)
		}
		if got := Severity(i18n.EN, tt.in); got != tt.en {
			t.Errorf("Severity(EN, %q) = %q, want %q", tt.in, got, tt.en)
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
		got, ok := ParseSeverity(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseSeverity(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// TestOutcome: a row's outcome from its record's status and reason; an
// unknown status, even one spelled like a comparison's code, is shown as
// stored.
func TestOutcome(t *testing.T) {
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
		{"queued", "", "queued", "queued"},
		{"rejected", "x", "rejected", "rejected"},
		{"unexplained", "", "unexplained", "unexplained"},
	}
	for _, tt := range tests {
		if got := Outcome(i18n.ES, tt.status, tt.reason); got != tt.es {
			t.Errorf("Outcome(ES, %q, %q) = %q, want %q", tt.status, tt.reason, got, tt.es)
		}
		if got := Outcome(i18n.EN, tt.status, tt.reason); got != tt.en {
			t.Errorf("Outcome(EN, %q, %q) = %q, want %q", tt.status, tt.reason, got, tt.en)
		}
	}
}

// TestStatedOutcome: the outcome inside a finding's sentence, from
// "status" or "status:reason"; a merged duplicate names its survivor
// when the record does.
func TestStatedOutcome(t *testing.T) {
	tests := []struct {
		in     string
		es, en string
	}{
		{"imported", "importada", "imported"},
		{"error:missing_name", "rechazada (missing_name)", "rejected (missing_name)"},
		{"error", "rechazada ()", "rejected ()"},
		{"skipped:orphaned", "huérfana", "orphaned"},
		{"skipped:deleted", "omitida (deleted)", "skipped (deleted)"},
		{"duplicate:merged_into:C1", "duplicado fusionado con C1", "duplicate merged into C1"},
		{"duplicate", "duplicado fusionado", "merged duplicate"},
		{"duplicate:other", "duplicado fusionado", "merged duplicate"},
		{"updated", "updated", "updated"},
		{"queued:x", "queued:x", "queued:x"},
	}
	for _, tt := range tests {
		if got := StatedOutcome(i18n.ES, tt.in); got != tt.es {
			t.Errorf("StatedOutcome(ES, %q) = %q, want %q", tt.in, got, tt.es)
		}
		if got := StatedOutcome(i18n.EN, tt.in); got != tt.en {
			t.Errorf("StatedOutcome(EN, %q) = %q, want %q", tt.in, got, tt.en)
		}
	}
}

// TestCountedOutcome: the comparison's outcome columns; a code it does not
// count is shown as is.
func TestCountedOutcome(t *testing.T) {
	tests := []struct{ code, es, en string }{
		{"imported", "importadas", "imported"},
		{"merged_duplicates", "fusionadas", "merged"},
		{"rejected", "rechazadas", "rejected"},
		{"orphaned", "huérfanas", "orphaned"},
		{"skipped", "omitidas", "skipped"},
		{"unexplained", "sin explicar", "unexplained"},
		{"updated", "updated", "updated"},
		{"vanished", "vanished", "vanished"},
	}
	for _, tt := range tests {
		if got := CountedOutcome(i18n.ES, tt.code); got != tt.es {
			t.Errorf("CountedOutcome(ES, %q) = %q, want %q", tt.code, got, tt.es)
		}
		if got := CountedOutcome(i18n.EN, tt.code); got != tt.en {
			t.Errorf("CountedOutcome(EN, %q) = %q, want %q", tt.code, got, tt.en)
		}
	}
}
