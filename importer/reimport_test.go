package importer_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/petfriendly/recon/importer"
	"github.com/petfriendly/recon/internal/pgtest"
)

func TestReimportSameFileUnchanged(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	dir := t.TempDir()
	im := newImporter(t, db.Pool, nil)
	clients := writeFile(t, dir, "clientes.csv", clientsCSV)
	pets := writeFile(t, dir, "mascotas.csv", petsCSV)
	c1 := mustImport(t, im, "clients", clients)
	p1 := mustImport(t, im, "pets", pets)

	// A later run (another day) must not see the import time as a change.
	later := newImporter(t, db.Pool, func(o *importer.Options) {
		o.Now = func() time.Time { return testNow.Add(48 * time.Hour) }
	})
	c2 := mustImport(t, later, "clients", clients)
	p2 := mustImport(t, later, "pets", pets)
	if c2.Imported != 0 || c2.Updated != 0 || c2.Merged != 0 || c2.Unchanged != c1.Imported+c1.Merged || c2.Rejected != c1.Rejected {
		t.Errorf("clients again: %+v (first %+v)", c2, c1)
	}
	if p2.Imported != 0 || p2.Updated != 0 || p2.Unchanged != p1.Imported || p2.Rejected != p1.Rejected || p2.Orphaned != p1.Orphaned {
		t.Errorf("pets again: %+v (first %+v)", p2, p1)
	}
	var updated, unchanged int
	if err := db.Pool.QueryRow(context.Background(), `SELECT updated_count, unchanged_count FROM migration_migrationbatch WHERE id = $1`,
		c2.BatchID).Scan(&updated, &unchanged); err != nil || updated != 0 || unchanged != 6 {
		t.Errorf("batch row: updated %d unchanged %d (%v)", updated, unchanged, err)
	}
	if s, _ := outcomeOf(t, db.Pool, "client", "C6"); s != "unchanged" {
		t.Errorf("merged duplicate C6 re-imported as %s, want unchanged", s)
	}
	if n := count(t, db.Pool, "SELECT count(*) FROM accounts_user"); n != 3 {
		t.Errorf("accounts_user rows = %d, want 3", n)
	}
	if n := count(t, db.Pool, "SELECT count(*) FROM pets_pet"); n != p1.Imported {
		t.Errorf("pets_pet rows = %d, want %d", n, p1.Imported)
	}
}

func TestReimportChangedFileUpdatesOnlyChangedRows(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	dir := t.TempDir()
	im := newImporter(t, db.Pool, nil)
	mustImport(t, im, "clients", writeFile(t, dir, "clientes.csv", clientsCSV))
	mustImport(t, im, "pets", writeFile(t, dir, "mascotas.csv", petsCSV))

	// C1 moves city, C9's note changes, C10 is new; C2's date is written in
	// another format (same value) and must stay unchanged.
	changed := strings.NewReplacer(
		"Calle 1 # 2-3,Bogotá,", "Calle 1 # 2-3,Tunja,",
		"<b>nota</b>", "nota nueva",
		"15/02/2021", "2021-02-15",
	).Replace(clientsCSV) + "C10,Nuevo Cliente,CC,123,,3157778899,nuevo@example.com,,,,,\n"
	newDir := t.TempDir()
	sum := mustImport(t, im, "clients", writeFile(t, newDir, "clientes.csv", changed))
	if sum.Imported != 1 || sum.Updated != 2 || sum.Unchanged != 4 || sum.Rejected != 3 {
		t.Fatalf("changed clients: %+v", sum)
	}
	for id, want := range map[string]string{"C1": "updated", "C9": "updated", "C2": "unchanged", "C6": "unchanged", "C10": "imported"} {
		if s, _ := outcomeOf(t, db.Pool, "client", id); s != want {
			t.Errorf("%s: %s, want %s", id, s, want)
		}
	}
	var city string
	if err := db.Pool.QueryRow(ctx, "SELECT city FROM vet_clinic_ownerprofile WHERE id = $1", target(t, db.Pool, "client", "C1")).Scan(&city); err != nil || city != "Tunja" {
		t.Errorf("C1 city %q (%v)", city, err)
	}
	var prev []byte
	if err := db.Pool.QueryRow(ctx, `SELECT previous_values FROM migration_migrationrecord WHERE batch_id = $1 AND source_id = 'C1'`,
		sum.BatchID).Scan(&prev); err != nil {
		t.Fatal(err)
	}
	var pv map[string]map[string]any
	if err := json.Unmarshal(prev, &pv); err != nil || pv["vet_clinic_ownerprofile"]["city"] != "Bogotá" {
		t.Errorf("previous values %s (%v)", prev, err)
	}

	// Pets: one weight changes, one is written differently with the same value.
	changedPets := strings.NewReplacer(`"12,5"`, "13", "2019-05-02", "02/05/2019").Replace(petsCSV)
	ps := mustImport(t, im, "pets", writeFile(t, newDir, "mascotas.csv", changedPets))
	if ps.Imported != 0 || ps.Updated != 1 || ps.Unchanged != 3 {
		t.Fatalf("changed pets: %+v", ps)
	}
	var weight string
	db.Pool.QueryRow(ctx, "SELECT weight::text FROM pets_pet WHERE id=$1", target(t, db.Pool, "pet", "P1")).Scan(&weight)
	if weight != "13.000" {
		t.Errorf("P1 weight %q", weight)
	}
}

