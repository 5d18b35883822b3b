package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"time"
)

// GoBenchOptions run the Go micro-benchmarks.
type GoBenchOptions struct {
	Go      string   // go binary
	Dir     string   // module root
	Bench   string   // -bench pattern
	Pkgs    []string // packages
	Count   int
	Doc     string
	DataDir string
	Out     io.Writer
}

// GoBench is the median of one benchmark's runs.
type GoBench struct {
	Name     string             `json:"name"`
	Runs     int                `json:"runs"`
	NsPerOp  float64            `json:"ns_per_op"`
	Metrics  map[string]float64 `json:"metrics"` // MB/s, rows/s, B/op, allocs/op... medians
	Package  string             `json:"package"`
	Ordering int                `json:"-"`
}

// RunGoBench runs `go test -bench` and writes its section.
func RunGoBench(ctx context.Context, o GoBenchOptions) ([]GoBench, string, error) {
	if o.Count < 1 {
		o.Count = 5
	}
	args := append([]string{"test", "-run=^$", "-bench=" + o.Bench, "-benchmem", "-count=" + strconv.Itoa(o.Count)}, o.Pkgs...)
	cmd := exec.CommandContext(ctx, o.Go, args...)
	cmd.Dir = o.Dir
	out, err := cmd.CombinedOutput()
	if o.Out != nil {
		o.Out.Write(out)
	}
	if err != nil {
		return nil, "", fmt.Errorf("go %s: %v", strings.Join(args, " "), err)
	}
	res := ParseGoBench(string(out))
	command := "go " + strings.Join(quoteArgs(args), " ")
	if o.Doc != "" {
		if err := UpdateDoc(o.Doc, SectionGoBench, RenderGoBench(res, command, machineInfo())); err != nil {
			return res, command, err
		}
	}
	return res, command, nil
}

func quoteArgs(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if strings.ContainsAny(a, "^$|*") {
			a = "'" + a + "'"
		}
		out[i] = a
	}
	return out
}

// ParseGoBench reads `go test -bench` output and keeps each benchmark's
// median over its runs.
func ParseGoBench(out string) []GoBench {
	type acc struct {
		pkg     string
		order   int
		ns      []float64
		metrics map[string][]float64
	}
	byName := map[string]*acc{}
	pkg := ""
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		if p, ok := strings.CutPrefix(line, "pkg: "); ok {
			pkg = strings.TrimSpace(p)
			continue
		}
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		if _, err := strconv.Atoi(f[1]); err != nil {
			continue
		}
		name := f[0]
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			if _, err := strconv.Atoi(name[i+1:]); err == nil {
				name = name[:i] // drop the GOMAXPROCS suffix
			}
		}
		a := byName[name]
		if a == nil {
			a = &acc{pkg: pkg, order: len(byName), metrics: map[string][]float64{}}
			byName[name] = a
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			if f[i+1] == "ns/op" {
				a.ns = append(a.ns, v)
			} else {
				a.metrics[f[i+1]] = append(a.metrics[f[i+1]], v)
			}
		}
	}
	var res []GoBench
	for name, a := range byName {
		g := GoBench{Name: name, Runs: len(a.ns), NsPerOp: median(a.ns), Metrics: map[string]float64{}, Package: a.pkg, Ordering: a.order}
		for k, vs := range a.metrics {
			g.Metrics[k] = median(vs)
		}
		res = append(res, g)
	}
	sort.Slice(res, func(i, j int) bool { return res[i].Ordering < res[j].Ordering })
	return res
}

// RenderGoBench is the micro-benchmark table.
func RenderGoBench(res []GoBench, command string, m Machine) string {
	var b strings.Builder
	fmt.Fprintf(&b, "- Date: %s; %s, %d cores; %s\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"), m.CPU, m.Cores, m.Go)
	fmt.Fprintf(&b, "- Command: `%s` (median of the runs)\n\n", command)
	b.WriteString("| benchmark | runs | time/op | rows/s | MB/s | B/op | allocs/op |\n|---|---:|---:|---:|---:|---:|---:|\n")
	for _, g := range res {
		fmt.Fprintf(&b, "| `%s` | %d | %s | %s | %s | %s | %s |\n", g.Name, g.Runs, fmtNs(g.NsPerOp), dash(g.Metrics["rows/s"], "%.0f"),
			dash(g.Metrics["MB/s"], "%.1f"), dash(g.Metrics["B/op"], "%.0f"), dash(g.Metrics["allocs/op"], "%.0f"))
	}
	return b.String()
}

func fmtNs(ns float64) string {
	switch {
	case ns >= 1e9:
		return fmt.Sprintf("%.2f s", ns/1e9)
	case ns >= 1e6:
		return fmt.Sprintf("%.2f ms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.2f µs", ns/1e3)
	}
	return fmt.Sprintf("%.0f ns", ns)
}
