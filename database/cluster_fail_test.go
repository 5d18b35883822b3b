package database_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/petfriendly/recon/database"
	"github.com/petfriendly/recon/internal/pgtest"
)

// fakeBinaries writes initdb, pg_ctl and postgres as shell scripts with the
// given bodies ("" : succeed silently), in a folder the server's user can
// run them from.
func fakeBinaries(t *testing.T, initdb, pgctl string) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "recon-fakebin-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{"initdb": initdb, "pg_ctl": pgctl, "postgres": "exit 1"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestClusterStartFailures: when initdb or the server fails, Start says
// which step failed and passes on what the tool printed, and for the
// server the end of its log, where PostgreSQL explains itself.
func TestClusterStartFailures(t *testing.T) {
	// initdb that writes what a real one needs to count as initialised.
	const okInitdb = `while [ $# -gt 0 ]; do [ "$1" = -D ] && mkdir -p "$2" && echo 17 > "$2/PG_VERSION"; shift; done`
	// pg_ctl that logs like a server refusing to start (-l names the log).
	const failingStart = `while [ $# -gt 0 ]; do [ "$1" = -l ] && echo 'FATAL:  could not create lock file "/run/x/.s.PGSQL.5432.lock": Permission denied' >> "$2"; shift; done
echo 'pg_ctl: could not start server' >&2; exit 1`
	tests := []struct {
		name, initdb, pgctl string
		wantErr             []string
	}{
		{"initdb fails", `echo 'initdb: error: could not create directory: No space left on device' >&2; exit 1`, "exit 0",
			[]string{"initdb: initdb: exit status 1", "No space left on device"}},
		{"server does not start", okInitdb, failingStart,
			[]string{"start postgres (log: ", "pg_ctl: exit status 1: pg_ctl: could not start server", "FATAL:  could not create lock file"}},
		{"server does not start and leaves no log", okInitdb, `echo 'pg_ctl: no log' >&2; exit 1`,
			[]string{"start postgres (log: ", "pg_ctl: no log"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home, err := os.MkdirTemp("", "recon-cluster-")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.RemoveAll(home) })
			os.Chmod(home, 0o755)
			c, err := database.NewCluster(database.ClusterOptions{Dir: filepath.Join(home, "pg"), BinDir: fakeBinaries(t, tt.initdb, tt.pgctl)})
			if err != nil {
				t.Fatal(err)
			}
			started, err := c.Start(context.Background())
			if err == nil || started {
				t.Fatalf("Start = %v, %v; want a failure", started, err)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

// TestClusterHomeUnderAFile: a home whose parent is a file cannot be
// created; NewCluster or Start says so instead of starting anything.
func TestClusterHomeUnderAFile(t *testing.T) {
	bin := fakeBinaries(t, "exit 0", "exit 0")
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := database.NewCluster(database.ClusterOptions{Dir: filepath.Join(file, "home", "pg"), BinDir: bin})
	if err == nil {
		_, err = c.Start(context.Background())
	}
	if err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Fatalf("err = %v, want a folder that cannot be created", err)
	}
}

// TestMigrateCancelledAtEveryStatement migrates an empty database with
// each statement cancelled in turn, each attempt going on from where the
// last one stopped: every cancellation is an error wrapping
// context.Canceled, the versions Migrate says it applied are exactly those
// recorded (each migration all or nothing), and the attempt after the last
// statement brings the schema up to date.
func TestMigrateCancelledAtEveryStatement(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenEmptyDB(t)
	ctx := context.Background()
	tracer := &pgtest.CancelNth{}
	cfg := db.Pool.Config()
	cfg.ConnConfig.Tracer = tracer
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	ms, err := database.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	latest := ms[len(ms)-1].Version
	failures := 0
	for n := int64(1); ; n++ {
		tracer.N.Store(n)
		tracer.Count.Store(0)
		before, err := database.SchemaVersion(ctx, db.Pool)
		if err != nil {
			t.Fatal(err)
		}
		applied, err := database.Migrate(ctx, pool)
		after, verr := database.SchemaVersion(ctx, db.Pool)
		if verr != nil {
			t.Fatal(verr)
		}
		want := before
		if len(applied) > 0 {
			want = applied[len(applied)-1]
		}
		if after != want {
			t.Errorf("statement %d cancelled: Migrate applied %v, the database records version %d", n, applied, after)
		}
		if err == nil {
			if after != latest {
				t.Fatalf("statement %d: Migrate succeeded at version %d, want %d", n, after, latest)
			}
			break
		}
		failures++
		if !errors.Is(err, context.Canceled) {
			t.Errorf("statement %d cancelled: err = %v, want context.Canceled", n, err)
		}
	}
	if failures < len(ms) {
		t.Errorf("only %d statements could be cancelled", failures)
	}
}
