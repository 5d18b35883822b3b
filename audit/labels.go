package audit

import (
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
