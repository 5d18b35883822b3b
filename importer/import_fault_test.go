package importer_test

import (
	"context"
	"errors"
	"maps"
	"strings"
	"testing"

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
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
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
			before := destinationCounts(t, db.Pool)
			completed := count(t, db.Pool, "SELECT count(*) FROM migration_migrationbatch WHERE status = 'completed'")
			for n := int64(1); ; n++ {
				tracer.N.Store(n)
				tracer.Count.Store(0)
				sum, err := im.ImportFile(ctx, tt.typ, path)
				if err == nil {
					if !tt.check(sum) {
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
				if got := destinationCounts(t, db.Pool); !maps.Equal(got, before) {
					t.Fatalf("statement %d cancelled (%v): counts %v, want %v", n, err, got, before)
				}
				if c := count(t, db.Pool, "SELECT count(*) FROM migration_migrationbatch WHERE status = 'completed'"); c != completed {
					t.Fatalf("statement %d cancelled (%v): %d completed batches, want %d", n, err, c, completed)
				}
				lock, err := importer.AcquireLock(ctx, db.Pool, importer.LockOptions{Command: "test"})
				if err != nil {
					t.Fatalf("statement %d cancelled: the lock stays taken: %v", n, err)
				}
				if len(lock.Interrupted) != 0 {
					t.Errorf("statement %d cancelled: batches %v left running", n, lock.Interrupted)
				}
				lock.Release(ctx)
			}
		})
	}
}
