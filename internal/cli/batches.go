package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/petfriendly/recon/audit"
	"github.com/petfriendly/recon/importer"
)

// BatchesCmd lists every import batch.
type BatchesCmd struct {
	JSON bool `name:"json" xor:"format" help:"${help_list_json}"`
	CSV  bool `name:"csv" xor:"format" help:"${help_list_csv}"`
}

// batchCSVRow is one line of `recon batches --csv`; the names match the
// keys of --json, and status and type are codes, not words.
type batchCSVRow struct {
	ID           int64      `csv:"id"`
	Type         string     `csv:"type"`
	File         string     `csv:"file"`
	SHA256       string     `csv:"sha256"`
	Profile      string     `csv:"profile"`
	Status       string     `csv:"status"`
	DryRun       bool       `csv:"dry_run"`
	Operator     string     `csv:"operator"`
	Total        int        `csv:"total_rows"`
	Imported     int        `csv:"imported"`
	Updated      int        `csv:"updated"`
	Unchanged    int        `csv:"unchanged"`
	Merged       int        `csv:"merged_duplicates"`
	Rejected     int        `csv:"rejected"`
	Orphaned     int        `csv:"orphaned"`
	Skipped      int        `csv:"skipped"`
	Issues       int        `csv:"issues"`
	OpenIssues   int        `csv:"open_issues"`
	StartedAt    *time.Time `csv:"started_at"`
	FinishedAt   *time.Time `csv:"finished_at"`
	RolledBackAt *time.Time `csv:"rolled_back_at"`
	Error        string     `csv:"error"`
}

func batchCSVRows(list []audit.Batch) []batchCSVRow {
	rows := make([]batchCSVRow, len(list))
	for i, b := range list {
		rows[i] = batchCSVRow{ID: b.ID, Type: b.Type, File: b.File, SHA256: b.SHA256, Profile: b.Profile, Status: b.Status,
			DryRun: b.DryRun, Operator: b.Operator, Total: b.Total, Imported: b.Imported, Updated: b.Updated,
			Unchanged: b.Unchanged, Merged: b.Merged, Rejected: b.Rejected, Orphaned: b.Orphaned, Skipped: b.Skipped,
			Issues: b.Issues, OpenIssues: b.OpenIssues, StartedAt: csvTime(b.StartedAt), FinishedAt: csvTime(b.FinishedAt),
			RolledBackAt: csvTime(b.RolledBackAt), Error: b.Error}
	}
	return rows
}

func (c *BatchesCmd) Run(ctx context.Context, g *Globals) error {
	pool, err := g.openDB(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	list, err := audit.Batches(ctx, pool)
	if err != nil {
		return err
	}
	if c.JSON {
		enc := json.NewEncoder(g.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	}
	if c.CSV {
		return writeCSV(g.Stdout, batchCSVRows(list))
	}
	if len(list) == 0 {
		fmt.Fprintln(g.Stdout, g.L.S("Todavía no hay lotes: importe con «recon import».", "No batches yet: import with \"recon import\"."))
		return nil
	}
	tw := tabwriter.NewWriter(g.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, g.L.S(
		"lote\ttipo\tarchivo\testado\tleídas\timportadas\tactualizadas\tsin cambios\tfusionadas\trechazadas\thuérfanas\tomitidas\tproblemas abiertos\tinicio\tfin\toperador",
		"batch\ttype\tfile\tstatus\tread\timported\tupdated\tunchanged\tmerged\trejected\torphaned\tskipped\topen issues\tstarted\tfinished\toperator"))
	for _, b := range list {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", b.ID, typeLabel(g, b.Type),
			filepath.Base(b.File), batchStatus(g, b.Status, b.DryRun), num(g, b.Total), num(g, b.Imported), num(g, b.Updated),
			num(g, b.Unchanged), num(g, b.Merged), num(g, b.Rejected), num(g, b.Orphaned), num(g, b.Skipped), num(g, b.OpenIssues),
			g.clock(b.StartedAt), g.clock(b.FinishedAt), b.Operator)
	}
	tw.Flush()
	for _, b := range list {
		if b.Error != "" {
			fmt.Fprintln(g.Stdout, g.L.F("Lote %d: %s", "Batch %d: %s", b.ID, batchNote(g, b.Error)))
		}
	}
	return nil
}

// batchStatus is a batch's status in words, marking dry runs.
func batchStatus(g *Globals, status string, dryRun bool) string {
	words := map[string][2]string{
		"pending": {"pendiente", "pending"}, "running": {"en curso", "running"}, "completed": {"completado", "completed"},
		"failed": {"fallido", "failed"}, "rolled_back": {"revertido", "rolled back"},
	}
	s := status
	if w, ok := words[status]; ok {
		s = g.L.S(w[0], w[1])
	}
	if dryRun {
		s += g.L.S(" (simulación)", " (dry run)")
	}
	return s
}

// batchNote is why a batch failed in the operator's words: the reasons
// recon records itself are codes, said here; any other is an error's text.
func batchNote(g *Globals, note string) string {
	switch note {
	case importer.InterruptedReason:
		return g.L.S("interrumpido: el proceso de recon terminó antes de cerrar el lote", "interrupted: the recon process ended before closing the batch")
	case importer.InterruptedDBClosedReason:
		return g.L.S("interrumpido: la base de datos se cerró mientras el lote corría", "interrupted: the database shut down while the batch ran")
	}
	return note
}
