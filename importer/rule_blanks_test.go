package importer_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/petfriendly/recon/importer"
	"github.com/petfriendly/recon/internal/pgtest"
)

// issueMessage returns the message of one issue of a source row.
func issueMessage(t *testing.T, db *pgtest.DB, typ, id, issueType string) string {
	t.Helper()
	var msg string
	if err := db.Pool.QueryRow(context.Background(), `SELECT description FROM migration_dataqualityissue
		WHERE source_type = $1 AND source_id = $2 AND issue_type = $3`, typ, id, issueType).Scan(&msg); err != nil {
		t.Fatalf("%s issue of %s %s: %v", issueType, typ, id, err)
	}
	return msg
}

// TestBlankCellsInRules: what the rules do with a blank cell where a value
// is expected: a pet without species is "other", an appointment without
// status is scheduled, a medical record without date is rejected, and a
// row without its parent's id is an orphan whose message says the id is
// empty.
func TestBlankCellsInRules(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	dir := t.TempDir()
	importClientsAndPets(t, db.Pool, dir, nil)
	im := newImporter(t, db.Pool, nil)
	ctx := context.Background()

	pets := mustImport(t, im, "pets", writeFile(t, dir, "mascotas2.csv",
		"id,id_cliente,nombre,especie,raza,sexo,fecha_nacimiento,peso,color,microchip,esterilizado,fallecido,notas\n"+
			"P20,C1,Nube,,,Hembra,,,,,,,\n"))
	var species string
	if err := db.Pool.QueryRow(ctx, "SELECT species FROM pets_pet WHERE id = $1", target(t, db.Pool, "pet", "P20")).Scan(&species); err != nil {
		t.Fatal(err)
	}
	if pets.Imported != 1 || species != "other" {
		t.Errorf("pet without species: %+v, species %q; want imported as other", pets, species)
	}

	app := mustImport(t, im, "appointments", writeFile(t, dir, "citas.csv",
		"id,id_paciente,id_cliente,fecha,hora,duracion,motivo,estado,id_veterinario,notas\n"+
			"A1,P1,C1,2024-03-01,14:30,30,Control,,,\n"+
			"A2,P1,C1,2024-03-01,25:99,30,Hora mala,atendida,,\n"))
	var status string
	if err := db.Pool.QueryRow(ctx, "SELECT status FROM appointments_appointment WHERE id = $1",
		target(t, db.Pool, "appointment", "A1")).Scan(&status); err != nil {
		t.Fatal(err)
	}
	if app.Imported != 1 || app.Rejected != 1 || status != "scheduled" {
		t.Errorf("appointments %+v, A1 status %q; want A1 scheduled, A2 rejected", app, status)
	}
	if s, r := outcomeOf(t, db.Pool, "appointment", "A2"); s != "error" || r != "invalid_time" {
		t.Errorf("A2 = %s/%s, want error/invalid_time", s, r)
	}
	if n := count(t, db.Pool, `SELECT count(*) FROM migration_dataqualityissue WHERE source_type = 'appointment'
		AND source_id = 'A2' AND issue_type = 'invalid_time' AND description = 'unparseable appointment time "25:99"'`); n != 1 {
		t.Errorf("A2 has %d invalid_time issues from the rules, want 1", n)
	}

	rec := mustImport(t, im, "medical", writeFile(t, dir, "historia_clinica.csv",
		"id,id_paciente,fecha,tipo,descripcion,diagnostico,tratamiento,notas,id_veterinario\n"+
			"H1,P1,,Consulta,Sin fecha,,,,\n"+
			"H2,,2023-05-02,Consulta,Sin paciente,,,,\n"))
	if rec.Imported != 0 || rec.Rejected != 1 || rec.Orphaned != 1 {
		t.Fatalf("records %+v, want one rejected and one orphaned", rec)
	}
	if s, r := outcomeOf(t, db.Pool, "record", "H1"); s != "error" || r != "missing_date" {
		t.Errorf("H1 = %s/%s, want error/missing_date", s, r)
	}
	if msg := issueMessage(t, db, "record", "H2", "orphaned_record"); msg != `pet "" not in the destination (empty)` {
		t.Errorf("H2 message %q", msg)
	}
}

// TestHardLinkedAttachment: an attachment with a second name is imported,
// with a warning that the other name may be outside the export folder.
func TestHardLinkedAttachment(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	dir := t.TempDir()
	importClientsAndPets(t, db.Pool, dir, nil)
	rx := writeFile(t, dir, "adjuntos/rx.pdf", "%PDF-1.4 radiografía")
	if err := os.Link(rx, filepath.Join(t.TempDir(), "otro-nombre.pdf")); err != nil {
		t.Fatal(err)
	}
	im := newImporter(t, db.Pool, nil)
	sum := mustImport(t, im, "documents", writeFile(t, dir, "documentos.csv",
		"id,id_paciente,id_cliente,archivo,tipo,descripcion,fecha\nD1,P1,C1,adjuntos/rx.pdf,Radiografía,Tórax,2024-01-10\n"))
	if sum.Imported != 1 {
		t.Fatalf("documents %+v", sum)
	}
	want := "attachment has 2 hard links: the same file also has a name that may be outside the export folder"
	if msg := issueMessage(t, db, "document", "D1", "hard_link"); msg != want {
		t.Errorf("hard_link message %q, want %q", msg, want)
	}
}

// TestRejectFolderIsAFile: a reject folder that cannot be created fails
// the batch with the folder's error, and the batch leaves no rows.
func TestRejectFolderIsAFile(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	dir := t.TempDir()
	blocker := writeFile(t, t.TempDir(), "rejects", "a file, not a folder")
	im := newImporter(t, db.Pool, func(o *importer.Options) { o.RejectDir = filepath.Join(blocker, "sub") })
	before := destinationCounts(t, db.Pool)
	_, err := im.ImportFile(context.Background(), "clients", writeFile(t, dir, "clientes.csv", clientsCSV))
	if err == nil || !strings.Contains(err.Error(), "create reject folder: mkdir "+blocker+": not a directory") {
		t.Fatalf("import with a file as reject folder: %v", err)
	}
	if got := destinationCounts(t, db.Pool); got["accounts_user"] != before["accounts_user"] {
		t.Errorf("counts %v after a failed batch, want %v", got, before)
	}
}