func TestReimportDryRunCountsWithoutWriting(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	im := newImporter(t, db.Pool, nil)
	mustImport(t, im, "clients", writeFile(t, t.TempDir(), "clientes.csv", clientsCSV))
	dry := newImporter(t, db.Pool, func(o *importer.Options) { o.DryRun = true })
	changed := strings.Replace(clientsCSV, "Bogotá", "Tunja", 1)
	sum := mustImport(t, dry, "clients", writeFile(t, t.TempDir(), "clientes.csv", changed))
	if sum.Updated != 1 || sum.Unchanged != 5 {
		t.Fatalf("dry-run re-import %+v", sum)
	}
	var city string
	db.Pool.QueryRow(ctx, "SELECT city FROM vet_clinic_ownerprofile WHERE id = $1", target(t, db.Pool, "client", "C1")).Scan(&city)
	if city != "Bogotá" {
		t.Errorf("dry run changed C1's city to %q", city)
	}
}

func TestReimportRejectedVersionKeepsDestination(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	im := newImporter(t, db.Pool, nil)
	mustImport(t, im, "clients", writeFile(t, t.TempDir(), "clientes.csv", clientsCSV))
	// C2 now uses C1's e-mail: an owner imported earlier stays itself, and the
	// unique e-mail cannot be applied. C9's name is emptied: rejected.
	changed := strings.NewReplacer("María Muñoz,CC,52000111,,3109998877,,", "María Muñoz,CC,52000111,,3109998877,jose@example.com,",
		"C9,Ana <script>alert(1)</script>", "C9,").Replace(clientsCSV)
	sum := mustImport(t, im, "clients", writeFile(t, t.TempDir(), "clientes.csv", changed))
	if sum.Rejected != 5 || sum.Updated != 0 || sum.Imported != 0 {
		t.Fatalf("summary %+v", sum)
	}
	if s, r := outcomeOf(t, db.Pool, "client", "C2"); s != "error" || r != "email_conflict" {
		t.Errorf("C2 = %s/%s", s, r)
	}
	var name string
	db.Pool.QueryRow(ctx, "SELECT full_name FROM vet_clinic_ownerprofile WHERE id = $1", target(t, db.Pool, "client", "C9")).Scan(&name)
	if name != "Ana <script>alert(1)</script>" {
		t.Errorf("C9 name %q after a rejected newer version", name)
	}
}

func TestDuplicateIDInOneFileFirstWins(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	im := newImporter(t, db.Pool, nil)
	csv := clientsCSV + "C1,Otro José,CC,5555,,3000000000,otro.jose@example.com,,,,,\n"
	sum := mustImport(t, im, "clients", writeFile(t, t.TempDir(), "clientes.csv", csv))
	if sum.Imported != 3 || sum.Skipped != 1 {
		t.Fatalf("summary %+v", sum)
	}
	if !hasIssue(t, db.Pool, "client", "C1", "duplicate_source_id") {
		t.Error("no duplicate_source_id warning")
	}
}
