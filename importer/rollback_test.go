package importer_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/petfriendly/recon/importer"
	"github.com/petfriendly/recon/internal/pgtest"
)

func rollback(t *testing.T, pool *pgxpool.Pool, id int64, mod func(*importer.RollbackOptions)) importer.RollbackResult {
	t.Helper()
	opts := importer.RollbackOptions{}
	if mod != nil {
		mod(&opts)
	}
	res, err := importer.Rollback(context.Background(), pool, id, opts)
	if err != nil {
		t.Fatalf("rollback %d: %v", id, err)
	}
	return res
}

func batchStatus(t *testing.T, pool *pgxpool.Pool, id int64) string {
	t.Helper()
	var s string
	if err := pool.QueryRow(context.Background(), "SELECT status FROM migration_migrationbatch WHERE id = $1", id).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// destinationCounts counts every destination and mapping row, to compare
// states before and after.
func destinationCounts(t *testing.T, pool *pgxpool.Pool) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"accounts_user", "vet_clinic_ownerprofile", "pets_pet", "medical_medicalrecord",
		"medical_vaccinationrecord", "appointments_appointment", "billing_invoice", "billing_invoiceitem",
		"inventory_product", "documents_document", "migration_externalidmapping"} {
		out[table] = count(t, pool, "SELECT count(*) FROM "+table)
	}
	return out
}

func sameCounts(t *testing.T, what string, got, want map[string]int) {
	t.Helper()
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: %s has %d rows, want %d", what, k, got[k], w)
		}
	}
}

func tableChange(res importer.RollbackResult, batch int64, table string) importer.TableChange {
	for _, b := range res.Batches {
		if b.BatchID != batch {
			continue
		}
		for _, tc := range b.Tables {
			if tc.Table == table {
				return tc
			}
		}
	}
	return importer.TableChange{}
}

func TestRollbackRemovesCreatedRows(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	dir := t.TempDir()
	im := newImporter(t, db.Pool, nil)
	mustImport(t, im, "clients", writeFile(t, dir, "clientes.csv", clientsCSV))
	before := destinationCounts(t, db.Pool)
	pets := mustImport(t, im, "pets", writeFile(t, dir, "mascotas.csv", petsCSV))

	res := rollback(t, db.Pool, pets.BatchID, nil)
	if tc := tableChange(res, pets.BatchID, "pets_pet"); tc.Deleted != pets.Imported {
		t.Errorf("pets deleted %+v, want %d", tc, pets.Imported)
	}
	if len(res.Batches) != 1 || res.Batches[0].Mappings != pets.Imported {
		t.Errorf("result %+v", res)
	}
	sameCounts(t, "after rollback", destinationCounts(t, db.Pool), before)
	if s := batchStatus(t, db.Pool, pets.BatchID); s != "rolled_back" {
		t.Errorf("batch status %s", s)
	}
	// Its migration records stay as history; importing again inserts anew.
	again := mustImport(t, im, "pets", filepath.Join(dir, "mascotas.csv"))
	if again.Imported != pets.Imported || again.Unchanged != 0 {
		t.Errorf("re-import after rollback %+v", again)
	}
}

func TestRollbackRestoresUpdatedRows(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	im := newImporter(t, db.Pool, nil)
	mustImport(t, im, "clients", writeFile(t, t.TempDir(), "clientes.csv", clientsCSV))
	before := destinationCounts(t, db.Pool)
	var city, email string
	var updatedAt any
	c1 := target(t, db.Pool, "client", "C1")
	db.Pool.QueryRow(ctx, "SELECT updated_at FROM vet_clinic_ownerprofile WHERE id = $1", c1).Scan(&updatedAt)

	changed := strings.NewReplacer("Bogotá,", "Tunja,", "jose@example.com", "jose.perez@example.com").Replace(clientsCSV) +
		"C10,Nuevo Cliente,CC,123,,3157778899,nuevo@example.com,,,,,\n"
	sum := mustImport(t, im, "clients", writeFile(t, t.TempDir(), "clientes.csv", changed))
	if sum.Updated != 1 || sum.Imported != 1 {
		t.Fatalf("update batch %+v", sum)
	}
	res := rollback(t, db.Pool, sum.BatchID, nil)
	if tc := tableChange(res, sum.BatchID, "vet_clinic_ownerprofile"); tc.Restored != 1 || tc.Deleted != 1 {
		t.Errorf("profile change %+v", tc)
	}
	if tc := tableChange(res, sum.BatchID, "accounts_user"); tc.Restored != 1 || tc.Deleted != 1 {
		t.Errorf("user change %+v", tc)
	}
	var restoredAt any
	err := db.Pool.QueryRow(ctx, `SELECT p.city, u.email, p.updated_at FROM vet_clinic_ownerprofile p JOIN accounts_user u ON u.id = p.user_id
		WHERE p.id = $1`, c1).Scan(&city, &email, &restoredAt)
	if err != nil || city != "Bogotá" || email != "jose@example.com" {
		t.Errorf("C1 after rollback: %q %q (%v)", city, email, err)
	}
	if restoredAt != updatedAt {
		t.Errorf("updated_at %v, want the original %v", restoredAt, updatedAt)
	}
	sameCounts(t, "after rollback", destinationCounts(t, db.Pool), before)
}

