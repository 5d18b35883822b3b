package cli

import (
	"testing"

	"github.com/petfriendly/recon/importer"
	"github.com/petfriendly/recon/internal/i18n"
)

// A failed batch's note is worded when recon recorded the reason itself,
// and shown as it is when it is an error's own text.
func TestBatchNote(t *testing.T) {
	tests := []struct {
		lang i18n.Lang
		note string
		want string
	}{
		{i18n.EN, importer.InterruptedReason, "interrupted: the recon process ended before closing the batch"},
		{i18n.ES, importer.InterruptedDBClosedReason, "interrumpido: la base de datos se cerró mientras el lote corría"},
		{i18n.ES, "clientes.csv: line 4: bad quote", "clientes.csv: line 4: bad quote"},
	}
	for _, tt := range tests {
		if got := batchNote(&Globals{L: tt.lang}, tt.note); got != tt.want {
			t.Errorf("batchNote(%s, %q) = %q, want %q", tt.lang, tt.note, got, tt.want)
		}
	}
}
