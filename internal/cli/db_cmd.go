package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/petfriendly/recon/database"
)

// DBCmd groups the database administration commands.
type DBCmd struct {
	Start   DBStartCmd   `cmd:"" help:"${help_db_start}"`
	Stop    DBStopCmd    `cmd:"" help:"${help_db_stop}"`
	Status  DBStatusCmd  `cmd:"" help:"${help_db_status}"`
	URL     DBURLCmd     `cmd:"" name:"url" help:"${help_db_url}"`
	Migrate DBMigrateCmd `cmd:"" help:"${help_db_migrate}"`
	Check   DBCheckCmd   `cmd:"" help:"${help_db_check}"`
	Set     DBSetCmd     `cmd:"" help:"${help_db_set}"`
}

type DBStartCmd struct{}

func (c *DBStartCmd) Run(ctx context.Context, g *Globals) error {
	cl, err := g.cluster()
	if err != nil {
		return err
	}
	started, err := cl.Start(ctx)
	if err != nil {
		return err
	}
	if started {
		fmt.Fprintln(g.Stdout, g.L.F("Clúster local iniciado en %s", "Local cluster started in %s", cl.Dir))
	} else {
		fmt.Fprintln(g.Stdout, g.L.F("El clúster local ya estaba en marcha en %s", "The local cluster was already running in %s", cl.Dir))
	}
	printRelocation(g, cl)
	fmt.Fprintln(g.Stdout, cl.URL(database.DefaultDatabase))
	return nil
}

// printRelocation says where the cluster lives when it is kept outside the
// home, because the postgres user cannot reach the home.
func printRelocation(g *Globals, cl *database.Cluster) {
	if !cl.Relocated() {
		return
	}
	fmt.Fprintln(g.Stdout, g.L.F("El usuario postgres no llega a %s: el clúster de esta carpeta se guarda en %s.",
		"The postgres user cannot reach %s: this folder's cluster is kept in %s.", cl.Home, cl.Dir))
}

type DBStopCmd struct{}

func (c *DBStopCmd) Run(ctx context.Context, g *Globals) error {
	cl, err := g.cluster()
	if err != nil {
		return err
	}
	if running, _ := cl.Status(ctx); !running {
		fmt.Fprintln(g.Stdout, g.L.S("El clúster local no está en marcha.", "The local cluster is not running."))
		return cl.Stop(ctx)
	}
	if err := cl.Stop(ctx); err != nil {
		return err
	}
	fmt.Fprintln(g.Stdout, g.L.S("Clúster local detenido.", "Local cluster stopped."))
	return nil
}

type DBStatusCmd struct{}

func (c *DBStatusCmd) Run(ctx context.Context, g *Globals) error {
	if g.usesExternalDB() {
		pool, err := database.Open(ctx, g.DatabaseURL)
		if err != nil {
			return err
		}
		defer pool.Close()
		v, err := database.SchemaVersion(ctx, pool)
		if err != nil {
			return err
		}
		fmt.Fprintln(g.Stdout, g.L.F("Base de datos externa accesible; versión del esquema: %d", "External database reachable; schema version: %d", v))
		return nil
	}
	cl, err := g.cluster()
	if err != nil {
		return err
	}
	running, pid := cl.Status(ctx)
	if !running {
		fmt.Fprintln(g.Stdout, g.L.F("Clúster local detenido (%s)", "Local cluster stopped (%s)", cl.Dir))
		printRelocation(g, cl)
		return WithExitCode(ExitProblems, fmt.Errorf("%s", g.L.S("el clúster local no está en marcha", "the local cluster is not running")))
	}
	pool, err := database.Open(ctx, cl.URL(database.DefaultDatabase))
	if err != nil {
		return err
	}
	defer pool.Close()
	v, err := database.SchemaVersion(ctx, pool)
	if err != nil {
		return err
	}
	fmt.Fprintln(g.Stdout, g.L.F("Clúster local en marcha (pid %d) en %s; versión del esquema: %d",
		"Local cluster running (pid %d) in %s; schema version: %d", pid, cl.Dir, v))
	printRelocation(g, cl)
	return nil
}

type DBURLCmd struct{}

