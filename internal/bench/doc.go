package bench

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// Stats summarises the repetitions of one step.
type Stats struct {
	N                int
	Median, Min, Max float64
	RSSMedianMB      float64
	RSSMaxMB         float64
	CPUMedian        float64 // user + sys
	LoadMedian       float64
}

// Summarise computes the medians of a step's repetitions.
func Summarise(ms []Measurement) Stats {
	s := Stats{N: len(ms)}
	if len(ms) == 0 {
		return s
	}
	var secs, rss, cpu, load []float64
	s.Min, s.Max = ms[0].Seconds, ms[0].Seconds
	for _, m := range ms {
		secs = append(secs, m.Seconds)
		s.Min, s.Max = min(s.Min, m.Seconds), max(s.Max, m.Seconds)
		if m.MaxRSSK > 0 {
			rss = append(rss, float64(m.MaxRSSK)/1024)
			s.RSSMaxMB = max(s.RSSMaxMB, float64(m.MaxRSSK)/1024)
		}
		if m.UserSec+m.SysSec > 0 {
			cpu = append(cpu, m.UserSec+m.SysSec)
		}
		load = append(load, m.Load1)
	}
	s.Median, s.RSSMedianMB, s.CPUMedian, s.LoadMedian = median(secs), median(rss), median(cpu), median(load)
	return s
}

func dash(v float64, format string) string {
	if v == 0 {
		return "–"
	}
	return fmt.Sprintf(format, v)
}

