package reconcile

import "testing"

// TestReadsResolve checks the default way of reading is today's (the most
// the pool allows) and an explicit one the pool cannot give is refused.
func TestReadsResolve(t *testing.T) {
	tests := []struct {
		reads   Reads
		conns   int
		want    Reads
		wantErr bool
	}{
		{ReadsAuto, 0, ReadsLookups, false},
		{ReadsAuto, 3, ReadsLookups, false},
		{ReadsAuto, 4, ReadsStreamed, false},
		{ReadsAuto, 5, ReadsAhead, false},
		{ReadsAuto, 20, ReadsAhead, false},
		{ReadsLookups, 0, ReadsLookups, false},
		{ReadsLookups, 10, ReadsLookups, false},
		{ReadsStreamed, 3, ReadsStreamed, true},
		{ReadsStreamed, 4, ReadsStreamed, false},
		{ReadsAhead, 4, ReadsAhead, true},
		{ReadsAhead, 5, ReadsAhead, false},
		{Reads(-1), 5, Reads(-1), true},
	}
	for _, tt := range tests {
		got, err := tt.reads.resolve(tt.conns)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("%s with %d connections: %s, %v; want %s (error %v)", tt.reads, tt.conns, got, err, tt.want, tt.wantErr)
		}
	}
}
