package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/petfriendly/recon/importer"
	"github.com/petfriendly/recon/reconcile"
	"github.com/petfriendly/recon/reports"
	"github.com/petfriendly/recon/review"
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
	outputs := func(res *reconcile.Result, so *reports.SignoffStatus) []output {
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
		TextReport(g.Stdout, g, res)
		if so != nil {
			fmt.Fprintln(g.Stdout)
			fmt.Fprintln(g.Stdout, g.L.F("Aprobación firmada: %s", "Signed approval: %s", reports.SignoffLine(g.L, *so, g.zone())))
		}
	}
	if !g.Quiet && c.JSON != "-" {
		mediaNotice(ctx, g.Stdout, g, pool, media)
	}
	if !res.OK {
		return WithExitCode(ExitProblems, errors.New(g.L.S("la verificación encontró problemas", "verification found problems")))
	}
	return nil
}

// recordDurations keeps how long the verified import and this verification
// (started at started) took, for the rehearsal comparison.
func recordDurations(ctx context.Context, g *Globals, db review.DB, res *reconcile.Result, started time.Time) error {
	var ids []int64
	for _, s := range res.Sources {
		if s.BatchID != 0 {
			ids = append(ids, s.BatchID)
		}
	}
	imp, err := review.ImportTime(ctx, db, ids)
	if err != nil {
		return err
	}
	res.Durations = &reconcile.Durations{ImportSeconds: imp.Seconds(), VerifySeconds: g.Now().Sub(started).Seconds()}
	return nil
}

