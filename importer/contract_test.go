package importer_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/petfriendly/recon/importer"
	"github.com/petfriendly/recon/internal/pgtest"
	"github.com/petfriendly/recon/source"
)

// TestTypeTableCoversContract: every column the type table lists exists,
// and every NOT NULL column of a destination table (the schema has no
// defaults) is one the importer writes.
func TestTypeTableCoversContract(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	for _, typ := range source.Types() {
		for _, table := range typ.Tables() {
			rows, err := db.Pool.Query(context.Background(), `SELECT column_name, is_nullable = 'NO' AND column_default IS NULL
				FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`, table)
			if err != nil {
				t.Fatal(err)
			}
			type col struct {
				Name     string
				Required bool
			}
			cols, err := pgx.CollectRows(rows, pgx.RowToStructByPos[col])
			if err != nil {
				t.Fatal(err)
			}
			var listed []string
			for _, c := range typ.Columns(table) {
				listed = append(listed, c.Name)
			}
			var have []string
			for _, c := range cols {
				have = append(have, c.Name)
				if c.Required && !slices.Contains(listed, c.Name) {
					t.Errorf("%s.%s is NOT NULL without default but the type table does not write it", table, c.Name)
				}
			}
			for _, name := range listed {
				if !slices.Contains(have, name) {
					t.Errorf("%s.%s listed by the type table does not exist", table, name)
				}
			}
		}
	}
}

// TestIDTooLong: an id longer than 100 characters rejects its row; the
// record keeps it cut, source_data whole.
func TestIDTooLong(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	long := strings.Repeat("C", 120)
	csv := "id,nombre,telefono\n" + long + ",Ana,3001234567\nC1,Luis,3001234568\n"
	im := newImporter(t, db.Pool, nil)
	sum := mustImport(t, im, "clients", writeFile(t, t.TempDir(), "clientes.csv", csv))
	if sum.Imported != 1 || sum.Rejected != 1 {
		t.Fatalf("imported %d rejected %d, want 1 and 1", sum.Imported, sum.Rejected)
	}
	var id, full, msg string
	err := db.Pool.QueryRow(context.Background(), `SELECT r.source_id, r.source_data->>'id', r.error_message
		FROM migration_migrationrecord r WHERE r.status = 'error'`).Scan(&id, &full, &msg)
	if err != nil {
		t.Fatal(err)
	}
	if id != long[:100] || full != long || !strings.Contains(msg, "id: ") {
		t.Errorf("record source_id %d chars, source_data id %d chars, error_message %q", len(id), len(full), msg)
	}
	if !hasIssue(t, db.Pool, "client", long[:100], source.IssueIDTooLong) {
		t.Error("no id_too_long issue")
	}
}

// TestCreatedBy: a batch points at the active user whose e-mail is the
// operator's name (ignoring case), and at nobody otherwise.
func TestCreatedBy(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	var user int64
	if err := db.Pool.QueryRow(ctx, `INSERT INTO accounts_user (email, password, first_name, last_name, role, is_active, is_staff,
		is_superuser, date_joined) VALUES ('Ops@Example.com', '!', '', '', 'staff', true, true, false, now()) RETURNING id`).Scan(&user); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		operator string
		want     int64
	}{{"ops@example.COM", user}, {"someone else", 0}} {
		im := newImporter(t, db.Pool, func(o *importer.Options) { o.Operator = tc.operator })
		sum := mustImport(t, im, "clients", writeFile(t, dir, "clientes.csv", clientsCSV))
		var got *int64
		var op string
		if err := db.Pool.QueryRow(ctx, `SELECT created_by_id, operator FROM migration_migrationbatch WHERE id = $1`, sum.BatchID).
			Scan(&got, &op); err != nil {
			t.Fatal(err)
		}
		if (got == nil) != (tc.want == 0) || got != nil && *got != tc.want || op != tc.operator {
			t.Errorf("operator %q: created_by_id %v operator %q, want %d", tc.operator, got, op, tc.want)
		}
	}
}

// TestTypeTableNamesEachColumnOnce: every column of every destination table
// a type writes is named by exactly one entry of the type table (id and
// external_id by the table itself, the rest by a field's Column or an
// Extra), so the table is the one list of the columns and no column is
// written from two places.
func TestTypeTableNamesEachColumnOnce(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	for _, typ := range source.Types() {
		for _, table := range typ.Tables() {
			named := map[string]int{"id": 1}
			if table == typ.Table {
				named["external_id"]++
			}
			for _, f := range typ.Fields {
				ft := f.Table
				if ft == "" {
					ft = typ.Table
				}
				if f.Column != "" && ft == table {
					named[f.Column]++
				}
			}
			for _, c := range slices.Concat(typ.Extra, typ.Untouched) {
				ct := c.Table
				if ct == "" {
					ct = typ.Table
				}
				if ct == table {
					named[c.Name]++
				}
			}
			rows, err := db.Pool.Query(context.Background(), `SELECT column_name FROM information_schema.columns
				WHERE table_schema = current_schema() AND table_name = $1`, table)
			if err != nil {
				t.Fatal(err)
			}
			cols, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				t.Fatal(err)
			}
			if len(cols) == 0 {
				t.Errorf("%s: table %s not in the schema", typ.Name, table)
			}
			for _, c := range cols {
				if n := named[c]; n != 1 {
					t.Errorf("%s: column %s.%s is named %d times by the type table, want once", typ.Name, table, c, n)
				}
			}
		}
	}
}
