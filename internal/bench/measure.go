package bench

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Measurement is one timed run of one step.
type Measurement struct {
	Seconds float64 `json:"seconds"`  // wall clock, measured here
	UserSec float64 `json:"user_sec"` // from /usr/bin/time -v, 0 when not run under it
	SysSec  float64 `json:"sys_sec"`
	MaxRSSK int64   `json:"max_rss_kb"` // peak resident set size, KiB; 0 when not measured
	Load1   float64 `json:"load1"`      // 1-minute load average just before the run
	ExitOK  bool    `json:"exit_ok"`
	Note    string  `json:"note,omitempty"`
}

// timeV is /usr/bin/time when it is the GNU one that understands -v.
func timeV() string {
	const p = "/usr/bin/time"
	if err := exec.Command(p, "-v", "true").Run(); err != nil {
		return ""
	}
	return p
}

// runTimed runs a command, under /usr/bin/time -v when timeBin is set, and
// returns its wall time, CPU times, peak RSS and combined output.
func runTimed(ctx context.Context, timeBin string, env []string, name string, args ...string) (Measurement, []byte, error) {
	var m Measurement
	m.Load1 = loadAvg1()
	var stats string
	argv := append([]string{name}, args...)
	if timeBin != "" {
		f, err := os.CreateTemp("", "recon-bench-time-*")
		if err != nil {
			return m, nil, err
		}
		stats = f.Name()
		f.Close()
		defer os.Remove(stats)
		argv = append([]string{timeBin, "-v", "-o", stats}, argv...)
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	m.Seconds = time.Since(start).Seconds()
	m.ExitOK = err == nil
	if stats != "" {
		if b, rerr := os.ReadFile(stats); rerr == nil {
			parseTimeV(string(b), &m)
		}
	}
	return m, out.Bytes(), err
}

// parseTimeV reads GNU time's -v report.
func parseTimeV(s string, m *Measurement) {
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), ": ")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch k {
		case "User time (seconds)":
			m.UserSec, _ = strconv.ParseFloat(v, 64)
		case "System time (seconds)":
			m.SysSec, _ = strconv.ParseFloat(v, 64)
		case "Maximum resident set size (kbytes)":
			m.MaxRSSK, _ = strconv.ParseInt(v, 10, 64)
		}
	}
}

// loadAvg1 is the 1-minute load average (0 when /proc is not there).
func loadAvg1() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0
	}
	v, _ := strconv.ParseFloat(f[0], 64)
	return v
}

// Machine describes where the numbers were taken.
type Machine struct {
	CPU       string `json:"cpu"`
	Cores     int    `json:"cores"`
	MemoryGiB string `json:"memory_gib"`
	Kernel    string `json:"kernel"`
	Go        string `json:"go"`
	Postgres  string `json:"postgres"`
	PGLoader  string `json:"pgloader"`
}

func machineInfo() Machine {
	m := Machine{Cores: runtime.NumCPU(), Go: runtime.Version()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.SplitSeq(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for line := range strings.SplitSeq(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
				m.MemoryGiB = fmt.Sprintf("%.1f", kb/1024/1024)
			}
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	return m
}

// median of xs (0 for none).
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// findTool looks for a PostgreSQL client binary next to the server
// binaries (/usr/lib/postgresql/*/bin, newest first), then on PATH.
func findTool(name string) (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return pgVersion(dirs[i]) > pgVersion(dirs[j]) })
	for _, d := range dirs {
		p := filepath.Join(d, name)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return exec.LookPath(name)
}

func pgVersion(binDir string) float64 {
	v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(binDir)), 64)
	return v
}
