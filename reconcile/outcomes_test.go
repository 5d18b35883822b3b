package reconcile

import (
	"testing"
	"time"

	"github.com/petfriendly/recon/source"
)

// outcomeRow normalises a raw row of a type as the reader does.
func outcomeRow(t *testing.T, typ, id string, raw map[string]string) (source.Type, source.Record) {
	t.Helper()
	ty, ok := source.TypeByName(typ)
	if !ok {
		t.Fatalf("no type %s", typ)
	}
	vals, issues := source.Normalize(ty, raw, nil, time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC))
	return ty, source.Record{Type: ty.Name, SourceID: id, File: "x.csv", Line: 2, Raw: raw, Values: vals, Issues: issues}
}

// TestCheckOutcome: each recorded outcome other than imported is checked
// against what the importer's own rules give the row; only an unsupported
// one is a finding, with the recomputed outcome and why. Checks that need
// the database (a parent mapped later, a survivor's keys, an e-mail's
// holder) are queued, not decided here.
func TestCheckOutcome(t *testing.T) {
	pet := map[string]string{"id": "P1", "id_cliente": "C1", "nombre": "Luna", "especie": "Canino"}
	noName := map[string]string{"id": "P2", "id_cliente": "C1", "nombre": "", "especie": "Canino"}
	client := map[string]string{"id": "C9", "nombre": "Ana Ruiz", "email": "ana@example.com"}
	clientNoContact := map[string]string{"id": "C8", "nombre": "Ana Ruiz"}
	parents := map[string]map[string]int64{"client": {"C1": 10}}
	tests := []struct {
		name       string
		typ        string
		raw        map[string]string
		o          outcome
		issueNamed bool
		before     bool
		mapped     bool
		dest       Dest
		batch      int64
		// want is the finding's why ("" none); queued the deferred check.
		want, recomputed string
		queued           string
	}{
		{"rejection the rules find", "pets", noName, outcome{"error", "empty_name"}, true, false, false, Dest{}, 1, "", "", ""},
		{"rejection of a valid row", "pets", pet, outcome{"error", "empty_name"}, true, false, false, Dest{}, 1, WhyNoProblem, "imported", ""},
		{"rejection for another problem", "clients", clientNoContact, outcome{"error", "invalid_email"}, true, false, false, Dest{}, 1,
			WhyOtherProblem, "error:no_contact", ""},
		{"rejection without its issue", "pets", noName, outcome{"error", "empty_name"}, false, false, false, Dest{}, 1,
			WhyIssueMissing, "error:empty_name", ""},
		{"orphan whose parent is absent", "pets", map[string]string{"id": "P3", "id_cliente": "C7", "nombre": "Max"},
			outcome{"skipped", "orphaned"}, true, false, false, Dest{}, 1, "", "", ""},
		{"orphan whose parent is mapped", "pets", pet, outcome{"skipped", "orphaned"}, true, false, false, Dest{}, 1, "", "", "orphan"},
		{"orphan matched by id, parent mapped", "pets", pet, outcome{"skipped", "orphaned"}, true, false, false, Dest{}, 0,
			WhyParentPresent, "imported", ""},
		{"orphan of a type without parent", "clients", client, outcome{"skipped", "orphaned"}, true, false, false, Dest{}, 1,
			WhyNoParent, "imported", ""},
		{"soft delete the export does not mark", "pets", pet, outcome{"skipped", "soft_deleted"}, true, false, false, Dest{}, 1,
			WhyNoReason, "imported", ""},
		{"repeated id after an imported one", "pets", pet, outcome{"skipped", "already_imported"}, true, true, false, Dest{}, 1, "", "", ""},
		{"repeated id with nothing before", "pets", pet, outcome{"skipped", "already_imported"}, true, false, false, Dest{}, 1,
			WhyNoReason, "imported", ""},
		{"merge of a rejected row", "clients", clientNoContact, outcome{"duplicate", "merged_into:C1"}, true, false, true,
			Dest{Merged: true, Target: 10}, 1, WhyNotMergeable, "error:no_contact", ""},
		{"merge of a pet", "pets", pet, outcome{"duplicate", "merged_into:P9"}, true, false, true, Dest{Merged: true, Target: 10}, 1,
			WhyNotMergeable, "imported", ""},
		{"merge without a merged mapping", "clients", client, outcome{"duplicate", "merged_into:C1"}, true, false, true,
			Dest{Target: 10}, 1, WhySurvivorGone, "imported", ""},
		{"merge to check against its survivor", "clients", client, outcome{"duplicate", "merged_into:C1"}, true, false, true,
			Dest{Merged: true, Target: 10}, 1, "", "", "merge"},
		{"target_missing while the row exists", "pets", pet, outcome{"error", "target_missing"}, true, false, true,
			Dest{Target: 5, Exists: true}, 1, WhyTargetPresent, "imported", ""},
		{"target_missing, row gone", "pets", pet, outcome{"error", "target_missing"}, true, false, true, Dest{Target: 5}, 1, "", "", ""},
		{"email_conflict to check", "clients", client, outcome{"error", "email_conflict"}, true, false, true, Dest{Target: 5, Exists: true}, 1,
			"", "", "email"},
		{"email_conflict of a row the rules reject", "clients", clientNoContact, outcome{"error", "email_conflict"}, true, false, true,
			Dest{Target: 5, Exists: true}, 1, WhyOtherProblem, "error:no_contact", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ty, rec := outcomeRow(t, tc.typ, tc.raw["id"], tc.raw)
			v := &verifier{tally: &tally{res: &Result{}, failed: map[string]bool{}}}
			v.checkOutcome(rowCheck{t: ty, rec: rec, o: tc.o, batch: tc.batch, issueNamed: tc.issueNamed, dest: tc.dest, mapped: tc.mapped,
				before: tc.before, parents: parents})
			queued := ""
			switch {
			case len(v.orphanClaims) > 0:
				queued = "orphan"
			case len(v.mergeClaims) > 0:
				queued = "merge"
			case len(v.emailClaims) > 0:
				queued = "email"
			}
			if queued != tc.queued {
				t.Errorf("queued %q, want %q", queued, tc.queued)
			}
			if tc.want == "" {
				if len(v.res.Findings) != 0 {
					t.Fatalf("findings %+v, want none", v.res.Findings)
				}
				return
			}
			if len(v.res.Findings) != 1 {
				t.Fatalf("findings %+v, want one", v.res.Findings)
			}
			f := v.res.Findings[0]
			if f.Code != CodeOutcomeNotSupported || !f.Blocks || f.SourceID != rec.SourceID || f.Params["why"] != tc.want ||
				f.Params["recomputed"] != tc.recomputed || f.Params["recorded"] != recordedText(tc.o) || !v.failed[CheckSourceExplained] {
				t.Fatalf("finding %+v, want why %s recomputed %s", f, tc.want, tc.recomputed)
			}
		})
	}
}

