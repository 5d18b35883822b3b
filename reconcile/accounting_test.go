package reconcile

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// streamEvent is one thing the two ordered streams tell a tableAccount: a
// row (id, external id; ext "-" for NULL) or a mapping (source id, target,
// merged, found).
type streamEvent struct {
	row      int64
	ext      string
	sourceID string
	target   int64
	merged   bool
	found    bool
}

func tellAccount(events []streamEvent) *tableAccount {
	a := &tableAccount{}
	for _, e := range events {
		if e.sourceID == "" {
			var ext *string
			if e.ext != "-" {
				s := e.ext
				ext = &s
			}
			a.row(e.row, ext)
			continue
		}
		a.mapping(e.sourceID, e.target, e.merged, e.found)
	}
	a.finish()
	return a
}

func row(id int64, ext string) streamEvent { return streamEvent{row: id, ext: ext} }
func maps(sid string, target int64, found bool) streamEvent {
	return streamEvent{sourceID: sid, target: target, found: found}
}
func merged(sid string, target int64) streamEvent {
	return streamEvent{sourceID: sid, target: target, merged: true, found: true}
}

// TestTableAccount checks the pure accumulator that accounts for a table
// from its ordered streams: what it keeps is exactly what the FULL JOIN of
// eachTableGap returns (TestVerifyConcurrentSameResult compares the two on
// a real database).
func TestTableAccount(t *testing.T) {
	tests := []struct {
		name          string
		events        []streamEvent
		rows          int
		gaps          []tableGap
		missing       []targetMapping
		wantNoGaps    bool
		wantNoMissing bool
	}{
		{
			name:   "every row its one mapping",
			events: []streamEvent{row(1, "A"), maps("A", 1, true), row(2, "B"), maps("B", 2, true)},
			rows:   2, wantNoGaps: true, wantNoMissing: true,
		},
		{
			name:   "merged duplicates point at their survivor",
			events: []streamEvent{row(1, "A"), maps("A", 1, true), merged("A2", 1), merged("A3", 1)},
			rows:   1, wantNoGaps: true, wantNoMissing: true,
		},
		{
			name:   "a row no mapping names, in the middle and at the end",
			events: []streamEvent{row(1, "A"), maps("A", 1, true), row(2, "X"), row(3, "C"), maps("C", 3, true), row(4, "")},
			rows:   4, gaps: []tableGap{{ID: 2, ExternalID: "X"}, {ID: 4}}, wantNoMissing: true,
		},
		{
			name:   "a row only merged mappings name is not explained",
			events: []streamEvent{row(1, "A"), merged("A2", 1)},
			rows:   1, gaps: []tableGap{{ID: 1, ExternalID: "A"}}, wantNoMissing: true,
		},
		{
			name:   "two source ids on one row, listed in byte order",
			events: []streamEvent{row(5, "b"), maps("b", 5, true), maps("B", 5, true), maps("a", 5, true)},
			rows:   1, gaps: []tableGap{{ID: 5, Mapped: 3, SourceIDs: []string{"B", "a", "b"}, ExternalID: "b"}}, wantNoMissing: true,
		},
		{
			name:   "a row that says it is another OkVet row",
			events: []streamEvent{row(7, "P-OTHER"), maps("P7", 7, true)},
			rows:   1, gaps: []tableGap{{ID: 7, Mapped: 1, SourceIDs: []string{"P7"}, ExternalID: "P-OTHER"}}, wantNoMissing: true,
		},
		{
			name:   "a NULL external id is never a mismatch",
			events: []streamEvent{row(7, "-"), maps("P7", 7, true)},
			rows:   1, wantNoGaps: true, wantNoMissing: true,
		},
		{
			name: "mappings whose rows are gone, merged ones too, listed by source id",
			events: []streamEvent{maps("Z9", 1, false), row(2, "B"), maps("B", 2, true), maps("C", 3, false),
				streamEvent{sourceID: "A1", target: 3, merged: true}},
			rows: 1, wantNoGaps: true,
			missing: []targetMapping{{"A1", 3}, {"C", 3}, {"Z9", 1}},
		},
		{
			name: "an empty table", rows: 0, wantNoGaps: true, wantNoMissing: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tellAccount(tt.events)
			if a.rows != tt.rows {
				t.Errorf("rows %d, want %d", a.rows, tt.rows)
			}
			if tt.wantNoGaps != (len(a.gaps) == 0) {
				t.Errorf("gaps %+v, want none: %v", a.gaps, tt.wantNoGaps)
			}
			if !tt.wantNoGaps && !reflect.DeepEqual(a.gaps, tt.gaps) {
				t.Errorf("gaps %+v, want %+v", a.gaps, tt.gaps)
			}
			if tt.wantNoMissing != (len(a.missing) == 0) {
				t.Errorf("missing %+v, want none: %v", a.missing, tt.wantNoMissing)
			}
			if !tt.wantNoMissing && !reflect.DeepEqual(a.missing, tt.missing) {
				t.Errorf("missing %+v, want %+v", a.missing, tt.missing)
			}
		})
	}
}

// TestLineOutcomesAt checks the look-up of a chunk's line records: lines
// outside the range read, and lines inside it without a record, have none.
func TestLineOutcomesAt(t *testing.T) {
	l := lineOutcomes{first: 10, lines: []lineOutcome{
		{sourceID: "A", status: "imported", found: true}, {}, {sourceID: "C", status: "error", reason: "empty_name", found: true},
	}}
	tests := []struct {
		line   int
		want   string
		wantOK bool
	}{
		{9, "", false}, {10, "A", true}, {11, "", false}, {12, "C", true}, {13, "", false},
	}
	for _, tt := range tests {
		got, ok := l.at(tt.line)
		if ok != tt.wantOK || got.sourceID != tt.want {
			t.Errorf("at(%d) = %q, %v; want %q, %v", tt.line, got.sourceID, ok, tt.want, tt.wantOK)
		}
	}
}

// TestHashQueue checks that files hashed on the queue's goroutine are the
// same sums as hashed in line, an unreadable file has none, and waiting
// twice (as an early return's deferred wait does) is harmless.
func TestHashQueue(t *testing.T) {
	dir := t.TempDir()
	paths := writeFiles(t, dir, map[string]string{"a.pdf": "uno", "b.pdf": "dos"})
	var q hashQueue
	if got := q.wait(); len(got) != 0 {
		t.Fatalf("an unused queue has sums %v", got)
	}
	q = hashQueue{}
	q.add(1, paths["a.pdf"])
	q.add(2, paths["b.pdf"])
	q.add(3, dir+"/missing.pdf")
	sums := q.wait()
	for key, name := range map[int64]string{1: "a.pdf", 2: "b.pdf"} {
		want, err := fileHash(paths[name])
		if err != nil {
			t.Fatal(err)
		}
		if sums[key] != want {
			t.Errorf("sum of %s %q, want %q", name, sums[key], want)
		}
	}
	if _, ok := sums[3]; ok || len(sums) != 2 {
		t.Errorf("sums %v: a missing file has a sum", sums)
	}
	if again := q.wait(); !reflect.DeepEqual(again, sums) {
		t.Errorf("second wait %v, first %v", again, sums)
	}
}

// writeFiles writes files into dir and returns their paths by name.
func writeFiles(t *testing.T, dir string, files map[string]string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		out[name] = p
	}
	return out
}
