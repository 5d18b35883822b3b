package importer_test

import (
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/petfriendly/recon/importer"
	"github.com/petfriendly/recon/internal/pgtest"
)

// rollbackScenario is four completed batches, each depending on the one
// before: clients (A), pets with a placeholder owner (B), a document (C)
// and clients again, updating C1 and creating C10 (D). Rolling A back with
// --cascade walks every step of a rollback: restores (D), deletes of every
// kind (documents, pets, owners, users), mappings, issues, the placeholder
// owner and the batches' statuses.
type rollbackScenario struct {
	pool       *pgxpool.Pool
	media      string
	a, b, c, d importer.Summary
}

func newRollbackScenario(t *testing.T) rollbackScenario {
	t.Helper()
	db := pgtest.MustOpenDB(t)
	dir := t.TempDir()
	media := t.TempDir()
	im := newImporter(t, db.Pool, func(o *importer.Options) {
		o.Orphans = importer.OrphansPlaceholder
		o.MediaDir = media
	})
	s := rollbackScenario{pool: db.Pool, media: media}
	s.a = mustImport(t, im, "clients", writeFile(t, dir, "clientes.csv", clientsCSV))
	s.b = mustImport(t, im, "pets", writeFile(t, dir, "mascotas.csv", petsCSV))
	writeFile(t, dir, "adjuntos/a.pdf", "%PDF-1.4 rollback fault")
	s.c = mustImport(t, im, "documents", writeFile(t, dir, "documentos.csv",
		"id,id_paciente,id_cliente,archivo,tipo,descripcion,fecha\nD1,P1,C1,adjuntos/a.pdf,pdf,uno,2023-01-01\n"))
	changed := strings.NewReplacer("Bogotá,", "Tunja,").Replace(clientsCSV) +
		"C10,Nuevo Cliente,CC,123,,3157778899,nuevo@example.com,,,,,\n"
	s.d = mustImport(t, im, "clients", writeFile(t, t.TempDir(), "clientes.csv", changed))
	if s.c.Imported != 1 || s.d.Updated != 1 || s.d.Imported != 1 {
		t.Fatalf("scenario: documents %+v, second clients %+v", s.c, s.d)
	}
	// Batch A was run by C10's user (created by D), who also resolved one
	// of A's issues: deleting that user must unlink both.
	ctx := context.Background()
	if _, err := s.pool.Exec(ctx, `UPDATE migration_migrationbatch SET created_by_id =
			(SELECT u.id FROM accounts_user u WHERE u.email = 'nuevo@example.com') WHERE id = $1`, s.a.BatchID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.pool.Exec(ctx, `UPDATE migration_dataqualityissue SET resolved_by_id =
			(SELECT u.id FROM accounts_user u WHERE u.email = 'nuevo@example.com')
			WHERE id = (SELECT min(id) FROM migration_dataqualityissue WHERE batch_id = $1)`, s.a.BatchID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.pool.Exec(ctx, `CREATE FUNCTION recon_test_fail() RETURNS trigger AS $$
		BEGIN RAISE EXCEPTION 'injected by %', TG_NAME; END $$ LANGUAGE plpgsql`); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s rollbackScenario) batches() []int64 {
	return []int64{s.a.BatchID, s.b.BatchID, s.c.BatchID, s.d.BatchID}
}

// TestRollbackFailureAtEveryStepChangesNothing makes one step of a
// cascading rollback fail at a time, with a trigger in the database (the
// way an application's trigger, a permission or a full disk would): the
// rollback returns an error naming the step and wrapping the database's
// message, and the transaction leaves every table and every batch as they
// were. With no trigger the same rollback succeeds and did every step.
func TestRollbackFailureAtEveryStepChangesNothing(t *testing.T) {
	s := newRollbackScenario(t)
	ctx := context.Background()
	before := destinationCounts(t, s.pool)
	tests := []struct {
		name    string
		trigger string // the rest of CREATE TRIGGER name ...
		sql     string // instead of a trigger: setup run before, undone by cleanup
		cleanup string
		wantErr []string
	}{
		{name: "restore an updated row",
			trigger: "BEFORE UPDATE ON vet_clinic_ownerprofile FOR EACH ROW",
			wantErr: []string{"restore vet_clinic_ownerprofile"}},
		{name: "delete a document",
			trigger: "BEFORE DELETE ON documents_document FOR EACH ROW",
			wantErr: []string{"delete documents_document"}},
		{name: "delete a pet",
			trigger: "BEFORE DELETE ON pets_pet FOR EACH ROW",
			wantErr: []string{"delete pets_pet"}},
		{name: "delete a created user",
			trigger: "BEFORE DELETE ON accounts_user FOR EACH ROW WHEN (OLD.email = 'nuevo@example.com')",
			wantErr: []string{"delete accounts_user"}},
		{name: "unlink batches from deleted users",
			trigger: "BEFORE UPDATE ON migration_migrationbatch FOR EACH ROW WHEN (OLD.created_by_id IS NOT NULL AND NEW.created_by_id IS NULL)",
			wantErr: []string{"unlink batches from deleted users"}},
		{name: "unlink issues from deleted users",
			trigger: "BEFORE UPDATE ON migration_dataqualityissue FOR EACH ROW WHEN (OLD.resolved_by_id IS NOT NULL AND NEW.resolved_by_id IS NULL)",
			wantErr: []string{"unlink issues from deleted users"}},
		{name: "delete mappings",
			trigger: "BEFORE DELETE ON migration_externalidmapping FOR EACH ROW",
			wantErr: []string{"delete mappings"}},
		{name: "hand over issues",
			trigger: "BEFORE DELETE ON migration_issuebatch FOR EACH STATEMENT",
			wantErr: []string{"hand over issues"}},
		{name: "close open issues",
			trigger: "BEFORE UPDATE ON migration_dataqualityissue FOR EACH ROW WHEN (NEW.resolved AND NOT OLD.resolved)",
			wantErr: []string{"close the batch's open issues"}},
		{name: "mark rolled back",
			trigger: "BEFORE UPDATE ON migration_migrationbatch FOR EACH ROW WHEN (NEW.status = 'rolled_back')",
			wantErr: []string{"mark rolled back"}},
		{name: "remove the placeholder owner",
			trigger: "BEFORE DELETE ON vet_clinic_ownerprofile FOR EACH ROW WHEN (OLD.is_placeholder)",
			wantErr: []string{"remove placeholder owner:"}},
		{name: "remove the placeholder owner's user",
			trigger: "BEFORE DELETE ON accounts_user FOR EACH ROW WHEN (OLD.email LIKE 'propietario.desconocido@%')",
			wantErr: []string{"remove placeholder owner's user"}},
		{name: "a trigger deleting rows no batch created",
			// Deleting a document, the application also deletes a pet:
			// pets_pet would lose one row more than the batches created.
			sql: `CREATE FUNCTION recon_test_sweep() RETURNS trigger AS $$
				BEGIN DELETE FROM pets_pet WHERE id = (SELECT max(id) FROM pets_pet); RETURN NULL; END $$ LANGUAGE plpgsql;
				CREATE TRIGGER sweep AFTER DELETE ON documents_document FOR EACH STATEMENT EXECUTE FUNCTION recon_test_sweep()`,
			cleanup: `DROP TRIGGER sweep ON documents_document; DROP FUNCTION recon_test_sweep()`,
			wantErr: []string{"pets_pet would lose", "nothing was changed"}},
		{name: "application rows by a composite foreign key",
			// Single-column foreign keys are checked up front; this one
			// only at the end, when the constraints are checked.
			sql: `ALTER TABLE pets_pet ADD CONSTRAINT pet_owner_key UNIQUE (id, owner_id);
				CREATE TABLE app_visit (pet_id bigint, owner_id bigint,
					FOREIGN KEY (pet_id, owner_id) REFERENCES pets_pet (id, owner_id) DEFERRABLE INITIALLY DEFERRED);
				INSERT INTO app_visit SELECT id, owner_id FROM pets_pet ORDER BY id LIMIT 1`,
			cleanup: `DROP TABLE app_visit; ALTER TABLE pets_pet DROP CONSTRAINT pet_owner_key`,
			wantErr: []string{"rows still reference the rows it would delete"}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			setup, cleanup := tt.sql, tt.cleanup
			if tt.trigger != "" {
				name := "fail_" + string(rune('a'+i))
				table := strings.Fields(strings.SplitN(tt.trigger, " ON ", 2)[1])[0]
				setup = "CREATE TRIGGER " + name + " " + tt.trigger + " EXECUTE FUNCTION recon_test_fail()"
				cleanup = "DROP TRIGGER " + name + " ON " + table
				tt.wantErr = append(tt.wantErr, "injected by "+name)
			}
			if _, err := s.pool.Exec(ctx, setup); err != nil {
				t.Fatal(err)
			}
			defer func() {
				if _, err := s.pool.Exec(ctx, cleanup); err != nil {
					t.Fatal(err)
				}
			}()
			_, err := importer.Rollback(ctx, s.pool, s.a.BatchID, importer.RollbackOptions{Cascade: true, MediaDir: s.media})
			if err == nil {
				t.Fatal("rollback succeeded")
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			sameCounts(t, "after the failed rollback", destinationCounts(t, s.pool), before)
			for _, id := range s.batches() {
				if st := batchStatus(t, s.pool, id); st != "completed" {
					t.Errorf("batch %d is %s after the failed rollback", id, st)
				}
			}
		})
	}

	res := rollback(t, s.pool, s.a.BatchID, func(o *importer.RollbackOptions) { o.Cascade, o.MediaDir = true, s.media })
	if len(res.Batches) != 4 || res.PlaceholderOwners != 1 || len(res.MediaRemoved) != 1 ||
		tableChange(res, s.d.BatchID, "vet_clinic_ownerprofile").Restored != 1 ||
		tableChange(res, s.c.BatchID, "documents_document").Deleted != 1 {
		t.Errorf("rollback without faults: %+v", res)
	}
	for table, n := range destinationCounts(t, s.pool) {
		if n != 0 {
			t.Errorf("%s keeps %d rows", table, n)
		}
	}
	if n := count(t, s.pool, "SELECT count(*) FROM migration_migrationbatch WHERE created_by_id IS NOT NULL"); n != 0 {
		t.Errorf("%d batches still point at deleted users", n)
	}
}

// TestRollbackMediaWarnings: after the commit, a media file that cannot be
// removed is a warning, never a failure (the database is already right);
// each reason is named.
func TestRollbackMediaWarnings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		file     string // documents_document.file after the import ("" keeps it)
		mediaDir func(t *testing.T, media string) string
		prepare  func(t *testing.T, media, file string)
		wantWarn string // "" : removed
	}{
		{name: "removed", wantWarn: ""},
		{name: "no media folder", mediaDir: func(*testing.T, string) string { return "" },
			wantWarn: "no media folder given"},
		{name: "path outside the media folder", file: "../fuera.pdf",
			wantWarn: "not a path inside the media folder"},
		{name: "already gone is no warning",
			prepare: func(t *testing.T, media, file string) {
				if err := os.Remove(filepath.Join(media, filepath.FromSlash(file))); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "cannot be removed",
			// A non-empty folder where the file was: os.Remove fails.
			prepare: func(t *testing.T, media, file string) {
				p := filepath.Join(media, filepath.FromSlash(file))
				if err := os.Remove(p); err != nil {
					t.Fatal(err)
				}
				writeFile(t, p, "inside", "x")
			},
			wantWarn: "directory not empty"},
	}
	db := pgtest.MustOpenDB(t)
	dir := t.TempDir()
	media := t.TempDir()
	im := newImporter(t, db.Pool, func(o *importer.Options) { o.MediaDir = media })
	mustImport(t, im, "clients", writeFile(t, dir, "clientes.csv", clientsCSV))
	mustImport(t, im, "pets", writeFile(t, dir, "mascotas.csv", petsCSV))
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Each case imports its own document, with content of its own,
			// and rolls that batch back.
			writeFile(t, dir, "adjuntos/a.pdf", "%PDF-1.4 "+tt.name)
			docs := mustImport(t, im, "documents", writeFile(t, dir, "documentos.csv",
				"id,id_paciente,id_cliente,archivo,tipo,descripcion,fecha\nD"+strconv.Itoa(i)+",P1,C1,adjuntos/a.pdf,pdf,uno,2023-01-01\n"))
			if docs.Imported != 1 {
				t.Fatalf("documents %+v", docs)
			}
			ctx := context.Background()
			var file string
			if err := db.Pool.QueryRow(ctx, "SELECT file FROM documents_document").Scan(&file); err != nil {
				t.Fatal(err)
			}
			if tt.file != "" {
				if _, err := db.Pool.Exec(ctx, "UPDATE documents_document SET file = $1", tt.file); err != nil {
					t.Fatal(err)
				}
				file = tt.file
			}
			if tt.prepare != nil {
				tt.prepare(t, media, file)
			}
			mediaDir := media
			if tt.mediaDir != nil {
				mediaDir = tt.mediaDir(t, media)
			}
			res, err := importer.Rollback(ctx, db.Pool, docs.BatchID, importer.RollbackOptions{MediaDir: mediaDir})
			if err != nil {
				t.Fatal(err)
			}
			if s := batchStatus(t, db.Pool, docs.BatchID); s != "rolled_back" {
				t.Errorf("batch %s", s)
			}
			switch {
			case tt.wantWarn == "" && tt.prepare == nil:
				if len(res.MediaRemoved) != 1 || res.MediaRemoved[0] != file || len(res.MediaWarnings) != 0 {
					t.Errorf("removed %v, warnings %v; want %s removed", res.MediaRemoved, res.MediaWarnings, file)
				}
			case tt.wantWarn == "":
				if len(res.MediaRemoved) != 0 || len(res.MediaWarnings) != 0 {
					t.Errorf("removed %v, warnings %v; want neither", res.MediaRemoved, res.MediaWarnings)
				}
			default:
				if len(res.MediaRemoved) != 0 || len(res.MediaWarnings) != 1 ||
					!strings.HasPrefix(res.MediaWarnings[0], file+": ") || !strings.Contains(res.MediaWarnings[0], tt.wantWarn) {
					t.Errorf("removed %v, warnings %v; want one warning about %s: %s", res.MediaRemoved, res.MediaWarnings, file, tt.wantWarn)
				}
			}
		})
	}
}

