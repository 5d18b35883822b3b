package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/petfriendly/recon/importer"
	"github.com/petfriendly/recon/internal/pgtest"
)

const rollbackClients = "id,nombre,email,celular\nC1,José Pérez,jose@example.com,3001234567\nC2,María Muñoz,maria@example.com,3109998877\n"

// A pet of a client not in the export: with --orphans=placeholder it gets
// the placeholder owner.
const rollbackPets = "id,id_cliente,nombre,especie\nP1,C1,Luna,Canino\nP2,C404,Rocky,Canino\n"

// TestRollbackCommandMessages covers what `recon rollback` tells the
// operator, in both languages, for every outcome other than the plain
// rollback: a failed or unknown batch, rows the application created on
// top, a busy lock, a batch a dead process left running, the placeholder
// owner and the attachments it removed or could not remove.
func TestRollbackCommandMessages(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	dir := t.TempDir()
	home := t.TempDir()
	media := filepath.Join(t.TempDir(), "media")
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	base := []string{"--database-url", db.URL, "--home", home, "--no-progress"}
	args := func(a ...string) []string { return append(append([]string{}, base...), a...) }
	mustRun := func(a ...string) {
		t.Helper()
		if code, out, errs := run(t, args(a...)...); code != 0 {
			t.Fatalf("%v: exit %d\n%s%s", a, code, out, errs)
		}
	}
	batchOf := func(typ string) int64 {
		t.Helper()
		var id int64
		if err := db.Pool.QueryRow(ctx, `SELECT max(id) FROM migration_migrationbatch WHERE batch_type = $1 AND status = 'completed'`,
			typ).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	mustRun("import", "clients", "--file", write("clientes.csv", rollbackClients))
	mustRun("import", "pets", "--orphans", "placeholder", "--file", write("mascotas.csv", rollbackPets))
	write("adjuntos/a.pdf", "%PDF-1.4 a")
	write("adjuntos/b.pdf", "%PDF-1.4 b")
	mustRun("import", "documents", "--media-dir", media, "--file",
		write("documentos.csv", "id,id_paciente,id_cliente,archivo,tipo,descripcion,fecha\nD1,P1,C1,adjuntos/a.pdf,pdf,uno,2023-01-01\n"))
	docs1 := batchOf("documents")
	mustRun("import", "documents", "--media-dir", media, "--file",
		write("documentos.csv", "id,id_paciente,id_cliente,archivo,tipo,descripcion,fecha\nD2,P1,C1,adjuntos/b.pdf,pdf,dos,2023-01-01\n"))
	docs2 := batchOf("documents")
	clients, pets := batchOf("clients"), batchOf("pets")
	// The second document's file is recorded outside the media folder: it
	// cannot be removed, only warned about.
	if _, err := db.Pool.Exec(ctx, `UPDATE documents_document SET file = '../fuera.pdf' WHERE external_id = 'D2'`); err != nil {
		t.Fatal(err)
	}
	failed := insertFailedBatch(t, db, "running")

	id := func(n int64) string { return fmt.Sprint(n) }
	tests := []struct {
		name     string
		setup    func(t *testing.T) func()
		args     []string
		wantCode int
		wantOut  []string
		wantErr  []string
	}{
		{name: "batch a dead process left running is marked failed and named",
			args: []string{"rollback", "--batch-id", id(docs2), "--media-dir", media}, wantCode: 0,
			wantOut: []string{"documents_document", "Lotes revertidos: " + id(docs2) + "."},
			wantErr: []string{"Lotes que quedaron en curso (su proceso terminó o la base de datos se cerró; «recon batches» dice cuál), marcados como fallidos: [" + id(failed) + "]",
				"aviso: adjunto no eliminado: ../fuera.pdf"}},
		{name: "attachment removed, in English",
			args:     []string{"--lang", "en", "rollback", "--batch-id", id(docs1), "--media-dir", media},
			wantCode: 0,
			wantOut:  []string{"Attachments no document uses any more, removed from the store: 1", "Batches rolled back: " + id(docs1) + "."}},
		{name: "failed batch",
			args: []string{"rollback", "--batch-id", id(failed)}, wantCode: ExitProblems,
			wantErr: []string{"el lote " + id(failed) + " no se completó (falló)"}},
		{name: "failed batch in English",
			args: []string{"--lang", "en", "rollback", "--batch-id", id(failed)}, wantCode: ExitProblems,
			wantErr: []string{"batch " + id(failed) + " did not complete (it failed)"}},
		{name: "unknown batch in English",
			args: []string{"--lang", "en", "rollback", "--batch-id", "999"}, wantCode: ExitError,
			wantErr: []string{"batch 999 does not exist"}},
		{name: "lock held by an import",
			setup: holdLock(ctx, db, "import"),
			args:  []string{"rollback", "--batch-id", id(pets)}, wantCode: ExitError,
			wantErr: []string{"otra importación, reversión o verificación está en curso", "importación", "--wait"}},
		{name: "lock held by a verification, in English",
			setup: holdLock(ctx, db, "verify"),
			args:  []string{"--lang", "en", "rollback", "--batch-id", id(pets)}, wantCode: ExitError,
			wantErr: []string{"another import, rollback or verification is running", "unknown batch", "verification since"}},
		{name: "application data on top",
			setup: applicationPet(ctx, db),
			args:  []string{"rollback", "--batch-id", id(clients), "--cascade"}, wantCode: ExitProblems,
			wantErr: []string{"no se puede revertir el lote " + id(clients), "datos no creados por recon: 1 filas de pets_pet",
				"lote " + id(pets) + " (mascotas, mascotas.csv)", "Hay datos creados fuera de recon"}},
		{name: "application data on top, in English",
			setup: applicationPet(ctx, db),
			args:  []string{"--lang", "en", "rollback", "--batch-id", id(clients)}, wantCode: ExitProblems,
			wantErr: []string{"cannot roll back batch " + id(clients), "data not created by recon: 1 rows of pets_pet",
				"Data created outside recon uses these rows"}},
		{name: "placeholder owner removed, in English",
			args: []string{"--lang", "en", "rollback", "--batch-id", id(pets)}, wantCode: 0,
			wantOut: []string{"The placeholder owner had nothing left attached and was removed.", "Batches rolled back: " + id(pets) + "."}},
		{name: "already rolled back, in English",
			args: []string{"--lang", "en", "rollback", "--batch-id", id(pets)}, wantCode: 0,
			wantOut: []string{"Batch " + id(pets) + " was already rolled back"}},
		{name: "quiet prints nothing",
			args: []string{"--quiet", "rollback", "--batch-id", id(clients)}, wantCode: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.setup != nil {
				defer tt.setup(t)()
			}
			code, out, errs := run(t, args(tt.args...)...)
			checkRun(t, code, out, errs, tt.wantCode, tt.wantOut, tt.wantErr)
			if tt.wantOut == nil && out != "" {
				t.Errorf("unexpected stdout:\n%s", out)
			}
		})
	}
	var owners int
	if err := db.Pool.QueryRow(ctx, "SELECT count(*) FROM vet_clinic_ownerprofile").Scan(&owners); err != nil || owners != 0 {
		t.Errorf("%d owners left after rolling everything back (%v)", owners, err)
	}
}

