package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/alecthomas/kong"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/petfriendly/recon/importer"
	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/reports"
	"github.com/petfriendly/recon/source"
)

// ImportCmd imports OkVet export files, one file per batch: every file of
// a folder, or one file of a type named by its Command in the type table.
type ImportCmd struct {
	All  ImportAllCmd  `cmd:"" name:"all" help:"${help_import_all}"`
	Type ImportFileCmd `arg:"" name:"type" help:"${help_import_type}"`
}

// importFlags are shared by every import command.
type importFlags struct {
	DryRun    bool   `name:"dry-run" help:"${help_dry_run}"`
	BatchSize int    `name:"batch-size" default:"5000" help:"${help_batch_size}"`
	Orphans   string `name:"orphans" default:"flag" enum:"flag,placeholder" help:"${help_orphans}"`
	Mapping   string `name:"mapping" help:"${help_mapping}" type:"existingfile"`
	Profile   string `name:"profile" help:"${help_profile}"`
	MediaDir  string `name:"media-dir" help:"${help_media_dir}" type:"path"`
	Operator  string `name:"operator" env:"RECON_OPERATOR,USER" help:"${help_operator}"`
	Wait      bool   `name:"wait" help:"${help_wait}"`
	MaxXLSXMB int    `name:"max-xlsx-mb" default:"100" help:"${help_max_xlsx_mb}"`
	csvLimitFlags
}

// csvLimitFlags are the CSV limits (source.Limits) of import, verify and
// inspect; the defaults are source.DefaultMax*.
type csvLimitFlags struct {
	MaxColumns   int `name:"max-columns" default:"16384" placeholder:"N" help:"${help_max_columns}"`
	MaxCellBytes int `name:"max-cell-bytes" default:"1048576" placeholder:"N" help:"${help_max_cell_bytes}"`
	MaxLineBytes int `name:"max-line-bytes" default:"4194304" placeholder:"N" help:"${help_max_line_bytes}"`
}

func (f csvLimitFlags) limits() source.Limits {
	return source.Limits{Columns: f.MaxColumns, CellBytes: f.MaxCellBytes, LineBytes: f.MaxLineBytes}
}

// ImportFileCmd imports one file as the type the operator names by its
// Command in the type table (recon import records --file F).
type ImportFileCmd struct {
	Type string `arg:"" name:"type"`
	File string `name:"file" required:"" help:"${help_import_file}" type:"existingfile"`
	importFlags
}

// Validate refuses a type the table does not name, while parsing. kong
// checks no enum on a branching argument, so this says it as kong says
// an enum (the parse errors are translated alike).
func (c *ImportFileCmd) Validate() error {
	if _, ok := source.TypeByCommand(c.Type); ok {
		return nil
	}
	quoted := make([]string, 0, len(source.Types()))
	for _, name := range importCommands() {
		quoted = append(quoted, strconv.Quote(name))
	}
	return fmt.Errorf("must be one of %s but got %q", strings.Join(quoted, ","), c.Type)
}

// ImportAllCmd imports every recognised file of an export folder.
type ImportAllCmd struct {
	Dir  string `name:"dir" required:"" help:"${help_import_dir}" type:"existingdir"`
	Jobs int    `name:"jobs" default:"2" help:"${help_jobs}"`
	importFlags
}

// importCommands lists the names recon import takes for one file, in
// import order, from the type table.
func importCommands() []string {
	var out []string
	for _, t := range source.Types() {
		out = append(out, t.Command)
	}
	return out
}

// listImportTypes shows "import <type>" in kong's command lists as one
// line per type, as the operator types it ("import records") with what it
// imports; it returns what puts the model back. Only help printing uses
// it: the parser keeps the one command.
func listImportTypes(app *kong.Node, lang i18n.Lang) (restore func()) {
	for _, imp := range app.Children {
		if imp.Type != kong.CommandNode || imp.Name != "import" {
			continue
		}
		orig := imp.Children
		var shown []*kong.Node
		for _, n := range orig {
			if n.Type != kong.ArgumentNode || n.Name != "type" {
				shown = append(shown, n)
				continue
			}
			for _, t := range source.Types() {
				shown = append(shown, &kong.Node{Type: kong.CommandNode, Name: t.Command, Parent: imp, Help: lang.S(t.ImportES, t.ImportEN)})
			}
		}
		imp.Children = shown
		return func() { imp.Children = orig }
	}
	return func() {}
}

