package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/petfriendly/recon/internal/approval"
	"github.com/petfriendly/recon/reconcile"
	"github.com/petfriendly/recon/reports"
	"github.com/petfriendly/recon/signoff"
)

// CompareCmd compares rehearsal runs so the team sees whether the latest
// one went better than the one before.
type CompareCmd struct {
	Runs   []string `arg:"" optional:"" name:"run" help:"${help_compare_runs}"`
	Output string   `name:"output" short:"o" default:"comparison.html" help:"${help_compare_output}" placeholder:"FILE.html"`
	JSON   string   `name:"json" help:"${help_compare_json}" placeholder:"FILE"`
}

func (c *CompareCmd) Run(ctx context.Context, g *Globals) error {
	if err := checkOutputDirs(g, []output{{flag: "--json", path: c.JSON}, {flag: "--output", path: c.Output}}); err != nil {
		return err
	}
	rnd := g.prepareRenderers(c.Output != "", false)
	runs, err := c.load(ctx, g)
	if err != nil {
		return err
	}
	if len(runs) < 2 {
		return WithExitCode(ExitError, errors.New(g.L.F(
			"se necesitan al menos dos ejecuciones para comparar y hay %d: ejecute `recon verify` de nuevo o indique archivos JSON de verify",
			"comparing needs at least two runs and there are %d: run `recon verify` again or give verify JSON files", len(runs))))
	}
	cmp := reports.Compare(runs)
	// The latest recorded sign-off, against the latest stored run compared.
	so, err := c.signoffStatus(ctx, g, runs)
	if err != nil {
		return err
	}
	msgs := g.Stdout
	if c.JSON == "-" { // stdout is for JSON alone
		msgs = g.Stderr
	}
	if so != nil && !g.Quiet {
		fmt.Fprintln(msgs, reports.SignedApproval(g.L, *so, g.zone()))
	}
	if !g.Quiet {
		if err := reports.CompareText(msgs, cmp, g.L, g.zone()); err != nil {
			return err
		}
	}
	return writeWhole(g, []output{
		{flag: "--json", kind: "JSON", path: c.JSON, render: func(w io.Writer) error { return reports.CompareJSON(w, cmp) }},
		{flag: "--output", kind: "HTML", path: c.Output, render: func(w io.Writer) error {
			return reports.CompareHTML(w, cmp, reports.HTMLOptions{Lang: g.L, Now: g.Now, Location: g.zone(), Charts: rnd.charts, Signoff: so})
		}},
	})
}

// signoffStatus says whether the data of the newest stored run among runs
// is what the latest recorded sign-off approved; nil when no run compared
// is stored or nothing was signed off.
func (c *CompareCmd) signoffStatus(ctx context.Context, g *Globals, runs []reports.RunInfo) (*approval.Status, error) {
	for _, a := range c.Runs {
		if _, err := strconv.ParseInt(a, 10, 64); err != nil {
			return nil, nil // verify JSON files: perhaps of another database, which is not opened
		}
	}
	var latest *reconcile.Result
	for i := range runs {
		r := &runs[i].Result
		// Run ids grow with every run; times are kept to the second.
		if r.RunID != 0 && (latest == nil || r.RunID > latest.RunID) {
			latest = r
		}
	}
	if latest == nil {
		return nil, nil
	}
	pool, err := g.openDB(ctx)
	if err != nil {
		return nil, err
	}
	defer pool.Close()
	return signoff.StatusOf(ctx, pool, *latest)
}

// load reads each RUN: a number is a stored run id, anything else a verify
// JSON file. With no RUN it takes every stored run, oldest first. The
// database is opened only when a stored run is needed.
func (c *CompareCmd) load(ctx context.Context, g *Globals) ([]reports.RunInfo, error) {
	var pool *pgxpool.Pool
	db := func() (*pgxpool.Pool, error) {
		if pool != nil {
			return pool, nil
		}
		p, err := g.openDB(ctx)
		pool = p
		return p, err
	}
	defer func() {
		if pool != nil {
			pool.Close()
		}
	}()

	args := c.Runs
	if len(args) == 0 {
		p, err := db()
		if err != nil {
			return nil, err
		}
		ids, err := reconcile.RunIDs(ctx, p)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			args = append(args, strconv.FormatInt(id, 10))
		}
	}
	var runs []reports.RunInfo
	for _, a := range args {
		if id, err := strconv.ParseInt(a, 10, 64); err == nil && id > 0 {
			p, err := db()
			if err != nil {
				return nil, err
			}
			res, err := loadStoredRun(ctx, g, p, id)
			if err != nil {
				return nil, err
			}
			runs = append(runs, reports.RunInfo{Label: "#" + a, Result: res})
			continue
		}
		res, err := readResultFile(g, a)
		if err != nil {
			return nil, err
		}
		runs = append(runs, reports.RunInfo{Label: filepath.Base(a), Result: res})
	}
	return runs, nil
}

// readResultFile reads the JSON that `recon verify --json` wrote.
func readResultFile(g *Globals, path string) (reconcile.Result, error) {
	var res reconcile.Result
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return res, errors.New(g.L.F(
			"%s no es un número de verificación guardada ni un archivo JSON existente",
			"%s is neither a stored run number nor an existing JSON file", path))
	}
	if err != nil {
		return res, fmt.Errorf("read %s: %w", path, err)
	}
	if err := json.Unmarshal(b, &res); err != nil {
		return res, errors.New(g.L.F("%s no es un JSON de `recon verify`: %v", "%s is not `recon verify` JSON: %v", path, err))
	}
	return res, nil
}
