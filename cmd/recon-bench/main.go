// Command recon-bench measures recon import and verify side by side with
// the COPY floor and pgloader and writes docs/performance.md. Run it with
// `make bench` or `make bench-scaling`.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"github.com/petfriendly/recon/internal/bench"
)

func main() {
	var (
		scales   = flag.String("scales", "20", "comma-separated generator scales")
		reps     = flag.Int("reps", 3, "repetitions of every step (medians are reported)")
		seed     = flag.Int("seed", 1, "generator seed")
		recon    = flag.String("recon", "bin/recon", "recon binary")
		work     = flag.String("work", ".bench", "scratch folder (cluster, exports)")
		doc      = flag.String("doc", "docs/performance.md", "document to update (\"\" for none)")
		data     = flag.String("data", "docs/performance", "folder for the raw JSON results (\"\" for none)")
		section  = flag.String("section", bench.SectionSideBySide, "side-by-side, scaling or go-benchmarks")
		pgloader = flag.Bool("pgloader", true, "run the pgloader step")
		goBin    = flag.String("go", "go", "go binary (go-benchmarks)")
		gbCount  = flag.Int("bench-count", 5, "go test -count (go-benchmarks)")
		command  = flag.String("command", "", "command quoted in the document as the way to reproduce the run")
	)
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *section == bench.SectionGoBench {
		_, _, err := bench.RunGoBench(ctx, bench.GoBenchOptions{Go: *goBin, Dir: ".", Count: *gbCount, Doc: *doc, Out: os.Stdout,
			Bench: "^(BenchmarkReadNormalize|BenchmarkCompareRecord)$", Pkgs: []string{"./source/", "./reconcile/"}})
		exit(err)
		return
	}
	var sc []int
	for s := range strings.SplitSeq(*scales, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			exit(fmt.Errorf("bad scale %q", s))
		}
		sc = append(sc, n)
	}
	if *command == "" {
		*command = "recon-bench " + strings.Join(os.Args[1:], " ")
	}
	_, err := bench.Run(ctx, bench.Options{Recon: *recon, Work: *work, Scales: sc, Reps: *reps, Seed: *seed, Doc: *doc,
		DataDir: *data, Section: *section, PGLoader: *pgloader, Command: *command, Out: os.Stdout})
	exit(err)
}

func exit(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "recon-bench:", err)
		os.Exit(1)
	}
}
