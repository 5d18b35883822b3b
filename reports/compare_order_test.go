package reports

import (
	"reflect"
	"testing"

	"github.com/petfriendly/recon/reconcile"
)

// Issue changes come critical first; severities recon does not rank sort
// after the known ones, by name, then by issue type.
func TestIssueChangesOrder(t *testing.T) {
	before := []reconcile.IssueCount{
		{Severity: "zeta", Type: "a", Open: 1},
		{Severity: "alpha", Type: "b", Open: 1},
		{Severity: "warning", Type: "w2", Open: 2},
		{Severity: "warning", Type: "w1", Open: 2},
		{Severity: "critical", Type: "c", Open: 1},
	}
	var got []string
	for _, ic := range issueChanges(before, nil) {
		got = append(got, ic.Severity+"/"+ic.Type)
	}
	want := []string{"critical/c", "warning/w1", "warning/w2", "alpha/b", "zeta/a"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("order %q, want %q", got, want)
	}
}

// Row changes come in the types' own order (types recon does not know,
// rank 0, first by name), then by id, kind and detail, so two runs
// compare the same way twice.
func TestRowChangesOrder(t *testing.T) {
	before := reconcile.Result{
		Mismatches: []reconcile.Mismatch{
			{Type: "pets", SourceID: "P1", Field: "nombre"},
			{Type: "pets", SourceID: "P1", Field: "color"},
			{Type: "clients", SourceID: "C9", Field: "email"},
		},
		Unexplained: []reconcile.Unexplained{
			{Type: "zoo", SourceID: "Z1", Reason: "no_mapping"},
			{Type: "legacy", SourceID: "L1", Reason: "no_mapping"},
			{Type: "pets", SourceID: "P1", Reason: "no_mapping"},
		},
	}
	after := reconcile.Result{Unexplained: []reconcile.Unexplained{{Type: "pets", SourceID: "P0", Reason: "no_outcome"}}}
	var got []string
	for _, rc := range rowChanges(before, after) {
		got = append(got, rc.Type+" "+rc.SourceID+" "+rc.Kind+" "+rc.Detail+" "+rc.Change)
	}
	want := []string{
		"legacy L1 unexplained no_mapping fixed",
		"zoo Z1 unexplained no_mapping fixed",
		"clients C9 mismatch email fixed",
		"pets P0 unexplained no_outcome new",
		"pets P1 mismatch color fixed",
		"pets P1 mismatch nombre fixed",
		"pets P1 unexplained no_mapping fixed",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("order:\n got %q\nwant %q", got, want)
	}
}