// TextReport prints the verification in the story's text format.
func TextReport(w io.Writer, g *Globals, r reconcile.Result) {
	l := g.L
	line := strings.Repeat("=", 78)
	fmt.Fprintln(w, line)
	fmt.Fprintln(w, l.S("INFORME DE VERIFICACIÓN DE MIGRACIÓN — OkVet.co → Pet-Friendly", "MIGRATION VERIFICATION REPORT — OkVet.co → Pet-Friendly"))
	fmt.Fprintln(w, line)
	fmt.Fprintln(w, l.F("Clínica: %s", "Clinic: %s", r.Clinic))
	fmt.Fprintln(w, l.F("Fecha: %s   Operador: %s   Ejecución: #%d", "Date: %s   Operator: %s   Run: #%d",
		g.clock(&r.GeneratedAt), r.Operator, r.RunID))
	fmt.Fprintln(w, l.F("Huella: %s", "Fingerprint: %s", r.Fingerprint))
	fmt.Fprintln(w, l.F("Huella del contenido: %s", "Content fingerprint: %s", r.ContentFingerprint))
	fmt.Fprintln(w)

	notes := explanationNotes(g, r)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, l.S("Tipo               \tOrigen\tImportados\tFusionados\tRechazados\tHuérfanos\tOmitidos\tDestino\tSin explicar\tDiferencias\t",
		"Type               \tSource\tImported\tMerged\tRejected\tOrphaned\tSkipped\tDestination\tUnexplained\tMismatches\t"))
	for _, name := range reconcile.TypeNames() {
		tc := r.Types[name]
		mark := ""
		if tc.SourceRows != tc.DestinationRows {
			mark = "*"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s%s\t%s\t%s\t\n", fmt.Sprintf("%-19s", typeLabel(g, name)), num(g, tc.SourceRows), num(g, tc.Imported),
			num(g, tc.Merged), num(g, tc.Rejected), num(g, tc.Orphaned), num(g, tc.Skipped), num(g, tc.DestinationRows), mark,
			num(g, tc.Unexplained), num(g, tc.FieldMismatches))
	}
	tw.Flush()
	fmt.Fprintln(w)
	fmt.Fprintln(w, l.S("Destino: filas de cada tabla = de la migración + marcador + no de la migración",
		"Destination: rows of each table = from the migration + placeholder + not from the migration"))
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, l.S("Tabla                       \tFilas\tMigración\tMarcador\tNo de la migración\tDesaparecidas\t",
		"Table                       \tRows\tMigrated\tPlaceholder\tNot from migration\tVanished\t"))
	for _, tc := range r.Tables {
		c := r.Types[tc.Type]
		fmt.Fprintf(tw, "%-28s\t%s\t%s\t%s\t%s\t%s\t\n", tc.Table, num(g, c.TableRows), num(g, c.MappedRows), num(g, c.Placeholder),
			num(g, c.NotFromMigration), num(g, c.Vanished))
	}
	tw.Flush()
	if len(notes) > 0 {
		fmt.Fprintln(w)
		for _, n := range notes {
			fmt.Fprintln(w, "* "+n)
		}
	}

	if len(r.Findings) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, l.S("Hallazgos:", "Findings:"))
		for i, f := range r.Findings {
			if i == 20 {
				fmt.Fprintln(w, l.F("  ... y %s más (ver --json)", "  ... and %s more (see --json)", num(g, len(r.Findings)-20)))
				break
			}
			mark := "i"
			if f.Blocks {
				mark = "✗"
			}
			fmt.Fprintf(w, "  %s %s\n", mark, reports.FindingText(l, f))
		}
	}
	for _, name := range reconcile.TypeNames() {
		if d, ok := r.SourceDelta[name]; ok {
			fmt.Fprintln(w, l.F("Cambios en OkVet desde la importación, %s: %s añadidas, %s eliminadas, %s cambiadas %v",
				"Changes in OkVet since the import, %s: %s added, %s removed, %s changed %v",
				typeLabel(g, name), num(g, d.Added), num(g, d.Removed), num(g, d.Changed), d.Examples))
		}
	}
	if len(r.Unexplained) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, l.S("Filas sin explicar:", "Unexplained rows:"))
		for i, u := range r.Unexplained {
			if i == 20 {
				fmt.Fprintln(w, l.F("  ... y %s más (ver --json)", "  ... and %s more (see --json)", num(g, len(r.Unexplained)-20)))
				break
			}
			fmt.Fprintf(w, "  %s %s: %s\n", typeLabel(g, u.Type), u.SourceID, reports.ReasonLabel(l, u.Reason))
		}
	}
	if len(r.Mismatches) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, l.S("Diferencias de campos (origen → destino):", "Field differences (source → destination):"))
		for i, m := range r.Mismatches {
			if i == 20 {
				fmt.Fprintln(w, l.F("  ... y %s más (ver --json)", "  ... and %s more (see --json)", num(g, len(r.Mismatches)-20)))
				break
			}
			fmt.Fprintf(w, "  %s %s %s: %q → %q\n", typeLabel(g, m.Type), m.SourceID, m.Field, m.Source, m.Destination)
		}
	}
	if len(r.Corrections) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, l.S("Correcciones manuales auditadas (no cuentan como diferencias si el destino conserva el valor corregido):",
			"Audited manual corrections (not counted as differences while the destination keeps the corrected value):"))
		for i, c := range r.Corrections {
			if i == 20 {
				fmt.Fprintln(w, l.F("  ... y %s más (ver --json)", "  ... and %s more (see --json)", num(g, len(r.Corrections)-20)))
				break
			}
			fmt.Fprintf(w, "  %s %s %s: %q → %q — %s, %s: %s\n", typeLabel(g, c.Type), c.SourceID, c.Field, c.Old, c.New, c.By,
				g.clock(&c.At), c.Reason)
		}
	}
	for _, c := range r.Chains {
		if c.OK {
			continue
		}
		fmt.Fprintln(w)
		fmt.Fprintln(w, l.F("Cadena rota: %s (%s casos) %s", "Broken chain: %s (%s cases) %s", reports.ChainLabel(l, c.Check), num(g, c.Violations),
			reports.ChainLegend(l)))
		for _, e := range c.Examples {
			fmt.Fprintln(w, "  "+e)
		}
	}
	if a := r.Attachments; a.Missing+a.Corrupt > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, l.F("Adjuntos: %s faltantes, %s alterados", "Attachments: %s missing, %s altered", num(g, a.Missing), num(g, a.Corrupt)))
		for _, e := range a.Examples {
			fmt.Fprintln(w, "  "+e)
		}
	}
	for _, s := range r.Sources {
		if s.Status != "ok" {
			fmt.Fprintln(w)
			fmt.Fprintln(w, l.F("Archivo de origen %s: %s", "Source file %s: %s", s.Path,
				l.S(map[string]string{"missing": "no encontrado", "changed": "cambió desde la importación"}[s.Status], s.Status)))
		}
	}
	writeColumnUse(w, g, r.Sources)

	fmt.Fprintln(w)
	fmt.Fprintln(w, l.F("Muestra aleatoria: %d filas por tipo (semilla %d)", "Spot check: %d rows per type (seed %d)", sampleSize(r), r.SampleSeed))
	bad := 0
	for _, s := range r.Samples {
		if !s.Match {
			bad++
		}
	}
	fmt.Fprintln(w, l.F("  %s filas revisadas, %s con diferencias", "  %s rows checked, %s with differences", num(g, len(r.Samples)), num(g, bad)))

	fmt.Fprintln(w)
	fmt.Fprintln(w, l.F("Problemas de calidad abiertos: %s críticos, %s advertencias, %s informativos",
		"Open quality issues: %s critical, %s warnings, %s info",
		num(g, r.IssuesBySev["critical"]), num(g, r.IssuesBySev["warning"]), num(g, r.IssuesBySev["info"])))

	if len(r.Logins) > 0 {
		// Pet-Friendly's own accounts: listed, never counted silently.
		fmt.Fprintln(w)
		fmt.Fprintln(w, l.F("Cuentas de Pet-Friendly sin perfil de propietario: %s", "Pet-Friendly accounts without an owner profile: %s",
			num(g, len(r.Logins))))
		for _, a := range r.Logins {
			kind := l.F("rol %s", "role %s", a.Role)
			switch {
			case a.IsSuperuser:
				kind = l.S("superusuario", "superuser")
			case a.IsStaff:
				kind = l.S("personal (is_staff)", "staff (is_staff)")
			}
			fmt.Fprintf(w, "  #%d %s: %s\n", a.ID, a.Email, kind)
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, l.S("Lista de verificación:", "Checklist:"))
	for _, item := range reports.Checklist(r) {
		mark := "❌"
		if item.OK {
			mark = "✅"
		}
		fmt.Fprintf(w, "  %s %s\n", mark, reports.CheckLabel(l, item.Code))
	}
	fmt.Fprintln(w)
	if r.SignoffReady {
		fmt.Fprintln(w, l.S("RESULTADO: LISTO PARA APROBACIÓN", "RESULT: READY FOR SIGN-OFF"))
	} else if r.OK {
		fmt.Fprintln(w, l.S("RESULTADO: VERIFICADO, pendiente resolver problemas críticos antes de aprobar",
			"RESULT: VERIFIED, critical issues must be resolved before sign-off"))
	} else {
		fmt.Fprintln(w, l.S("RESULTADO: LA VERIFICACIÓN ENCONTRÓ PROBLEMAS", "RESULT: VERIFICATION FOUND PROBLEMS"))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, l.S("Aprobación", "Approval"))
	for _, label := range []string{l.S("Datos verificados por", "Data verified by"), l.S("Cargo", "Role"), l.S("Fecha", "Date"), l.S("Firma", "Signature")} {
		fmt.Fprintf(w, "  %-24s ______________________________\n", label+":")
	}
}

