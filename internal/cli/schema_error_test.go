package cli

import (
	"errors"
	"testing"

	"github.com/petfriendly/recon/database"
	"github.com/petfriendly/recon/internal/i18n"
)

// schemaError words only a schema mismatch (exit 2, one problem a line);
// any other failure passes through untouched, and a problem recon has no
// words for yet is still named by its code.
func TestSchemaError(t *testing.T) {
	other := errors.New("connect: refused")
	tests := []struct {
		name     string
		lang     i18n.Lang
		err      error
		want     string
		wantCode int
	}{
		{"other error", i18n.ES, other, "connect: refused", 0},
		{"unknown problem", i18n.EN, &database.SchemaError{Problems: []database.SchemaProblem{{Code: "wrong_default", Table: "pets_pet", Column: "sex"}}},
			"the database schema does not meet recon's contract (1 problems); recon does not change a schema Django manages:\n  wrong_default pets_pet.sex",
			ExitError},
		{"missing table", i18n.ES, &database.SchemaError{Problems: []database.SchemaProblem{{Code: database.SchemaMissingTable, Table: "migration_setting"}}},
			"el esquema de la base de datos no cumple el contrato de recon (1 problemas); recon no cambia un esquema que administra Django:\n  falta la tabla migration_setting",
			ExitError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := schemaError(&Globals{L: tt.lang}, tt.err)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("schemaError = %v, want %q", err, tt.want)
			}
			if tt.wantCode == 0 {
				if err != other {
					t.Errorf("another error was rewrapped: %v", err)
				}
				return
			}
			var ec *codedError
			if !errors.As(err, &ec) || ec.code != tt.wantCode {
				t.Errorf("exit code of %v is not %d", err, tt.wantCode)
			}
		})
	}
}
