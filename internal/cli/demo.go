package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/petfriendly/recon/database"
	"github.com/petfriendly/recon/importer"
	"github.com/petfriendly/recon/internal/approval"
	"github.com/petfriendly/recon/internal/gen"
	"github.com/petfriendly/recon/internal/words"
	"github.com/petfriendly/recon/reconcile"
	"github.com/petfriendly/recon/reports"
)

// DemoCmd runs the whole loop on synthetic data: generate an export, load a
// fresh database, import, verify and write the reports.
type DemoCmd struct {
	Out    string  `default:"recon-demo" help:"${help_demo_out}" type:"path"`
	Scale  float64 `default:"1" help:"${help_gen_scale}"`
	Seed   uint64  `default:"1" help:"${help_gen_seed}"`
	Clinic string  `name:"clinic" default:"${default_clinic}" help:"${help_clinic}"`
	// Database is dropped and recreated on every rehearsal.
	Database string `name:"database" default:"recon_demo" help:"${help_demo_database}"`
}

func (c *DemoCmd) Run(ctx context.Context, g *Globals) error {
	say := func(es, en string, args ...any) {
		if !g.Quiet {
			fmt.Fprintln(g.Stdout, g.L.F(es, en, args...))
		}
	}
	rnd := g.prepareRenderers(true, true)
	exportDir := filepath.Join(c.Out, "export")
	say("1. Generando exportación OkVet sintética en %s ...", "1. Generating a synthetic OkVet export in %s ...", exportDir)
	exp, err := gen.Generate(ctx, gen.Options{Out: exportDir, Scale: c.Scale, Seed: c.Seed, Variant: "utf8"})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	total := 0
	for _, tc := range exp.Types {
		total += tc.SourceRows
	}
	say("   %d filas; resultados esperados en %s", "   %d rows; expected outcomes in %s", total, filepath.Join(exportDir, "expected.json"))

	first, err := c.rehearsal(ctx, g, say, exp, 1, importer.OrphansFlag)
	if err != nil {
		return err
	}
	final, err := c.rehearsal(ctx, g, say, exp, 2, importer.OrphansPlaceholder)
	if err != nil {
		return err
	}

	say("Informes del ensayo 2:", "Reports of rehearsal 2:")
	reportPath := filepath.Join(c.Out, "migration_report.html")
	pdfPath := filepath.Join(c.Out, "aprobacion.pdf")
	if err := writeReportFiles(g, rnd, final, nil, c.Clinic, reportPath, pdfPath); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	cmpPath := filepath.Join(c.Out, "comparison.html")
	cmp := reports.Compare([]reports.RunInfo{
		{Label: g.L.S("ensayo 1 (huérfanos señalados)", "rehearsal 1 (orphans flagged)"), Result: first},
		{Label: g.L.S("ensayo 2 (huérfanos con propietario desconocido)", "rehearsal 2 (orphans to placeholder owner)"), Result: final},
	})
	if err := writeRendered(g, cmpPath, "HTML", func(w io.Writer) error {
		return reports.CompareHTML(w, cmp, reports.HTMLOptions{Lang: g.L, Now: g.Now, Location: g.zone(), Charts: rnd.charts})
	}); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	say("Resultados en %s:", "Outputs in %s:", c.Out)
	for _, f := range [][3]string{
		{"export", "exportación OkVet sintética", "synthetic OkVet export"},
		{"rejects", "filas rechazadas y huérfanas por lote", "rejected and orphaned rows per batch"},
		{"verificacion-1.txt", "verificación del ensayo 1 (texto; también .json)", "verification of rehearsal 1 (text; also .json)"},
		{"verificacion-2.txt", "verificación del ensayo 2 (texto; también .json)", "verification of rehearsal 2 (text; also .json)"},
		{"migration_report.html", "informe HTML autónomo", "self-contained HTML report"},
		{"aprobacion.pdf", "aprobación para firmar", "approval to sign"},
		{"comparison.html", "comparación de los dos ensayos", "comparison of the two rehearsals"},
	} {
		say("   %-22s %s", "   %-22s %s", f[0], g.L.S(f[1], f[2]))
	}
	if !final.OK {
		return WithExitCode(ExitProblems, errors.New(words.VerdictOf(g.L, approval.VerdictProblems).Short))
	}
	return nil
}

