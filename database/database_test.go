package database_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/petfriendly/recon/database"
	"github.com/petfriendly/recon/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func TestMigrateIsIdempotent(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenEmptyDB(t)
	ctx := context.Background()
	applied, err := database.Migrate(ctx, db.Pool)
	if err != nil {
		t.Fatal(err)
	}
	all, err := database.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) != len(all) {
		t.Fatalf("first run applied %v, want all %d migrations", applied, len(all))
	}
	again, err := database.Migrate(ctx, db.Pool)
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != 0 {
		t.Fatalf("second run applied %v, want nothing", again)
	}
	v, err := database.SchemaVersion(ctx, db.Pool)
	if err != nil || v != all[len(all)-1].Version {
		t.Fatalf("SchemaVersion = %d, %v; want %d", v, err, all[len(all)-1].Version)
	}
}

func TestSchemaVersionWithoutTable(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenEmptyDB(t)
	v, err := database.SchemaVersion(context.Background(), db.Pool)
	if err != nil || v != 0 {
		t.Fatalf("SchemaVersion on empty db = %d, %v; want 0, nil", v, err)
	}
}

// The destination tables keep the Pet-Friendly Django names exactly.
func TestSchemaTables(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	want := []string{
		"accounts_user", "vet_clinic_ownerprofile", "pets_pet", "medical_medicalrecord",
		"medical_vaccinationrecord", "appointments_appointment", "billing_invoice", "billing_invoiceitem",
		"inventory_product", "documents_document", "migration_migrationbatch", "migration_migrationrecord",
		"migration_externalidmapping", "migration_dataqualityissue", "migration_verificationrun",
	}
	if pgtest.SchemaCreator() == "recon" {
		want = append(want, "schema_migrations") // recon's bookkeeping, absent where Django made the schema
	}
	for _, table := range want {
		var ok bool
		err := db.Pool.QueryRow(context.Background(), "SELECT to_regclass($1) IS NOT NULL", "public."+table).Scan(&ok)
		if err != nil || !ok {
			t.Errorf("table %s missing (%v)", table, err)
		}
	}
}

// The contract's mapping is unique per (system, type, id), and, as Django
// sets no database defaults, a row that leaves a NOT NULL column out is
// refused: recon must write every column itself.
func TestMappingUniqueAndNoDefaults(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	ins := `INSERT INTO migration_externalidmapping (source_system, source_type, source_id, target_model, target_id, is_merged, created_at)
		VALUES ('okvet', $1, $2, 'pets_pet', 1, false, now())`
	if _, err := db.Pool.Exec(ctx, ins, "pet", "P1"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, ins, "pet", "P1"); err == nil {
		t.Fatal("duplicate (source_system, source_type, source_id) accepted")
	}
	if _, err := db.Pool.Exec(ctx, ins, "client", "P1"); err != nil {
		t.Fatalf("the same id of another type refused: %v", err)
	}
	_, err := db.Pool.Exec(ctx, "INSERT INTO migration_externalidmapping (source_type, source_id, target_model, target_id) VALUES ('pet', 'P2', 'pets_pet', 2)")
	if err == nil || !strings.Contains(err.Error(), "not-null") {
		t.Fatalf("a mapping without source_system, is_merged and created_at: %v, want a not-null violation", err)
	}
	if _, err := db.Pool.Exec(ctx, "INSERT INTO migration_dataqualityissue (severity, issue_type) VALUES ('critical', 'x')"); err == nil {
		t.Fatal("an issue without batch, description and the other NOT NULL columns accepted")
	}
}

func TestWithDatabase(t *testing.T) {
	tests := []struct{ in, db, want string }{
		{"postgres://u@h:5432/old?sslmode=disable", "new", "postgres://u@h:5432/new?sslmode=disable"},
		{"postgres://postgres@/recon?host=/tmp/x&port=5432", "d", "postgres://postgres@/d?host=/tmp/x&port=5432"},
		{"host=/tmp port=5432", "d", "host=/tmp port=5432 dbname=d"},
		{"", "d", "dbname=d"},
	}
	for _, tt := range tests {
		if got := database.WithDatabase(tt.in, tt.db); got != tt.want {
			t.Errorf("WithDatabase(%q, %q) = %q, want %q", tt.in, tt.db, got, tt.want)
		}
	}
}

func newCluster(t *testing.T) *database.Cluster {
	t.Helper()
	bin, err := database.FindBinaries()
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("PostgreSQL binaries not installed")
		}
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "recon-cluster-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755)
	t.Cleanup(func() { os.RemoveAll(dir) })
	c, err := database.NewCluster(database.ClusterOptions{Dir: filepath.Join(dir, "pg"), BinDir: bin})
	if err != nil {
		t.Fatal(err)
	}
	// Remove also deletes a cluster kept outside dir (TMPDIR closed to postgres).
	t.Cleanup(func() { c.Remove(context.Background()) })
	return c
}

