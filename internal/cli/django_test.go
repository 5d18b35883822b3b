package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/petfriendly/recon/internal/pgtest"
	"github.com/petfriendly/recon/source"
)

// djangoDB is an empty database whose schema Pet-Friendly's manage.py
// created, as the clinic's real database is.
func djangoDB(t *testing.T) *pgtest.DB {
	t.Helper()
	pgtest.NeedDjango(t)
	db := pgtest.MustOpenEmptyDB(t)
	if _, err := pgtest.Manage(context.Background(), db.URL, "migrate", "--no-input"); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestDBCheckOnDjangoDatabase(t *testing.T) {
	t.Parallel()
	db := djangoDB(t)
	code, out, errs := run(t, "--database-url", db.URL, "db", "migrate")
	if code != 0 || !strings.Contains(out, "Django administra el esquema") {
		t.Fatalf("db migrate on Django: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = run(t, "--database-url", db.URL, "db", "check")
	if code != 0 || !strings.Contains(out, "cumple el contrato") {
		t.Fatalf("db check: exit %d\n%s%s", code, out, errs)
	}
	if _, err := db.Pool.Exec(context.Background(), `ALTER TABLE pets_pet DROP COLUMN microchip_number; DROP TABLE migration_signoff`); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"db", "check"}, {"db", "migrate"}, {"batches"}} {
		code, out, errs = run(t, append([]string{"--database-url", db.URL}, args...)...)
		if code != ExitError || !strings.Contains(errs, "falta la columna pets_pet.microchip_number (text)") ||
			!strings.Contains(errs, "falta la tabla migration_signoff") {
			t.Errorf("%v on a damaged Django database: exit %d, want %d naming what is missing\n%s%s", args, code, ExitError, out, errs)
		}
	}
	code, _, errs = run(t, "--database-url", db.URL, "--lang", "en", "db", "check")
	if code != ExitError || !strings.Contains(errs, "column pets_pet.microchip_number (text) is missing") {
		t.Errorf("db check --lang en: exit %d\n%s", code, errs)
	}
}

// readback is what contrib/django's recon_readback command prints.
type readback struct {
	Counts map[string]int `json:"counts"`
	Pet    struct {
		ID                     int64    `json:"id"`
		ExternalID             string   `json:"external_id"`
		OwnerExternalID        string   `json:"owner_external_id"`
		RecordsThroughRelation int      `json:"records_through_relation"`
		RecordsDirect          int      `json:"records_direct"`
		RecordExternalIDs      []string `json:"record_external_ids"`
	} `json:"pet"`
	UnresolvedIssues int               `json:"unresolved_issues"`
	Batches          map[string]string `json:"batches"`
	Admin            map[string]int    `json:"admin"`
}

// The Django path end to end (issue 15 item 5): Django creates the schema,
// recon imports a generated export and verifies it, and Pet-Friendly reads
// back through its ORM and admin what verify counted.
func TestDjangoPathEndToEnd(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := djangoDB(t)
	export := filepath.Join(t.TempDir(), "export")
	home := t.TempDir()
	base := []string{"--database-url", db.URL, "--home", home, "--no-progress"}
	args := func(a ...string) []string { return append(append([]string{}, base...), a...) }

	if code, out, errs := run(t, "gen", "--out", export, "--scale", "0.04", "--seed", "15"); code != 0 {
		t.Fatalf("gen: exit %d\n%s%s", code, out, errs)
	}
	// Ana is a staff user of Pet-Friendly: her batches name her as created_by.
	if _, err := pgtest.Manage(ctx, db.URL, "shell", "-c",
		`from accounts.models import User; User.objects.create_user(email="ana@clinica.co", is_staff=True, role="staff")`); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := run(t, args("import", "all", "--dir", export, "--operator", "Ana@Clinica.co")...); code != 0 {
		t.Fatalf("import all into the Django database: exit %d\n%s%s", code, out, errs)
	}
	verify := func(name string) map[string]struct {
		TableRows int `json:"table_rows"`
	} {
		t.Helper()
		path := filepath.Join(t.TempDir(), name+".json")
		code, out, errs := run(t, args("verify", "--json", path)...)
		if code != 0 {
			t.Fatalf("%s: verify on the Django database: exit %d\n%s%s", name, code, out, errs)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Types map[string]struct {
				TableRows int `json:"table_rows"`
			} `json:"types"`
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		return doc.Types
	}
	types := verify("first")

	// Rollback and re-import of the last batch work on Django's foreign keys.
	var last int64
	if err := db.Pool.QueryRow(ctx, `SELECT max(id) FROM migration_migrationbatch WHERE batch_type = 'documents'`).Scan(&last); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := run(t, args("rollback", "--batch-id", strconv.FormatInt(last, 10), "--operator", "Ana@Clinica.co")...); code != 0 {
		t.Fatalf("rollback on the Django database: exit %d\n%s%s", code, out, errs)
	}
	if code, out, errs := run(t, args("import", "documents", "--file", findFile(t, export, "documentos"), "--operator", "Otro Operador")...); code != 0 {
		t.Fatalf("re-import on the Django database: exit %d\n%s%s", code, out, errs)
	}
	types = verify("again")

	out, err := pgtest.Manage(ctx, db.URL, "recon_readback")
	if err != nil {
		t.Fatal(err)
	}
	var rb readback
	if err := json.Unmarshal(out, &rb); err != nil {
		t.Fatalf("readback: %v\n%s", err, out)
	}
	for _, ty := range source.Types() {
		v, ok := types[ty.Name]
		if !ok || v.TableRows == 0 {
			t.Errorf("verify counted no %s", ty.Name)
		}
		if rb.Counts[ty.Table] != v.TableRows {
			t.Errorf("%s: Django's ORM counts %d rows, verify %d", ty.Table, rb.Counts[ty.Table], v.TableRows)
		}
	}
	if rb.Counts["accounts_user"] != rb.Counts["vet_clinic_ownerprofile"]+1 {
		t.Errorf("%d users for %d owners and one staff user", rb.Counts["accounts_user"], rb.Counts["vet_clinic_ownerprofile"])
	}
	// The operator's name finds her user by e-mail; another name finds none.
	var byAna, byNobody, named int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE u.email = 'ana@clinica.co'),
			count(*) FILTER (WHERE b.created_by_id IS NULL AND b.operator = 'Otro Operador'),
			count(*) FILTER (WHERE b.operator = 'Ana@Clinica.co')
		FROM migration_migrationbatch b LEFT JOIN accounts_user u ON u.id = b.created_by_id`).Scan(&byAna, &byNobody, &named); err != nil {
		t.Fatal(err)
	}
	if byAna != len(source.Types()) || named != byAna || byNobody != 1 {
		t.Errorf("batches created by Ana's user: %d (named %d), want %d; by an unknown operator with no user: %d, want 1",
			byAna, named, len(source.Types()), byNobody)
	}

	// A pet's medical records through the relation are the export's records
	// of that pet.
	if rb.Pet.RecordsThroughRelation == 0 || rb.Pet.RecordsThroughRelation != rb.Pet.RecordsDirect {
		t.Errorf("pet %s: %d records through the relation, %d by pet_id", rb.Pet.ExternalID, rb.Pet.RecordsThroughRelation, rb.Pet.RecordsDirect)
	}
	rows, err := db.Pool.Query(ctx, `SELECT m.source_id FROM migration_externalidmapping m
		JOIN medical_medicalrecord r ON r.id = m.target_id
		WHERE m.source_type = 'record' AND NOT m.is_merged AND r.pet_id = $1 ORDER BY 1`, rb.Pet.ID)
	if err != nil {
		t.Fatal(err)
	}
	mapped, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(rb.Pet.RecordExternalIDs)
	if !slices.Equal(mapped, rb.Pet.RecordExternalIDs) {
		t.Errorf("pet %s: records' external ids %v, mapped OkVet ids %v", rb.Pet.ExternalID, rb.Pet.RecordExternalIDs, mapped)
	}

	// Open issues as staff filter them in the admin equal recon's list.
	code, listOut, errs := run(t, args("issues", "list", "--unresolved", "--json", "--limit", "1")...)
	if code != 0 {
		t.Fatalf("issues list: exit %d\n%s", code, errs)
	}
	var list struct {
		Total int `json:"total"`
	}
	if err := json.Unmarshal([]byte(listOut), &list); err != nil {
		t.Fatal(err)
	}
	if list.Total == 0 || list.Total != rb.UnresolvedIssues {
		t.Errorf("DataQualityIssue.objects.filter(resolved=False) = %d, recon issues list --unresolved = %d", rb.UnresolvedIssues, list.Total)
	}
	for _, ty := range source.Types() {
		if rb.Batches[ty.BatchType] != "completed" {
			t.Errorf("latest %s batch as Django reads it: %q", ty.BatchType, rb.Batches[ty.BatchType])
		}
	}
	for page, status := range rb.Admin {
		want := 200
		if page == "anonymous" {
			want = 302
		}
		if status != want {
			t.Errorf("admin %s: HTTP %d, want %d", page, status, want)
		}
	}
	if len(rb.Admin) < 8 {
		t.Errorf("admin pages fetched: %v", rb.Admin)
	}
}

func findFile(t *testing.T, dir, prefix string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), prefix) {
			return filepath.Join(dir, e.Name())
		}
	}
	t.Fatalf("no %s* in %s", prefix, dir)
	return ""
}
