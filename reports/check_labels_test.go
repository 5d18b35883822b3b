package reports

import (
	"testing"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/reconcile"
)

// Every sign-off check has its own words in each language; a check a
// newer recon wrote is shown by its code rather than left blank.
func TestCheckLabels(t *testing.T) {
	checks := []string{reconcile.CheckComplete, reconcile.CheckSources, reconcile.CheckSourceExplained,
		reconcile.CheckTableExplained, reconcile.CheckMappings, reconcile.CheckAuditTrail, reconcile.CheckFields,
		reconcile.CheckChains, reconcile.CheckSample, reconcile.CheckAttachments, reconcile.CheckCritical}
	for _, l := range []i18n.Lang{i18n.ES, i18n.EN} {
		seen := map[string]string{}
		for _, c := range checks {
			got := CheckLabel(l, c)
			if got == c || got == "" {
				t.Errorf("%v: check %s has no words", l, c)
			}
			if other, dup := seen[got]; dup {
				t.Errorf("%v: checks %s and %s share %q", l, c, other, got)
			}
			seen[got] = c
		}
		if got := CheckLabel(l, "future_check"); got != "future_check" {
			t.Errorf("%v: unknown check shown as %q", l, got)
		}
	}
}