func (c *ImportFileCmd) Run(ctx context.Context, g *Globals) error {
	t, ok := source.TypeByCommand(c.Type)
	if !ok {
		return c.Validate()
	}
	defer tuneMemoryForBulkWork(os.Getenv, bulkMemoryLimit)()
	im, done, err := c.importFlags.open(ctx, g, 1)
	if err != nil {
		return err
	}
	defer done()
	sum, err := im.ImportFile(ctx, t.Name, c.File)
	if sum.BatchID != 0 && !g.Quiet {
		printSummaries(g, []importer.Summary{sum})
	}
	if errors.Is(err, importer.ErrBatchFailed) {
		return WithExitCode(ExitProblems, err)
	}
	return localizeLockError(g, err)
}

func (c *ImportAllCmd) Run(ctx context.Context, g *Globals) error {
	limit := int64(bulkMemoryLimit)
	if c.Jobs > 1 {
		limit = concurrentImportMemoryLimit
	}
	defer tuneMemoryForBulkWork(os.Getenv, limit)()
	if c.Jobs < 1 || c.Jobs > importer.MaxJobs {
		return errors.New(g.L.F("--jobs=%d: debe estar entre 1 y %d", "--jobs=%d: must be between 1 and %d", c.Jobs, importer.MaxJobs))
	}
	im, done, err := c.importFlags.open(ctx, g, c.Jobs)
	if err != nil {
		return err
	}
	defer done()
	res, err := im.ImportDir(ctx, c.Dir)
	if errors.Is(err, importer.ErrUnreadable) {
		printUnreadable(g, res.Unreadable)
		return WithExitCode(ExitProblems, errors.New(""))
	}
	if !g.Quiet {
		if len(res.Summaries) > 0 {
			printSummaries(g, res.Summaries)
		}
		printUnrecognised(g, res.Unrecognised)
	}
	if errors.Is(err, importer.ErrBatchFailed) {
		return WithExitCode(ExitProblems, err)
	}
	return localizeLockError(g, err)
}

// open connects and returns the importer; jobs files load at once (each a
// connection, beside the lock's and one for bookkeeping).
func (f *importFlags) open(ctx context.Context, g *Globals, jobs int) (*importer.Importer, func(), error) {
	var mapping *source.Mapping
	if f.Mapping != "" {
		m, err := source.LoadMapping(f.Mapping)
		if err != nil {
			return nil, nil, err
		}
		mapping = m
	}
	pool, err := g.openDBConns(ctx, int32(jobs)+2)
	if err != nil {
		return nil, nil, err
	}
	media := f.MediaDir
	if media == "" {
		media = filepath.Join(g.Home, "media")
	}
	im, err := importer.New(pool, importer.Options{
		DryRun: f.DryRun, BatchSize: f.BatchSize, Orphans: f.Orphans, Profile: f.Profile, Mapping: mapping,
		Operator: operatorName(f.Operator), Lang: g.L, RejectDir: rejectDir(g.Home, pool), MediaDir: media, Now: g.Now,
		NewProgress: g.progressFactory(), Wait: f.Wait, MaxXLSXMB: f.MaxXLSXMB, Jobs: jobs,
		Limits:        f.limits(),
		OnInterrupted: func(ids []int64) { printInterrupted(g, ids) },
	})
	if err != nil {
		pool.Close()
		return nil, nil, err
	}
	return im, pool.Close, nil
}

// rejectDir is <home>/rejects/<database>@<host>-<port>: every database has
// its own reject files, since each numbers its batches from 1.
func rejectDir(home string, pool *pgxpool.Pool) string {
	cc := pool.Config().ConnConfig
	name := fmt.Sprintf("%s@%s-%d", cc.Database, cc.Host, cc.Port)
	safe := strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ':' || r < ' ' {
			return '_'
		}
		return r
	}, name)
	return filepath.Join(home, "rejects", strings.Trim(safe, "._"))
}

// typeLabel is the Spanish or English plural of a type for tables.
func typeLabel(g *Globals, name string) string { return source.Label(g.L, name) }

