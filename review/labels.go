package review

import (
	"strings"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/source"
)

// Labels the CLI and the review page share.

// TypeLabel is the Spanish or English name of a type (singular, for a row).
func TypeLabel(l i18n.Lang, name string) string {
	if t, ok := source.TypeByName(name); ok && t.HeadingES != "" {
		return l.S(t.HeadingES, t.HeadingEN)
	}
	return name
}

// SeverityLabel names a severity.
func SeverityLabel(l i18n.Lang, s string) string {
	switch s {
	case source.SevCritical:
		return l.S("crítico", "critical")
	case source.SevWarning:
		return l.S("advertencia", "warning")
	case source.SevInfo:
		return l.S("informativo", "info")
	}
	return s
}

// ParseSeverity reads a severity as an operator writes it, in either
// language, any case, with or without accents, singular or plural:
// "crítico", "Advertencias", "info". Empty stays empty (no filter).
func ParseSeverity(s string) (string, bool) {
	word := strings.ToLower(strings.TrimSpace(s))
	word = strings.NewReplacer("á", "a", "é", "e", "í", "i", "ó", "o", "ú", "u").Replace(word)
	switch word {
	case "":
		return "", true
	case "critical", "critico", "criticos", "critica", "criticas":
		return source.SevCritical, true
	case "warning", "warnings", "advertencia", "advertencias":
		return source.SevWarning, true
	case "info", "informativo", "informativos", "informacion":
		return source.SevInfo, true
	}
	return "", false
}

// StatusLabel names a FieldView status with its mark.
func StatusLabel(l i18n.Lang, s string) string {
	switch s {
	case FieldMatch:
		return l.S("= igual", "= same")
	case FieldDiffers:
		return l.S("≠ DIFERENTE", "≠ DIFFERENT")
	case FieldExplained:
		return l.S("~ explicado por un problema", "~ explained by an issue")
	case FieldCorrected:
		return l.S("✎ corregido", "✎ corrected")
	case FieldNoDest:
		return l.S("— sin destino", "— no destination")
	}
	return s
}

// OutcomeLabel says what the import did with a source row.
func OutcomeLabel(l i18n.Lang, status, reason string) string {
	switch {
	case status == "imported":
		return l.S("importado", "imported")
	case status == "duplicate":
		return l.F("fusionado con su duplicado (%s)", "merged into its duplicate (%s)", strings.TrimPrefix(reason, "merged_into:"))
	case status == "error":
		return l.F("rechazado (%s)", "rejected (%s)", reason)
	case status == "skipped" && reason == "orphaned":
		return l.S("huérfano: no importado", "orphaned: not imported")
	case status == "skipped":
		return l.F("omitido (%s)", "skipped (%s)", reason)
	case status == "updated":
		return l.S("actualizado al reimportar", "updated on re-import")
	case status == "unchanged":
		return l.S("sin cambios al reimportar", "unchanged on re-import")
	}
	return status
}
