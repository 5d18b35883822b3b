package cli

import (
	"fmt"
	"runtime/debug"
	"testing"
)

// gcPercent reads the current GOGC setting without changing it.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

func TestTuneMemoryForBulkWork(t *testing.T) {
	tests := []struct {
		name      string
		env       map[string]string
		wantGC    bool // the tuning sets GOGC=200
		wantLimit bool // the tuning sets the 200 MiB soft limit
	}{
		{"no operator settings", nil, true, true},
		{"GOGC set by the operator", map[string]string{"GOGC": "50"}, false, true},
		{"GOMEMLIMIT set by the operator", map[string]string{"GOMEMLIMIT": "1GiB"}, true, false},
		{"both set", map[string]string{"GOGC": "off", "GOMEMLIMIT": "1GiB"}, false, false},
	}
	for _, limit := range []int64{bulkMemoryLimit, concurrentImportMemoryLimit} {
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%s, limit %d MiB", tt.name, limit>>20), func(t *testing.T) {
				// Known settings that differ from the tuning's, restored at the end.
				defer debug.SetGCPercent(debug.SetGCPercent(90))
				defer debug.SetMemoryLimit(debug.SetMemoryLimit(1 << 40))

				restore := tuneMemoryForBulkWork(func(k string) string { return tt.env[k] }, limit)
				wantGC, wantLimit := 90, int64(1<<40)
				if tt.wantGC {
					wantGC = bulkGCPercent
				}
				if tt.wantLimit {
					wantLimit = limit
				}
				if got := gcPercent(); got != wantGC {
					t.Errorf("GOGC while tuned = %d, want %d", got, wantGC)
				}
				if got := debug.SetMemoryLimit(-1); got != wantLimit {
					t.Errorf("memory limit while tuned = %d, want %d", got, wantLimit)
				}
				restore()
				if got := gcPercent(); got != 90 {
					t.Errorf("GOGC after the command = %d, want 90 back", got)
				}
				if got := debug.SetMemoryLimit(-1); got != 1<<40 {
					t.Errorf("memory limit after the command = %d, want %d back", got, int64(1<<40))
				}
			})
		}
	}
}
