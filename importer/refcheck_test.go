package importer_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/petfriendly/recon/internal/pgtest"
)

// parentRemover deletes one owner from another session right after the
// first COPY of pets has written rows naming it, so the batch holds a
// dangling reference its own reference index could not foresee. It also
// records every statement, to tell which way references were checked.
type parentRemover struct {
	admin *pgxpool.Pool
	owner int64
	mu    sync.Mutex
	done  bool
	err   error
	sql   []string
}

func (p *parentRemover) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	p.mu.Lock()
	p.sql = append(p.sql, d.SQL)
	p.mu.Unlock()
	return ctx
}

func (p *parentRemover) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (p *parentRemover) TraceCopyFromStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceCopyFromStartData) context.Context {
	return ctx
}

func (p *parentRemover) TraceCopyFromEnd(ctx context.Context, _ *pgx.Conn, d pgx.TraceCopyFromEndData) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done || d.Err != nil || d.CommandTag.RowsAffected() == 0 {
		return
	}
	// The tracer is told the table only at the start; pets are the only
	// destination rows of this batch, and the owner goes after the first
	// chunk of any table, which holds P1 (owner C1) at the latest.
	p.done = true
	_, p.err = p.admin.Exec(context.Background(), `DELETE FROM vet_clinic_ownerprofile WHERE id = $1`, p.owner)
}

func (p *parentRemover) used(s string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, q := range p.sql {
		if strings.Contains(q, s) {
			return true
		}
	}
	return false
}

// TestDanglingReferenceFailsTheBatch plants a reference to a deleted owner
// in a pets batch, once as the test cluster's superuser (references checked
// by one anti-join per foreign key, triggers off) and once as a role that
// may not turn the triggers off (one trigger per row, as before). Both
// fail the batch with the server's own foreign-key error, the same text,
// and commit nothing.
func TestDanglingReferenceFailsTheBatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		superuser bool
	}{
		{"superuser: one anti-join per foreign key", true},
		{"ordinary role: a trigger per row", false},
	}
	msgs := make([]string, len(tests))
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := pgtest.MustOpenDB(t)
			ctx := context.Background()
			dir := t.TempDir()
			mustImport(t, newImporter(t, db.Pool, nil), "clients", writeFile(t, dir, "clientes.csv", clientsCSV))
			var owner int64
			if err := db.Pool.QueryRow(ctx, `SELECT target_id FROM migration_externalidmapping
				WHERE source_type = 'client' AND source_id = 'C1'`).Scan(&owner); err != nil {
				t.Fatal(err)
			}
			pool := db.Pool
			if !tt.superuser {
				pool = ordinaryRolePool(t, db)
			}
			rm := &parentRemover{admin: db.Pool, owner: owner}
			im := newImporter(t, tracedPool(t, pool, rm), nil)
			_, err := im.ImportFile(ctx, "pets", writeFile(t, dir, "mascotas.csv", petsCSV))
			if rm.err != nil {
				t.Fatalf("delete the owner: %v", rm.err)
			}
			if !rm.done {
				t.Fatal("no COPY ran: the owner was never deleted")
			}
			if bulk := rm.used("session_replication_role = replica"); bulk != tt.superuser {
				t.Fatalf("triggers turned off: %v, want %v", bulk, tt.superuser)
			}
			var pe *pgconn.PgError
			if !errors.As(err, &pe) || pe.Code != "23503" || !strings.Contains(err.Error(), "(mascotas.csv): check references of the rows written: ERROR: ") {
				t.Fatalf("import error %v, want a foreign-key violation (23503) from the reference check", err)
			}
			if pe.TableName != "pets_pet" || !strings.Contains(pe.Detail, "is not present in table \"vet_clinic_ownerprofile\"") {
				t.Fatalf("violation on %s (%s), want pets_pet naming the owner table", pe.TableName, pe.Detail)
			}
			msgs[i] = err.Error() + " | " + pe.Detail
			var pets, records, mappings, completed int
			if err := db.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM pets_pet),
				(SELECT count(*) FROM migration_migrationrecord WHERE source_type = 'pet'),
				(SELECT count(*) FROM migration_externalidmapping WHERE source_type = 'pet'),
				(SELECT count(*) FROM migration_migrationbatch WHERE batch_type = 'pets' AND status = 'completed')`).Scan(
				&pets, &records, &mappings, &completed); err != nil {
				t.Fatal(err)
			}
			if pets != 0 || records != 0 || mappings != 0 || completed != 0 {
				t.Fatalf("committed after the violation: %d pets, %d records, %d mappings, %d completed batches", pets, records, mappings, completed)
			}
		})
	}
	if msgs[0] != "" && msgs[0] != msgs[1] {
		t.Fatalf("the two paths fail differently:\n%s\n%s", msgs[0], msgs[1])
	}
}

// ordinaryRolePool reaches db as a new login role with every privilege on
// the tables but no superuser rights, so it may not set
// session_replication_role.
func ordinaryRolePool(t *testing.T, db *pgtest.DB) *pgxpool.Pool {
	t.Helper()
	ctx := context.Background()
	role := "plain_" + db.Name
	id := pgx.Identifier{role}.Sanitize()
	for _, q := range []string{"CREATE ROLE " + id + " LOGIN NOSUPERUSER",
		"GRANT ALL ON ALL TABLES IN SCHEMA public TO " + id, "GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO " + id,
		"GRANT USAGE ON SCHEMA public TO " + id} {
		if _, err := db.Pool.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	u, err := url.Parse(db.URL)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.User(role)
	pool, err := pgxpool.New(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		pool.Close()
		db.Pool.Exec(context.Background(), "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1", role)
		for _, q := range []string{"DROP OWNED BY " + id, "DROP ROLE IF EXISTS " + id} {
			if _, err := db.Pool.Exec(context.Background(), q); err != nil {
				t.Errorf("%s: %v", q, err)
			}
		}
	})
	return pool
}