func sampleSize(r reconcile.Result) int {
	per := map[string]int{}
	max := 0
	for _, s := range r.Samples {
		per[s.Type]++
		if per[s.Type] > max {
			max = per[s.Type]
		}
	}
	return max
}

// explanationNotes points each difference between source and destination
// counts to the issue types that explain it.
func explanationNotes(g *Globals, r reconcile.Result) []string {
	l := g.L
	byType := map[string][]reconcile.IssueCount{}
	for _, ic := range r.IssuesByType {
		if ic.Severity == "critical" || ic.Type == "duplicate_merged" || ic.Type == "orphaned_record" {
			byType[ic.Type] = append(byType[ic.Type], ic)
		}
	}
	var keys []string
	for k := range byType {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var totalMerged, totalRejected, totalOrphaned, totalSkipped int
	rejectedBy := map[string]int{}
	for _, tc := range r.Types {
		totalMerged += tc.Merged
		totalRejected += tc.Rejected
		totalOrphaned += tc.Orphaned
		totalSkipped += tc.Skipped
		for k, n := range tc.RejectedBy {
			rejectedBy[k] += n
		}
	}
	var notes []string
	if totalMerged > 0 {
		notes = append(notes, l.F("%s duplicados fusionados con su registro sobreviviente (duplicate_merged)",
			"%s duplicates merged into their surviving record (duplicate_merged)", num(g, totalMerged)))
	}
	if by := reports.RowBreakdown(l, rejectedBy); totalRejected > 0 && by != "" {
		notes = append(notes, l.F("%s filas rechazadas por validación (%s)", "%s rows rejected by validation (%s)",
			num(g, totalRejected), by))
	} else if totalRejected > 0 {
		// A run stored before rows were counted per reason: issues per type.
		var parts []string
		for _, k := range keys {
			if k == "duplicate_merged" || k == "orphaned_record" {
				continue
			}
			n := 0
			for _, ic := range byType[k] {
				n += ic.Open + ic.Resolved
			}
			parts = append(parts, fmt.Sprintf("%s %s", k, num(g, n)))
		}
		notes = append(notes, l.F("%s filas rechazadas por validación (%s)", "%s rows rejected by validation (%s)",
			num(g, totalRejected), strings.Join(parts, ", ")))
	}
	if totalOrphaned > 0 {
		notes = append(notes, l.F("%s registros huérfanos: su propietario, mascota o factura no está en el destino (orphaned_record)",
			"%s orphaned rows: their owner, pet or invoice is not in the destination (orphaned_record)", num(g, totalOrphaned)))
	}
	if totalSkipped > 0 {
		notes = append(notes, l.F("%s filas omitidas (eliminadas en OkVet u otras razones registradas)",
			"%s rows skipped (deleted in OkVet or other recorded reasons)", num(g, totalSkipped)))
	}
	return notes
}

// writeColumnUse lists, per source file, where its columns went: how many
// feed a field, and each one that does not, by name; and a workbook's
// sheets that were not read.
func writeColumnUse(w io.Writer, g *Globals, sources []reconcile.SourceFile) {
	l := g.L
	header := false
	for _, s := range sources {
		if len(s.Columns) == 0 && len(s.Sheets) == 0 {
			continue
		}
		if !header {
			fmt.Fprintln(w)
			fmt.Fprintln(w, l.S("Columnas por archivo:", "Columns per file:"))
			header = true
		}
		mapped := 0
		for _, c := range s.Columns {
			if c.Status == source.ColumnMapped {
				mapped++
			}
		}
		fmt.Fprintln(w, l.F("  %s (%s): %s de %s columnas asignadas a un campo", "  %s (%s): %s of %s columns mapped to a field",
			filepath.Base(s.Path), typeLabel(g, s.Type), num(g, mapped), num(g, len(s.Columns))))
		for _, c := range s.Columns {
			if c.Status == source.ColumnMapped {
				continue
			}
			where := ""
			if c.Sheet != "" && len(s.Sheets) > 1 {
				where = l.F(" [hoja %q]", " [sheet %q]", c.Sheet)
			}
			fmt.Fprintf(w, "    %s%s: %s\n", reports.ColumnHeader(l, c), where, reports.ColumnLabel(l, c))
		}
		for _, sh := range s.Sheets {
			if sh.Status != source.SheetRead {
				fmt.Fprintln(w, l.F("    hoja %q: %s", "    sheet %q: %s", sh.Name, reports.SheetLabel(l, sh)))
			}
		}
	}
}
