package cli

import (
	"runtime/debug"
)

// Memory tuning of the bulk commands (docs/performance.md, "Memory"). Import
// and verify allocate millions of short-lived rows while their live heap stays
// small (a chunk, the read-ahead, id maps): collecting when the heap reaches
// 3× the live data instead of 2× (GOGC=200) means fewer collections, and the
// 200 MiB soft limit keeps the peak inside the 300 MB budget. Only import and
// verify ask for it, from their Run; every other command, the review server
// included, keeps Go's defaults.
const (
	bulkGCPercent   = 200
	bulkMemoryLimit = 200 << 20
)

// tuneMemoryForBulkWork applies the tuning above for the duration of one
// command and returns the function that puts the previous settings back.
// GOGC and GOMEMLIMIT set by the operator (read through getenv) win: the
// runtime has already applied them and they are left alone.
func tuneMemoryForBulkWork(getenv func(string) string) (restore func()) {
	var undo []func()
	if getenv("GOGC") == "" {
		prev := debug.SetGCPercent(bulkGCPercent)
		undo = append(undo, func() { debug.SetGCPercent(prev) })
	}
	if getenv("GOMEMLIMIT") == "" {
		prev := debug.SetMemoryLimit(bulkMemoryLimit)
		undo = append(undo, func() { debug.SetMemoryLimit(prev) })
	}
	return func() {
		for _, f := range undo {
			f()
		}
	}
}