func TestClusterLifecycle(t *testing.T) {
	t.Parallel()
	c := newCluster(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	if running, _ := c.Status(ctx); running {
		t.Fatal("fresh cluster reports running")
	}
	started, err := c.Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !started {
		t.Fatal("first Start did not start a server")
	}
	running, pid := c.Status(ctx)
	if !running || pid == 0 {
		t.Fatalf("Status after Start = %v, %d", running, pid)
	}
	// Unix socket only: no TCP listener.
	var listen string
	conn, err := pgx.Connect(ctx, c.URL(database.DefaultDatabase))
	if err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRow(ctx, "SHOW listen_addresses").Scan(&listen); err != nil || listen != "" {
		t.Fatalf("listen_addresses = %q, %v; want empty", listen, err)
	}
	// A user's cluster keeps every durability setting on.
	for _, name := range []string{"fsync", "synchronous_commit", "full_page_writes"} {
		var v string
		if err := conn.QueryRow(ctx, "SHOW "+name).Scan(&v); err != nil || v != "on" {
			t.Errorf("%s = %q, %v; want on", name, v, err)
		}
	}
	conn.Close(ctx)

	again, err := c.Start(ctx)
	if err != nil || again {
		t.Fatalf("second Start = %v, %v; want reuse", again, err)
	}
	if _, pid2 := c.Status(ctx); pid2 != pid {
		t.Fatalf("reuse changed pid %d -> %d", pid, pid2)
	}
	if err := c.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if running, _ := c.Status(ctx); running {
		t.Fatal("still running after Stop")
	}
	if err := c.Stop(ctx); err != nil {
		t.Fatalf("Stop of a stopped cluster: %v", err)
	}
}

func TestClusterStalePidFile(t *testing.T) {
	t.Parallel()
	c := newCluster(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if _, err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	pidFile := filepath.Join(c.DataDir(), "postmaster.pid")
	// A crash leaves the pid of a dead process; a reboot may leave one that
	// now belongs to an unrelated process (pid 1 here).
	for _, stale := range []int{4194000, 1} {
		content := strconv.Itoa(stale) + "\n" + c.DataDir() + "\n"
		if err := os.WriteFile(pidFile, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if running, _ := c.Status(ctx); running {
			t.Fatalf("stale pid %d reported as running", stale)
		}
		started, err := c.Start(ctx)
		if err != nil {
			t.Fatalf("start over stale pid %d: %v", stale, err)
		}
		if !started {
			t.Fatalf("start over stale pid %d did not start", stale)
		}
		if err := c.Stop(ctx); err != nil {
			t.Fatal(err)
		}
	}
}

func TestNewClusterErrors(t *testing.T) {
	if _, err := database.NewCluster(database.ClusterOptions{}); err == nil {
		t.Error("empty dir accepted")
	}
	if _, err := database.NewCluster(database.ClusterOptions{Dir: t.TempDir(), BinDir: t.TempDir()}); err == nil {
		t.Error("bin dir without binaries accepted")
	}
}

func TestLongHomeUsesShortSocketDir(t *testing.T) {
	long := "/tmp/" + filepath.Join("a-very-long-folder-name-for-recon-tests", "another-long-segment-here", "and-one-more-segment", "pg")
	c := &database.Cluster{Dir: long, Port: 5432}
	if len(c.SocketDir()) > 90 || filepath.Dir(c.SocketDir()) == long {
		t.Fatalf("socket dir %q not shortened", c.SocketDir())
	}
	short := &database.Cluster{Dir: "/tmp/r/pg", Port: 5432}
	if short.SocketDir() != "/tmp/r/pg/run" {
		t.Fatalf("short socket dir = %q", short.SocketDir())
	}
}

// TestClusterInClosedHome starts a cluster whose home sits under a 0700
// folder. As root the server runs as postgres, which cannot enter it: the
// cluster lives in the managed folder, recorded in the home, and a second
// Cluster for the same home (the next command) finds it again. Otherwise it
// lives in the home. The closed folder keeps its mode either way.
func TestClusterInClosedHome(t *testing.T) {
	bin, err := database.FindBinaries()
	if err != nil {
		t.Fatal(err)
	}
	closed := filepath.Join(t.TempDir(), "closed")
	if err := os.Mkdir(closed, 0o700); err != nil {
		t.Fatal(err)
	}
	home := filepath.Join(closed, "clone", ".recon", "pg")
	open := func() *database.Cluster {
		c, err := database.NewCluster(database.ClusterOptions{Dir: home, BinDir: bin})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	c := open()
	t.Cleanup(func() { c.Remove(context.Background()) })
	if _, err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	asRoot := os.Geteuid() == 0
	if c.Relocated() != asRoot {
		t.Fatalf("relocated = %v running as uid %d; cluster in %s", c.Relocated(), os.Geteuid(), c.Dir)
	}
	if asRoot {
		if filepath.Dir(c.Dir) != database.DefaultManagedRoot {
			t.Errorf("cluster in %s, want a folder of %s", c.Dir, database.DefaultManagedRoot)
		}
		rec, err := os.ReadFile(c.LocationFile())
		if err != nil || strings.TrimSpace(string(rec)) != c.Dir {
			t.Errorf("location record %q (%v), want %s", rec, err, c.Dir)
		}
	} else if c.Dir != home {
		t.Errorf("cluster in %s, want the home %s", c.Dir, home)
	}
	if fi, err := os.Stat(closed); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("the closed folder's mode changed: %v, %v", fi.Mode(), err)
	}
	if err := c.Stop(ctx); err != nil {
		t.Fatal(err)
	}

	again := open()
	if again.Dir != c.Dir {
		t.Fatalf("the next command looks for the cluster in %s, it is in %s", again.Dir, c.Dir)
	}
	if started, err := again.Start(ctx); err != nil || !started {
		t.Fatalf("second start = %v, %v", started, err)
	}
	conn, err := pgx.Connect(ctx, again.URL(database.DefaultDatabase))
	if err != nil {
		t.Fatal(err)
	}
	var one int
	if err := conn.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil || one != 1 {
		t.Errorf("query: %d, %v", one, err)
	}
	conn.Close(ctx)

	if err := again.Remove(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(again.Dir); !os.IsNotExist(err) {
		t.Errorf("Remove left %s: %v", again.Dir, err)
	}
	if _, err := os.Stat(again.LocationFile()); !os.IsNotExist(err) {
		t.Errorf("Remove left the record %s: %v", again.LocationFile(), err)
	}
}
