package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/petfriendly/recon/audit"
	"github.com/petfriendly/recon/importer"
	"github.com/petfriendly/recon/internal/approval"
	"github.com/petfriendly/recon/internal/words"
	"github.com/petfriendly/recon/reconcile"
	"github.com/petfriendly/recon/reports"
	"github.com/petfriendly/recon/signoff"
	"github.com/petfriendly/recon/source"
)

// VerifyCmd reconciles the exports against the destination database.
type VerifyCmd struct {
	SourceDir string `name:"source-dir" type:"existingdir" help:"${help_verify_source_dir}"`
	Sample    int    `name:"sample" default:"10" help:"${help_verify_sample}"`
	Seed      uint64 `name:"seed" help:"${help_verify_seed}"`
	JSON      string `name:"json" help:"${help_verify_json}" placeholder:"FILE"`
	Report    string `name:"report" help:"${help_verify_report}" placeholder:"FILE.html"`
	PDF       string `name:"pdf" help:"${help_verify_pdf}" placeholder:"FILE.pdf"`
	Clinic    string `name:"clinic" help:"${help_clinic}"`
	// Without it the import's --operator is the one reported (not $USER).
	Operator string `name:"operator" env:"RECON_OPERATOR" help:"${help_verify_operator}"`
	MediaDir string `name:"media-dir" help:"${help_media_dir}" type:"path"`
	Mapping  string `name:"mapping" help:"${help_mapping}" type:"existingfile"`
	Profile  string `name:"profile" help:"${help_profile}"`
	// Rows created in Pet-Friendly after the import are listed but pass
	// (the parallel-run period).
	AllowNewRows bool `name:"allow-new-rows" help:"${help_verify_allow_new_rows}"`
	Wait         bool `name:"wait" help:"${help_verify_wait}"`
	Jobs         int  `name:"jobs" default:"0" help:"${help_verify_jobs}"`
	csvLimitFlags
}

func (c *VerifyCmd) Run(ctx context.Context, g *Globals) error {
	outputs := func(res *reconcile.Result, so *approval.Status) []output {
		return resultOutputs(g, renderers{}, res, so, "", [2]string{"--json", c.JSON}, [2]string{"--report", c.Report}, [2]string{"--pdf", c.PDF})
	}
	// A folder that cannot take a report fails now, not after the whole verification.
	if err := checkOutputDirs(g, outputs(nil, nil)); err != nil {
		return err
	}
	rnd := g.prepareRenderers(c.Report != "", c.PDF != "")
	if c.Jobs < 0 || c.Jobs > reconcile.MaxJobs {
		return errors.New(g.L.F("--jobs=%d: debe estar entre 0 y %d", "--jobs=%d: must be between 0 and %d", c.Jobs, reconcile.MaxJobs))
	}
	jobs := c.Jobs
	if jobs == 0 {
		jobs = runtime.NumCPU()
	}
	// Types verified at once each hold their chunk, read-ahead and window,
	// as import all's files do: the same limit (memory.go).
	limit := int64(bulkMemoryLimit)
	if min(jobs, reconcile.MaxJobs) > 1 {
		limit = concurrentImportMemoryLimit
	}
	defer tuneMemoryForBulkWork(os.Getenv, limit)()
	var mapping *source.Mapping
	if c.Mapping != "" {
		m, err := source.LoadMapping(c.Mapping)
		if err != nil {
			return err
		}
		mapping = m
	}
	pool, err := g.openDBConns(ctx, int32(reconcile.AheadConns(min(jobs, reconcile.MaxJobs))))
	if err != nil {
		return err
	}
	defer pool.Close()
	media := c.MediaDir
	if media == "" {
		media = filepath.Join(g.Home, "media")
	}
	operator, err := operatorOf(ctx, pool, c.Operator)
	if err != nil {
		return err
	}
	clinic, err := clinicOf(ctx, pool, c.Clinic)
	if err != nil {
		return err
	}
	// The import lock keeps an import or rollback from changing the tables
	// while they are read: verify never reads a half-written import.
	lock, err := importer.AcquireLock(ctx, pool, importer.LockOptions{Command: "verify", Operator: operator, Wait: c.Wait})
	if err != nil {
		return localizeLockError(g, err)
	}
	started := g.Now()
	res, err := reconcile.Verify(ctx, pool, reconcile.Options{
		SourceDir: c.SourceDir, Sample: c.Sample, Seed: c.Seed, MediaDir: media, Profile: c.Profile, Mapping: mapping,
		Operator: operator, Clinic: clinic, Now: g.Now, AllowNewRows: c.AllowNewRows, Limits: c.limits(), Jobs: c.Jobs,
		Reads: reconcile.ReadsAhead, // the pool above is opened for it
	})
	lock.Release(ctx)
	if err != nil {
		return err
	}
	if err := recordDurations(ctx, g, pool, &res, started); err != nil {
		return err
	}
	// The run is stored only when every report asked for is written: it is
	// saved in a transaction (the reports carry its number) that commits
	// once they all sit synced in their temporary files.
	tx, err := pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("save verification run: %w", err)
	}
	defer tx.Rollback(ctx) // after Commit, a no-op
	if err := reconcile.SaveRun(ctx, tx, &res); err != nil {
		return err
	}
	// The latest recorded digital sign-off, and whether the data changed since.
	so, err := signoff.StatusOf(ctx, tx, res)
	if err != nil {
		return err
	}
	outs := resultOutputs(g, rnd, &res, so, "", [2]string{"--json", c.JSON}, [2]string{"--report", c.Report}, [2]string{"--pdf", c.PDF})
	list, err := stageOutputs(g, outs)
	if err != nil {
		return errors.New(g.L.F("no se escribió: %v; no se escribió ninguna salida y la verificación no se guardó",
			"not written: %v; no output was written and the verification run was not stored", err))
	}
	if err := tx.Commit(ctx); err != nil {
		discard(list)
		return fmt.Errorf("save verification run: %w", err)
	}
	if err := publish(g, list); err != nil {
		return errors.New(g.L.F("la verificación #%d se guardó, pero no se escribió: %v; escríbalo con `recon report --run %d`",
			"verification run #%d was stored, but not written: %v; write it with `recon report --run %d`", res.RunID, err, res.RunID))
	}
	if !g.Quiet && c.JSON != "-" {
		// On stdout, like every other line verify prints: a closed terminal
		// does not undo a stored run.
		_ = reports.Text(g.Stdout, res, reports.TextOptions{Lang: g.L, Location: g.zone(), Signoff: so})
	}
	if !g.Quiet && c.JSON != "-" {
		mediaNotice(ctx, g.Stdout, g, pool, media)
	}
	if !res.OK {
		return WithExitCode(ExitProblems, errors.New(words.VerdictOf(g.L, approval.VerdictProblems).Short))
	}
	return nil
}

// recordDurations keeps how long the verified import and this verification
// (started at started) took, for the rehearsal comparison.
func recordDurations(ctx context.Context, g *Globals, db audit.DB, res *reconcile.Result, started time.Time) error {
	var ids []int64
	for _, s := range res.Sources {
		if s.BatchID != 0 {
			ids = append(ids, s.BatchID)
		}
	}
	imp, err := audit.ImportTime(ctx, db, ids)
	if err != nil {
		return err
	}
	res.Durations = &reconcile.Durations{ImportSeconds: imp.Seconds(), VerifySeconds: g.Now().Sub(started).Seconds()}
	return nil
}
