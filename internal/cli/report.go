package cli

import (
	"context"
	"errors"
	"io"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/petfriendly/recon/audit"
	"github.com/petfriendly/recon/internal/approval"
	"github.com/petfriendly/recon/reconcile"
)

// ReportCmd renders a stored verification run as the HTML report, the PDF
// approval and/or its JSON, without verifying again.
type ReportCmd struct {
	RunID  int64  `name:"run" help:"${help_report_run}" placeholder:"ID"` // not "Run": that is the method
	HTML   string `name:"html" help:"${help_report_html}" placeholder:"FILE.html"`
	PDF    string `name:"pdf" help:"${help_report_pdf}" placeholder:"FILE.pdf"`
	JSON   string `name:"json" help:"${help_report_json}" placeholder:"FILE"`
	Clinic string `name:"clinic" help:"${help_clinic}"`
}

func (c *ReportCmd) Run(ctx context.Context, g *Globals) error {
	if c.HTML == "" && c.PDF == "" && c.JSON == "" {
		return WithExitCode(ExitError, errors.New(g.L.S(
			"indique qué informe escribir: --html ARCHIVO, --pdf ARCHIVO o --json ARCHIVO",
			"say which report to write: --html FILE, --pdf FILE or --json FILE")))
	}
	outputs := func(rnd renderers, res *reconcile.Result, clinic string) []output {
		return resultOutputs(g, rnd, res, nil, clinic, [2]string{"--json", c.JSON}, [2]string{"--html", c.HTML}, [2]string{"--pdf", c.PDF})
	}
	if err := checkOutputDirs(g, outputs(renderers{}, nil, "")); err != nil {
		return err
	}
	rnd := g.prepareRenderers(c.HTML != "", c.PDF != "")
	pool, err := g.openDB(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	res, err := loadStoredRun(ctx, g, pool, c.RunID)
	if err != nil {
		return err
	}
	clinic, err := clinicOf(ctx, pool, c.Clinic)
	if err != nil {
		return err
	}
	return writeWhole(g, outputs(rnd, &res, clinic))
}

// writeReportFiles renders the HTML report and the PDF approval of a
// result to the given paths (either may be empty), whole or not at all.
func writeReportFiles(g *Globals, rnd renderers, res reconcile.Result, so *approval.Status, clinic, htmlPath, pdfPath string) error {
	return writeWhole(g, resultOutputs(g, rnd, &res, so, clinic, [2]string{}, [2]string{"HTML", htmlPath}, [2]string{"PDF", pdfPath}))
}

// clinicOf is the clinic a report names: the flag, else the name set once
// for the database (`recon db set clinic=…`); "" leaves the one stored
// with the run.
func clinicOf(ctx context.Context, db audit.DB, flag string) (string, error) {
	if flag = strings.TrimSpace(flag); flag != "" {
		return flag, nil
	}
	return audit.SettingValue(ctx, db, audit.SettingClinic)
}

// operatorOf is who a verification reports: the flag (or RECON_OPERATOR),
// else the --operator of the latest import, else the OS user.
func operatorOf(ctx context.Context, db audit.DB, flag string) (string, error) {
	if flag = strings.TrimSpace(flag); flag != "" {
		return flag, nil
	}
	op, err := audit.ImportOperator(ctx, db)
	if err != nil || op != "" {
		return op, err
	}
	return operatorName(""), nil
}

// loadStoredRun reads run id from migration_verificationrun; 0 means the
// latest.
func loadStoredRun(ctx context.Context, g *Globals, pool *pgxpool.Pool, id int64) (reconcile.Result, error) {
	ids, err := reconcile.RunIDs(ctx, pool)
	if err != nil {
		return reconcile.Result{}, err
	}
	if len(ids) == 0 {
		return reconcile.Result{}, errors.New(g.L.S(
			"no hay verificaciones guardadas: ejecute primero `recon verify`",
			"no verification runs are stored: run `recon verify` first"))
	}
	if id == 0 {
		id = ids[len(ids)-1]
	} else if !slices.Contains(ids, id) {
		return reconcile.Result{}, errors.New(g.L.F(
			"no existe la verificación %d; las guardadas van de %d a %d",
			"verification run %d does not exist; stored runs go from %d to %d", id, ids[0], ids[len(ids)-1]))
	}
	res, err := reconcile.LoadRun(ctx, pool, id)
	if err != nil {
		return res, err
	}
	if res.RunID == 0 {
		res.RunID = id // summaries saved before the id was known
	}
	return res, nil
}

// writeRendered renders one output and writes it whole to path ("-" is
// stdout).
func writeRendered(g *Globals, path, kind string, render func(io.Writer) error) error {
	return writeWhole(g, []output{{flag: kind, kind: kind, path: path, render: render}})
}
