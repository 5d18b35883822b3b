package main

import (
	"os"
	"runtime/debug"
)

// Import and verify allocate millions of short-lived rows while their live
// heap stays small (a chunk, the read-ahead, id maps). Collecting when the
// heap reaches 3× the live data instead of 2× means fewer collections; the
// soft limit keeps the peak inside the 300 MB budget of docs/performance.md.
// GOGC and GOMEMLIMIT set by the operator win.
func init() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(200 << 20)
	}
}