// TestSharesKey: a merged owner must share an e-mail (any case), an E.164
// phone or a document with its survivor; placeholder e-mails identify nobody.
func TestSharesKey(t *testing.T) {
	tests := []struct {
		name string
		dup  []string
		d    Dest
		want bool
	}{
		{"same e-mail", []string{"email:ana@example.com"}, Dest{Fields: map[string]string{"email": "ANA@example.com"}}, true},
		{"same mobile as phone", []string{"phone:+573001112233"}, Dest{Fields: map[string]string{"telefono": "+573001112233"}}, true},
		{"same document", []string{"doc:CC:77"}, Dest{Fields: map[string]string{"tipo_documento": "CC", "documento": "77"}}, true},
		{"nothing shared", []string{"email:ana@example.com"}, Dest{Fields: map[string]string{"email": "luis@example.com"}}, false},
		{"placeholder e-mails", []string{"email:imported_c1@placeholder.local"},
			Dest{Fields: map[string]string{"email": "imported_c1@placeholder.local"}}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := sharesKey(tc.dup, survivorKeys("clients", tc.d)); got != tc.want {
				t.Errorf("sharesKey = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestCheckOutcomeSoftDeleted: a row the export marks deleted supports its
// skip; the same skip of an unmarked row does not.
func TestCheckOutcomeSoftDeleted(t *testing.T) {
	for _, marked := range []bool{true, false} {
		ty, rec := outcomeRow(t, "pets", "P1", map[string]string{"id": "P1", "id_cliente": "C1", "nombre": "Luna"})
		if marked {
			rec.Skip = source.SkipSoftDeleted
		}
		v := &verifier{tally: &tally{res: &Result{}, failed: map[string]bool{}}}
		v.checkOutcome(rowCheck{t: ty, rec: rec, o: outcome{"skipped", source.SkipSoftDeleted}, batch: 1, issueNamed: true,
			parents: map[string]map[string]int64{"client": {"C1": 1}}})
		if got := len(v.res.Findings); got != map[bool]int{true: 0, false: 1}[marked] {
			t.Errorf("marked %v: findings %+v", marked, v.res.Findings)
		}
	}
}
