package gen

import (
	"context"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// TestManualGenerate writes an export for manual inspection and reports
// time and memory:
//
//	RECON_GEN_OUT=/tmp/export RECON_GEN_SCALE=50 RECON_GEN_VARIANT=xlsx \
//	  go test -run TestManualGenerate -v ./internal/gen/
//
// Without RECON_GEN_OUT it writes a tiny export into a temporary folder, so
// the tool keeps working.
func TestManualGenerate(t *testing.T) {
	out := os.Getenv("RECON_GEN_OUT")
	scale, seed := 1.0, uint64(1)
	if out == "" {
		out, scale = t.TempDir(), TinyScale
	}
	if s := os.Getenv("RECON_GEN_SCALE"); s != "" {
		scale, _ = strconv.ParseFloat(s, 64)
	}
	if s := os.Getenv("RECON_GEN_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	variant := os.Getenv("RECON_GEN_VARIANT")

	stop := make(chan struct{})
	peak := make(chan uint64)
	go func() { // sample the Go heap: a cheap peak estimate
		var m runtime.MemStats
		var max uint64
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				peak <- max
				return
			case <-tick.C:
				runtime.ReadMemStats(&m)
				if m.HeapInuse > max {
					max = m.HeapInuse
				}
			}
		}
	}()
	start := time.Now()
	exp, err := Generate(context.Background(), Options{Out: out, Scale: scale, Seed: seed, Variant: variant})
	elapsed := time.Since(start)
	close(stop)
	p := <-peak
	if err != nil {
		t.Fatal(err)
	}
	if exp.TotalRows() == 0 {
		t.Error("no rows written")
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	t.Logf("scale %g variant %s: %d rows in %v; peak heap in use ~%d MiB; Sys %d MiB",
		scale, exp.Variant, exp.TotalRows(), elapsed.Round(time.Millisecond), p>>20, m.Sys>>20)
}
