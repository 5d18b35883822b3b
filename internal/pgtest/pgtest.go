// Package pgtest gives each test its own PostgreSQL database, cloned from a
// migrated template. Without RECON_TEST_DATABASE_URL or DATABASE_URL it
// starts one private cluster for the test binary (see Main).
package pgtest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/petfriendly/recon/database"
)

// server is the state of one test binary's database server. It lives in
// Main's frame and is reached through the process-wide pointer below only
// because testing.TB offers no other way to hand it to tests.
type server struct {
	adminURL string // connects to the maintenance database
	cluster  *database.Cluster
	template string
	once     sync.Once
	err      error
	counter  atomic.Int64
}

var current atomic.Pointer[server]

// Main runs the tests of a package that uses databases: call it from
// TestMain as os.Exit(pgtest.Main(m)). It starts a private cluster when no
// server is configured and stops it afterwards.
func Main(m *testing.M) int {
	s, cleanup, err := setup()
	if err != nil {
		fmt.Fprintln(os.Stderr, "pgtest:", err)
		return 2
	}
	current.Store(s)
	code := m.Run()
	cleanup()
	return code
}

// TestURL is the configured external test server, if any.
func TestURL() string {
	if u := os.Getenv("RECON_TEST_DATABASE_URL"); u != "" {
		return u
	}
	return os.Getenv("DATABASE_URL")
}

func setup() (*server, func(), error) {
	if u := TestURL(); u != "" {
		return &server{adminURL: u}, func() {}, nil
	}
	bin, err := database.FindBinaries()
	if err != nil {
		return nil, nil, fmt.Errorf("tests need PostgreSQL: install it (apt-get install postgresql) or set RECON_TEST_DATABASE_URL: %w", err)
	}
	dir, err := os.MkdirTemp("", "recon-pgtest-")
	if err != nil {
		return nil, nil, err
	}
	// As root the server runs as the postgres user: the folder is ours to
	// open to it. When a folder above it is closed (TMPDIR under a 0700
	// folder such as /root), the cluster lives in recon's managed folder
	// instead (database.DefaultManagedRoot) and Remove deletes it there.
	if err := os.Chmod(dir, 0o755); err != nil {
		return nil, nil, err
	}
	c, err := database.NewCluster(database.ClusterOptions{Dir: filepath.Join(dir, "pg"), BinDir: bin, NoDurability: true})
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	cleanup := func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := c.Remove(ctx); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest: remove cluster:", err)
		}
		os.RemoveAll(dir)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if _, err := c.Start(ctx); err != nil {
		cleanup()
		return nil, nil, err
	}
	return &server{adminURL: c.URL(database.DefaultDatabase), cluster: c}, cleanup, nil
}

// templateName identifies the migrated template by the migrations' content,
// so a schema change builds a new template instead of reusing a stale one.
func templateName() (string, error) {
	ms, err := database.Migrations()
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, m := range ms {
		fmt.Fprintf(h, "%d\x00%s\x00", m.Version, m.SQL)
	}
	if SchemaCreator() == "django" {
		dj, err := djangoHash()
		if err != nil {
			return "", err
		}
		return "recon_tpl_dj_" + dj + "_" + hex.EncodeToString(h.Sum(nil))[:8], nil
	}
	return "recon_tpl_" + hex.EncodeToString(h.Sum(nil))[:12], nil
}

func (s *server) ensureTemplate(ctx context.Context) error {
	s.once.Do(func() { s.err = s.buildTemplate(ctx) })
	return s.err
}

func (s *server) buildTemplate(ctx context.Context) error {
	name, err := templateName()
	if err != nil {
		return err
	}
	s.template = name
	admin, err := pgx.Connect(ctx, s.adminURL)
	if err != nil {
		return fmt.Errorf("connect to test server: %w", err)
	}
	defer admin.Close(ctx)
	// Test binaries of several packages may share an external server.
	if _, err := admin.Exec(ctx, "SELECT pg_advisory_lock(7262)"); err != nil {
		return err
	}
	defer admin.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(7262)")
	var exists bool
	if err := admin.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname=$1)", name).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	building := name + "_build"
	admin.Exec(ctx, "DROP DATABASE IF EXISTS "+building)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+building); err != nil {
		return fmt.Errorf("create template: %w", err)
	}
	if SchemaCreator() == "django" {
		if _, err := Manage(ctx, database.WithDatabase(s.adminURL, building), "migrate", "--no-input"); err != nil {
			return fmt.Errorf("migrate template with Django: %w", err)
		}
	} else {
		pool, err := database.Open(ctx, database.WithDatabase(s.adminURL, building))
		if err != nil {
			return err
		}
		_, err = database.Migrate(ctx, pool)
		pool.Close()
		if err != nil {
			return fmt.Errorf("migrate template: %w", err)
		}
	}
	if _, err := admin.Exec(ctx, "ALTER DATABASE "+building+" RENAME TO "+name); err != nil {
		return fmt.Errorf("rename template: %w", err)
	}
	return nil
}

// DB is one test's database.
type DB struct {
	Name string
	URL  string
	Pool *pgxpool.Pool
}

// MustOpenDB creates a fresh migrated database for tb, dropped when the test
// ends. It fails the test when no server is available.
func MustOpenDB(tb testing.TB) *DB {
	tb.Helper()
	return create(tb, true)
}

// MustOpenEmptyDB creates a database with no schema at all, for migration tests.
func MustOpenEmptyDB(tb testing.TB) *DB {
	tb.Helper()
	return create(tb, false)
}

func create(tb testing.TB, migrated bool) *DB {
	tb.Helper()
	s := current.Load()
	if s == nil {
		tb.Fatal("pgtest: call pgtest.Main from TestMain in this package")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	stmt := "CREATE DATABASE %s"
	if migrated {
		if err := s.ensureTemplate(ctx); err != nil {
			tb.Fatalf("pgtest: %v", err)
		}
		stmt += " TEMPLATE " + s.template
	}
	name := fmt.Sprintf("recon_t_%d_%d", os.Getpid(), s.counter.Add(1))
	admin, err := pgx.Connect(ctx, s.adminURL)
	if err != nil {
		tb.Fatalf("pgtest: connect: %v", err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, fmt.Sprintf(stmt, name)); err != nil {
		tb.Fatalf("pgtest: create database: %v", err)
	}
	url := database.WithDatabase(s.adminURL, name)
	pool, err := database.Open(ctx, url)
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	tb.Cleanup(func() {
		pool.Close()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		admin, err := pgx.Connect(ctx, s.adminURL)
		if err != nil {
			tb.Errorf("pgtest: drop %s: %v", name, err)
			return
		}
		defer admin.Close(ctx)
		if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Errorf("pgtest: drop %s: %v", name, err)
		}
	})
	return &DB{Name: name, URL: url, Pool: pool}
}
