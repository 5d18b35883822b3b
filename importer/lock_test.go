package importer_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/petfriendly/recon/importer"
	"github.com/petfriendly/recon/internal/pgtest"
)

// waitFor polls cond (a database state, not a clock) until it holds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitingForLock counts sessions blocked on an advisory lock.
func waitingForLock(t *testing.T, pool *pgxpool.Pool) int {
	return count(t, pool, `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
		AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`)
}

func TestLockHeldInProcess(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	lock, err := importer.AcquireLock(ctx, db.Pool, importer.LockOptions{Command: "import", Operator: "ana"})
	if err != nil {
		t.Fatal(err)
	}
	if err := lock.SetBatch(ctx, 42); err != nil {
		t.Fatal(err)
	}
	// A second importer on its own connection fails fast, naming the holder.
	im := newImporter(t, db.Pool, nil)
	_, err = im.ImportFile(ctx, "clients", writeFile(t, t.TempDir(), "clientes.csv", clientsCSV))
	var busy *importer.BusyError
	if !errors.As(err, &busy) || busy.Holder.BatchID != 42 || busy.Holder.ClientPID != os.Getpid() || busy.Holder.Command != "import" {
		t.Fatalf("err = %v (%+v)", err, busy)
	}
	if !strings.Contains(err.Error(), "batch 42") || !strings.Contains(err.Error(), fmt.Sprintf("pid %d", os.Getpid())) {
		t.Errorf("message %q", err)
	}
	if _, err := importer.Rollback(ctx, db.Pool, 1, importer.RollbackOptions{}); !errors.As(err, &busy) {
		t.Errorf("rollback while locked: %v", err)
	}
	if n := count(t, db.Pool, "SELECT count(*) FROM migration_migrationbatch"); n != 0 {
		t.Errorf("a refused import created %d batches", n)
	}
	lock.Release(ctx)
	if n := count(t, db.Pool, "SELECT count(*) FROM migration_lockholder"); n != 0 {
		t.Errorf("holder row left after release")
	}
	mustImport(t, im, "clients", writeFile(t, t.TempDir(), "clientes.csv", clientsCSV))
}

func TestLockTwoProcesses(t *testing.T) {
	t.Parallel()
	bin := buildRecon(t)
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	path := writeFile(t, t.TempDir(), "clientes.csv", clientsCSV)

	// Keep A busy inside its batch, deterministically: the test holds a
	// table lock that A's batch needs, so A blocks while holding recon's lock.
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "LOCK TABLE vet_clinic_ownerprofile IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	a, aOut := reconCmd(bin, db.URL, t.TempDir(), "import", "clients", "--file", path)
	if err := a.Start(); err != nil {
		t.Fatal(err)
	}
	defer a.Process.Kill()
	waitFor(t, "the first import to hold the lock inside its batch", func() bool {
		return count(t, db.Pool, "SELECT count(*) FROM migration_lockholder WHERE client_pid = $1 AND batch_id IS NOT NULL",
			a.Process.Pid) == 1
	})
	var batch int64
	db.Pool.QueryRow(ctx, "SELECT batch_id FROM migration_lockholder").Scan(&batch)

	// B fails fast and names A and its batch.
	code, out := runRecon(t, bin, db.URL, t.TempDir(), "import", "clients", "--file", path)
	want := fmt.Sprintf("otra importación, reversión o verificación está en curso (lote %d, pid %d", batch, a.Process.Pid)
	if code != 2 || !strings.Contains(out, want) || !strings.Contains(out, "--wait") {
		t.Errorf("second import: exit %d, want 2 and %q\n%s", code, want, out)
	}
	code, out = runRecon(t, bin, db.URL, t.TempDir(), "--lang", "en", "rollback", "--batch-id", fmt.Sprint(batch))
	if code != 2 || !strings.Contains(out, "another import, rollback or verification is running") {
		t.Errorf("rollback during an import: exit %d\n%s", code, out)
	}

	// C waits with --wait and runs after A: a re-import, all unchanged.
	c, cOut := reconCmd(bin, db.URL, t.TempDir(), "import", "clients", "--file", path, "--wait")
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	defer c.Process.Kill()
	waitFor(t, "the third import to wait for the lock", func() bool { return waitingForLock(t, db.Pool) == 1 })
	tx.Rollback(ctx)
	if err := a.Wait(); err != nil {
		t.Fatalf("first import: %v\n%s", err, aOut)
	}
	if err := c.Wait(); err != nil {
		t.Fatalf("waiting import: %v\n%s", err, cOut)
	}
	var imported, unchanged int
	err = db.Pool.QueryRow(ctx, `SELECT imported_count, unchanged_count FROM migration_migrationbatch
		ORDER BY id DESC LIMIT 1`).Scan(&imported, &unchanged)
	if err != nil || imported != 0 || unchanged != 6 {
		t.Errorf("the waiting import: imported %d unchanged %d (%v)\n%s", imported, unchanged, err, cOut)
	}
	if n := count(t, db.Pool, "SELECT count(*) FROM migration_migrationbatch WHERE status <> 'completed'"); n != 0 {
		t.Errorf("%d batches not completed", n)
	}
}

func TestLockWaitBlocksUntilRelease(t *testing.T) {
	t.Parallel()
	bin := buildRecon(t)
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	lock, err := importer.AcquireLock(ctx, db.Pool, importer.LockOptions{Command: "rollback"})
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Release(ctx)
	path := writeFile(t, t.TempDir(), "clientes.csv", clientsCSV)
	c, out := reconCmd(bin, db.URL, t.TempDir(), "import", "clients", "--file", path, "--wait")
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	defer c.Process.Kill()
	waitFor(t, "the child to block on the lock", func() bool { return waitingForLock(t, db.Pool) == 1 })
	if n := count(t, db.Pool, "SELECT count(*) FROM migration_migrationbatch"); n != 0 {
		t.Fatalf("the waiting import already created %d batches", n)
	}
	lock.Release(ctx)
	if err := c.Wait(); err != nil {
		t.Fatalf("import after release: %v\n%s", err, out)
	}
	if n := count(t, db.Pool, "SELECT count(*) FROM vet_clinic_ownerprofile"); n != 3 {
		t.Errorf("%d owners after the waiting import", n)
	}
}

