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

// TestResolveJobs checks the types verified at once fit the pool: one per
// core by default, as many as fit, and an explicit number that does not
// fit is refused.
func TestResolveJobs(t *testing.T) {
	tests := []struct {
		jobs    int
		reads   Reads
		conns   int
		cores   int
		want    int
		wantErr bool
	}{
		{0, ReadsLookups, 0, 8, 1, false}, // a bare connection: one at a time
		{2, ReadsLookups, 0, 8, 2, true},
		{0, ReadsStreamed, 4, 2, 1, false}, // today's pool of 4
		{0, ReadsAhead, 5, 2, 1, false},    // today's pool of 5
		{0, ReadsAhead, AheadConns(2), 2, 2, false},
		{0, ReadsAhead, AheadConns(4), 2, 2, false}, // no more than the cores
		{4, ReadsAhead, AheadConns(4), 2, 4, false}, // unless asked
		{3, ReadsAhead, AheadConns(2), 2, 3, true},
		{3, ReadsLookups, 4, 2, 3, false},
		{-1, ReadsAhead, 20, 2, -1, true},
		{MaxJobs + 1, ReadsAhead, 200, 2, MaxJobs + 1, true},
	}
	for _, tt := range tests {
		got, err := resolveJobs(tt.jobs, tt.reads, tt.conns, tt.cores)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("jobs %d reading %s, %d connections, %d cores: %d, %v; want %d (error %v)",
				tt.jobs, tt.reads, tt.conns, tt.cores, got, err, tt.want, tt.wantErr)
		}
	}
}
