package cli

import (
	"context"
	"fmt"

	"github.com/petfriendly/recon/store"
)

// DBCmd groups the database administration commands.
type DBCmd struct {
	Start   DBStartCmd   `cmd:"" help:"${help_db_start}"`
	Stop    DBStopCmd    `cmd:"" help:"${help_db_stop}"`
	Status  DBStatusCmd  `cmd:"" help:"${help_db_status}"`
	URL     DBURLCmd     `cmd:"" name:"url" help:"${help_db_url}"`
	Migrate DBMigrateCmd `cmd:"" help:"${help_db_migrate}"`
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
	fmt.Fprintln(g.Stdout, cl.URL(store.DefaultDatabase))
	return nil
}

// printRelocation says where the cluster lives when it is kept outside the
// home, because the postgres user cannot reach the home.
func printRelocation(g *Globals, cl *store.Cluster) {
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
		pool, err := store.Open(ctx, g.DatabaseURL)
		if err != nil {
			return err
		}
		defer pool.Close()
		v, err := store.SchemaVersion(ctx, pool)
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
	pool, err := store.Open(ctx, cl.URL(store.DefaultDatabase))
	if err != nil {
		return err
	}
	defer pool.Close()
	v, err := store.SchemaVersion(ctx, pool)
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
	fmt.Fprintln(g.Stdout, cl.URL(store.DefaultDatabase))
	return nil
}

type DBMigrateCmd struct{}

func (c *DBMigrateCmd) Run(ctx context.Context, g *Globals) error {
	url, err := g.databaseURL(ctx)
	if err != nil {
		return err
	}
	pool, err := store.Open(ctx, url)
	if err != nil {
		return err
	}
	defer pool.Close()
	applied, err := store.Migrate(ctx, pool)
	if err != nil {
		return err
	}
	v, err := store.SchemaVersion(ctx, pool)
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
