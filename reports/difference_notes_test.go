package reports

import (
	"reflect"
	"testing"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/reconcile"
)

// Each type's note says what explains the difference between source and
// destination: a code is named only when issues of it were recorded, the
// rows rejected per reason when known, and more rows in the destination
// than in the source is said as such.
func TestDifferenceNotesWording(t *testing.T) {
	tests := []struct {
		name string
		c    reconcile.TypeCounts
		iss  []reconcile.IssueCount
		want string
	}{
		{"no issues recorded: no codes", reconcile.TypeCounts{SourceRows: 4, DestinationRows: 2, Merged: 1, Orphaned: 1},
			nil, typeLabel(i18n.EN, "pets") + ": 4 in source, 2 in destination — 1 duplicates merged, 1 orphaned"},
		{"codes with counts", reconcile.TypeCounts{SourceRows: 4, DestinationRows: 2, Merged: 1, Orphaned: 1},
			[]reconcile.IssueCount{{RecordType: "pets", Severity: "warning", Type: "duplicate_merged", Resolved: 1},
				{RecordType: "pets", Severity: "critical", Type: "orphaned_record", Open: 1}},
			typeLabel(i18n.EN, "pets") + ": 4 in source, 2 in destination — 1 duplicates merged (duplicate_merged), 1 orphaned (orphaned_record)"},
		{"rejected per reason", reconcile.TypeCounts{SourceRows: 5, DestinationRows: 2, Rejected: 3, RejectedBy: map[string]int{"missing_id": 1, "empty_name": 2}},
			nil, typeLabel(i18n.EN, "pets") + ": 5 in source, 2 in destination — 3 rejected (empty_name 2, missing_id 1)"},
		{"rejected, old run: codes with issues only", reconcile.TypeCounts{SourceRows: 3, DestinationRows: 1, Rejected: 2},
			[]reconcile.IssueCount{{RecordType: "pets", Severity: "critical", Type: "empty_name", Open: 2},
				{RecordType: "pets", Severity: "critical", Type: "bad_date"}, // none open or resolved
				{RecordType: "pets", Severity: "critical", Type: "empty_name", Resolved: 1}},
			typeLabel(i18n.EN, "pets") + ": 3 in source, 1 in destination — 2 rejected (empty_name)"},
		{"skipped and unexplained, more in destination", reconcile.TypeCounts{SourceRows: 2, DestinationRows: 4, Skipped: 1, Unexplained: 1},
			nil, typeLabel(i18n.EN, "pets") + ": 2 in source, 4 in destination (2 more in destination) — 1 skipped, 1 UNEXPLAINED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := reconcile.Result{Types: map[string]reconcile.TypeCounts{"pets": tt.c}, IssuesByType: tt.iss}
			got := differenceNotes(i18n.EN, r)
			want := []typeNote{{Type: "pets", Text: tt.want}}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("notes %q, want %q", got, want)
			}
		})
	}
}

// Issue totals come by severity rank, unknown severities last by name,
// then by type.
func TestSortedIssues(t *testing.T) {
	in := []reconcile.IssueCount{
		{Severity: "zeta", Type: "a", Open: 1},
		{Severity: "info", Type: "i", Open: 1},
		{Severity: "alpha", Type: "b", Open: 1},
		{Severity: "critical", Type: "y", Open: 1},
		{Severity: "critical", Type: "x", Open: 1},
	}
	var got []string
	for _, ic := range sortedIssues(in) {
		got = append(got, ic.Severity+"/"+ic.Type)
	}
	want := []string{"critical/x", "critical/y", "info/i", "alpha/b", "zeta/a"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("order %q, want %q", got, want)
	}
}
