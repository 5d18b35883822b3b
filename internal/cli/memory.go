package cli

import (
	"runtime/debug"
)

// Memory tuning of the bulk commands (docs/performance.md, "Memory"). Import
// and verify allocate millions of short-lived rows while their live heap stays
// small (a chunk, the read-ahead, id maps): collecting when the heap reaches
// 3× the live data instead of 2× (GOGC=200) means fewer collections, and the
// 200 MiB soft limit keeps the peak inside the 300 MB budget. `import all`
// loading several files at once holds each file's chunk, read-ahead and maps:
// under 200 MiB the collector ran almost without pause (import CPU 28 s → 43 s
// at scale 20), so it gets 250 MiB (peak RSS 262–276 MB measured); so does
// verify with types verified at once (--jobs above 1; at scale 5 on 2 cores,
// user CPU 3.4 s at one type, 4.0 s at two under 200 MiB, 3.7 s under 250 MiB).
// Only import and verify ask for it, from their Run; every other command, the review
// server included, keeps Go's defaults.
const (
	bulkGCPercent   = 200
	bulkMemoryLimit = 200 << 20
	// concurrentImportMemoryLimit is the limit of import all and verify
	// with --jobs above 1.
	concurrentImportMemoryLimit = 250 << 20
)

// tuneMemoryForBulkWork applies the tuning above, with the soft limit limit,
// for the duration of one command and returns the function that puts the
// previous settings back. GOGC and GOMEMLIMIT set by the operator (read
// through getenv) win: the runtime has already applied them and they are
// left alone.
func tuneMemoryForBulkWork(getenv func(string) string, limit int64) (restore func()) {
	var undo []func()
	if getenv("GOGC") == "" {
		prev := debug.SetGCPercent(bulkGCPercent)
		undo = append(undo, func() { debug.SetGCPercent(prev) })
	}
	if getenv("GOMEMLIMIT") == "" {
		prev := debug.SetMemoryLimit(limit)
		undo = append(undo, func() { debug.SetMemoryLimit(prev) })
	}
	return func() {
		for _, f := range undo {
			f()
		}
	}
}
