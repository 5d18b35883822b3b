package importer_test

import (
	"context"
	"errors"
	"maps"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/petfriendly/recon/importer"
	"github.com/petfriendly/recon/internal/pgtest"
)

// TestImportCancelledAtEveryStatement cancels an import at each of its
// statements in turn: new rows with a placeholder owner (pets), and
// updates of existing rows (clients again, changed). Every cancellation
// comes back as an error wrapping context.Canceled, the destination is as
// it was (all or nothing), no batch is left running or counted as
// completed, and the lock is free again. The run after the last statement
// imports normally.
func TestImportCancelledAtEveryStatement(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	dir := t.TempDir()
	plain := newImporter(t, db.Pool, nil)
	mustImport(t, plain, "clients", writeFile(t, dir, "clientes.csv", clientsCSV))
	changed := strings.NewReplacer("Bogotá,", "Tunja,").Replace(clientsCSV) +
		"C10,Nuevo Cliente,CC,123,,3157778899,nuevo@example.com,,,,,\n"
	tests := []struct {
		name, typ, file, content string
		check                    func(importer.Summary) bool
	}{
		{"new pets with a placeholder owner", "pets", "mascotas.csv", petsCSV,
			func(s importer.Summary) bool { return s.Imported == 6 && s.Rejected == 1 }},
		{"changed clients", "clients", "clientes2.csv", changed,
			func(s importer.Summary) bool { return s.Updated == 1 && s.Imported == 1 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tracer := &pgtest.CancelNth{}
			im := newImporter(t, tracedPool(t, db.Pool, tracer), func(o *importer.Options) { o.Orphans = importer.OrphansPlaceholder })
			path := writeFile(t, dir, tt.file, tt.content)
			importCancelledAtEachStatement(t, db.Pool, im, tracer, tt.typ, path, tt.check)
		})
	}
}

// TestImportOfEachTypeCancelledAtEveryStatement does the same for the
// types that depend on clients and pets, each on top of the previous ones
// (products before the invoice items that name them, invoices before
// their items): the reads of their indexes (products, pet owners), the
// ids, the rows and the check of item totals each fail on a cancelled
// statement without leaving anything behind.
func TestImportOfEachTypeCancelledAtEveryStatement(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	dir := t.TempDir()
	importClientsAndPets(t, db.Pool, dir, nil)
	writeFile(t, dir, "adjuntos/rx.pdf", "%PDF-1.4 radiografía de Luna")
	docs := "id,id_paciente,id_cliente,archivo,tipo,descripcion,fecha\n" +
		"D1,P1,C1,adjuntos/rx.pdf,Radiografía,Tórax,2024-01-10\n" +
		"D2,P1,C1,adjuntos/no-existe.pdf,Foto,,2024-01-10\n"
	tests := []struct {
		typ, file, content string
		check              func(importer.Summary) bool
	}{
		{"products", "productos.csv", productsCSV, func(s importer.Summary) bool { return s.Imported == 3 && s.Merged == 1 }},
		{"appointments", "citas.csv", appointmentsCSV,
			func(s importer.Summary) bool { return s.Imported == 3 && s.Orphaned == 1 && s.Rejected == 1 }},
		{"invoices", "facturas.csv", invoicesCSV, func(s importer.Summary) bool { return s.Imported == 2 && s.Orphaned == 2 }},
		{"invoice_items", "factura_items.csv", itemsCSV, func(s importer.Summary) bool { return s.Imported == 3 && s.Orphaned == 2 }},
		{"medical", "historia_clinica.csv", recordsCSV,
			func(s importer.Summary) bool { return s.Imported == 1 && s.Orphaned == 2 && s.Rejected == 1 }},
		{"vaccines", "vacunas.csv", vaccinesCSV,
			func(s importer.Summary) bool { return s.Imported == 2 && s.Orphaned == 1 && s.Rejected == 2 }},
		{"documents", "documentos.csv", docs, func(s importer.Summary) bool { return s.Imported == 1 && s.Rejected == 1 }},
	}
	for _, tt := range tests {
		t.Run(tt.typ, func(t *testing.T) {
			tracer := &pgtest.CancelNth{}
			im := newImporter(t, tracedPool(t, db.Pool, tracer), nil)
			importCancelledAtEachStatement(t, db.Pool, im, tracer, tt.typ, writeFile(t, dir, tt.file, tt.content), tt.check)
		})
	}
}

// importCancelledAtEachStatement imports path with the statement at n
// cancelled, for n = 1, 2, ... until an import goes through, whose summary
// check must accept. Every cancelled import must fail wrapping
// context.Canceled and leave the destination, the completed batches and
// the lock as they were.
func importCancelledAtEachStatement(t *testing.T, pool *pgxpool.Pool, im *importer.Importer, tracer *pgtest.CancelNth,
	typ, path string, check func(importer.Summary) bool) {
	t.Helper()
	ctx := context.Background()
	before := destinationCounts(t, pool)
	completed := count(t, pool, "SELECT count(*) FROM migration_migrationbatch WHERE status = 'completed'")
	for n := int64(1); ; n++ {
		tracer.N.Store(n)
		tracer.Count.Store(0)
		sum, err := im.ImportFile(ctx, typ, path)
		if err == nil {
			if !check(sum) {
				t.Fatalf("statement %d of %d cancelled: import %+v", n, tracer.Count.Load(), sum)
			}
			if n < 10 {
				t.Errorf("an import sent only %d statements", n-1)
			}
			break
		}
		if !errors.Is(err, context.Canceled) {
			t.Errorf("statement %d cancelled: err = %v, want context.Canceled", n, err)
		}
		if got := destinationCounts(t, pool); !maps.Equal(got, before) {
			t.Fatalf("statement %d cancelled (%v): counts %v, want %v", n, err, got, before)
		}
		if c := count(t, pool, "SELECT count(*) FROM migration_migrationbatch WHERE status = 'completed'"); c != completed {
			t.Fatalf("statement %d cancelled (%v): %d completed batches, want %d", n, err, c, completed)
		}
		lock, err := importer.AcquireLock(ctx, pool, importer.LockOptions{Command: "test"})
		if err != nil {
			t.Fatalf("statement %d cancelled: the lock stays taken: %v", n, err)
		}
		if len(lock.Interrupted) != 0 {
			t.Errorf("statement %d cancelled: batches %v left running", n, lock.Interrupted)
		}
		lock.Release(ctx)
	}
}
