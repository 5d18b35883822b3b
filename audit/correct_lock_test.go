package audit_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/petfriendly/recon/audit"
	"github.com/petfriendly/recon/importer"
	"github.com/petfriendly/recon/internal/i18n"
)

// TestCorrectTakesTheImportLock: while an import (or rollback) holds the
// lock a correction is refused, naming who holds it, and nothing is
// written; once the lock is released the same correction is applied.
func TestCorrectTakesTheImportLock(t *testing.T) {
	f := imported(t)
	ctx := context.Background()
	req := audit.CorrectRequest{Type: "pet", SourceID: "P1", Changes: []audit.Change{{Field: "nombre", Value: "Lunita"}},
		Reason: "la dueña confirma el nombre", By: "ana", At: time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)}
	lock, err := importer.AcquireLock(ctx, f.pool, importer.LockOptions{Command: "import", Operator: "pedro"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = audit.Correct(ctx, f.pool, req)
	var re *audit.Error
	if !errors.As(err, &re) || re.Code != audit.CodeImportRunning || !strings.Contains(re.Text(i18n.ES), "pedro") {
		t.Fatalf("correct while the import lock is held: %v, want %s naming pedro", err, audit.CodeImportRunning)
	}
	var n int
	if err := f.pool.QueryRow(ctx, `SELECT count(*) FROM migration_correction`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("corrections written while refused: %d, %v", n, err)
	}
	lock.Release(ctx)
	applied, err := audit.Correct(ctx, f.pool, req)
	if err != nil || len(applied) != 1 || applied[0].New != "Lunita" {
		t.Fatalf("correct after the import: %+v, %v", applied, err)
	}
}
