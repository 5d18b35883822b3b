package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/petfriendly/recon/importer"
	"github.com/petfriendly/recon/internal/gen"
	"github.com/petfriendly/recon/reconcile"
	"github.com/petfriendly/recon/store"
)

// DemoCmd runs the whole loop on synthetic data: generate an export, load a
// fresh database, import, verify and write the reports.
type DemoCmd struct {
	Out    string `default:"recon-demo" help:"${help_demo_out}" type:"path"`
	Scale  int    `default:"1" help:"${help_gen_scale}"`
	Seed   uint64 `default:"1" help:"${help_gen_seed}"`
	Clinic string `name:"clinic" default:"${default_clinic}" help:"${help_clinic}"`
}

// demoDatabase is dropped and recreated on every demo run.
const demoDatabase = "recon_demo"

func (c *DemoCmd) Run(ctx context.Context, g *Globals) error {
	say := func(es, en string, args ...any) {
		if !g.Quiet {
			fmt.Fprintln(g.Stdout, g.L.F(es, en, args...))
		}
	}
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

	say("2. Preparando base de datos nueva %q ...", "2. Preparing fresh database %q ...", demoDatabase)
	url, err := g.freshDatabase(ctx, demoDatabase)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	pool, err := store.Open(ctx, url)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	defer pool.Close()
	applied, err := store.Migrate(ctx, pool)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	say("   esquema aplicado (%d migraciones): %s", "   schema applied (%d migrations): %s", len(applied), url)

	say("3. Importando %s ...", "3. Importing %s ...", exportDir)
	im, err := importer.New(pool, importer.Options{
		Operator: "demo", RejectDir: filepath.Join(c.Out, "rejects"), MediaDir: filepath.Join(c.Out, "media"),
		Now: g.Now, NewProgress: g.progressFactory(),
	})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	res, err := im.ImportDir(ctx, exportDir)
	if !g.Quiet && len(res.Summaries) > 0 {
		printSummaries(g, res.Summaries)
		printUnrecognised(g, res.Unrecognised)
	}
	if err != nil {
		return WithExitCode(ExitProblems, fmt.Errorf("demo: %w", err))
	}
	if bad := compareExpected(g, exp, res); len(bad) > 0 {
		return WithExitCode(ExitProblems, fmt.Errorf("demo: %s", strings.Join(bad, "; ")))
	}
	say("   los conteos coinciden con expected.json para los 9 tipos", "   counts match expected.json for all 9 types")
	say("4. Verificando ...", "4. Verifying ...")
	vres, err := reconcile.Verify(ctx, pool, reconcile.Options{
		MediaDir: filepath.Join(c.Out, "media"), Operator: "demo", Clinic: c.Clinic, Now: g.Now,
	})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if err := reconcile.SaveRun(ctx, pool, &vres); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	jsonPath := filepath.Join(c.Out, "verificacion.json")
	textPath := filepath.Join(c.Out, "verificacion.txt")
	if err := writeOutputs(g, vres, jsonPath, "", ""); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	var text bytes.Buffer
	TextReport(&text, g, vres)
	if err := os.WriteFile(textPath, text.Bytes(), 0o644); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	verdict := g.L.S("verificación correcta", "verification passed")
	if !vres.OK {
		verdict = g.L.S("la verificación encontró problemas", "verification found problems")
	}
	say("   ejecución #%d: %s; huella %s", "   run #%d: %s; fingerprint %s", vres.RunID, verdict, vres.Fingerprint[:16])
	say("5. Informes HTML/PDF: aún no construidos (issue 8).", "5. HTML/PDF reports: not built yet (issue 8).")
	say("Resultados:", "Outputs:")
	say("   exportación:          %s", "   export:               %s", exportDir)
	say("   rechazos:             %s", "   rejects:              %s", filepath.Join(c.Out, "rejects"))
	say("   verificación (texto): %s", "   verification (text):  %s", textPath)
	say("   verificación (JSON):  %s", "   verification (JSON):  %s", jsonPath)
	if !vres.OK {
		return WithExitCode(ExitProblems, errors.New(verdict))
	}
	return nil
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
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return "", fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(ctx)
	id := pgx.Identifier{db}.Sanitize()
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+id+" WITH (FORCE)"); err != nil {
		return "", fmt.Errorf("drop database %s: %w", db, err)
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+id); err != nil {
		return "", fmt.Errorf("create database %s: %w", db, err)
	}
	return store.WithDatabase(url, db), nil
}
