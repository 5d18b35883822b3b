package bench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/petfriendly/recon/database"
	"github.com/petfriendly/recon/source"
)

// XLSXRSSTargetMB is issue 17's bound on the peak RSS of importing the
// 200 MB workbook.
const XLSXRSSTargetMB = 300

// XLSXResult is the XLSX step: one generated clientes.xlsx imported with
// --max-xlsx-mb just above what it unpacks to, and refused below.
type XLSXResult struct {
	TargetMB      int   `json:"target_mb"`      // asked of the generator, MiB
	FileBytes     int64 `json:"file_bytes"`     // the .xlsx file
	UnpackedBytes int64 `json:"unpacked_bytes"` // what --max-xlsx-mb limits
	Rows          int   `json:"rows"`           // data rows written
	MaxXLSXMB     int   `json:"max_xlsx_mb"`    // the import's --max-xlsx-mb
	ReconRows     int64 `json:"recon_rows"`     // source records recon read (batch total)
	Imported      int64 `json:"imported"`
	Merged        int64 `json:"merged"`
	// Import holds one measurement per repetition.
	Import []Measurement `json:"import"`
	// RefusedLimitMB is the limit of the refusal check: recon's default
	// when the workbook unpacks beyond it, else just below the workbook.
	RefusedLimitMB int         `json:"refused_limit_mb"`
	Refused        Measurement `json:"refused"`
	RefusedMessage string      `json:"refused_message"` // recon's line naming --max-xlsx-mb
}