func (c *DBURLCmd) Run(ctx context.Context, g *Globals) error {
	if g.usesExternalDB() {
		fmt.Fprintln(g.Stdout, g.DatabaseURL)
		return nil
	}
	cl, err := g.cluster()
	if err != nil {
		return err
	}
	fmt.Fprintln(g.Stdout, cl.URL(database.DefaultDatabase))
	return nil
}

type DBMigrateCmd struct{}

func (c *DBMigrateCmd) Run(ctx context.Context, g *Globals) error {
	pool, err := g.connect(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	django, err := database.DjangoManaged(ctx, pool)
	if err != nil {
		return err
	}
	applied, err := database.Migrate(ctx, pool)
	if err != nil {
		return schemaError(g, err)
	}
	if django {
		fmt.Fprintln(g.Stdout, g.L.S("Django administra el esquema de esta base de datos (django_migrations): recon no cambia nada y comprobó que puede cargar en él.",
			"Django manages this database's schema (django_migrations): recon changes nothing and checked that it can load into it."))
		return nil
	}
	v, err := database.SchemaVersion(ctx, pool)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintln(g.Stdout, g.L.F("El esquema ya está al día (versión %d).", "The schema is already up to date (version %d).", v))
		return nil
	}
	fmt.Fprintln(g.Stdout, g.L.F("Migraciones aplicadas: %v; versión del esquema: %d", "Migrations applied: %v; schema version: %d", applied, v))
	return nil
}

// DBCheckCmd compares the database's schema with the one recon loads into
// (the contract of contrib/django) without changing anything.
type DBCheckCmd struct{}

func (c *DBCheckCmd) Run(ctx context.Context, g *Globals) error {
	pool, err := g.connect(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	problems, err := database.CheckSchema(ctx, pool)
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		return schemaError(g, &database.SchemaError{Problems: problems})
	}
	fmt.Fprintln(g.Stdout, g.L.S("El esquema cumple el contrato de Pet-Friendly: recon puede cargar en esta base de datos.",
		"The schema meets Pet-Friendly's contract: recon can load into this database."))
	return nil
}

// schemaError words a *database.SchemaError in the operator's language, one
// problem per line; the command cannot run on such a database (exit 2).
func schemaError(g *Globals, err error) error {
	var se *database.SchemaError
	if !errors.As(err, &se) {
		return err
	}
	var b strings.Builder
	b.WriteString(g.L.F("el esquema de la base de datos no cumple el contrato de recon (%d problemas); recon no cambia un esquema que administra Django:",
		"the database schema does not meet recon's contract (%d problems); recon does not change a schema Django manages:", len(se.Problems)))
	for _, p := range se.Problems {
		b.WriteString("\n  " + schemaProblemText(g, p))
	}
	return WithExitCode(ExitError, errors.New(b.String()))
}

func schemaProblemText(g *Globals, p database.SchemaProblem) string {
	switch p.Code {
	case database.SchemaMissingTable:
		return g.L.F("falta la tabla %s", "table %s is missing", p.Table)
	case database.SchemaMissingColumn:
		return g.L.F("falta la columna %s.%s (%s)", "column %s.%s (%s) is missing", p.Table, p.Column, p.Want)
	case database.SchemaWrongType:
		return g.L.F("la columna %s.%s es %s; el contrato dice %s", "column %s.%s is %s, the contract says %s", p.Table, p.Column, p.Got, p.Want)
	case database.SchemaNullable:
		return g.L.F("la columna %s.%s admite NULL; el contrato dice NOT NULL", "column %s.%s allows NULL, the contract says NOT NULL", p.Table, p.Column)
	case database.SchemaNotNull:
		return g.L.F("la columna %s.%s es NOT NULL; el contrato admite NULL", "column %s.%s is NOT NULL, the contract allows NULL", p.Table, p.Column)
	case database.SchemaExtraRequired:
		return g.L.F("la columna %s.%s (%s) es NOT NULL sin valor por defecto y recon no la escribe",
			"column %s.%s (%s) is NOT NULL without a default and recon does not write it", p.Table, p.Column, p.Got)
	}
	return p.String()
}