func TestRollbackRefusesWhileLaterBatchesDepend(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	dir := t.TempDir()
	im := newImporter(t, db.Pool, nil)
	clients := mustImport(t, im, "clients", writeFile(t, dir, "clientes.csv", clientsCSV))
	pets := mustImport(t, im, "pets", writeFile(t, dir, "mascotas.csv", petsCSV))
	recs := mustImport(t, im, "medical", writeFile(t, dir, "historia_clinica.csv", recordsCSV))
	before := destinationCounts(t, db.Pool)

	_, err := importer.Rollback(context.Background(), db.Pool, clients.BatchID, importer.RollbackOptions{})
	var deps *importer.DependentsError
	if !errors.As(err, &deps) {
		t.Fatalf("err = %v, want a DependentsError", err)
	}
	if len(deps.Dependents) != 1 || deps.Dependents[0].BatchID != pets.BatchID || deps.Dependents[0].Rows != pets.Imported ||
		!strings.Contains(deps.Dependents[0].Why, "owner_id") || !deps.Cascadable() {
		t.Errorf("dependents %+v", deps.Dependents)
	}
	if !strings.Contains(err.Error(), "rollback batch") {
		t.Errorf("message %q", err)
	}
	sameCounts(t, "after a refused rollback", destinationCounts(t, db.Pool), before)
	if s := batchStatus(t, db.Pool, clients.BatchID); s != "completed" {
		t.Errorf("refused batch status %s", s)
	}

	// --cascade: records, then pets, then clients, newest first.
	res := rollback(t, db.Pool, clients.BatchID, func(o *importer.RollbackOptions) { o.Cascade = true })
	var order []int64
	for _, b := range res.Batches {
		order = append(order, b.BatchID)
	}
	if len(order) != 3 || order[0] != recs.BatchID || order[1] != pets.BatchID || order[2] != clients.BatchID {
		t.Errorf("cascade order %v, want [%d %d %d]", order, recs.BatchID, pets.BatchID, clients.BatchID)
	}
	for table, n := range destinationCounts(t, db.Pool) {
		if n != 0 {
			t.Errorf("%s keeps %d rows after the cascade", table, n)
		}
	}
	for _, id := range order {
		if s := batchStatus(t, db.Pool, id); s != "rolled_back" {
			t.Errorf("batch %d status %s", id, s)
		}
	}

	// Twice: a no-op that says so.
	again := rollback(t, db.Pool, clients.BatchID, nil)
	if !again.AlreadyRolledBack || len(again.Batches) != 0 || again.RolledBackAt.IsZero() {
		t.Errorf("second rollback %+v", again)
	}
}

func TestRollbackMergedDuplicateOfLaterBatch(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	im := newImporter(t, db.Pool, nil)
	first := mustImport(t, im, "clients", writeFile(t, t.TempDir(), "clientes.csv",
		"id,nombre,email,celular\nC1,José Pérez,jose@example.com,3001234567\n"))
	second := mustImport(t, im, "clients", writeFile(t, t.TempDir(), "clientes.csv",
		"id,nombre,email,celular\nC6,José P.,JOSE@example.com,\n"))
	if second.Merged != 1 {
		t.Fatalf("second batch %+v", second)
	}
	_, err := importer.Rollback(context.Background(), db.Pool, first.BatchID, importer.RollbackOptions{})
	var deps *importer.DependentsError
	if !errors.As(err, &deps) || len(deps.Dependents) != 1 || deps.Dependents[0].BatchID != second.BatchID ||
		!strings.Contains(deps.Dependents[0].Why, "merged") {
		t.Fatalf("err = %v", err)
	}
	rollback(t, db.Pool, first.BatchID, func(o *importer.RollbackOptions) { o.Cascade = true })
	if n := count(t, db.Pool, "SELECT count(*) FROM migration_externalidmapping"); n != 0 {
		t.Errorf("%d mappings left", n)
	}
}

