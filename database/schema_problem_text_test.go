package database_test

import (
	"testing"

	"github.com/petfriendly/recon/database"
)

// TestSchemaProblemText: the English line of a schema problem, including
// a code this version has no sentence for (named with its place).
func TestSchemaProblemText(t *testing.T) {
	tests := []struct {
		p    database.SchemaProblem
		want string
	}{
		{database.SchemaProblem{Code: database.SchemaNotNull, Table: "pets_pet", Column: "color"},
			"column pets_pet.color is NOT NULL, the contract allows NULL"},
		{database.SchemaProblem{Code: database.SchemaNullable, Table: "pets_pet", Column: "name"},
			"column pets_pet.name allows NULL, the contract says NOT NULL"},
		{database.SchemaProblem{Code: "extra_index", Table: "pets_pet", Column: "name"}, "extra_index pets_pet.name"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("%s: String() = %q, want %q", tt.p.Code, got, tt.want)
		}
	}
}
