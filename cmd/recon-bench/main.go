// Command recon-bench measures recon import and verify side by side with
// the COPY floor and pgloader, and the import of a large XLSX workbook, and
// writes docs/performance.md. Run it with `make bench`, `make bench-scaling`
// or, for the XLSX step alone, `make bench-xlsx`.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"github.com/petfriendly/recon/internal/bench"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run parses the arguments, runs the requested section and returns the exit
// status: 0 on success, 1 when the run fails, 2 for bad flags.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("recon-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		scales   = fs.String("scales", "20", "comma-separated generator scales")
		reps     = fs.Int("reps", 3, "repetitions of every step (medians are reported)")
		seed     = fs.Int("seed", 1, "generator seed")
		recon    = fs.String("recon", "bin/recon", "recon binary")
		before   = fs.String("before", "", "recon binary built from an earlier revision: import and verify it too, side by side (side-by-side and scaling)")
		beforeRv = fs.String("before-rev", "", "the revision --before was built from, named in the document")
		work     = fs.String("work", ".bench", "scratch folder (cluster, exports)")
		doc      = fs.String("doc", "docs/performance.md", "document to update (\"\" for none)")
		data     = fs.String("data", "docs/performance", "folder for the raw JSON results (\"\" for none)")
		section  = fs.String("section", bench.SectionSideBySide, "side-by-side, scaling, go-benchmarks or xlsx (the XLSX step alone: xlsx.json and the table on stdout, document untouched)")
		pgloader = fs.Bool("pgloader", true, "run the pgloader step")
		xlsxMB   = fs.Int("xlsx-mb", 200, "XLSX step (side-by-side and xlsx): MiB its generated clientes.xlsx unpacks to; 0 skips it")
		goBin    = fs.String("go", "go", "go binary (go-benchmarks)")
		gbCount  = fs.Int("bench-count", 5, "go test -count (go-benchmarks)")
		command  = fs.String("command", "", "command quoted in the document as the way to reproduce the run")
	)
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if *section == bench.SectionGoBench {
		_, _, err := bench.RunGoBench(ctx, bench.GoBenchOptions{Go: *goBin, Dir: ".", Count: *gbCount, Doc: *doc, Out: stdout,
			Bench: "^(BenchmarkReadNormalize|BenchmarkCompareRecord)$", Pkgs: []string{"./source/", "./reconcile/"}})
		return report(stderr, err)
	}
	var sc []int
	for s := range strings.SplitSeq(*scales, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return report(stderr, fmt.Errorf("bad scale %q", s))
		}
		sc = append(sc, n)
	}
	if *command == "" {
		*command = "recon-bench " + strings.Join(args, " ")
	}
	_, err := bench.Run(ctx, bench.Options{Recon: *recon, Before: *before, BeforeRev: *beforeRv, Work: *work, Scales: sc, Reps: *reps, Seed: *seed, Doc: *doc,
		DataDir: *data, Section: *section, PGLoader: *pgloader, XLSXMB: *xlsxMB, Command: *command, Out: stdout})
	return report(stderr, err)
}

// report prints err, if any, and returns the matching exit status.
func report(stderr io.Writer, err error) int {
	if err != nil {
		fmt.Fprintln(stderr, "recon-bench:", err)
		return 1
	}
	return 0
}
