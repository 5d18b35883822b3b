package gen

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/petfriendly/recon/internal/i18n"
)

// TestRefusalsInBothLanguages: every refusal of Validate and of the output
// folder is an *Error whose text is Spanish or English as asked.
func TestRefusalsInBothLanguages(t *testing.T) {
	foreign := t.TempDir()
	if err := os.WriteFile(filepath.Join(foreign, "notas.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	unmarked := t.TempDir()
	if err := os.WriteFile(filepath.Join(unmarked, "clientes.csv"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		opts   Options
		es, en string
	}{
		{"no folder", Options{Scale: 1}, "gen: falta la carpeta de salida (--out)", "gen: output folder is required"},
		{"scale 0", Options{Out: t.TempDir(), Scale: 0}, "gen: la escala 0 está fuera del rango 0.04..1000", "gen: scale 0 out of range 0.04..1000"},
		{"xlsx too large", Options{Out: t.TempDir(), Scale: 61, Variant: VariantXLSX},
			"gen: la escala 61 es demasiado grande para xlsx: una hoja admite como máximo 1.048.576 filas (use una escala <= 60 o una variante csv)",
			"gen: scale 61 too large for xlsx: a sheet holds at most 1,048,576 rows (use scale <= 60 or a csv variant)"},
		{"unknown variant", Options{Out: t.TempDir(), Scale: 1, Variant: "ods"}, `gen: variante desconocida "ods" (use utf8, excel-es o xlsx)`,
			`gen: unknown variant "ods" (use utf8, excel-es or xlsx)`},
		{"a foreign file", Options{Out: foreign, Scale: 1},
			"preparar " + foreign + `: la carpeta no está vacía y "notas.txt" no es parte de una exportación generada; use una carpeta vacía`,
			"prepare " + foreign + `: folder is not empty and "notas.txt" is not part of a generated export; use an empty folder`},
		{"no marker", Options{Out: unmarked, Scale: 1},
			"preparar " + unmarked + ": la carpeta no está vacía y no tiene la marca " + markerName + " de una exportación generada; use una carpeta vacía",
			"prepare " + unmarked + ": folder is not empty and holds no " + markerName + " marker; use an empty folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Generate(t.Context(), tt.opts)
			var ge *Error
			if !errors.As(err, &ge) {
				t.Fatalf("Generate = %v, want a *gen.Error", err)
			}
			if got := ge.Text(i18n.ES); got != tt.es {
				t.Errorf("es: %q, want %q", got, tt.es)
			}
			if got := ge.Error(); got != tt.en {
				t.Errorf("en: %q, want %q", got, tt.en)
			}
		})
	}
}
