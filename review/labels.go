package review

import (
	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/source"
)

// Labels the CLI and the review page share.

// TypeLabel is the Spanish or English name of a type (singular, for a row).
func TypeLabel(l i18n.Lang, name string) string {
	labels := map[string][2]string{
		"clients": {"Propietario", "Owner"}, "pets": {"Mascota", "Pet"}, "medical": {"Historia clínica", "Medical record"},
		"vaccines": {"Vacuna", "Vaccination"}, "appointments": {"Cita", "Appointment"}, "products": {"Producto", "Product"},
		"invoices": {"Factura", "Invoice"}, "invoice_items": {"Ítem de factura", "Invoice item"}, "documents": {"Documento", "Document"},
	}
	if t, ok := source.TypeByName(name); ok {
		name = t.Name
	}
	if lb, ok := labels[name]; ok {
		return l.S(lb[0], lb[1])
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
