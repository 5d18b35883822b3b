package pgtest

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/petfriendly/recon/database"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

// fakeTB records what create reports instead of failing the real test;
// Fatal ends the calling goroutine as testing does.
type fakeTB struct {
	testing.TB
	fatal    string
	errors   []string
	cleanups []func()
}

func (f *fakeTB) Helper()           {}
func (f *fakeTB) Cleanup(fn func()) { f.cleanups = append(f.cleanups, fn) }
func (f *fakeTB) Errorf(format string, a ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, a...))
}
func (f *fakeTB) Fatal(a ...any) { f.fatal = fmt.Sprint(a...); runtime.Goexit() }
func (f *fakeTB) Fatalf(format string, a ...any) {
	f.fatal = fmt.Sprintf(format, a...)
	runtime.Goexit()
}

func (f *fakeTB) runCleanups() {
	for i := len(f.cleanups) - 1; i >= 0; i-- {
		f.cleanups[i]()
	}
}

// createWith runs create on a fake TB with s as the package's server, and
// restores the real one afterwards.
func createWith(t *testing.T, s *server, migrated bool) (*fakeTB, *DB) {
	t.Helper()
	real := current.Load()
	current.Store(s)
	defer current.Store(real)
	tb := &fakeTB{}
	var db *DB
	done := make(chan struct{})
	go func() {
		defer close(done)
		db = create(tb, migrated)
	}()
	<-done
	return tb, db
}

// role creates a login role with the given options and returns the admin
// URL connecting as it.
func role(t *testing.T, name, options string) string {
	t.Helper()
	admin := current.Load().adminURL
	conn, err := pgx.Connect(t.Context(), admin)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(t.Context(), "CREATE ROLE "+name+" LOGIN "+options); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(context.Background(), admin)
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(context.Background(), "DROP ROLE "+name); err != nil {
			t.Error(err)
		}
	})
	cfg, err := pgx.ParseConfig(admin)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(admin, "postgres://"+cfg.User+"@") {
		t.Fatalf("admin URL %q does not name its user first", admin)
	}
	return strings.Replace(admin, "postgres://"+cfg.User+"@", "postgres://"+name+"@", 1)
}

