package importer

import (
	"strings"
	"testing"

	"github.com/petfriendly/recon/source"
)

// TestNoteOccurrence: only a row that reached the destination holds its id;
// a later valid occurrence of a rejected or orphaned id is imported and says
// which line was not.
func TestNoteOccurrence(t *testing.T) {
	tests := []struct {
		name     string
		statuses []string // outcomes of successive rows with the same id
		reasons  []string
		holder   int    // line holding the id afterwards (0: none)
		info     string // substring of the info issue on the last row ("" = none)
	}{
		{name: "first imported", statuses: []string{StatusImported}, reasons: []string{""}, holder: 2},
		{name: "first rejected", statuses: []string{StatusError}, reasons: []string{"empty_name"}, holder: 0},
		{name: "rejected then imported", statuses: []string{StatusError, StatusImported}, reasons: []string{"empty_name", ""},
			holder: 3, info: "also appears at line 2, which was not imported"},
		{name: "orphaned twice then imported", statuses: []string{StatusSkipped, StatusSkipped, StatusImported},
			reasons: []string{ReasonOrphaned, ReasonOrphaned, ""}, holder: 4, info: "line 3"},
		{name: "merged duplicate holds it", statuses: []string{StatusDuplicate}, reasons: []string{""}, holder: 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := &batchWriter{seen: map[string]int{}, failed: map[string]int{}}
			var last outcome
			for i, st := range tc.statuses {
				last = outcome{status: st, reason: tc.reasons[i]}
				b.noteOccurrence(source.Record{SourceID: "C1", Line: i + 2}, &last)
			}
			if got := b.seen["C1"]; got != tc.holder {
				t.Fatalf("holder line %d, want %d", got, tc.holder)
			}
			got := ""
			for _, is := range last.issues {
				if is.Type == "earlier_occurrence_not_imported" && is.Severity == Info {
					got = is.Message
				}
			}
			if (got != "") != (tc.info != "") || !strings.Contains(got, tc.info) {
				t.Fatalf("info %q, want %q", got, tc.info)
			}
		})
	}
}