func TestRollbackDryRunChangesNothing(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	dir := t.TempDir()
	im := newImporter(t, db.Pool, nil)
	clients := mustImport(t, im, "clients", writeFile(t, dir, "clientes.csv", clientsCSV))
	pets := mustImport(t, im, "pets", writeFile(t, dir, "mascotas.csv", petsCSV))
	before := destinationCounts(t, db.Pool)
	res := rollback(t, db.Pool, clients.BatchID, func(o *importer.RollbackOptions) { o.DryRun, o.Cascade = true, true })
	if !res.DryRun || len(res.Batches) != 2 || tableChange(res, pets.BatchID, "pets_pet").Deleted != pets.Imported ||
		tableChange(res, clients.BatchID, "vet_clinic_ownerprofile").Deleted != clients.Imported {
		t.Errorf("dry run result %+v", res)
	}
	sameCounts(t, "after a dry run", destinationCounts(t, db.Pool), before)
	if s := batchStatus(t, db.Pool, clients.BatchID); s != "completed" {
		t.Errorf("dry run marked the batch %s", s)
	}
}

func TestRollbackRemovesUnusedPlaceholderOwner(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	sum := importClientsAndPets(t, db.Pool, t.TempDir(), func(o *importer.Options) { o.Orphans = importer.OrphansPlaceholder })
	if n := count(t, db.Pool, "SELECT count(*) FROM vet_clinic_ownerprofile WHERE is_placeholder"); n != 1 {
		t.Fatalf("%d placeholder owners", n)
	}
	res := rollback(t, db.Pool, sum.BatchID, nil)
	if res.PlaceholderOwners != 1 {
		t.Errorf("result %+v", res)
	}
	if n := count(t, db.Pool, "SELECT count(*) FROM vet_clinic_ownerprofile WHERE is_placeholder"); n != 0 {
		t.Errorf("%d placeholder owners left", n)
	}
	if n := count(t, db.Pool, "SELECT count(*) FROM accounts_user WHERE email LIKE 'propietario.desconocido@%'"); n != 0 {
		t.Errorf("placeholder user left")
	}
}

func TestRollbackRefusesWhenApplicationDataDepends(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	dir := t.TempDir()
	im := newImporter(t, db.Pool, nil)
	clients := mustImport(t, im, "clients", writeFile(t, dir, "clientes.csv", clientsCSV))
	// A pet registered in Pet-Friendly after the migration, for an imported owner.
	if _, err := db.Pool.Exec(context.Background(), `INSERT INTO pets_pet (owner_id, external_id, name, species, breed, sex, color, microchip_number,
		is_sterilized, is_deceased, notes, created_at, updated_at) VALUES ($1, '', 'Nueva', 'dog', '', 'unknown', '', '', false, false, '', now(), now())`,
		target(t, db.Pool, "client", "C1")); err != nil {
		t.Fatal(err)
	}
	_, err := importer.Rollback(context.Background(), db.Pool, clients.BatchID, importer.RollbackOptions{Cascade: true})
	var deps *importer.DependentsError
	if !errors.As(err, &deps) || deps.Cascadable() || deps.Dependents[0].BatchID != 0 {
		t.Fatalf("err = %v", err)
	}
	if n := count(t, db.Pool, "SELECT count(*) FROM pets_pet"); n != 1 {
		t.Errorf("application pet gone")
	}
}

