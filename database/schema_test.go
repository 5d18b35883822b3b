package database_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/petfriendly/recon/database"
	"github.com/petfriendly/recon/internal/pgtest"
)

// djangoDB is an empty database migrated by Pet-Friendly's manage.py.
func djangoDB(t *testing.T) *pgtest.DB {
	t.Helper()
	pgtest.NeedDjango(t)
	db := pgtest.MustOpenEmptyDB(t)
	if _, err := pgtest.Manage(context.Background(), db.URL, "migrate", "--no-input"); err != nil {
		t.Fatal(err)
	}
	return db
}

// One schema, two creators: recon's migrations and Django's create the same
// tables, columns, types, nullability, defaults and constraints.
func TestSchemaMatchesDjango(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dj := djangoDB(t)
	rc := pgtest.MustOpenEmptyDB(t)
	if _, err := database.Migrate(ctx, rc.Pool); err != nil {
		t.Fatal(err)
	}
	want, err := database.ReadSchema(ctx, dj.Pool, "")
	if err != nil {
		t.Fatal(err)
	}
	got, err := database.ReadSchema(ctx, rc.Pool, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Columns) < 200 {
		t.Fatalf("Django created only %d contract columns", len(want.Columns))
	}
	if d := lineDiff(want.Lines(), got.Lines()); d != "" {
		t.Fatalf("recon's schema differs from Django's (- Django, + recon):\n%s", d)
	}
	// The scratch-schema reading of recon's migrations is the same schema.
	exp, err := database.ExpectedSchema(ctx, rc.Pool)
	if err != nil {
		t.Fatal(err)
	}
	if d := lineDiff(want.Lines(), exp.Lines()); d != "" {
		t.Fatalf("ExpectedSchema differs from Django's (- Django, + expected):\n%s", d)
	}
}

func lineDiff(a, b []string) string {
	in := func(xs []string) map[string]bool {
		m := map[string]bool{}
		for _, x := range xs {
			m[x] = true
		}
		return m
	}
	ma, mb := in(a), in(b)
	var out []string
	for _, x := range a {
		if !mb[x] {
			out = append(out, "- "+x)
		}
	}
	for _, x := range b {
		if !ma[x] {
			out = append(out, "+ "+x)
		}
	}
	return strings.Join(out, "\n")
}

// On Pet-Friendly's database recon runs no DDL: it checks, and names what
// is missing.
func TestMigrateChecksDjangoDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dj := djangoDB(t)
	applied, err := database.Migrate(ctx, dj.Pool)
	if err != nil || len(applied) != 0 {
		t.Fatalf("Migrate on a Django database = %v, %v; want nothing applied, no error", applied, err)
	}
	var recon bool
	if err := dj.Pool.QueryRow(ctx, `SELECT to_regclass('schema_migrations') IS NOT NULL`).Scan(&recon); err != nil || recon {
		t.Fatalf("schema_migrations created on a Django database (%v, %v)", recon, err)
	}
	for _, stmt := range []string{
		`ALTER TABLE pets_pet DROP COLUMN microchip_number`,
		`DROP TABLE migration_signoff`,
		`ALTER TABLE medical_vaccinationrecord ALTER COLUMN lot_number TYPE varchar(10)`,
		`ALTER TABLE billing_invoice ADD COLUMN branch text NOT NULL`,
		`ALTER TABLE medical_medicalrecord ALTER COLUMN notes DROP NOT NULL`,
	} {
		if _, err := dj.Pool.Exec(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	_, err = database.Migrate(ctx, dj.Pool)
	var se *database.SchemaError
	if !errors.As(err, &se) {
		t.Fatalf("Migrate on a damaged Django database: %v, want a SchemaError", err)
	}
	want := []string{
		"column pets_pet.microchip_number (text) is missing",
		"table migration_signoff is missing",
		"column medical_vaccinationrecord.lot_number is character varying(10), the contract says text",
		"column billing_invoice.branch (text) is NOT NULL without a default and recon does not write it",
		"column medical_medicalrecord.notes allows NULL, the contract says NOT NULL",
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q:\n%v", w, err)
		}
	}
	if len(se.Problems) != len(want) {
		t.Errorf("%d problems, want %d: %v", len(se.Problems), len(want), se.Problems)
	}
}

func TestCompareSchema(t *testing.T) {
	col := func(table, name, typ string, notNull bool, def string) database.Column {
		return database.Column{Table: table, Name: name, Type: typ, NotNull: notNull, Default: def}
	}
	want := database.Schema{Columns: []database.Column{
		col("pets_pet", "id", "bigint", true, "serial"),
		col("pets_pet", "name", "text", true, ""),
		col("pets_pet", "birth_date", "date", false, ""),
		col("migration_signoff", "id", "bigint", true, "serial"),
	}}
	tests := []struct {
		name string
		got  []database.Column
		want []string // problem codes
	}{
		{"same", want.Columns, nil},
		{"missing table", want.Columns[:3], []string{database.SchemaMissingTable}},
		{"missing column", []database.Column{want.Columns[0], want.Columns[2], want.Columns[3]}, []string{database.SchemaMissingColumn}},
		{"type", []database.Column{want.Columns[0], col("pets_pet", "name", "character varying(20)", true, ""), want.Columns[2], want.Columns[3]},
			[]string{database.SchemaWrongType}},
		{"nullable", []database.Column{want.Columns[0], col("pets_pet", "name", "text", false, ""), want.Columns[2], want.Columns[3]},
			[]string{database.SchemaNullable}},
		{"not null", []database.Column{want.Columns[0], want.Columns[1], col("pets_pet", "birth_date", "date", true, ""), want.Columns[3]},
			[]string{database.SchemaNotNull}},
		{"extra nullable passes", append(append([]database.Column{}, want.Columns...), col("pets_pet", "x", "text", false, "")), nil},
		{"extra defaulted passes", append(append([]database.Column{}, want.Columns...), col("pets_pet", "x", "text", true, "''::text")), nil},
		{"extra required", append(append([]database.Column{}, want.Columns...), col("pets_pet", "x", "text", true, "")),
			[]string{database.SchemaExtraRequired}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := database.CompareSchema(want, database.Schema{Columns: tt.got})
			var codes []string
			for _, p := range got {
				codes = append(codes, p.Code)
			}
			if strings.Join(codes, ",") != strings.Join(tt.want, ",") {
				t.Fatalf("problems %v, want %v", got, tt.want)
			}
		})
	}
}

// Pet-Friendly's settings read DATABASE_URL in every form recon accepts
// (contrib/django/petfriendly/test_dburl.py).
func TestDjangoSettingsReadDatabaseURL(t *testing.T) {
	py := pgtest.NeedDjango(t)
	cmd := exec.Command(py, "-m", "unittest", "-v", "petfriendly.test_dburl")
	cmd.Dir = pgtest.DjangoDir()
	cmd.Env = append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "OK") {
		t.Fatalf("python3 -m unittest petfriendly.test_dburl: %v\n%s", err, out)
	}
}
