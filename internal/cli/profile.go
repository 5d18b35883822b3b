package cli

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
)

// startProfiles starts the profiles named by two environment variables,
// kept out of the user-facing help because they are for recon's own
// performance work (docs/performance.md):
//
//	RECON_CPUPROFILE=FILE  CPU profile of the whole command
//	RECON_MEMPROFILE=FILE  heap profile (allocations) written at exit
//
// The returned function stops them; it never fails the command.
func startProfiles(stderr io.Writer) (stop func()) {
	var cpu *os.File
	if path := os.Getenv("RECON_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintf(stderr, "recon: RECON_CPUPROFILE: %v\n", err)
		} else {
			cpu = f
		}
	}
	return func() {
		if cpu != nil {
			pprof.StopCPUProfile()
			cpu.Close()
		}
		if path := os.Getenv("RECON_MEMPROFILE"); path != "" {
			f, err := os.Create(path)
			if err == nil {
				runtime.GC()
				err = pprof.Lookup("allocs").WriteTo(f, 0)
				f.Close()
			}
			if err != nil {
				fmt.Fprintf(stderr, "recon: RECON_MEMPROFILE: %v\n", err)
			}
		}
	}
}