// xlsx runs the XLSX step: it writes the workbook, checks that recon refuses
// it at the lower limit, then imports it Reps times, each into a fresh
// database with a fresh home, under /usr/bin/time -v.
func (r *runner) xlsx(ctx context.Context) (*XLSXResult, error) {
	dir := filepath.Join(r.opts.Work, fmt.Sprintf("xlsx-%dmb", r.opts.XLSXMB))
	if err := os.RemoveAll(dir); err != nil {
		return nil, fmt.Errorf("xlsx step: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("xlsx step: %w", err)
	}
	defer r.dropDB(context.WithoutCancel(ctx), xlsxDB)
	r.logf("xlsx: writing a workbook of %d MB unpacked in %s", r.opts.XLSXMB, dir)
	started := time.Now()
	wb, err := WriteClientsXLSX(filepath.Join(dir, "clientes.xlsx"), r.opts.XLSXMB)
	if err != nil {
		return nil, fmt.Errorf("xlsx step: %w", err)
	}
	x := &XLSXResult{TargetMB: r.opts.XLSXMB, FileBytes: wb.FileBytes, UnpackedBytes: wb.UnpackedBytes, Rows: wb.Rows,
		MaxXLSXMB: int(wb.UnpackedBytes>>20) + 1}
	r.logf("xlsx: %d rows, %.1f MB file unpacking to %.1f MiB (%.1f s)", wb.Rows, float64(wb.FileBytes)/1e6,
		float64(wb.UnpackedBytes)/(1<<20), time.Since(started).Seconds())

	// The refusal: at recon's default limit, run without the flag as an
	// operator would; a workbook within the default is checked just below
	// its own size instead, through the same code.
	var extra []string
	x.RefusedLimitMB = source.DefaultMaxXLSXMB
	if wb.UnpackedBytes <= int64(source.DefaultMaxXLSXMB)<<20 {
		x.RefusedLimitMB = int((wb.UnpackedBytes - 1) >> 20)
		if x.RefusedLimitMB < 1 {
			return x, fmt.Errorf("xlsx step: a workbook of %d bytes is too small to check the limit: want --xlsx-mb 2 or more", wb.UnpackedBytes)
		}
		extra = []string{"--max-xlsx-mb=" + strconv.Itoa(x.RefusedLimitMB)}
	}
	m, out, err := r.xlsxImport(ctx, dir, extra...)
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 || !strings.Contains(string(out), "--max-xlsx-mb") {
		return x, fmt.Errorf("xlsx step: recon import all at --max-xlsx-mb %d, below the workbook's %d MiB: %s, want exit status 1 and a message naming --max-xlsx-mb: %s",
			x.RefusedLimitMB, wb.UnpackedBytes>>20, exitText(err), tail(out, 2000))
	}
	// Without the scratch folder, which means nothing in the document.
	x.Refused, x.RefusedMessage = m, strings.ReplaceAll(limitLine(out), dir+string(filepath.Separator), "")
	r.logf("xlsx: refused at --max-xlsx-mb %d in %.2f s: %s", x.RefusedLimitMB, m.Seconds, x.RefusedMessage)

	for rep := 1; rep <= r.opts.Reps; rep++ {
		m, out, err := r.xlsxImport(ctx, dir, "--max-xlsx-mb="+strconv.Itoa(x.MaxXLSXMB))
		if err != nil {
			return x, fmt.Errorf("xlsx step: recon import all --max-xlsx-mb=%d: %s: %s", x.MaxXLSXMB, exitText(err), tail(out, 2000))
		}
		x.Import = append(x.Import, m)
		r.logf("xlsx rep %d/%d import: %.2f s, RSS %d MB, CPU %.1f s (load %.2f)", rep, r.opts.Reps, m.Seconds, m.MaxRSSK/1024,
			m.UserSec+m.SysSec, m.Load1)
	}
	err = r.exec(ctx, xlsxDB, func(c *pgx.Conn) error {
		return c.QueryRow(ctx, `SELECT COALESCE(sum(total_records), 0), COALESCE(sum(imported_count), 0), COALESCE(sum(duplicate_count), 0)
			FROM migration_migrationbatch WHERE status = 'completed'`).Scan(&x.ReconRows, &x.Imported, &x.Merged)
	})
	if err != nil {
		return x, fmt.Errorf("xlsx step: count what the import read: %w", err)
	}
	// A sheet read only in part would make the memory figure meaningless.
	if x.ReconRows != int64(wb.Rows) {
		return x, fmt.Errorf("xlsx step: recon read %d source records of the %d rows in the workbook", x.ReconRows, wb.Rows)
	}
	return x, nil
}

const xlsxDB = "bench_xlsx"

// xlsxImport runs recon import all on the workbook's folder into a fresh
// database with a fresh home. The database is left for the caller to read.
func (r *runner) xlsxImport(ctx context.Context, dir string, flags ...string) (Measurement, []byte, error) {
	if err := r.freshDB(ctx, xlsxDB); err != nil {
		return Measurement{}, nil, fmt.Errorf("xlsx step: %w", err)
	}
	home := filepath.Join(r.opts.Work, "xlsx-run")
	if err := os.RemoveAll(home); err != nil {
		return Measurement{}, nil, fmt.Errorf("xlsx step: %w", err)
	}
	defer os.RemoveAll(home)
	args := []string{"--home=" + home, "--database-url=" + database.WithDatabase(r.url, xlsxDB), "--lang=en", "--no-progress", "-q",
		"import", "all", "--dir=" + dir}
	return runTimed(ctx, r.timeBin, nil, r.opts.Recon, append(args, flags...)...)
}

// exitText is how a command ended, for messages.
func exitText(err error) string {
	if err == nil {
		return "exit status 0"
	}
	return err.Error()
}

// limitLine is the first line of recon's output naming --max-xlsx-mb.
func limitLine(out []byte) string {
	for line := range strings.SplitSeq(string(out), "\n") {
		if strings.Contains(line, "--max-xlsx-mb") {
			return strings.TrimSpace(line)
		}
	}
	return ""
}

// RenderXLSX is the XLSX step's table.
func RenderXLSX(x *XLSXResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "XLSX: one `clientes.xlsx` of %.1f MB that unpacks to %.1f MiB, %d data rows (target %d MiB); recon read %d source records, imported %d, merged %d.\n\n",
		float64(x.FileBytes)/1e6, float64(x.UnpackedBytes)/(1<<20), x.Rows, x.TargetMB, x.ReconRows, x.Imported, x.Merged)
	b.WriteString("| step | median s | min – max s | peak RSS MB (median / max) | CPU s (user+sys) | load avg 1 min (median) | peak RSS under " +
		strconv.Itoa(XLSXRSSTargetMB) + " MB |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---|\n")
	s := Summarise(x.Import)
	rss, under := "–", "not measured"
	if s.RSSMaxMB > 0 {
		rss = fmt.Sprintf("%.0f / %.0f", s.RSSMedianMB, s.RSSMaxMB)
		under = map[bool]string{true: "yes", false: "**no**"}[s.RSSMaxMB < XLSXRSSTargetMB]
	}
	fmt.Fprintf(&b, "| `recon import all --max-xlsx-mb=%d` | %.2f | %.2f – %.2f | %s | %s | %.2f | %s |\n", x.MaxXLSXMB, s.Median, s.Min, s.Max,
		rss, dash(s.CPUMedian, "%.1f"), s.LoadMedian, under)
	refusedRSS := "not measured"
	if x.Refused.MaxRSSK > 0 {
		refusedRSS = fmt.Sprintf("%.0f MB", float64(x.Refused.MaxRSSK)/1024)
	}
	fmt.Fprintf(&b, "\nAt `--max-xlsx-mb=%d`%s recon refused the workbook in %.2f s (exit 1, peak RSS %s): `%s`\n", x.RefusedLimitMB,
		map[bool]string{true: " (the default)", false: ""}[x.RefusedLimitMB == source.DefaultMaxXLSXMB], x.Refused.Seconds,
		refusedRSS, x.RefusedMessage)
	return b.String()
}
