package cli

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/petfriendly/recon/audit"
	"github.com/petfriendly/recon/internal/i18n"
)

// A row recon has no record of (a destination row created by hand) says
// so in place of its origin, and one never migrated says that too.
func TestPrintRecordWithoutSource(t *testing.T) {
	tests := []struct {
		lang i18n.Lang
		v    audit.RecordView
		want []string
	}{
		{i18n.ES, audit.RecordView{Type: "pets", SourceID: "P9"},
			[]string{"P9", "  origen: sin registro de importación\n", "  destino: no migrado\n"}},
		{i18n.EN, audit.RecordView{Type: "pets", SourceID: "P9", Destination: &audit.DestRow{Table: "pets_pet", ID: 12}},
			[]string{"  source: no import record\n", "  destination: pets_pet #12 — THE ROW NO LONGER EXISTS!\n"}},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		printRecord(&Globals{L: tt.lang}, &b, tt.v, "")
		for _, w := range tt.want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s: the record lacks %q:\n%s", tt.lang, w, b.String())
			}
		}
	}
}

// A review refusal is worded in the operator's language; any other error
// passes through as it is.
func TestLocalize(t *testing.T) {
	other := errors.New("read issue: connection reset")
	if got := localize(&Globals{L: i18n.ES}, other); got != other {
		t.Errorf("localize rewrote %v into %v", other, got)
	}
	refusal := &audit.Error{Code: audit.CodeNotFound, ID: 404}
	for _, l := range []i18n.Lang{i18n.ES, i18n.EN} {
		if got := localize(&Globals{L: l}, refusal); got == nil || got.Error() != refusal.Text(l) {
			t.Errorf("%s: localize = %v, want %q", l, got, refusal.Text(l))
		}
	}
}
