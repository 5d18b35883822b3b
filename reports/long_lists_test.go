package reports

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/petfriendly/recon/internal/approval"
	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/reconcile"
)

// The HTML report shows at most maxTableRows findings and corrections and
// says how many more the verification JSON holds.
func TestHTMLLongListsAreCut(t *testing.T) {
	var r reconcile.Result
	for i := range maxTableRows + 2 {
		r.Findings = append(r.Findings, reconcile.Finding{Code: reconcile.CodeFileNotImported, Type: "pets",
			File: fmt.Sprintf("mascotas_%d.csv", i)})
		r.Corrections = append(r.Corrections, reconcile.Correction{Type: "pets", SourceID: fmt.Sprintf("P%d", i),
			Field: "color", Old: "negro", New: "café", By: "ana", At: fixedNow(), Reason: "digitación"})
	}
	v := buildReportView(r, HTMLOptions{Lang: i18n.EN, Now: fixedNow})
	if len(v.Findings) != maxTableRows || len(v.Corrections) != maxTableRows {
		t.Errorf("%d findings and %d corrections shown, want %d each", len(v.Findings), len(v.Corrections), maxTableRows)
	}
	want := "… and 2 more rows: see the verification JSON."
	if v.FindingsMore != want || v.CorrectionsMore != want {
		t.Errorf("more rows: findings %q, corrections %q; want %q", v.FindingsMore, v.CorrectionsMore, want)
	}
	if v.Findings[0].Text != FindingText(i18n.EN, r.Findings[0]) {
		t.Errorf("first finding %q, want %q", v.Findings[0].Text, FindingText(i18n.EN, r.Findings[0]))
	}
	var b bytes.Buffer
	if err := HTML(&b, r, HTMLOptions{Lang: i18n.EN, Now: fixedNow}); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); !strings.Contains(got, "mascotas_0.csv") || strings.Contains(got, fmt.Sprintf("mascotas_%d.csv", maxTableRows)) ||
		!strings.Contains(got, want) {
		t.Error("the HTML does not list the first findings only, with the count of the rest")
	}
}

// A sign-off line says whether the data changed since the approval, and
// in which tables when they are known.
func TestSignoffLine(t *testing.T) {
	at := time.Date(2026, 11, 20, 15, 4, 0, 0, time.UTC)
	tests := []struct {
		name string
		s    approval.Status
		lang i18n.Lang
		want string
	}{
		{"unchanged", approval.Status{Signer: "María", SignedAt: at, RunID: 4, Unchanged: true}, i18n.EN,
			" — the data has not changed since"},
		{"tables named", approval.Status{Signer: "María", RunID: 4, Changed: []string{"pets_pet"}}, i18n.ES,
			"verificación #4 aprobada por María — los datos CAMBIARON desde entonces en: pets_pet"},
		{"tables unknown", approval.Status{Signer: "María", RunID: 4}, i18n.EN,
			"run #4 approved by María — the data CHANGED since"},
		{"tables unknown es", approval.Status{Signer: "María", RunID: 4}, i18n.ES,
			"verificación #4 aprobada por María — los datos CAMBIARON desde entonces"},
	}
	for _, tt := range tests {
		got := SignoffLine(tt.lang, tt.s, time.UTC)
		if !strings.HasSuffix(got, tt.want) {
			t.Errorf("%s: SignoffLine = %q, want it to end in %q", tt.name, got, tt.want)
		}
	}
}
