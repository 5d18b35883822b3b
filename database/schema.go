package database

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ContractTables matches the tables of Pet-Friendly's apps, the ones the
// schema contract (contrib/django) covers; Django's own tables (auth_*,
// django_*) and recon's schema_migrations are outside it.
const ContractTables = `^(accounts|vet_clinic|pets|medical|appointments|billing|inventory|documents|migration)_`

// Column is one column of a contract table as the catalogue describes it.
type Column struct {
	Table    string
	Name     string
	Type     string // format_type, e.g. "character varying(100)"
	NotNull  bool
	Default  string // "" none, "serial" for an id sequence, "default" for any other
	Position int
}

// Schema is the contract tables' columns and constraints in one schema.
type Schema struct {
	Columns     []Column
	Constraints []string // "table definition", sorted: names differ between creators, definitions must not
}

// Column finds a column.
func (s Schema) Column(table, name string) (Column, bool) {
	for _, c := range s.Columns {
		if c.Table == table && c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

// Lines renders the schema one fact per line, sorted, for comparing two
// creators' schemas.
func (s Schema) Lines() []string {
	var out []string
	for _, c := range s.Columns {
		l := fmt.Sprintf("%s.%s %s", c.Table, c.Name, c.Type)
		if c.NotNull {
			l += " not null"
		}
		if c.Default != "" {
			l += " default " + c.Default
		}
		out = append(out, l)
	}
	for _, c := range s.Constraints {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// ReadSchema reads the contract tables of the named schema ("" for the
// current one) from the catalogue alone: pg_get_expr would lock each table,
// and an application holding one must not block recon's check. A default
// is told apart only as an id sequence ("serial") or any other ("default").
func ReadSchema(ctx context.Context, db DBTX, schema string) (Schema, error) {
	var s Schema
	rows, err := db.Query(ctx, `
		SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
		       CASE WHEN NOT a.atthasdef THEN ''
		            WHEN EXISTS (SELECT 1 FROM pg_depend dep
		                         WHERE dep.refobjid = c.oid AND dep.refobjsubid = a.attnum AND dep.deptype IN ('a', 'i')
		                           AND dep.classid = 'pg_class'::regclass
		                           AND (SELECT relkind FROM pg_class s WHERE s.oid = dep.objid) = 'S') THEN 'serial'
		            ELSE 'default' END,
		       a.attnum
		FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		WHERE c.relkind IN ('r', 'p') AND n.nspname = COALESCE(NULLIF($1, ''), current_schema()) AND c.relname ~ $2
		ORDER BY c.relname, a.attnum`, schema, ContractTables)
	if err != nil {
		return s, fmt.Errorf("read schema: %w", err)
	}
	s.Columns, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Column, error) {
		var c Column
		err := r.Scan(&c.Table, &c.Name, &c.Type, &c.NotNull, &c.Default, &c.Position)
		return c, err
	})
	if err != nil {
		return s, fmt.Errorf("read schema: %w", err)
	}
	rows, err = db.Query(ctx, `
		SELECT c.relname || ' ' || pg_get_constraintdef(con.oid)
		FROM pg_constraint con
		JOIN pg_class c ON c.oid = con.conrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = COALESCE(NULLIF($1, ''), current_schema()) AND c.relname ~ $2
		ORDER BY 1`, schema, ContractTables)
	if err != nil {
		return s, fmt.Errorf("read constraints: %w", err)
	}
	s.Constraints, err = pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return s, fmt.Errorf("read constraints: %w", err)
	}
	// Definitions name referenced tables with the schema when it is not on
	// the search path; the contract compares them without it.
	if schema != "" {
		for i, c := range s.Constraints {
			s.Constraints[i] = strings.ReplaceAll(c, schema+".", "")
		}
	}
	return s, nil
}

// ExpectedSchema is the schema recon's embedded migrations create, read by
// applying them to a scratch schema inside a transaction that is rolled
// back: the migrations are the one description, nothing lists columns twice.
func ExpectedSchema(ctx context.Context, db *pgxpool.Pool) (Schema, error) {
	all, err := Migrations()
	if err != nil {
		return Schema{}, err
	}
	var suffix [6]byte
	if _, err := rand.Read(suffix[:]); err != nil {
		return Schema{}, err
	}
	scratch := "recon_expected_" + hex.EncodeToString(suffix[:])
	tx, err := db.Begin(ctx)
	if err != nil {
		return Schema{}, fmt.Errorf("expected schema: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if _, err := tx.Exec(ctx, "CREATE SCHEMA "+scratch); err != nil {
		return Schema{}, fmt.Errorf("expected schema: create a scratch schema (the user needs CREATE on the database; nothing is kept): %w", err)
	}
	if _, err := tx.Exec(ctx, "SET LOCAL search_path TO "+scratch); err != nil {
		return Schema{}, fmt.Errorf("expected schema: %w", err)
	}
	for _, m := range all {
		if _, err := tx.Exec(ctx, m.SQL); err != nil {
			return Schema{}, fmt.Errorf("expected schema: migration %04d_%s: %w", m.Version, m.Name, err)
		}
	}
	return ReadSchema(ctx, tx, scratch)
}

// SchemaProblem is one way a database falls short of the contract.
type SchemaProblem struct {
	Code   string // SchemaMissingTable, SchemaMissingColumn, SchemaWrongType, SchemaNullable, SchemaExtraRequired
	Table  string
	Column string
	Want   string
	Got    string
}

const (
	SchemaMissingTable  = "missing_table"
	SchemaMissingColumn = "missing_column"
	SchemaWrongType     = "wrong_type"
	SchemaNullable      = "nullable"       // the contract says NOT NULL, the database allows NULL
	SchemaNotNull       = "not_null"       // the database refuses NULL where recon may write one
	SchemaExtraRequired = "extra_required" // a NOT NULL column without default that recon does not write
)

// CompareSchema lists what got lacks of want. Extra tables and nullable or
// defaulted extra columns are Pet-Friendly's own business and pass.
func CompareSchema(want, got Schema) []SchemaProblem {
	tables := map[string]bool{}
	for _, c := range got.Columns {
		tables[c.Table] = true
	}
	var out []SchemaProblem
	missing := map[string]bool{}
	for _, w := range want.Columns {
		if !tables[w.Table] {
			if !missing[w.Table] {
				missing[w.Table] = true
				out = append(out, SchemaProblem{Code: SchemaMissingTable, Table: w.Table})
			}
			continue
		}
		g, ok := got.Column(w.Table, w.Name)
		switch {
		case !ok:
			out = append(out, SchemaProblem{Code: SchemaMissingColumn, Table: w.Table, Column: w.Name, Want: w.Type})
		case g.Type != w.Type:
			out = append(out, SchemaProblem{Code: SchemaWrongType, Table: w.Table, Column: w.Name, Want: w.Type, Got: g.Type})
		case w.NotNull && !g.NotNull:
			out = append(out, SchemaProblem{Code: SchemaNullable, Table: w.Table, Column: w.Name})
		case !w.NotNull && g.NotNull:
			out = append(out, SchemaProblem{Code: SchemaNotNull, Table: w.Table, Column: w.Name})
		}
	}
	for _, g := range got.Columns {
		if _, ok := want.Column(g.Table, g.Name); !ok && g.NotNull && g.Default == "" && !missing[g.Table] {
			out = append(out, SchemaProblem{Code: SchemaExtraRequired, Table: g.Table, Column: g.Name, Got: g.Type})
		}
	}
	return out
}

// SchemaError is a database whose schema recon cannot load into.
type SchemaError struct{ Problems []SchemaProblem }

func (e *SchemaError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "the database schema does not meet recon's contract (%d problems):", len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  " + p.String())
	}
	return b.String()
}

func (p SchemaProblem) String() string {
	switch p.Code {
	case SchemaMissingTable:
		return fmt.Sprintf("table %s is missing", p.Table)
	case SchemaMissingColumn:
		return fmt.Sprintf("column %s.%s (%s) is missing", p.Table, p.Column, p.Want)
	case SchemaWrongType:
		return fmt.Sprintf("column %s.%s is %s, the contract says %s", p.Table, p.Column, p.Got, p.Want)
	case SchemaNullable:
		return fmt.Sprintf("column %s.%s allows NULL, the contract says NOT NULL", p.Table, p.Column)
	case SchemaNotNull:
		return fmt.Sprintf("column %s.%s is NOT NULL, the contract allows NULL", p.Table, p.Column)
	case SchemaExtraRequired:
		return fmt.Sprintf("column %s.%s (%s) is NOT NULL without a default and recon does not write it", p.Table, p.Column, p.Got)
	}
	return p.Code + " " + p.Table + "." + p.Column
}

// DjangoManaged says whether Django's migrations manage this database's
// schema (django_migrations exists): recon then checks the schema and never
// runs DDL of its own.
func DjangoManaged(ctx context.Context, db DBTX) (bool, error) {
	var ok bool
	err := db.QueryRow(ctx, `SELECT to_regclass('django_migrations') IS NOT NULL`).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("look for django_migrations: %w", err)
	}
	return ok, nil
}

// CheckSchema compares the database with the schema recon's migrations
// create; a nil slice means recon can load into it.
func CheckSchema(ctx context.Context, db *pgxpool.Pool) ([]SchemaProblem, error) {
	want, err := ExpectedSchema(ctx, db)
	if err != nil {
		return nil, err
	}
	got, err := ReadSchema(ctx, db, "")
	if err != nil {
		return nil, err
	}
	return CompareSchema(want, got), nil
}