// rehearsal loads the export into a fresh database, verifies it and writes
// the verification as text and JSON.
func (c *DemoCmd) rehearsal(ctx context.Context, g *Globals, say func(string, string, ...any), exp gen.Expected,
	n int, orphans string) (reconcile.Result, error) {
	exportDir := filepath.Join(c.Out, "export")
	say("Ensayo %d (--orphans=%s)", "Rehearsal %d (--orphans=%s)", n, orphans)
	say("  a. Base de datos nueva %q ...", "  a. Fresh database %q ...", c.Database)
	url, err := g.freshDatabase(ctx, c.Database)
	if err != nil {
		return reconcile.Result{}, fmt.Errorf("demo: %w", err)
	}
	pool, err := database.Open(ctx, url)
	if err != nil {
		return reconcile.Result{}, fmt.Errorf("demo: %w", err)
	}
	defer pool.Close()
	if _, err := database.Migrate(ctx, pool); err != nil {
		return reconcile.Result{}, fmt.Errorf("demo: %w", err)
	}
	say("  b. Importando ...", "  b. Importing ...")
	media := filepath.Join(c.Out, "media")
	im, err := importer.New(pool, importer.Options{
		Operator: "demo", Lang: g.L, RejectDir: filepath.Join(c.Out, "rejects"), MediaDir: media, Orphans: orphans,
		Now: g.Now, NewProgress: g.progressFactory(),
	})
	if err != nil {
		return reconcile.Result{}, fmt.Errorf("demo: %w", err)
	}
	res, err := im.ImportDir(ctx, exportDir)
	if !g.Quiet && len(res.Summaries) > 0 {
		printSummaries(g, res.Summaries)
		printUnrecognised(g, res.Unrecognised)
	}
	if err != nil {
		return reconcile.Result{}, WithExitCode(ExitProblems, fmt.Errorf("demo: %w", err))
	}
	if orphans == importer.OrphansFlag {
		if bad := compareExpected(g, exp, res); len(bad) > 0 {
			return reconcile.Result{}, WithExitCode(ExitProblems, fmt.Errorf("demo: %s", strings.Join(bad, "; ")))
		}
		say("     los conteos coinciden con expected.json para los 9 tipos", "     counts match expected.json for all 9 types")
	}
	say("  c. Verificando ...", "  c. Verifying ...")
	started := g.Now()
	vres, err := reconcile.Verify(ctx, pool, reconcile.Options{MediaDir: media, Operator: "demo", Clinic: c.Clinic, Now: g.Now})
	if err != nil {
		return vres, fmt.Errorf("demo: %w", err)
	}
	if err := recordDurations(ctx, g, pool, &vres, started); err != nil {
		return vres, fmt.Errorf("demo: %w", err)
	}
	if err := reconcile.SaveRun(ctx, pool, &vres); err != nil {
		return vres, fmt.Errorf("demo: %w", err)
	}
	base := filepath.Join(c.Out, fmt.Sprintf("verificacion-%d", n))
	if err := writeWhole(g, resultOutputs(g, renderers{}, &vres, nil, "", [2]string{"JSON", base + ".json"}, [2]string{}, [2]string{})); err != nil {
		return vres, fmt.Errorf("demo: %w", err)
	}
	var text bytes.Buffer
	if err := reports.Text(&text, vres, reports.TextOptions{Lang: g.L, Location: g.zone()}); err != nil {
		return vres, fmt.Errorf("demo: %w", err)
	}
	if err := os.WriteFile(base+".txt", text.Bytes(), 0o644); err != nil {
		return vres, fmt.Errorf("demo: %w", err)
	}
	verdict := words.VerdictOf(g.L, approval.Verdict(vres.OK, vres.SignoffReady)).Short
	say("     %s; huella %s", "     %s; fingerprint %s", verdict, vres.Fingerprint[:16])
	return vres, nil
}

// compareExpected checks the import against the generator's expectations.
func compareExpected(g *Globals, exp gen.Expected, res importer.DirResult) []string {
	got := map[string]importer.Summary{}
	for _, s := range res.Summaries {
		got[s.Type] = s
	}
	var bad []string
	for _, typ := range sortedTypeKeys(exp.Types) {
		want, s := exp.Types[typ], got[typ]
		if s.Read != want.SourceRows || s.Imported != want.Imported || s.Merged != want.MergedDuplicates ||
			s.Rejected != want.Rejected || s.Orphaned != want.Orphaned || s.Skipped != want.Skipped {
			bad = append(bad, g.L.F("%s no coincide con expected.json", "%s does not match expected.json", typeLabel(g, typ)))
		}
	}
	return bad
}

func sortedTypeKeys(m map[string]gen.TypeCounts) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// freshDatabase drops and recreates db on the configured server (the local
// cluster by default) and returns its URL.
func (g *Globals) freshDatabase(ctx context.Context, db string) (string, error) {
	url, err := g.databaseURL(ctx)
	if err != nil {
		return "", err
	}
	return database.RecreateDatabase(ctx, url, db)
}
