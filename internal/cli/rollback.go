package cli

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/petfriendly/recon/importer"
	"github.com/petfriendly/recon/source"
)

// RollbackCmd undoes one import batch: the rows it created go, the rows it
// updated get their earlier values back.
type RollbackCmd struct {
	BatchID  int64  `name:"batch-id" required:"" help:"${help_rollback_batch_id}"`
	Cascade  bool   `name:"cascade" help:"${help_rollback_cascade}"`
	DryRun   bool   `name:"dry-run" help:"${help_rollback_dry_run}"`
	Wait     bool   `name:"wait" help:"${help_wait}"`
	MediaDir string `name:"media-dir" help:"${help_media_dir}" type:"path"`
	Operator string `name:"operator" env:"RECON_OPERATOR,USER" help:"${help_operator}"`
}

func (c *RollbackCmd) Run(ctx context.Context, g *Globals) error {
	pool, err := g.openDB(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	media := c.MediaDir
	if media == "" {
		media = filepath.Join(g.Home, "media")
	}
	res, err := importer.Rollback(ctx, pool, c.BatchID, importer.RollbackOptions{
		Cascade: c.Cascade, DryRun: c.DryRun, Wait: c.Wait, Operator: operatorName(c.Operator), MediaDir: media, Now: g.Now,
	})
	printInterrupted(g, res.Interrupted)
	var deps *importer.DependentsError
	switch {
	case errors.As(err, &deps):
		return WithExitCode(ExitProblems, errors.New(dependentsMessage(g, deps)))
	case errors.Is(err, importer.ErrBatchNotFound):
		return errors.New(g.L.F("el lote %d no existe", "batch %d does not exist", c.BatchID))
	case errors.Is(err, importer.ErrNotRollbackable):
		return WithExitCode(ExitProblems, errors.New(g.L.F(
			"el lote %d no se completó (falló): no dejó datos en el destino y no hay nada que revertir",
			"batch %d did not complete (it failed): it left no data in the destination and there is nothing to roll back", c.BatchID)))
	case err != nil:
		return localizeLockError(g, err)
	}
	if res.AlreadyRolledBack {
		fmt.Fprintln(g.Stdout, g.L.F("El lote %d ya estaba revertido (desde %s); no se hizo nada.",
			"Batch %d was already rolled back (at %s); nothing was done.", c.BatchID, g.clock(&res.RolledBackAt)))
		return nil
	}
	if !g.Quiet {
		printRollback(g, res)
	}
	return nil
}

// batchTypeLabel names a batch_type ("medical") like the import tables do.
func batchTypeLabel(g *Globals, batchType string) string {
	if t, ok := source.TypeByName(batchType); ok {
		return typeLabel(g, t.Name)
	}
	return batchType
}

func printRollback(g *Globals, res importer.RollbackResult) {
	if res.DryRun {
		fmt.Fprintln(g.Stdout, g.L.S("SIMULACIÓN: esto es lo que haría la reversión; no se cambió nada.",
			"DRY RUN: this is what the rollback would do; nothing was changed."))
	}
	tw := tabwriter.NewWriter(g.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, g.L.S("lote\ttipo\ttabla\teliminadas\trestauradas\t", "batch\ttype\ttable\tdeleted\trestored\t"))
	for _, b := range res.Batches {
		label := batchTypeLabel(g, b.Type)
		for _, t := range b.Tables {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t\n", b.BatchID, label, t.Table, num(g, t.Deleted), num(g, t.Restored))
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t\t\n", b.BatchID, label, "migration_externalidmapping", num(g, b.Mappings))
	}
	tw.Flush()
	if res.PlaceholderOwners > 0 {
		fmt.Fprintln(g.Stdout, g.L.S("El propietario provisional quedó sin mascotas ni facturas y se eliminó.",
			"The placeholder owner had nothing left attached and was removed."))
	}
	if n := len(res.MediaRemoved); n > 0 {
		fmt.Fprintln(g.Stdout, g.L.F("Adjuntos sin ningún documento que los use, eliminados del almacén: %s",
			"Attachments no document uses any more, removed from the store: %s", num(g, n)))
	}
	if res.MediaKept > 0 {
		fmt.Fprintln(g.Stdout, g.L.F("Adjuntos conservados porque otra base de datos que usa la misma carpeta de medios los referencia: %s",
			"Attachments kept because another database using the same media folder references them: %s", num(g, res.MediaKept)))
	}
	for _, w := range res.MediaWarnings {
		fmt.Fprintln(g.Stderr, g.L.F("aviso: adjunto no eliminado: %s", "warning: attachment not removed: %s", w))
	}
	var ids []string
	for _, b := range res.Batches {
		ids = append(ids, fmt.Sprint(b.BatchID))
	}
	if res.DryRun {
		fmt.Fprintln(g.Stdout, g.L.F("Se revertirían los lotes %s.", "Batches %s would be rolled back.", strings.Join(ids, ", ")))
		return
	}
	fmt.Fprintln(g.Stdout, g.L.F("Lotes revertidos: %s.", "Batches rolled back: %s.", strings.Join(ids, ", ")))
}

// dependentsMessage lists what stops a rollback.
func dependentsMessage(g *Globals, e *importer.DependentsError) string {
	var b strings.Builder
	b.WriteString(g.L.F("no se puede revertir el lote %d: hay datos posteriores que dependen de él:",
		"cannot roll back batch %d: later data depends on it:", e.BatchID))
	for _, d := range e.Dependents {
		b.WriteString("\n  ")
		if d.BatchID == 0 {
			b.WriteString(g.L.F("datos no creados por recon: %s filas de %s (%s)", "data not created by recon: %s rows of %s (%s)",
				num(g, d.Rows), d.Table, d.Why))
			continue
		}
		b.WriteString(g.L.F("lote %d (%s, %s): %s filas de %s (%s)", "batch %d (%s, %s): %s rows of %s (%s)",
			d.BatchID, batchTypeLabel(g, d.Type), filepath.Base(d.File), num(g, d.Rows), d.Table, d.Why))
	}
	b.WriteString("\n")
	if e.Cascadable() {
		b.WriteString(g.L.S("Use --cascade para revertir primero esos lotes, del más reciente al más antiguo.",
			"Use --cascade to roll those batches back first, newest first."))
	} else {
		b.WriteString(g.L.S("Hay datos creados fuera de recon que usan estas filas: no se puede revertir sin perderlos.",
			"Data created outside recon uses these rows: the batch cannot be rolled back without losing it."))
	}
	return b.String()
}

// localizeLockError turns a busy lock into the operator's language.
func localizeLockError(g *Globals, err error) error {
	var busy *importer.BusyError
	if !errors.As(err, &busy) {
		return err
	}
	h := busy.Holder
	batch := g.L.S("lote desconocido", "unknown batch")
	if h.BatchID != 0 {
		batch = g.L.F("lote %d", "batch %d", h.BatchID)
	}
	pid := g.L.S("pid desconocido", "unknown pid")
	if h.ClientPID != 0 {
		pid = g.L.F("pid %d en %s", "pid %d on %s", h.ClientPID, h.Host)
	}
	what := h.Command
	switch h.Command {
	case "import":
		what = g.L.S("importación", "import")
	case "rollback":
		what = g.L.S("reversión", "rollback")
	case "verify":
		what = g.L.S("verificación", "verification")
	}
	return WithExitCode(ExitError, errors.New(g.L.F(
		"otra importación, reversión o verificación está en curso (%s, %s, %s desde %s); espere a que termine o use --wait",
		"another import, rollback or verification is running (%s, %s, %s since %s); wait for it to finish or use --wait",
		batch, pid, what, g.clock(&h.Since))))
}

// printInterrupted tells the operator about batches a dead process left
// running, now marked failed.
func printInterrupted(g *Globals, ids []int64) {
	if len(ids) == 0 || g.Quiet {
		return
	}
	var s []string
	for _, id := range ids {
		s = append(s, fmt.Sprint(id))
	}
	fmt.Fprintln(g.Stderr, g.L.F(
		"Lotes que quedaron en curso (su proceso terminó o la base de datos se cerró; «recon batches» dice cuál), marcados como fallidos: %s. No dejaron datos en el destino.",
		"Batches left running (their process ended or the database shut down; \"recon batches\" says which), marked failed: %s. They left no data in the destination.",
		strings.Join(s, ", ")))
}
