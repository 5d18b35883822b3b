package importer_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/petfriendly/recon/importer"
	"github.com/petfriendly/recon/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var testNow = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

// writeFile writes an export file into dir and returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func newImporter(t *testing.T, pool *pgxpool.Pool, mod func(*importer.Options)) *importer.Importer {
	t.Helper()
	opts := importer.Options{Now: func() time.Time { return testNow }, MediaDir: t.TempDir(), RejectDir: t.TempDir(), BatchSize: 3}
	if mod != nil {
		mod(&opts)
	}
	im, err := importer.New(pool, opts)
	if err != nil {
		t.Fatal(err)
	}
	return im
}

func mustImport(t *testing.T, im *importer.Importer, typ, path string) importer.Summary {
	t.Helper()
	sum, err := im.ImportFile(context.Background(), typ, path)
	if err != nil {
		t.Fatalf("import %s: %v", typ, err)
	}
	return sum
}

// insertBatch adds a bare batch row (every NOT NULL column written: the
// schema has no defaults) and returns its id.
func insertBatch(t *testing.T, pool *pgxpool.Pool, batchType, status string) int64 {
	t.Helper()
	var id int64
	if err := pool.QueryRow(context.Background(), `INSERT INTO migration_migrationbatch (batch_type, source_file, status,
		total_records, imported_count, skipped_count, error_count, duplicate_count, is_dry_run, notes, created_at, source_system,
		source_sha256, source_profile, operator, options, updated_count, unchanged_count, orphaned_count, blank_rows,
		continuation_lines, merged_lines)
		VALUES ($1, '', $2, 0, 0, 0, 0, 0, false, '', now(), 'okvet', '', '', '', '{}', 0, 0, 0, 0, 0, 0) RETURNING id`,
		batchType, status).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func count(t *testing.T, pool *pgxpool.Pool, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// outcomeOf returns the status and reason recorded for one source row.
func outcomeOf(t *testing.T, pool *pgxpool.Pool, typ, id string) (string, string) {
	t.Helper()
	var status, reason string
	err := pool.QueryRow(context.Background(), `SELECT status, reason FROM migration_migrationrecord
		WHERE source_type = $1 AND source_id = $2 ORDER BY id DESC LIMIT 1`, typ, id).Scan(&status, &reason)
	if err != nil {
		t.Fatalf("outcome of %s %s: %v", typ, id, err)
	}
	return status, reason
}

func target(t *testing.T, pool *pgxpool.Pool, typ, id string) int64 {
	t.Helper()
	var tid int64
	err := pool.QueryRow(context.Background(), `SELECT target_id FROM migration_externalidmapping
		WHERE source_type = $1 AND source_id = $2`, typ, id).Scan(&tid)
	if err != nil {
		t.Fatalf("mapping of %s %s: %v", typ, id, err)
	}
	return tid
}

func hasIssue(t *testing.T, pool *pgxpool.Pool, typ, id, issueType string) bool {
	t.Helper()
	return count(t, pool, `SELECT count(*) FROM migration_dataqualityissue WHERE source_type=$1 AND source_id=$2 AND issue_type=$3`,
		typ, id, issueType) > 0
}

const clientsCSV = `id,nombre,tipo_documento,documento,telefono,celular,email,direccion,ciudad,notas,fecha_registro,autorizacion_datos
C1,José Pérez Gómez,CC,1.020.304.050,,300 123 4567,jose@example.com,Calle 1 # 2-3,Bogotá,,2020-01-15,Sí
C2,María Muñoz,CC,52000111,,3109998877,,,Medellín,,15/02/2021,No
C3,   ,CC,1,,3001112233,x@example.com,,,,,
C4,Sin Contacto,CC,77,,,,,,,,
C5,Correo Malo,CC,78,,3205556677,juan@@gmail,,,,,
C6,José P. Duplicado,CC,999,,,  JOSE@Example.COM ,,,,,
C7,María Tel Duplicado,,,,+57 310 999 8877,,,,,,
C8,Doc Duplicado,cc,1020304050,,3151234567,otro@example.com,,,,,
C9,Ana <script>alert(1)</script>,CC,4455,601 2345678,,ana@example.com,,Cali,<b>nota</b>,,
`

func TestClientOutcomes(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	dir := t.TempDir()
	im := newImporter(t, db.Pool, nil)
	sum := mustImport(t, im, "clients", writeFile(t, dir, "clientes.csv", clientsCSV))

	if sum.Read != 9 || sum.Imported != 3 || sum.Merged != 3 || sum.Rejected != 3 || sum.Orphaned != 0 {
		t.Fatalf("summary %+v", sum)
	}
	tests := []struct {
		id, status, reason string
	}{
		{"C1", "imported", ""},
		{"C2", "imported", ""},
		{"C3", "error", "empty_name"},
		{"C4", "error", "no_contact"},
		{"C5", "error", "invalid_email"},
		{"C6", "duplicate", "merged_into:C1"},
		{"C7", "duplicate", "merged_into:C2"},
		{"C8", "duplicate", "merged_into:C1"},
		{"C9", "imported", ""},
	}
	for _, tt := range tests {
		status, reason := outcomeOf(t, db.Pool, "client", tt.id)
		if status != tt.status || reason != tt.reason {
			t.Errorf("%s: got %s/%s, want %s/%s", tt.id, status, reason, tt.status, tt.reason)
		}
	}
	// Merged duplicates map to the survivor and create no user.
	if target(t, db.Pool, "client", "C6") != target(t, db.Pool, "client", "C1") ||
		target(t, db.Pool, "client", "C8") != target(t, db.Pool, "client", "C1") ||
		target(t, db.Pool, "client", "C7") != target(t, db.Pool, "client", "C2") {
		t.Error("merged duplicates do not map to their survivor")
	}
	if n := count(t, db.Pool, "SELECT count(*) FROM accounts_user"); n != 3 {
		t.Errorf("accounts_user rows = %d, want 3", n)
	}
	if !hasIssue(t, db.Pool, "client", "C6", "duplicate_merged") {
		t.Error("no duplicate_merged warning for C6")
	}
	var email, mobile, doc, name, notes string
	var consent bool
	err := db.Pool.QueryRow(context.Background(), `SELECT u.email, p.mobile, p.document_number, p.full_name, p.notes, p.data_consent
		FROM vet_clinic_ownerprofile p JOIN accounts_user u ON u.id = p.user_id WHERE p.id = $1`,
		target(t, db.Pool, "client", "C1")).Scan(&email, &mobile, &doc, &name, &notes, &consent)
	if err != nil {
		t.Fatal(err)
	}
	if email != "jose@example.com" || mobile != "+573001234567" || doc != "1020304050" || !consent {
		t.Errorf("C1 stored as %q %q %q consent=%v", email, mobile, doc, consent)
	}
	err = db.Pool.QueryRow(context.Background(), `SELECT u.email FROM vet_clinic_ownerprofile p JOIN accounts_user u ON u.id = p.user_id
		WHERE p.id = $1`, target(t, db.Pool, "client", "C2")).Scan(&email)
	if err != nil || email != "imported_c2@placeholder.local" {
		t.Errorf("C2 placeholder e-mail = %q, %v", email, err)
	}
	// HTML is data, kept as text.
	err = db.Pool.QueryRow(context.Background(), `SELECT full_name, notes FROM vet_clinic_ownerprofile WHERE id = $1`,
		target(t, db.Pool, "client", "C9")).Scan(&name, &notes)
	if err != nil || name != "Ana <script>alert(1)</script>" || notes != "<b>nota</b>" {
		t.Errorf("C9 stored as %q %q (%v)", name, notes, err)
	}
	// Every source row has exactly one migration record.
	if n := count(t, db.Pool, "SELECT count(*) FROM migration_migrationrecord WHERE batch_id = $1", sum.BatchID); n != 9 {
		t.Errorf("migration records = %d, want 9", n)
	}
	if sum.RejectFile == "" {
		t.Fatal("no reject file")
	}
	rej, err := os.ReadFile(sum.RejectFile)
	if err != nil || strings.Count(string(rej), "\n") != 4 || !strings.Contains(string(rej), "juan@@gmail") {
		t.Errorf("reject file:\n%s (%v)", rej, err)
	}
}

const petsCSV = `id,id_cliente,nombre,especie,raza,sexo,fecha_nacimiento,peso,color,microchip,esterilizado,fallecido,notas
P1,C1,Luna,Canino,Criollo(a),Hembra,03/04/2021,"12,5",Negro,985141000123456,Sí,No,
P2,C6,Max,Felino,,Macho,2019-05-02,800 g,,,No,No,
P3,C404,Rocky,Canino,,Macho,,,,,,,
P4,C3,Kira,Felino,,Hembra,,,,,,,
P5,C2,,Canino,,,,,,,,,
P6,C2,Piolín,Dragón,,,31/02/2020,0,,"9,85141E+14",,,
P7,C2,Futuro,Canino,,,2031-01-01,,,,,,
`

func importClientsAndPets(t *testing.T, pool *pgxpool.Pool, dir string, mod func(*importer.Options)) importer.Summary {
	t.Helper()
	im := newImporter(t, pool, mod)
	mustImport(t, im, "clients", writeFile(t, dir, "clientes.csv", clientsCSV))
	return mustImport(t, im, "pets", writeFile(t, dir, "mascotas.csv", petsCSV))
}

func TestPetOutcomes(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	sum := importClientsAndPets(t, db.Pool, t.TempDir(), nil)
	if sum.Read != 7 || sum.Imported != 4 || sum.Rejected != 1 || sum.Orphaned != 2 {
		t.Fatalf("summary %+v", sum)
	}
	// A merged duplicate's pet attaches to the surviving owner.
	var owner int64
	if err := db.Pool.QueryRow(context.Background(), "SELECT owner_id FROM pets_pet WHERE id = $1",
		target(t, db.Pool, "pet", "P2")).Scan(&owner); err != nil {
		t.Fatal(err)
	}
	if owner != target(t, db.Pool, "client", "C1") {
		t.Errorf("P2 owner %d, want survivor of C6 (C1)", owner)
	}
	if s, r := outcomeOf(t, db.Pool, "pet", "P3"); s != "skipped" || r != "orphaned" {
		t.Errorf("P3 (unknown owner) = %s/%s", s, r)
	}
	var desc string
	db.Pool.QueryRow(context.Background(), `SELECT description FROM migration_dataqualityissue
		WHERE source_type='pet' AND source_id='P4' AND issue_type='orphaned_record'`).Scan(&desc)
	if !strings.Contains(desc, "C3") || !strings.Contains(desc, "rechazado") { // the import's language, Spanish by default
		t.Errorf("P4 orphan warning does not say its owner was rejected: %q", desc)
	}
	if s, r := outcomeOf(t, db.Pool, "pet", "P5"); s != "error" || r != "empty_name" {
		t.Errorf("P5 = %s/%s", s, r)
	}
	var species, speciesRaw, chip string
	var birth *time.Time
	db.Pool.QueryRow(context.Background(), `SELECT p.species, r.source_data->>'especie', p.birth_date, p.microchip_number
		FROM pets_pet p JOIN migration_migrationrecord r ON r.target_model = 'pets_pet' AND r.target_id = p.id WHERE p.id=$1`,
		target(t, db.Pool, "pet", "P6")).Scan(&species, &speciesRaw, &birth, &chip)
	if species != "other" || speciesRaw != "Dragón" || birth != nil || chip != "" {
		t.Errorf("P6 stored %q %q %v %q", species, speciesRaw, birth, chip)
	}
	for _, is := range []string{"unknown_species", "precision_lost"} {
		if !hasIssue(t, db.Pool, "pet", "P6", is) {
			t.Errorf("P6 lacks issue %s", is)
		}
	}
	db.Pool.QueryRow(context.Background(), "SELECT birth_date FROM pets_pet WHERE id=$1", target(t, db.Pool, "pet", "P7")).Scan(&birth)
	if birth != nil || !hasIssue(t, db.Pool, "pet", "P7", "future_date") {
		t.Errorf("P7 future birth date stored as %v", birth)
	}
	var weight string
	db.Pool.QueryRow(context.Background(), "SELECT weight::text FROM pets_pet WHERE id=$1", target(t, db.Pool, "pet", "P1")).Scan(&weight)
	if weight != "12.500" {
		t.Errorf("P1 weight %q", weight)
	}
}

func TestOrphanPlaceholder(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	sum := importClientsAndPets(t, db.Pool, t.TempDir(), func(o *importer.Options) { o.Orphans = importer.OrphansPlaceholder })
	if sum.Orphaned != 0 || sum.Imported != 6 {
		t.Fatalf("summary %+v", sum)
	}
	var name string
	err := db.Pool.QueryRow(context.Background(), `SELECT o.full_name FROM pets_pet p JOIN vet_clinic_ownerprofile o ON o.id = p.owner_id
		WHERE p.id = $1`, target(t, db.Pool, "pet", "P3")).Scan(&name)
	if err != nil || name != importer.PlaceholderOwnerName {
		t.Fatalf("P3 owner %q, %v", name, err)
	}
	if n := count(t, db.Pool, "SELECT count(*) FROM vet_clinic_ownerprofile WHERE is_placeholder"); n != 1 {
		t.Errorf("%d placeholder owners, want 1", n)
	}
}

const recordsCSV = `id,id_paciente,fecha,tipo,descripcion,diagnostico,tratamiento,notas,id_veterinario
H1,P1,2023-05-02 14:30:00,Consulta,Control,Sano,-,,V7
H2,P3,2023-05-02,Consulta,Huérfano,,,,
H3,P1,31/02/2023,Consulta,Fecha mala,,,,
H4,P5,02/05/2023,Consulta,Mascota rechazada,,,,
`

const vaccinesCSV = `id,id_paciente,vacuna,fecha_aplicacion,fecha_proxima,lote,laboratorio,id_veterinario
V1,P1,Rabia,2023-05-02,2024-05-02,L1,Zoetis,V7
V2,P1,,2023-05-02,,,,
V3,P1,Parvovirus,2023-13-01,,,,
V4,P4,Rabia,2023-05-02,,,,
V5,P2,Triple felina,2023-05-02,2022-05-02,,,
`

func TestRecordsAndVaccinesCascade(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	dir := t.TempDir()
	importClientsAndPets(t, db.Pool, dir, nil)
	im := newImporter(t, db.Pool, nil)
	rec := mustImport(t, im, "medical", writeFile(t, dir, "historia_clinica.csv", recordsCSV))
	if rec.Imported != 1 || rec.Orphaned != 2 || rec.Rejected != 1 {
		t.Fatalf("records summary %+v", rec)
	}
	var treatment, vet string
	var when time.Time
	db.Pool.QueryRow(context.Background(), "SELECT treatment, vet_external_id, date FROM medical_medicalrecord WHERE id=$1",
		target(t, db.Pool, "record", "H1")).Scan(&treatment, &vet, &when)
	if treatment != "" || vet != "V7" || !hasIssue(t, db.Pool, "record", "H1", "placeholder_value") {
		t.Errorf("H1 treatment %q vet %q", treatment, vet)
	}
	if want := time.Date(2023, 5, 2, 19, 30, 0, 0, time.UTC); !when.Equal(want) {
		t.Errorf("H1 date %v, want %v (14:30 Bogotá)", when.UTC(), want)
	}
	vac := mustImport(t, im, "vaccines", writeFile(t, dir, "vacunas.csv", vaccinesCSV))
	if vac.Imported != 2 || vac.Rejected != 2 || vac.Orphaned != 1 {
		t.Fatalf("vaccines summary %+v", vac)
	}
	if !hasIssue(t, db.Pool, "vaccine", "V5", "next_before_applied") {
		t.Error("V5 lacks next_before_applied warning")
	}
	if s, r := outcomeOf(t, db.Pool, "vaccine", "V2"); s != "error" || r != "empty_vaccine" {
		t.Errorf("V2 = %s/%s", s, r)
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	dir := t.TempDir()
	writeFile(t, dir, "clientes.csv", clientsCSV)
	writeFile(t, dir, "mascotas.csv", petsCSV)
	writeFile(t, dir, "notas_sueltas.txt", "nada que ver\n")
	im := newImporter(t, db.Pool, func(o *importer.Options) { o.DryRun = true })
	res, err := im.ImportDir(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Summaries) != 2 {
		t.Fatalf("summaries %+v", res.Summaries)
	}
	// Later files see what earlier ones would have imported.
	if pets := res.Summaries[1]; pets.Imported != 4 || pets.Orphaned != 2 {
		t.Errorf("dry-run pets %+v", pets)
	}
	if _, ok := res.Unrecognised["notas_sueltas.txt"]; !ok {
		t.Errorf("unrecognised files %v", res.Unrecognised)
	}
	for _, table := range []string{"accounts_user", "vet_clinic_ownerprofile", "pets_pet", "migration_externalidmapping"} {
		if n := count(t, db.Pool, "SELECT count(*) FROM "+table); n != 0 {
			t.Errorf("dry run wrote %d rows to %s", n, table)
		}
	}
	if n := count(t, db.Pool, "SELECT count(*) FROM migration_migrationbatch WHERE is_dry_run AND status='completed'"); n != 2 {
		t.Errorf("%d dry-run batches recorded, want 2", n)
	}
	if n := count(t, db.Pool, "SELECT count(*) FROM migration_migrationrecord"); n != 16 {
		t.Errorf("%d dry-run records, want 16", n)
	}
}

func TestFailureMidBatchLeavesNothing(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	// A trigger stands in for any database failure in the middle of a batch.
	_, err := db.Pool.Exec(ctx, `CREATE FUNCTION boom() RETURNS trigger AS $$
		BEGIN IF NEW.full_name = 'Ana <script>alert(1)</script>' THEN RAISE EXCEPTION 'disk full'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql;
		CREATE TRIGGER boom BEFORE INSERT ON vet_clinic_ownerprofile FOR EACH ROW EXECUTE FUNCTION boom();`)
	if err != nil {
		t.Fatal(err)
	}
	im := newImporter(t, db.Pool, nil)
	sum, err := im.ImportFile(ctx, "clients", writeFile(t, t.TempDir(), "clientes.csv", clientsCSV))
	if !errors.Is(err, importer.ErrBatchFailed) || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("err = %v", err)
	}
	for _, table := range []string{"accounts_user", "vet_clinic_ownerprofile", "migration_externalidmapping", "migration_migrationrecord"} {
		if n := count(t, db.Pool, "SELECT count(*) FROM "+table); n != 0 {
			t.Errorf("failed batch left %d rows in %s", n, table)
		}
	}
	var status, msg string
	db.Pool.QueryRow(ctx, "SELECT status, notes FROM migration_migrationbatch WHERE id=$1", sum.BatchID).Scan(&status, &msg)
	if status != "failed" || !strings.Contains(msg, "disk full") {
		t.Errorf("batch status %q %q", status, msg)
	}
}

func TestReimportSkipsAlreadyImported(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	dir := t.TempDir()
	im := newImporter(t, db.Pool, nil)
	path := writeFile(t, dir, "clientes.csv", clientsCSV)
	mustImport(t, im, "clients", path)
	again := mustImport(t, im, "clients", path)
	// Imported and merged rows are recognised by id and compared: unchanged.
	if again.Imported != 0 || again.Merged != 0 || again.Updated != 0 || again.Unchanged != 6 || again.Rejected != 3 {
		t.Fatalf("second import %+v", again)
	}
	if n := count(t, db.Pool, "SELECT count(*) FROM accounts_user"); n != 3 {
		t.Errorf("accounts_user rows = %d after re-import, want 3", n)
	}
}

func TestNewOptions(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	tests := []struct {
		name string
		opts importer.Options
		err  string
	}{
		{"no media", importer.Options{}, "media"},
		{"bad orphans", importer.Options{MediaDir: "m", Orphans: "drop"}, "orphan mode"},
		{"bad batch", importer.Options{MediaDir: "m", BatchSize: -1}, "batch size"},
		{"ok", importer.Options{MediaDir: "m"}, ""},
	}
	for _, tt := range tests {
		_, err := importer.New(db.Pool, tt.opts)
		if (err == nil) != (tt.err == "") || (err != nil && !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.err)
		}
	}
	if _, err := importer.New(nil, importer.Options{MediaDir: "m"}); err == nil {
		t.Error("nil pool accepted")
	}
}