// tracedPool is a second pool on pool's database whose statements pass
// through tracer.
func tracedPool(t *testing.T, pool *pgxpool.Pool, tracer pgx.QueryTracer) *pgxpool.Pool {
	t.Helper()
	cfg := pool.Config()
	cfg.ConnConfig.Tracer = tracer
	p, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

// TestRollbackCancelledAtEveryStatement cancels a cascading rollback at
// each of its statements in turn (lock, reads, checks, writes, commit):
// every cancellation comes back as an error wrapping context.Canceled, the
// database is as it was, and the lock is free again for the next command.
// The run after the last statement completes the rollback.
func TestRollbackCancelledAtEveryStatement(t *testing.T) {
	s := newRollbackScenario(t)
	ctx := context.Background()
	before := destinationCounts(t, s.pool)
	tracer := &pgtest.CancelNth{}
	pool := tracedPool(t, s.pool, tracer)
	for n := int64(1); ; n++ {
		tracer.N.Store(n)
		tracer.Count.Store(0)
		res, err := importer.Rollback(ctx, pool, s.a.BatchID, importer.RollbackOptions{Cascade: true, MediaDir: s.media})
		if err == nil {
			// Nothing was cancelled, or only the release of the lock after
			// the commit, which the server does anyway as the session ends:
			// the rollback ran to the end.
			if len(res.Batches) != 4 {
				t.Fatalf("statement %d of %d cancelled: rollback %+v, want 4 batches rolled back", n, tracer.Count.Load(), res)
			}
			if n < 30 {
				t.Errorf("a cascading rollback sent only %d statements", n-1)
			}
			lock, err := lockFreedSoon(s.pool)
			if err != nil {
				t.Fatalf("after the rollback the lock stays taken: %v", err)
			}
			lock.Release(ctx)
			break
		}
		if !errors.Is(err, context.Canceled) {
			t.Errorf("statement %d cancelled: err = %v, want context.Canceled", n, err)
			continue
		}
		if got := destinationCounts(t, s.pool); !maps.Equal(got, before) {
			t.Fatalf("statement %d cancelled: counts %v, want %v", n, got, before)
		}
		for _, id := range s.batches() {
			if st := batchStatus(t, s.pool, id); st != "completed" {
				t.Fatalf("statement %d cancelled: batch %d is %s", n, id, st)
			}
		}
		lock, err := lockFreedSoon(s.pool)
		if err != nil {
			t.Fatalf("statement %d cancelled: the lock stays taken: %v", n, err)
		}
		lock.Release(ctx)
	}
}

// lockFreedSoon takes the lock as a command with --wait does, giving up
// after a minute. When the cancelled statement is the lock's own release,
// recon closes that connection and the server frees the lock as the
// session ends, which on a loaded machine takes a moment: a command that
// does not wait could find it taken for that moment, a waiting one gets it.
func lockFreedSoon(pool *pgxpool.Pool) (*importer.Lock, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return importer.AcquireLock(ctx, pool, importer.LockOptions{Command: "test", Wait: true})
}