func machineLine(res *Result) string {
	m := res.Machine
	var b strings.Builder
	fmt.Fprintf(&b, "- Date: %s\n", res.Date.Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(&b, "- Machine: %s, %d cores, %s GiB memory (from /proc/cpuinfo and /proc/meminfo), Linux %s\n", m.CPU, m.Cores, m.MemoryGiB, m.Kernel)
	fmt.Fprintf(&b, "- %s, %s", m.Postgres, m.Go)
	if m.PGLoader != "" {
		fmt.Fprintf(&b, ", %s", m.PGLoader)
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "- Repetitions per step: %d (median shown); reproduce with `%s`\n", res.Reps, res.Command)
	for _, n := range res.Notes {
		fmt.Fprintf(&b, "- Note: %s\n", n)
	}
	return b.String()
}

// RenderSideBySide is the scale's table: each step's median seconds, its
// ratio to the floor and the peak RSS of recon's steps.
func RenderSideBySide(res *Result) string {
	var b strings.Builder
	b.WriteString(machineLine(res))
	for _, sr := range res.Scales {
		floor := Summarise(sr.Steps[StepFloor])
		fmt.Fprintf(&b, "\nScale %d: %d files, %.1f MB of CSV, %d data rows (floor count; recon read %d source records",
			sr.Scale, sr.Files, float64(sr.Bytes)/1e6, sr.Rows, sr.ReconRows)
		if sr.PGLRows > 0 {
			fmt.Fprintf(&b, "; pgloader loaded %d", sr.PGLRows)
		}
		b.WriteString(").\n\n")
		b.WriteString("| step | median s | min – max s | × floor | peak RSS MB (median / max) | CPU s (user+sys) | load avg 1 min (median) |\n")
		b.WriteString("|---|---:|---:|---:|---:|---:|---:|\n")
		for _, step := range Steps {
			ms := sr.Steps[step]
			if len(ms) == 0 {
				if step == StepImportBefore || step == StepVerifyBefore {
					continue // no before binary in this run
				}
				fmt.Fprintf(&b, "| %s | not run | | | | | |\n", stepLabel(step))
				continue
			}
			s := Summarise(ms)
			ratio := "1.0"
			if step != StepFloor && floor.Median > 0 {
				ratio = fmt.Sprintf("%.1f", s.Median/floor.Median)
			}
			rss := "–"
			if s.RSSMedianMB > 0 {
				rss = fmt.Sprintf("%.0f / %.0f", s.RSSMedianMB, s.RSSMaxMB)
			}
			fmt.Fprintf(&b, "| %s | %.2f | %.2f – %.2f | %s | %s | %s | %.2f |\n", stepLabelOf(res, step), s.Median, s.Min, s.Max, ratio,
				rss, dash(s.CPUMedian, "%.1f"), s.LoadMedian)
		}
		if sf, imp := Summarise(sr.Steps[StepSchema]), Summarise(sr.Steps[StepImport]); sf.Median > 0 && imp.Median > 0 {
			fmt.Fprintf(&b, "\nImport ÷ schema floor: %.1f (what recon adds on top of writing its own rows); schema floor ÷ floor: %.1f (what recon's data model costs the server).\n",
				imp.Median/sf.Median, sf.Median/floor.Median)
		}
		b.WriteString(renderTargets(res, sr))
	}
	if res.XLSX != nil {
		b.WriteString("\n" + RenderXLSX(res.XLSX))
	}
	return b.String()
}

// stepLabelOf names the before steps with the revision they ran.
func stepLabelOf(res *Result, step string) string {
	switch step {
	case StepImportBefore:
		return "`recon import all` before (" + res.BeforeRev + ")"
	case StepVerifyBefore:
		return "`recon verify --json` before (" + res.BeforeRev + ")"
	}
	return stepLabel(step)
}

// renderTargets states issue 18's ratios for the scale (import against
// pgloader, verify against the floor), now and, when measured, before.
func renderTargets(res *Result, sr ScaleResult) string {
	floor, pgl := Summarise(sr.Steps[StepFloor]), Summarise(sr.Steps[StepPGLoader])
	imp, ver := Summarise(sr.Steps[StepImport]), Summarise(sr.Steps[StepVerify])
	impB, verB := Summarise(sr.Steps[StepImportBefore]), Summarise(sr.Steps[StepVerifyBefore])
	var b strings.Builder
	if pgl.Median > 0 && imp.Median > 0 {
		fmt.Fprintf(&b, "\nImport ÷ pgloader: %.2f", imp.Median/pgl.Median)
		if impB.Median > 0 {
			fmt.Fprintf(&b, " (before: %.2f)", impB.Median/pgl.Median)
		}
		b.WriteString(" — target ≤ 1.")
	}
	if floor.Median > 0 && ver.Median > 0 {
		fmt.Fprintf(&b, "\nVerify ÷ floor: %.1f", ver.Median/floor.Median)
		if verB.Median > 0 {
			fmt.Fprintf(&b, " (before: %.1f)", verB.Median/floor.Median)
		}
		b.WriteString(" — target ≤ 3.")
	}
	if sr.Content != "" {
		fmt.Fprintf(&b, "\nContent fingerprint of the imported database: `%s`", sr.Content)
		if sr.BeforeContent != "" {
			b.WriteString(", the same before and now")
		}
		b.WriteString(".")
	}
	if b.Len() > 0 {
		b.WriteString("\n")
	}
	return b.String()
}

func stepLabel(step string) string {
	switch step {
	case StepFloor:
		return "floor: `psql \\copy` into text tables"
	case StepPGLoader:
		return "peer: `pgloader` into text tables"
	case StepSchema:
		return "schema floor: `psql \\copy` (binary) of the rows recon wrote, into recon's schema"
	case StepImport:
		return "`recon import all`"
	case StepVerify:
		return "`recon verify --json`"
	}
	return step
}

// RenderScaling is one row per scale and the growth from the smallest
// scale at or above 5 to the largest.
func RenderScaling(res *Result) string {
	var b strings.Builder
	b.WriteString(machineLine(res))
	b.WriteString("\n| scale | rows | floor s | pgloader s | schema floor s | import s | verify s | import × floor | import × schema floor | verify × floor | import RSS MB | verify RSS MB |\n")
	b.WriteString("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, sr := range res.Scales {
		f, p, i, v := Summarise(sr.Steps[StepFloor]), Summarise(sr.Steps[StepPGLoader]), Summarise(sr.Steps[StepImport]), Summarise(sr.Steps[StepVerify])
		sf := Summarise(sr.Steps[StepSchema])
		schemaRatio := "–"
		if sf.Median > 0 {
			schemaRatio = fmt.Sprintf("%.1f", i.Median/sf.Median)
		}
		fmt.Fprintf(&b, "| %d | %d | %.2f | %s | %s | %.2f | %.2f | %.1f | %s | %.1f | %.0f | %.0f |\n", sr.Scale, sr.Rows, f.Median,
			dash(p.Median, "%.2f"), dash(sf.Median, "%.2f"), i.Median, v.Median, i.Median/f.Median, schemaRatio, v.Median/f.Median,
			i.RSSMedianMB, v.RSSMedianMB)
	}
	var lo, hi *ScaleResult
	for k := range res.Scales {
		sr := &res.Scales[k]
		if sr.Scale >= 5 && (lo == nil || sr.Scale < lo.Scale) {
			lo = sr
		}
		if hi == nil || sr.Scale > hi.Scale {
			hi = sr
		}
	}
	if lo != nil && hi != nil && lo != hi && lo.Rows > 0 {
		g := func(step string, rss bool) float64 {
			a, z := Summarise(lo.Steps[step]), Summarise(hi.Steps[step])
			if rss {
				if a.RSSMedianMB == 0 {
					return 0
				}
				return z.RSSMedianMB / a.RSSMedianMB
			}
			if a.Median == 0 {
				return 0
			}
			return z.Median / a.Median
		}
		fmt.Fprintf(&b, "\nFrom scale %d to %d: rows × %.1f; floor time × %.1f; import time × %.1f, import peak RSS × %.2f; verify time × %.1f, verify peak RSS × %.2f.\n",
			lo.Scale, hi.Scale, float64(hi.Rows)/float64(lo.Rows), g(StepFloor, false), g(StepImport, false), g(StepImport, true),
			g(StepVerify, false), g(StepVerify, true))
	}
	return b.String()
}

func markers(section string) (begin, end string) {
	return "<!-- BEGIN generated: " + section + " -->", "<!-- END generated: " + section + " -->"
}

// UpdateDoc replaces the generated section of the document (between its
// markers), leaving the hand-written text around it alone. A missing
// section is appended; a missing document is created.
func UpdateDoc(path, section, body string) error {
	begin, end := markers(section)
	block := begin + "\n" + strings.TrimRight(body, "\n") + "\n" + end
	old, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		old = []byte("# Performance\n")
	} else if err != nil {
		return err
	}
	s := string(old)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	switch {
	case i >= 0 && j > i:
		s = s[:i] + block + s[j+len(end):]
	case i >= 0 || j >= 0:
		return fmt.Errorf("%s: unbalanced markers for section %s", path, section)
	default:
		s = strings.TrimRight(s, "\n") + "\n\n" + block + "\n"
	}
	return os.WriteFile(path, []byte(s), 0o644)
}
