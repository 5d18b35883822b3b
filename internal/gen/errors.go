package gen

import (
	"fmt"

	"github.com/petfriendly/recon/internal/i18n"
)

// Error codes: what Generate refuses, said in the operator's language by
// Text and in English by Error.
const (
	CodeNoOutput    = "no_output"       // no output folder given
	CodeScaleRange  = "scale_range"     // Scale outside MinScale..MaxScale
	CodeScaleXLSX   = "scale_xlsx"      // Scale beyond MaxScaleXLSX for the xlsx variant
	CodeUnknownVar  = "unknown_variant" // Variant not one of Variants
	CodeForeignFile = "foreign_file"    // the output folder holds a file gen did not write
	CodeNoMarker    = "no_marker"       // the output folder is not empty and is not a generated export
)

// Error is an option or output folder Generate refuses.
type Error struct {
	Code  string
	Path  string // the output folder
	Name  string // the foreign file, for CodeForeignFile
	Value string // the scale or variant given
	Max   int    // the largest scale allowed
	Min   string // the smallest scale allowed
}

func (e *Error) Error() string { return e.Text(i18n.EN) }

// Text is the refusal in language l.
func (e *Error) Text(l i18n.Lang) string {
	switch e.Code {
	case CodeNoOutput:
		return l.S("gen: falta la carpeta de salida (--out)", "gen: output folder is required")
	case CodeScaleRange:
		return l.F("gen: la escala %s está fuera del rango %s..%d", "gen: scale %s out of range %s..%d", e.Value, e.Min, e.Max)
	case CodeScaleXLSX:
		return l.F("gen: la escala %s es demasiado grande para xlsx: una hoja admite como máximo 1.048.576 filas (use una escala <= %d o una variante csv)",
			"gen: scale %s too large for xlsx: a sheet holds at most 1,048,576 rows (use scale <= %d or a csv variant)", e.Value, e.Max)
	case CodeUnknownVar:
		return l.F("gen: variante desconocida %q (use utf8, excel-es o xlsx)", "gen: unknown variant %q (use utf8, excel-es or xlsx)", e.Value)
	case CodeForeignFile:
		return l.F("preparar %s: la carpeta no está vacía y %q no es parte de una exportación generada; use una carpeta vacía",
			"prepare %s: folder is not empty and %q is not part of a generated export; use an empty folder", e.Path, e.Name)
	case CodeNoMarker:
		return l.F("preparar %s: la carpeta no está vacía y no tiene la marca %s de una exportación generada; use una carpeta vacía",
			"prepare %s: folder is not empty and holds no %s marker; use an empty folder", e.Path, markerName)
	}
	return fmt.Sprintf("gen: %s %s", e.Code, e.Path)
}
