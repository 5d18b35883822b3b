package reports

import (
	"strings"
	"testing"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/reconcile"
	"github.com/petfriendly/recon/source"
)

// TestFindingText renders every finding code in both languages: each text
// carries the finding's own values (file and line, batch, ids, table,
// parameters), never a formatting error, and a code it does not know is
// shown as the code with its parameters.
func TestFindingText(t *testing.T) {
	f := func(code string, mod func(*reconcile.Finding)) reconcile.Finding {
		x := reconcile.Finding{Code: code, Type: "pets", SourceID: "P7", Table: "pets_pet", TargetID: 42,
			File: "/exports/mascotas.csv", Line: 12, Params: map[string]string{}}
		if mod != nil {
			mod(&x)
		}
		return x
	}
	params := func(kv ...string) func(*reconcile.Finding) {
		return func(x *reconcile.Finding) {
			for i := 0; i < len(kv); i += 2 {
				x.Params[kv[i]] = kv[i+1]
			}
		}
	}
	tests := []struct {
		finding reconcile.Finding
		es, en  []string
	}{
		{f(reconcile.CodeNeverImported, nil), []string{"mascotas.csv:12: ", "nunca se importó"}, []string{"mascotas.csv:12: ", "never imported"}},
		{f(reconcile.CodeFileNotImported, func(x *reconcile.Finding) { x.Line = 0 }),
			[]string{"mascotas.csv: archivo de"}, []string{"mascotas.csv: ", "file not imported"}},
		{f(reconcile.CodeBatchFailed, params("batch", "9")), []string{"(#9) falló"}, []string{"(#9) failed"}},
		{f(reconcile.CodeBatchRunning, params("batch", "9")), []string{"(#9) sigue en curso"}, []string{"(#9) is still running"}},
		{f(reconcile.CodeRolledBack, params("batch", "9")), []string{"(#9) se revirtió"}, []string{"(#9) was rolled back"}},
		{f(reconcile.CodeSourceChanged, params("batch", "3")), []string{"mascotas.csv:12: ", "lote #3"}, []string{"batch #3"}},
		{f(reconcile.CodeSourceMissing, params("batch", "3")), []string{"lote #3 no se encuentra"}, []string{"batch #3 is not found"}},
		{f(reconcile.CodeLineNoRecord, nil), []string{"P7 sin registro de migración"}, []string{"P7 has no migration record"}},
		{f(reconcile.CodeLinesMerged, params("first", "12", "last", "15")), []string{"líneas 12–15", "línea 12"},
			[]string{"lines 12–15 were merged into line 12"}},
		{f(reconcile.CodeVanished, nil), []string{"P7 (fila 42 de pets_pet)"}, []string{"P7 (row 42 of pets_pet) is no longer"}},
		{f(reconcile.CodeNotFromMigration, nil), []string{"fila 42 de pets_pet no viene"}, []string{"row 42 of pets_pet is not from"}},
		{f(reconcile.CodeCreatedAfterImport, nil), []string{"fila 42 de pets_pet creada"}, []string{"row 42 of pets_pet created"}},
		{f(reconcile.CodeTargetMissing, nil), []string{"P7 apunta a la fila 42 de pets_pet"}, []string{"P7 points at row 42 of pets_pet"}},
		{f(reconcile.CodeSharedTarget, params("source_ids", "P7, P8")), []string{"varios ids de origen: P7, P8"},
			[]string{"several source ids: P7, P8"}},
		{f(reconcile.CodeWrongModel, params("model", "billing_invoice")), []string{"apunta a billing_invoice en lugar de pets_pet"},
			[]string{"points at billing_invoice instead of pets_pet"}},
		{f(reconcile.CodeExternalIDMismatch, params("external_id", "P9")), []string{`external_id dice "P9"`}, []string{`external_id says "P9"`}},
		{f(reconcile.CodeRecordNoIssue, params("status", "error")), []string{"P7 (error) no tiene su problema"}, []string{"P7 (error) has no quality issue"}},
		{f(reconcile.CodeIssueNoRecord, params("issues", "4")), []string{"4 problemas críticos"}, []string{"4 critical issues detached"}},
		{f("brand_new_code", params("b", "2", "a", "1")), []string{"mascotas.csv:12: brand_new_code a=1 b=2"},
			[]string{"mascotas.csv:12: brand_new_code a=1 b=2"}},
	}
	for _, tt := range tests {
		t.Run(tt.finding.Code, func(t *testing.T) {
			for _, c := range []struct {
				l    i18n.Lang
				want []string
			}{{i18n.ES, tt.es}, {i18n.EN, tt.en}} {
				got := FindingText(c.l, tt.finding)
				if strings.Contains(got, "%!") {
					t.Errorf("%v: formatting error in %q", c.l, got)
				}
				for _, w := range c.want {
					if !strings.Contains(got, w) {
						t.Errorf("%v: %q lacks %q", c.l, got, w)
					}
				}
			}
		})
	}
}

// TestReasonAndChainLabels: every reason and chain check has its own text
// in each language; an unknown one is shown as is.
func TestReasonAndChainLabels(t *testing.T) {
	for _, l := range []i18n.Lang{i18n.ES, i18n.EN} {
		seen := map[string]string{}
		for _, r := range []string{reconcile.ReasonNoRecord, reconcile.ReasonRecordOtherID, reconcile.ReasonNoOutcome,
			reconcile.ReasonDestMissing, reconcile.ReasonImportedNotMapped, reconcile.ReasonMergedNotMapped,
			reconcile.ReasonImportedTwice, reconcile.ReasonUnknownStatus} {
			got := ReasonLabel(l, r)
			if got == r || got == "" {
				t.Errorf("%v: reason %s has no text", l, r)
			}
			if other, dup := seen[got]; dup {
				t.Errorf("%v: reasons %s and %s share the text %q", l, r, other, got)
			}
			seen[got] = r
		}
		if got := ReasonLabel(l, "destination row missing"); got != ReasonLabel(l, reconcile.ReasonDestMissing) {
			t.Errorf("%v: the old wording of destination_missing reads %q", l, got)
		}
		if got := ReasonLabel(l, "something_new"); got != "something_new" {
			t.Errorf("%v: unknown reason shown as %q", l, got)
		}
		// Every per-parent count the type table asks for has its words: a
		// type given CountPerParent fails here until it is labelled.
		checks := []string{reconcile.CheckPerPetMedical, reconcile.CheckPerPetVaccines, reconcile.CheckMergedSurvivor}
		for _, typ := range source.Types() {
			if c := typ.PerParentCheck(); c != "" {
				checks = append(checks, c)
			}
		}
		for _, c := range checks {
			if got := ChainLabel(l, c); got == c || got == "" {
				t.Errorf("%v: chain %s has no text", l, c)
			}
		}
		if got := ChainLabel(l, "other_chain"); got != "other_chain" {
			t.Errorf("%v: unknown chain shown as %q", l, got)
		}
	}
}