func TestRollbackMediaSharedContent(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	dir := t.TempDir()
	media := t.TempDir()
	im := newImporter(t, db.Pool, func(o *importer.Options) { o.MediaDir = media })
	mustImport(t, im, "clients", writeFile(t, dir, "clientes.csv", clientsCSV))
	mustImport(t, im, "pets", writeFile(t, dir, "mascotas.csv", petsCSV))
	writeFile(t, dir, "adjuntos/a.pdf", "%PDF-1.4 same content")
	writeFile(t, dir, "adjuntos/b.pdf", "%PDF-1.4 same content")
	first := mustImport(t, im, "documents", writeFile(t, dir, "documentos.csv",
		"id,id_paciente,id_cliente,archivo,tipo,descripcion,fecha\nD1,P1,C1,adjuntos/a.pdf,pdf,uno,2023-01-01\n"))
	second := mustImport(t, im, "documents", writeFile(t, dir, "documentos.csv",
		"id,id_paciente,id_cliente,archivo,tipo,descripcion,fecha\nD2,P1,C1,adjuntos/b.pdf,pdf,dos,2023-01-02\n"))
	if first.Imported != 1 || second.Imported != 1 {
		t.Fatalf("documents %+v %+v", first, second)
	}
	var file string
	db.Pool.QueryRow(context.Background(), "SELECT file FROM documents_document LIMIT 1").Scan(&file)
	stored := filepath.Join(media, filepath.FromSlash(file))
	if _, err := os.Stat(stored); err != nil {
		t.Fatal(err)
	}
	res := rollback(t, db.Pool, second.BatchID, func(o *importer.RollbackOptions) { o.MediaDir = media })
	if len(res.MediaRemoved) != 0 {
		t.Errorf("removed %v while D1 still uses the content", res.MediaRemoved)
	}
	if _, err := os.Stat(stored); err != nil {
		t.Errorf("shared file removed: %v", err)
	}
	res = rollback(t, db.Pool, first.BatchID, func(o *importer.RollbackOptions) { o.MediaDir = media })
	if len(res.MediaRemoved) != 1 || len(res.MediaWarnings) != 0 {
		t.Errorf("media result %+v", res)
	}
	if _, err := os.Stat(stored); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("unused file still there: %v", err)
	}
}

func TestRollbackUnknownAndFailedBatches(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	if _, err := importer.Rollback(ctx, db.Pool, 999, importer.RollbackOptions{}); !errors.Is(err, importer.ErrBatchNotFound) {
		t.Errorf("unknown batch: %v", err)
	}
	id := insertBatch(t, db.Pool, "pets", "failed")
	if _, err := importer.Rollback(ctx, db.Pool, id, importer.RollbackOptions{}); !errors.Is(err, importer.ErrNotRollbackable) {
		t.Errorf("failed batch: %v", err)
	}
}

// A rolled-back batch's open issues describe rows no longer in the
// destination: rollback resolves them, naming the batch and the operator,
// so Pet-Friendly's staff (who filter by resolved alone) do not see them as
// open. Other batches' issues stay as they were.
func TestRollbackResolvesItsOpenIssues(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	dir := t.TempDir()
	im := newImporter(t, db.Pool, nil)
	clients := mustImport(t, im, "clients", writeFile(t, dir, "clientes.csv", clientsCSV))
	pets := mustImport(t, im, "pets", writeFile(t, dir, "mascotas.csv", petsCSV))
	open := func(batch int64) int {
		return count(t, db.Pool, "SELECT count(*) FROM migration_dataqualityissue WHERE NOT resolved AND batch_id = "+
			strconv.FormatInt(batch, 10))
	}
	clientIssues, petIssues := open(clients.BatchID), open(pets.BatchID)
	if clientIssues == 0 || petIssues == 0 {
		t.Fatalf("the fixtures raise no issues (clients %d, pets %d)", clientIssues, petIssues)
	}
	rollback(t, db.Pool, pets.BatchID, func(o *importer.RollbackOptions) { o.Operator = "Ana Operadora" })
	if n := open(pets.BatchID); n != 0 {
		t.Errorf("%d issues of the rolled-back batch still open", n)
	}
	if n := open(clients.BatchID); n != clientIssues {
		t.Errorf("clients' open issues %d, want %d untouched", n, clientIssues)
	}
	closed := count(t, db.Pool, `SELECT count(*) FROM migration_dataqualityissue WHERE batch_id = $1 AND resolved
		AND resolution = 'rolled_back:' || $1::text AND resolved_by_name = 'Ana Operadora' AND resolved_at IS NOT NULL`, pets.BatchID)
	if closed != petIssues {
		t.Errorf("%d issues resolved by the rollback, want %d", closed, petIssues)
	}
}
