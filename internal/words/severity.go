package words

import (
	"strings"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/source"
)

// Severity names an issue's severity; an unknown one is shown as stored.
func Severity(l i18n.Lang, s string) string {
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