// insertFailedBatch adds a bare batch row with the given status.
func insertFailedBatch(t *testing.T, db *pgtest.DB, status string) int64 {
	t.Helper()
	var id int64
	if err := db.Pool.QueryRow(context.Background(), `INSERT INTO migration_migrationbatch (batch_type, source_file, status,
		total_records, imported_count, skipped_count, error_count, duplicate_count, is_dry_run, notes, created_at, source_system,
		source_sha256, source_profile, operator, options, updated_count, unchanged_count, orphaned_count, blank_rows,
		continuation_lines, merged_lines)
		VALUES ('pets', '', $1, 0, 0, 0, 0, 0, false, '', now(), 'okvet', '', '', '', '{}', 0, 0, 0, 0, 0, 0) RETURNING id`,
		status).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// holdLock takes the import lock as command until the returned func runs.
func holdLock(ctx context.Context, db *pgtest.DB, command string) func(t *testing.T) func() {
	return func(t *testing.T) func() {
		lock, err := importer.AcquireLock(ctx, db.Pool, importer.LockOptions{Command: command, Operator: "otra"})
		if err != nil {
			t.Fatal(err)
		}
		return func() { lock.Release(ctx) }
	}
}

// applicationPet registers a pet in Pet-Friendly itself, for client C1,
// until the returned func runs.
func applicationPet(ctx context.Context, db *pgtest.DB) func(t *testing.T) func() {
	return func(t *testing.T) func() {
		var id int64
		err := db.Pool.QueryRow(ctx, `INSERT INTO pets_pet (owner_id, external_id, name, species, breed, sex, color, microchip_number,
			is_sterilized, is_deceased, notes, created_at, updated_at)
			SELECT target_id, '', 'Nueva', 'dog', '', 'unknown', '', '', false, false, '', now(), now()
			FROM migration_externalidmapping WHERE source_type = 'client' AND source_id = 'C1' RETURNING id`).Scan(&id)
		if err != nil {
			t.Fatal(err)
		}
		return func() {
			if _, err := db.Pool.Exec(ctx, "DELETE FROM pets_pet WHERE id = $1", id); err != nil {
				t.Fatal(err)
			}
		}
	}
}
