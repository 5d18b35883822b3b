package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/petfriendly/recon/database"
	"github.com/petfriendly/recon/importer"
)

// usesExternalDB reports whether the user pointed recon at a server of their
// own, by URL or by the standard PG* variables.
func (g *Globals) usesExternalDB() bool {
	if g.DatabaseURL != "" {
		return true
	}
	for _, k := range []string{"PGHOST", "PGDATABASE", "PGSERVICE", "PGPORT"} {
		if os.Getenv(k) != "" {
			return true
		}
	}
	return false
}

// cluster describes the private local cluster under --home.
func (g *Globals) cluster() (*database.Cluster, error) {
	c, err := database.NewCluster(database.ClusterOptions{Dir: filepath.Join(g.Home, "pg"), BinDir: g.PGBin})
	if errors.Is(err, database.ErrNoBinaries) {
		return nil, errors.New(g.L.S(
			"no se encontró PostgreSQL en este equipo: instálelo (apt-get install postgresql) o indique --database-url",
			"PostgreSQL was not found on this machine: install it (apt-get install postgresql) or pass --database-url"))
	}
	return c, err
}

// databaseURL returns the URL to connect to, starting the local cluster when
// no external server is configured.
func (g *Globals) databaseURL(ctx context.Context) (string, error) {
	if g.usesExternalDB() {
		return g.DatabaseURL, nil
	}
	c, err := g.cluster()
	if err != nil {
		return "", err
	}
	started, err := c.Start(ctx)
	if err != nil {
		return "", fmt.Errorf("%s: %w", g.L.S("clúster local", "local cluster"), err)
	}
	if started && !g.Quiet {
		fmt.Fprintln(g.Stderr, g.L.F("Clúster PostgreSQL local iniciado en %s", "Local PostgreSQL cluster started in %s", c.Dir))
	}
	return c.URL(database.DefaultDatabase), nil
}

// connect opens a pool on the configured database (starting the private
// cluster when none is configured) without touching the schema.
func (g *Globals) connect(ctx context.Context) (*pgxpool.Pool, error) {
	url, err := g.databaseURL(ctx)
	if err != nil {
		return nil, err
	}
	return database.Open(ctx, url)
}

// openDB connects and applies pending migrations, as every command that
// reads or writes recon's tables needs the current schema.
func (g *Globals) openDB(ctx context.Context) (*pgxpool.Pool, error) {
	return g.openDBConns(ctx, 0)
}

// openDBConns is openDB with a pool of at least minConns connections
// (verify reads on five at once: its lock, two streams, its queries and
// the table checks).
func (g *Globals) openDBConns(ctx context.Context, minConns int32) (*pgxpool.Pool, error) {
	url, err := g.databaseURL(ctx)
	if err != nil {
		return nil, err
	}
	pool, err := database.OpenWithConns(ctx, url, minConns)
	if err != nil {
		return nil, err
	}
	if _, err := database.Migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, schemaError(g, err)
	}
	// Any command notices a batch left running by a process that died.
	ids, err := importer.RecoverInterrupted(ctx, pool)
	if err != nil {
		pool.Close()
		return nil, err
	}
	if len(ids) > 0 && !g.Quiet {
		fmt.Fprintln(g.Stderr, g.L.F("Lotes que quedaron en curso (su proceso terminó o la base de datos se cerró; «recon batches» dice cuál), marcados como fallidos: %v",
			"Batches left running (their process ended or the database shut down; \"recon batches\" says which), marked failed: %v", ids))
	}
	return pool, nil
}