// printSummaries writes a pgloader-like table of batches.
func printSummaries(g *Globals, sums []importer.Summary) {
	tw := tabwriter.NewWriter(g.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, g.L.S("tipo               \tleídas\timportadas\tactualizadas\tsin cambios\tfusionadas\trechazadas\thuérfanas\tomitidas\tsegundos\tlote\testado\t",
		"type               \tread\timported\tupdated\tunchanged\tmerged\trejected\torphaned\tskipped\tseconds\tbatch\tstatus\t"))
	var tot importer.Summary
	for _, s := range sums {
		status := g.L.S(map[string]string{"completed": "completado", "failed": "fallido"}[s.Status], s.Status)
		if status == "" {
			status = s.Status
		}
		if s.DryRun {
			status += g.L.S(" (simulación)", " (dry run)")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.2f\t%d\t%s\t\n", fmt.Sprintf("%-19s", typeLabel(g, s.Type)), num(g, s.Read), num(g, s.Imported),
			num(g, s.Updated), num(g, s.Unchanged), num(g, s.Merged), num(g, s.Rejected), num(g, s.Orphaned), num(g, s.Skipped),
			s.Seconds, s.BatchID, status)
		tot.Read += s.Read
		tot.Imported += s.Imported
		tot.Updated += s.Updated
		tot.Unchanged += s.Unchanged
		tot.Merged += s.Merged
		tot.Rejected += s.Rejected
		tot.Orphaned += s.Orphaned
		tot.Skipped += s.Skipped
		tot.Seconds += s.Seconds
	}
	if len(sums) > 1 {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.2f\t\t\t\n", fmt.Sprintf("%-19s", "total"), num(g, tot.Read), num(g, tot.Imported),
			num(g, tot.Updated), num(g, tot.Unchanged), num(g, tot.Merged), num(g, tot.Rejected), num(g, tot.Orphaned), num(g, tot.Skipped),
			tot.Seconds)
	}
	tw.Flush()
	sheetSaid := map[string]bool{} // a workbook read by several batches lists its sheets once
	for _, s := range sums {
		if s.RejectFile != "" {
			fmt.Fprintln(g.Stdout, g.L.F("Filas rechazadas o huérfanas de %s: %s", "Rejected or orphaned rows of %s: %s",
				typeLabel(g, s.Type), s.RejectFile))
		}
		if s.MergedLines > 0 {
			fmt.Fprintln(g.Stdout, g.L.F("Atención: en %s, %d línea(s) física(s) quedaron dentro de otra fila por un error de comillas y no tienen registro propio (problema quote_merged_lines, con los números de línea); corrija las comillas y vuelva a importar.",
				"Warning: in %s, %d physical line(s) were swallowed into another row by a quoting error and have no record of their own (issue quote_merged_lines, with the line numbers); fix the quotes and import again.",
				filepath.Base(s.File), s.MergedLines))
		}
		for _, c := range s.NotMigrated {
			fmt.Fprintln(g.Stdout, g.L.F("Atención: %s, columna %s: %s — problema column_not_migrated; asígnela a un campo o declárela en ignore del archivo de correspondencias.",
				"Warning: %s, column %s: %s — issue column_not_migrated; map it to a field or declare it in the mapping file's ignore list.",
				filepath.Base(s.File), reports.ColumnHeader(g.L, c), reports.ColumnLabel(g.L, c)))
		}
		for _, sh := range s.Sheets {
			if sh.Status != source.SheetRead && sh.Status != source.SheetOtherType && sh.Status != source.SheetEmpty && !sheetSaid[s.File+"\x00"+sh.Name] {
				sheetSaid[s.File+"\x00"+sh.Name] = true
				fmt.Fprintln(g.Stdout, g.L.F("Hoja %q de %s: %s", "Sheet %q of %s: %s", sh.Name, filepath.Base(s.File), reports.SheetLabel(g.L, sh)))
			}
		}
		if len(s.Problems) > 0 {
			fmt.Fprintln(g.Stdout, g.L.F("Primeros problemas de %s:", "First problems of %s:", typeLabel(g, s.Type)))
			for _, p := range s.Problems {
				fmt.Fprintln(g.Stdout, "  "+p)
			}
		}
		if s.Error != "" {
			fmt.Fprintln(g.Stdout, g.L.F("Lote %d FALLIDO (%s): %s — no quedó ningún dato de este lote en el destino.",
				"Batch %d FAILED (%s): %s — no data of this batch remains in the destination.", s.BatchID, typeLabel(g, s.Type), s.Error))
		}
	}
}

