package reports

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/reconcile"
)

// TestCompareOutcomesCorrectionsDurations: between two rehearsals the
// comparison tells every outcome that changed (orphans that became imported
// included), the corrections and resolutions made between them, each run's
// import and verify durations, and the runs' full labels; the terminal
// summary says the same.
func TestCompareOutcomesCorrectionsDurations(t *testing.T) {
	benita := reconcile.Correction{Type: "pets", SourceID: "P7", Field: "nombre", Old: "Benito", New: "Benita", By: "ana",
		At: time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC), Reason: "la dueña lo confirmó"}
	old := reconcile.Correction{Type: "clients", SourceID: "C1", Field: "celular", Old: "1", New: "2", By: "ana",
		At: time.Date(2026, 11, 19, 15, 0, 0, 0, time.UTC), Reason: "llamada"}
	// The same correction read back from JSON: another *time.Location.
	oldAgain := old
	oldAgain.At = old.At.In(time.FixedZone("", -5*3600))
	first := RunInfo{Label: "ensayo 1 (huérfanos señalados)", Result: reconcile.Result{
		GeneratedAt: time.Date(2026, 11, 19, 20, 0, 0, 0, time.UTC), Operator: "ana",
		Types: map[string]reconcile.TypeCounts{
			"pets":    {SourceRows: 2456, Imported: 1936, Orphaned: 484, Rejected: 36},
			"clients": {SourceRows: 1234, Imported: 1200, Rejected: 34},
		},
		IssuesByType: []reconcile.IssueCount{{Severity: "critical", Type: "orphaned_record", Open: 484, Resolved: 0},
			{Severity: "critical", Type: "empty_name", Open: 10, Resolved: 0}},
		Corrections: []reconcile.Correction{old},
		Durations:   &reconcile.Durations{ImportSeconds: 83.4, VerifySeconds: 21},
	}}
	second := RunInfo{Label: "ensayo 2 (huérfanos con propietario desconocido)", Result: reconcile.Result{
		GeneratedAt: time.Date(2026, 11, 21, 20, 0, 0, 0, time.UTC), Operator: "ana",
		Types: map[string]reconcile.TypeCounts{
			"pets":    {SourceRows: 2456, Imported: 2395, Orphaned: 25, Rejected: 36},
			"clients": {SourceRows: 1234, Imported: 1200, Rejected: 34},
		},
		IssuesByType: []reconcile.IssueCount{{Severity: "critical", Type: "orphaned_record", Open: 25, Resolved: 0},
			{Severity: "critical", Type: "empty_name", Open: 4, Resolved: 6}},
		Corrections: []reconcile.Correction{oldAgain, benita},
		Durations:   &reconcile.Durations{ImportSeconds: 3725, VerifySeconds: 59.6},
	}}
	c := Compare([]RunInfo{second, first})
	if len(c.Steps) != 1 {
		t.Fatalf("%d steps", len(c.Steps))
	}
	s := c.Steps[0]
	wantOutcomes := []OutcomeChange{
		{Type: "pets", Outcome: "imported", Before: 1936, After: 2395},
		{Type: "pets", Outcome: "orphaned", Before: 484, After: 25},
	}
	if !reflect.DeepEqual(s.Outcomes, wantOutcomes) {
		t.Errorf("outcomes %+v, want %+v", s.Outcomes, wantOutcomes)
	}
	if len(s.Corrections) != 1 || s.Corrections[0].New != "Benita" {
		t.Errorf("corrections between the runs %+v, want Benito → Benita alone", s.Corrections)
	}
	wantIssues := []IssueChange{
		{Severity: "critical", Type: "empty_name", OpenBefore: 10, OpenAfter: 4, Resolved: 6, ResolvedBetween: 6},
		{Severity: "critical", Type: "orphaned_record", OpenBefore: 484, OpenAfter: 25, Resolved: 459},
	}
	if !reflect.DeepEqual(s.Issues, wantIssues) {
		t.Errorf("issues %+v, want %+v", s.Issues, wantIssues)
	}
	if d := c.Runs[1].Durations; d == nil || d.ImportSeconds != 3725 {
		t.Errorf("second run's durations %+v", d)
	}
	var js bytes.Buffer
	if err := CompareJSON(&js, c); err != nil {
		t.Fatal(err)
	}
	var back Comparison
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || !reflect.DeepEqual(back.Steps[0].Outcomes, wantOutcomes) {
		t.Errorf("JSON round trip: %v %+v", err, back.Steps)
	}

	bogota := time.FixedZone("-05", -5*3600)
	for _, tt := range []struct {
		lang  i18n.Lang
		want  []string
		count string
	}{
		{i18n.ES, []string{
			"ensayo 1 (huérfanos señalados) — 2026-11-19 15:00 -05, ana:", "importación 1 min 23 s, verificación 21 s",
			"ensayo 2 (huérfanos con propietario desconocido) — 2026-11-21 15:00 -05", "importación 1 h 02 min, verificación 1 min 00 s",
			"mascotas, importadas: 1.936 → 2.395 (+459)", "mascotas, huérfanas: 484 → 25 (−459)",
			"problemas empty_name: 10 → 4 abiertos (6 cerrados; 6 resueltos entre las ejecuciones)",
			`corrección mascotas P7 nombre: "Benito" → "Benita", ana 2026-11-20 10:00 -05 (la dueña lo confirmó)`,
		}, "2.395"},
		{i18n.EN, []string{"pets, orphaned: 484 → 25 (−459)", "import 1 h 02 min, verification 1 min 00 s"}, "2,395"},
	} {
		var out bytes.Buffer
		if err := CompareText(&out, c, tt.lang, bogota); err != nil {
			t.Fatal(err)
		}
		for _, w := range tt.want {
			if !strings.Contains(out.String(), w) {
				t.Errorf("%s: terminal summary lacks %q:\n%s", tt.lang, w, out.String())
			}
		}
		var page bytes.Buffer
		if err := CompareHTML(&page, c, withFake(HTMLOptions{Lang: tt.lang, Location: bogota})); err != nil {
			t.Fatal(err)
		}
		for _, w := range []string{"ensayo 2 (huérfanos con propietario desconocido)", "Benita", tt.count, "1 h 02 min"} {
			if !strings.Contains(page.String(), w) {
				t.Errorf("%s: HTML lacks %q", tt.lang, w)
			}
		}
		if strings.Contains(page.String(), "truncate") {
			t.Errorf("%s: the charts still cut the run labels", tt.lang)
		}
	}
}