func TestTemplateName(t *testing.T) {
	t.Setenv("RECON_TEST_SCHEMA", "")
	recon, err := templateName()
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^recon_tpl_[0-9a-f]{12}$`).MatchString(recon) {
		t.Errorf("recon template %q", recon)
	}
	t.Setenv("RECON_TEST_SCHEMA", "django")
	if SchemaCreator() != "django" {
		t.Fatalf("SchemaCreator = %q with RECON_TEST_SCHEMA=django", SchemaCreator())
	}
	dj, err := templateName()
	if err != nil {
		t.Fatal(err)
	}
	hash, err := djangoHash()
	if err != nil {
		t.Fatal(err)
	}
	// The Django template names both the Django project and the
	// migrations, so a change to either builds a new one.
	if want := "recon_tpl_dj_" + hash + "_" + recon[len("recon_tpl_"):][:8]; dj != want {
		t.Errorf("django template %q, want %q", dj, want)
	}
	if again, _ := djangoHash(); again != hash || !regexp.MustCompile(`^[0-9a-f]{12}$`).MatchString(hash) {
		t.Errorf("djangoHash %q then %q", hash, again)
	}
}

func TestSetupWithConfiguredServer(t *testing.T) {
	t.Setenv("RECON_TEST_DATABASE_URL", "")
	t.Setenv("DATABASE_URL", "postgres://u@/elsewhere?host=/nonexistent")
	s, cleanup, err := setup()
	if err != nil {
		t.Fatal(err)
	}
	cleanup()
	if s.adminURL != "postgres://u@/elsewhere?host=/nonexistent" || s.cluster != nil {
		t.Errorf("server %+v: want DATABASE_URL and no cluster", s)
	}
	t.Setenv("RECON_TEST_DATABASE_URL", "postgres://v@/tests")
	if s, _, err := setup(); err != nil || s.adminURL != "postgres://v@/tests" {
		t.Errorf("server %+v, %v: RECON_TEST_DATABASE_URL comes first", s, err)
	}
}

func TestBuildTemplate(t *testing.T) {
	MustOpenDB(t) // the template exists from here on
	admin := current.Load().adminURL
	s := &server{adminURL: admin}
	if err := s.buildTemplate(t.Context()); err != nil {
		t.Fatalf("existing template: %v", err)
	}
	if want, _ := templateName(); s.template != want {
		t.Errorf("template %q, want %q", s.template, want)
	}

	noCreate := role(t, "pgtest_nocreate", "NOCREATEDB")
	tests := []struct {
		name   string
		url    string
		schema string // RECON_TEST_SCHEMA: django names a template not built yet
		err    string
	}{
		{"no such database", database.WithDatabase(admin, "pgtest_nonexistent"), "", `connect to test server: `},
		{"cannot create databases", noCreate, "django", "create template: ERROR: permission denied to create database"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("RECON_TEST_SCHEMA", tt.schema)
			err := (&server{adminURL: tt.url}).buildTemplate(t.Context())
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("err = %v, want %q", err, tt.err)
			}
			if tt.name == "no such database" && !strings.Contains(err.Error(), `"pgtest_nonexistent" does not exist`) {
				t.Errorf("err = %v: does not name the database", err)
			}
		})
	}
}

func TestCreateFailures(t *testing.T) {
	admin := current.Load().adminURL
	noCreate := role(t, "pgtest_create_no", "NOCREATEDB")
	oneConn := role(t, "pgtest_create_one", "CREATEDB CONNECTION LIMIT 1")
	bogus := database.WithDatabase(admin, "pgtest_nonexistent")
	tests := []struct {
		name     string
		s        *server
		migrated bool
		fatal    string
	}{
		{"no server", nil, false, "pgtest: call pgtest.Main from TestMain in this package"},
		{"template fails", &server{adminURL: bogus}, true, "pgtest: connect to test server: "},
		{"cannot connect", &server{adminURL: bogus}, false, "pgtest: connect: "},
		{"cannot create", &server{adminURL: noCreate}, false, "pgtest: create database: ERROR: permission denied to create database"},
		// The admin connection takes the role's only connection: the
		// new database cannot be opened.
		{"cannot open", &server{adminURL: oneConn}, false, `pgtest: connect to `},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb, db := createWith(t, tt.s, tt.migrated)
			if !strings.HasPrefix(tb.fatal, tt.fatal) {
				t.Fatalf("fatal %q, want %q", tb.fatal, tt.fatal)
			}
			if db != nil {
				t.Errorf("database %+v after a fatal error", db)
			}
			if tt.name == "cannot open" {
				if !strings.Contains(tb.fatal, "too many connections for role") {
					t.Errorf("fatal %q: want the connection limit", tb.fatal)
				}
				// The database was created before the failure: drop it.
				name := fmt.Sprintf("recon_t_%d_%d", os.Getpid(), tt.s.counter.Load())
				conn, err := pgx.Connect(t.Context(), admin)
				if err != nil {
					t.Fatal(err)
				}
				defer conn.Close(context.Background())
				if _, err := conn.Exec(t.Context(), "DROP DATABASE "+name); err != nil {
					t.Errorf("drop %s: %v", name, err)
				}
			}
		})
	}
}

// TestCreateDropFailures checks that a database the cleanup cannot drop
// fails the test, naming it.
func TestCreateDropFailures(t *testing.T) {
	admin := current.Load().adminURL
	notOwner := role(t, "pgtest_drop_no", "")
	tests := []struct {
		name  string
		url   string // admin URL at cleanup time
		error string
	}{
		{"cannot connect", database.WithDatabase(admin, "pgtest_nonexistent"), `"pgtest_nonexistent" does not exist`},
		{"not the owner", notOwner, "must be owner of database"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &server{adminURL: admin}
			tb, db := createWith(t, s, false)
			if tb.fatal != "" || db == nil {
				t.Fatalf("create: %q", tb.fatal)
			}
			var one int
			if err := db.Pool.QueryRow(t.Context(), "SELECT 1").Scan(&one); err != nil || one != 1 {
				t.Fatalf("new database: %d, %v", one, err)
			}
			s.adminURL = tt.url
			tb.runCleanups()
			if len(tb.errors) != 1 || !strings.HasPrefix(tb.errors[0], "pgtest: drop "+db.Name+": ") || !strings.Contains(tb.errors[0], tt.error) {
				t.Errorf("errors %q, want one naming %s and %q", tb.errors, db.Name, tt.error)
			}
			conn, err := pgx.Connect(t.Context(), admin)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(context.Background())
			var exists bool
			if err := conn.QueryRow(t.Context(), "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", db.Name).Scan(&exists); err != nil || !exists {
				t.Errorf("database %s exists %v (%v): the failed drop must leave it", db.Name, exists, err)
			}
			if _, err := conn.Exec(t.Context(), "DROP DATABASE "+db.Name+" WITH (FORCE)"); err != nil {
				t.Error(err)
			}
		})
	}
}

// The private test cluster trades durability for speed; a configured server
// is left as it is.
func TestPrivateClusterIsNotDurable(t *testing.T) {
	db := MustOpenDB(t)
	want := "off"
	if TestURL() != "" {
		want = "" // not ours to judge
	}
	for _, name := range []string{"fsync", "synchronous_commit", "full_page_writes"} {
		var v string
		if err := db.Pool.QueryRow(t.Context(), "SHOW "+name).Scan(&v); err != nil {
			t.Fatal(err)
		}
		if want != "" && v != want {
			t.Errorf("%s = %q on the private test cluster, want %q", name, v, want)
		}
	}
}