// printUnreadable says, before anything else, which files stopped the
// import (it goes to stderr, so --quiet does not hide it).
func printUnreadable(g *Globals, files map[string]importer.FileProblem) {
	fmt.Fprintln(g.Stderr, g.L.S("No se importó nada: estos archivos de la carpeta de exportación no se pueden leer. Corríjalos (o sáquelos de la carpeta) y vuelva a importar; si no, lo que depende de ellos quedaría huérfano:",
		"Nothing was imported: these files of the export folder cannot be read. Fix them (or move them out of the folder) and import again; otherwise what depends on them would be orphaned:"))
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(g.Stderr, "  %s: %s (%s)\n", name, reasonText(g.L, files[name].Reason), files[name].Detail)
	}
}

func printUnrecognised(g *Globals, files map[string]string) {
	if len(files) == 0 {
		return
	}
	fmt.Fprintln(g.Stdout, g.L.S("Archivos no reconocidos (no importados):", "Unrecognised files (not imported):"))
	for _, name := range sortedKeys(files) {
		fmt.Fprintf(g.Stdout, "  %s: %s\n", name, files[name])
	}
}

// num writes an integer with the language's thousands separator.
func num(g *Globals, n int) string { return g.L.Int(n) }

// progressFactory returns how each file reports progress: a bar on a
// terminal, a line every few seconds otherwise, nothing with --quiet. Files
// of independent types load at once, so their reports share one lock and,
// on a terminal, one bar naming every file loading now.
func (g *Globals) progressFactory() func(typ, file string) importer.Progress {
	if g.Quiet || g.NoProgress {
		return nil
	}
	grp := &progressGroup{g: g}
	if f, ok := g.Stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		grp.bars = true
	}
	return func(typ, file string) importer.Progress {
		return grp.begin(typeLabel(g, typ) + " (" + file + ")")
	}
}

// progressGroup is the progress of one command's files.
type progressGroup struct {
	g      *Globals
	bars   bool
	mu     sync.Mutex
	active []string // files loading now, in the order they started
	bar    *progressbar.ProgressBar
}

func (p *progressGroup) begin(label string) importer.Progress {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.active = append(p.active, label)
	now := p.g.Now()
	f := &fileProgress{grp: p, label: label, start: now, last: now}
	if !p.bars {
		return f
	}
	if p.bar == nil {
		p.bar = progressbar.NewOptions(-1,
			progressbar.OptionSetWriter(p.g.Stderr),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString(p.g.L.S("filas", "rows")),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	p.bar.Describe(strings.Join(p.active, ", "))
	return f
}

// fileProgress is one file's part: with bars it adds to the shared bar,
// otherwise it prints a plain status line every few seconds, for logs.
type fileProgress struct {
	grp   *progressGroup
	label string
	rows  int
	start time.Time
	last  time.Time
}

func (f *fileProgress) Add(n int) {
	p := f.grp
	p.mu.Lock()
	defer p.mu.Unlock()
	f.rows += n
	if p.bars {
		_ = p.bar.Add(n)
		return
	}
	if f.rows%1000 != 0 {
		return
	}
	now := p.g.Now()
	if now.Sub(f.last) < 5*time.Second {
		return
	}
	f.last = now
	rate := float64(f.rows) / now.Sub(f.start).Seconds()
	fmt.Fprintln(p.g.Stderr, p.g.L.F("%s: %s filas (%.0f filas/s)", "%s: %s rows (%.0f rows/s)", f.label, num(p.g, f.rows), rate))
}

func (f *fileProgress) Finish() {
	p := f.grp
	p.mu.Lock()
	defer p.mu.Unlock()
	if i := slices.Index(p.active, f.label); i >= 0 {
		p.active = slices.Delete(p.active, i, i+1)
	}
	if !p.bars {
		return
	}
	if len(p.active) > 0 {
		p.bar.Describe(strings.Join(p.active, ", "))
		return
	}
	_ = p.bar.Finish()
	p.bar = nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
