package reports

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/reconcile"
)

// TestHTMLSourceChanges: the report says what changed in OkVet since the
// import, per type, with examples.
func TestHTMLSourceChanges(t *testing.T) {
	r := fixture(t)
	r.SourceDelta = map[string]reconcile.Delta{
		"pets":    {Added: 2, Removed: 1, Changed: 3, Examples: []string{"+P9", "-P4", "~P1"}},
		"clients": {Changed: 1},
	}
	for _, tt := range []struct {
		lang i18n.Lang
		want []string
	}{
		{i18n.ES, []string{"<li>clientes: 0 añadidas, 0 eliminadas, 1 cambiadas</li>",
			"<li>mascotas: 2 añadidas, 1 eliminadas, 3 cambiadas (&#43;P9, -P4, ~P1)</li>"}},
		{i18n.EN, []string{"<li>clients: 0 added, 0 removed, 1 changed</li>", "<li>pets: 2 added, 1 removed, 3 changed (&#43;P9, -P4, ~P1)</li>"}},
	} {
		var buf bytes.Buffer
		if err := HTML(&buf, r, withFake(HTMLOptions{Lang: tt.lang, Now: fixedNow})); err != nil {
			t.Fatal(err)
		}
		for _, w := range tt.want {
			if !strings.Contains(buf.String(), w) {
				t.Errorf("%s report lacks %q", tt.lang, w)
			}
		}
	}
}

// TestPDFListsAtMostFifteenBlockingFindings: the approval lists the first
// fifteen blocking findings and leaves the rest to the HTML report;
// findings that do not block are not listed.
func TestPDFListsAtMostFifteenBlockingFindings(t *testing.T) {
	r := fixture(t)
	r.Findings = nil
	r.Unexplained, r.Mismatches = nil, nil
	for i := 1; i <= 18; i++ {
		r.Findings = append(r.Findings, reconcile.Finding{Code: reconcile.CodeBatchFailed, Type: "pets", SourceID: fmt.Sprintf("B%02d", i),
			Params: map[string]string{"batch": fmt.Sprint(100 + i)}, Blocks: i != 2})
	}
	pages := pdfText(t, renderPDF(t, r, PDFOptions{Lang: i18n.EN, Now: fixedNow}))
	text := strings.Join(pages, "\n")
	if !strings.Contains(text, "Differences to resolve") {
		t.Fatalf("no differences section:\n%s", text)
	}
	for i := 1; i <= 18; i++ {
		id := fmt.Sprintf("B%02d", i)
		listed := strings.Contains(text, id)
		if want := i != 2 && i <= 16; listed != want { // B02 does not block; B01, B03..B16 are the fifteen
			t.Errorf("%s listed = %v, want %v", id, listed, want)
		}
	}
}
