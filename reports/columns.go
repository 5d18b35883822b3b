package reports

import (
	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/source"
)

// ColumnLabel says where one source column went, in words: the field it
// feeds, or why it feeds none.
func ColumnLabel(l i18n.Lang, c source.Column) string {
	switch c.Status {
	case source.ColumnMapped:
		return "→ " + c.Type + "." + c.Field
	case source.ColumnIgnored:
		return l.S("declarada no migrada en el archivo de correspondencias (queda en source_data)",
			"declared not migrated in the mapping file (kept in source_data)")
	case source.ColumnNotKept:
		return l.S("columna conocida que recon no conserva", "known column recon does not keep")
	case source.ColumnSoftDelete:
		return l.S("marca de borrado: sus filas se omiten", "deletion mark: its rows are skipped")
	case source.ColumnEmpty:
		return l.S("sin campo y sin valores", "no field and no values")
	case source.ColumnConflict:
		return l.F("NO MIGRADA: compite con %q por el campo %s (%d celdas con valor)",
			"NOT MIGRATED: competes with %q for field %s (%d non-empty cells)", c.CompetesWith, c.Competes, c.Filled)
	case source.ColumnNotMigrated:
		return l.F("NO MIGRADA: no llega a ningún campo (%d celdas con valor, p. ej. %q)",
			"NOT MIGRATED: reaches no field (%d non-empty cells, e.g. %q)", c.Filled, c.Sample)
	}
	return c.Status
}

// SheetLabel says what became of one sheet of a workbook.
func SheetLabel(l i18n.Lang, s source.Sheet) string {
	switch s.Status {
	case source.SheetRead:
		return l.S("leída", "read")
	case source.SheetHidden:
		return l.S("oculta: no se lee (nómbrela en sheets del archivo de correspondencias para leerla)",
			"hidden: not read (name it in the mapping file's sheets to read it)")
	case source.SheetOtherType:
		return l.S("de otro tipo (leída por su propio lote)", "of another type (read by its own batch)")
	case source.SheetUnrecognised:
		return l.S("sin tipo reconocido: no se lee", "no recognised type: not read")
	case source.SheetEmpty:
		return l.S("vacía", "empty")
	}
	return s.Status
}

// ColumnHeader is a column's header for display; a column without header
// is named by its position.
func ColumnHeader(l i18n.Lang, c source.Column) string {
	if c.Header == "" {
		return l.F("(sin encabezado, columna %d)", "(no header, column %d)", c.Index)
	}
	return c.Header
}