func TestInterruptedBatchIsMarkedFailed(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	// What a killed process leaves: a batch row committed as running.
	stale := insertBatch(t, db.Pool, "clients", "running")
	var heard []int64
	im := newImporter(t, db.Pool, func(o *importer.Options) { o.OnInterrupted = func(ids []int64) { heard = ids } })
	mustImport(t, im, "clients", writeFile(t, t.TempDir(), "clientes.csv", clientsCSV))
	if len(heard) != 1 || heard[0] != stale {
		t.Errorf("interrupted batches reported: %v, want [%d]", heard, stale)
	}
	// With the lock free, a read-only command can recover them too.
	other := insertBatch(t, db.Pool, "pets", "running")
	if ids, err := importer.RecoverInterrupted(ctx, db.Pool); err != nil || len(ids) != 1 || ids[0] != other {
		t.Errorf("RecoverInterrupted = %v, %v; want [%d]", ids, err, other)
	}
	var status, msg string
	var finished *time.Time
	db.Pool.QueryRow(ctx, "SELECT status, notes, completed_at FROM migration_migrationbatch WHERE id = $1", stale).
		Scan(&status, &msg, &finished)
	if status != "failed" || msg != importer.InterruptedReason || finished == nil {
		t.Errorf("stale batch: %s %q %v", status, msg, finished)
	}
}

func TestRejectFileDefusesFormulas(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	im := newImporter(t, db.Pool, nil)
	sum := mustImport(t, im, "clients", writeFile(t, t.TempDir(), "clientes.csv",
		"id,nombre,email,celular\n=1+1,,x@example.com,3001234567\n"))
	b, err := os.ReadFile(sum.RejectFile)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), ",'=1+1,") || !strings.Contains(string(b), "'=1+1,,x@example.com") {
		t.Errorf("reject file cells start with a live formula:\n%s", b)
	}
}

// TestLockOfDeadProcessIsTakenOver plays a client host that rebooted: its
// session still holds the lock, but the process recorded as holder is gone.
func TestLockOfDeadProcessIsTakenOver(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	ghost, err := pgx.Connect(ctx, db.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer ghost.Close(ctx)
	host, _ := os.Hostname()
	ns, _ := os.Readlink("/proc/self/ns/pid")
	_, err = ghost.Exec(ctx, `SELECT pg_advisory_lock($1)`, importer.LockKey)
	if err == nil {
		_, err = ghost.Exec(ctx, `INSERT INTO migration_lockholder (id, backend_pid, client_pid, host, pid_ns, command, operator, batch_id,
			acquired_at, updated_at) VALUES (1, pg_backend_pid(), $1, $2, $3, 'import', '', 7, now(), now())`, dead.Process.Pid, host, ns)
	}
	if err != nil {
		t.Fatal(err)
	}
	lock, err := importer.AcquireLock(ctx, db.Pool, importer.LockOptions{Command: "import"})
	if err != nil {
		t.Fatalf("lock of a dead process not taken over: %v", err)
	}
	lock.Release(ctx)
}

// TestInterruptedBatchSaysWhy: a batch left running is labelled by what
// ended it. One whose database server started after it began (the server
// shut down under it: recon may have exited normally, unable to mark it)
// says so; one the same server saw end says its process died.
func TestInterruptedBatchSaysWhy(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	im := newImporter(t, db.Pool, nil)
	sum := mustImport(t, im, "clients", writeFile(t, t.TempDir(), "clientes.csv", clientsCSV))
	var recorded bool
	if err := db.Pool.QueryRow(ctx, `SELECT (options->>'server_started_at')::timestamptz = pg_postmaster_start_time()
		FROM migration_migrationbatch WHERE id = $1`, sum.BatchID).Scan(&recorded); err != nil || !recorded {
		t.Fatalf("the batch does not record the server's start time: %v", err)
	}
	tests := []struct {
		name    string
		options string // SQL for the batch's options
		want    string
	}{
		{"the server restarted since the batch began", `'{"server_started_at": "2000-01-01T00:00:00Z"}'::jsonb`, importer.InterruptedDBClosedReason},
		{"the same server saw the batch end", `jsonb_build_object('server_started_at', pg_postmaster_start_time())`, importer.InterruptedReason},
		{"a batch from before the start time was recorded", `'{}'::jsonb`, importer.InterruptedReason},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := insertBatch(t, db.Pool, "pets", "running")
			if _, err := db.Pool.Exec(ctx, `UPDATE migration_migrationbatch SET options = `+tt.options+` WHERE id = $1`, id); err != nil {
				t.Fatal(err)
			}
			if ids, err := importer.RecoverInterrupted(ctx, db.Pool); err != nil || len(ids) != 1 || ids[0] != id {
				t.Fatalf("RecoverInterrupted = %v, %v; want [%d]", ids, err, id)
			}
			var status, notes string
			if err := db.Pool.QueryRow(ctx, `SELECT status, notes FROM migration_migrationbatch WHERE id = $1`, id).Scan(&status, &notes); err != nil {
				t.Fatal(err)
			}
			if status != "failed" || notes != tt.want {
				t.Errorf("batch %d: %s %q, want failed %q", id, status, notes, tt.want)
			}
		})
	}
}
