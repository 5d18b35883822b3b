package importer_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/petfriendly/recon/importer"
	"github.com/petfriendly/recon/internal/gen"
	"github.com/petfriendly/recon/internal/pgtest"
)

// reconBinary builds cmd/recon once per test binary, for tests that need
// real processes (to kill them, or to hold a lock in another process).
var reconBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "recon-bin-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "recon")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/petfriendly/recon/cmd/recon").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

func buildRecon(t *testing.T) string {
	t.Helper()
	bin, err := reconBinary()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// reconCmd prepares a recon child process against one test database.
func reconCmd(bin, url, home string, args ...string) (*exec.Cmd, *bytes.Buffer) {
	cmd := exec.Command(bin, append([]string{"--database-url", url, "--home", home, "--no-progress"}, args...)...)
	cmd.Env = append(os.Environ(), "RECON_LANG=es")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	return cmd, &out
}

// runRecon runs recon to completion and returns its exit code and output.
func runRecon(t *testing.T, bin, url, home string, args ...string) (int, string) {
	t.Helper()
	cmd, out := reconCmd(bin, url, home, args...)
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("run recon: %v", err)
	}
	return cmd.ProcessState.ExitCode(), out.String()
}

func generateExport(t *testing.T, seed uint64) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "export")
	if _, err := gen.Generate(context.Background(), gen.Options{Out: dir, Scale: 1, Seed: seed, Variant: "utf8"}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// destinationChecksum fingerprints every destination table with database
// ids replaced by external ids, so two databases that imported the same
// export compare equal whatever ids their sequences handed out. Columns that
// hold the time of the import are left out.
func destinationChecksum(t *testing.T, pool *pgxpool.Pool) map[string]string {
	t.Helper()
	ctx := context.Background()
	refs := map[string]string{"owner_id": "vet_clinic_ownerprofile", "pet_id": "pets_pet", "invoice_id": "billing_invoice",
		"product_id": "inventory_product", "user_id": "accounts_user"}
	skip := map[string]bool{"id": true, "created_at": true, "updated_at": true, "uploaded_at": true, "date_joined": true}
	ext := func(model, expr string) string {
		if model == "accounts_user" { // users are known through their owner profile
			return fmt.Sprintf(`COALESCE((SELECT m.source_id FROM vet_clinic_ownerprofile p JOIN migration_externalidmapping m
				ON m.target_model = 'vet_clinic_ownerprofile' AND m.target_id = p.id AND NOT m.is_merged WHERE p.user_id = %s), '?')`, expr)
		}
		return fmt.Sprintf(`COALESCE((SELECT m.source_id FROM migration_externalidmapping m
			WHERE m.target_model = '%s' AND m.target_id = %s AND NOT m.is_merged), '?')`, model, expr)
	}
	out := map[string]string{}
	for _, table := range []string{"accounts_user", "vet_clinic_ownerprofile", "pets_pet", "medical_medicalrecord",
		"medical_vaccinationrecord", "appointments_appointment", "inventory_product", "billing_invoice", "billing_invoiceitem",
		"documents_document"} {
		rows, err := pool.Query(ctx, `SELECT column_name FROM information_schema.columns
			WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`, table)
		if err != nil {
			t.Fatal(err)
		}
		cols, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		parts := []string{ext(table, "d.id")}
		for _, c := range cols {
			switch {
			case skip[c]:
			case refs[c] != "":
				parts = append(parts, ext(refs[c], "d."+c))
			default:
				parts = append(parts, fmt.Sprintf("COALESCE(d.%s::text, '∅')", c))
			}
		}
		var n int
		var sum string
		err = pool.QueryRow(ctx, fmt.Sprintf(`SELECT count(*), md5(COALESCE(string_agg(x, E'\n' ORDER BY x), ''))
			FROM (SELECT concat_ws('|', %s) AS x FROM %s d) s`, strings.Join(parts, ", "), table)).Scan(&n, &sum)
		if err != nil {
			t.Fatalf("checksum %s: %v", table, err)
		}
		out[table] = fmt.Sprintf("%d rows %s", n, sum)
	}
	var n int
	var sum string
	err := pool.QueryRow(ctx, `SELECT count(*), md5(COALESCE(string_agg(x, ',' ORDER BY x), '')) FROM (
		SELECT m.source_type || ':' || m.source_id || '->' || COALESCE((SELECT s.source_id FROM migration_externalidmapping s
			WHERE s.target_model = m.target_model AND s.target_id = m.target_id AND NOT s.is_merged), '?') || ':' || m.is_merged AS x
		FROM migration_externalidmapping m) s`).Scan(&n, &sum)
	if err != nil {
		t.Fatal(err)
	}
	out["migration_externalidmapping"] = fmt.Sprintf("%d rows %s", n, sum)
	return out
}

// checkAllOrNothing asserts that the destination holds exactly the rows of
// completed batches: no tracking rows of unfinished batches, every
// destination row mapped, every imported record's row present.
func checkAllOrNothing(t *testing.T, pool *pgxpool.Pool, when string) {
	t.Helper()
	checkAllOrNothingSince(t, pool, when, 0)
}

// checkAllOrNothingSince checks the records of batches after since only,
// since earlier ones were checked already and records pile up with re-runs.
func checkAllOrNothingSince(t *testing.T, pool *pgxpool.Pool, when string, since int64) {
	t.Helper()
	checks := map[string]string{
		"mappings of unfinished batches": `SELECT count(*) FROM migration_externalidmapping m
			JOIN migration_migrationbatch b ON b.id = m.batch_id WHERE b.status <> 'completed'`,
		"records of unfinished batches": `SELECT count(*) FROM migration_migrationrecord r WHERE r.batch_id IN
			(SELECT id FROM migration_migrationbatch WHERE status IN ('running', 'failed'))`,
		"owners without a user": `SELECT count(*) FROM accounts_user u WHERE NOT EXISTS
			(SELECT 1 FROM vet_clinic_ownerprofile p WHERE p.user_id = u.id)`,
	}
	for _, table := range []string{"vet_clinic_ownerprofile", "pets_pet", "medical_medicalrecord", "medical_vaccinationrecord",
		"appointments_appointment", "inventory_product", "billing_invoice", "billing_invoiceitem", "documents_document"} {
		checks[table+" rows without a mapping"] = fmt.Sprintf(`SELECT count(*) FROM %s d WHERE NOT EXISTS
			(SELECT 1 FROM migration_externalidmapping m WHERE m.target_model = '%s' AND m.target_id = d.id)`, table, table) +
			map[bool]string{true: " AND NOT d.is_placeholder", false: ""}[table == "vet_clinic_ownerprofile"]
		checks[table+" imported records without their row"] = fmt.Sprintf(`SELECT count(*) FROM migration_migrationrecord r
			JOIN migration_migrationbatch b ON b.id = r.batch_id
			WHERE r.target_model = '%s' AND r.status = 'imported' AND b.status = 'completed' AND NOT b.is_dry_run
			  AND r.batch_id > $1 AND NOT EXISTS (SELECT 1 FROM %s d WHERE d.id = r.target_id)`, table, table)
	}
	for what, q := range checks {
		var args []any
		if strings.Contains(q, "$1") {
			args = []any{since}
		}
		if n := count(t, pool, q, args...); n != 0 {
			t.Errorf("%s: %d %s", when, n, what)
		}
	}
}

// TestKillAtAnyMomentThenResume kills `recon import all` with SIGKILL at
// random moments, re-running it on the same database each time, and proves
// that every kill left whole batches or nothing, that the final run reaches
// exactly the destination of a clean run, and that no batch stays running.
func TestKillAtAnyMomentThenResume(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("kills child processes; skipped with -short")
	}
	bin := buildRecon(t)
	export := generateExport(t, 3)

	clean := pgtest.MustOpenDB(t)
	began := time.Now()
	if code, out := runRecon(t, bin, clean.URL, t.TempDir(), "import", "all", "--dir", export); code != 0 {
		t.Fatalf("clean run: exit %d\n%s", code, out)
	}
	full := time.Since(began)
	want := destinationChecksum(t, clean.Pool)

	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("RECON_CRASH_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("clean run %v; kill moments from seed %d (RECON_CRASH_SEED=%d replays them)", full.Round(time.Millisecond), seed, seed)
	rng := rand.New(rand.NewPCG(seed, 0x6b696c6c))

	db := pgtest.MustOpenDB(t)
	home := t.TempDir()
	const wantKills = 20
	var moments []string
	var checked int64 // records of batches up to this one are checked
	for attempt := 0; len(moments) < wantKills; attempt++ {
		if attempt >= 3*wantKills {
			t.Fatalf("only %d kills landed in %d attempts", len(moments), attempt)
		}
		delay := time.Duration(rng.Int64N(int64(full)))
		cmd, out := reconCmd(bin, db.URL, home, "import", "all", "--dir", export)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		timer := time.AfterFunc(delay, func() { cmd.Process.Signal(syscall.SIGKILL) })
		err := cmd.Wait()
		timer.Stop()
		ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
		if !ws.Signaled() {
			// It finished first: a completed run, fine, but not a kill.
			if err != nil {
				t.Fatalf("run ended with %v before its kill\n%s", err, out)
			}
			continue
		}
		moments = append(moments, delay.Round(time.Millisecond).String())
		checkAllOrNothingSince(t, db.Pool, fmt.Sprintf("after kill %d at %v", len(moments), delay), checked)
		db.Pool.QueryRow(context.Background(), "SELECT COALESCE(max(id), 0) FROM migration_migrationbatch").Scan(&checked)
	}
	t.Logf("killed at %s", strings.Join(moments, ", "))

	if code, out := runRecon(t, bin, db.URL, home, "import", "all", "--dir", export); code != 0 {
		t.Fatalf("final run: exit %d\n%s", code, out)
	}
	checkAllOrNothing(t, db.Pool, "after the final run")
	got := destinationChecksum(t, db.Pool)
	for table, w := range want {
		if got[table] != w {
			t.Errorf("%s: %s after kills, %s after a clean run", table, got[table], w)
		}
	}
	if n := count(t, db.Pool, "SELECT count(*) FROM migration_migrationbatch WHERE status = 'running'"); n != 0 {
		t.Errorf("%d batches still running", n)
	}
	t.Logf("%d batches marked %q", count(t, db.Pool, "SELECT count(*) FROM migration_migrationbatch WHERE notes = $1",
		importer.InterruptedReason), importer.InterruptedReason)
}
