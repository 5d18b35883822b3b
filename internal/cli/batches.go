package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/petfriendly/recon/review"
	"github.com/petfriendly/recon/source/normalize"
)

// BatchesCmd lists every import batch.
type BatchesCmd struct {
	JSON bool `name:"json" help:"${help_list_json}"`
}

func (c *BatchesCmd) Run(ctx context.Context, g *Globals) error {
	pool, err := g.openDB(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	list, err := review.Batches(ctx, pool)
	if err != nil {
		return err
	}
	if c.JSON {
		enc := json.NewEncoder(g.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
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
			clock(&b.StartedAt), clock(b.FinishedAt), b.Operator)
	}
	tw.Flush()
	for _, b := range list {
		if b.Error != "" {
			fmt.Fprintln(g.Stdout, g.L.F("Lote %d: %s", "Batch %d: %s", b.ID, b.Error))
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

// clock shows a time in Bogotá, where the clinic is; "-" when unset.
func clock(t *time.Time) string {
	if t == nil || t.IsZero() {
		return "-"
	}
	return t.In(normalize.Bogota()).Format("2006-01-02 15:04")
}
