package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/petfriendly/recon/importer"
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
	Clinic    string `name:"clinic" default:"${default_clinic}" help:"${help_clinic}"`
	Operator  string `name:"operator" env:"RECON_OPERATOR,USER" help:"${help_operator}"`
	MediaDir  string `name:"media-dir" help:"${help_media_dir}" type:"path"`
	Mapping   string `name:"mapping" help:"${help_mapping}" type:"existingfile"`
	Profile   string `name:"profile" help:"${help_profile}"`
	// Rows created in Pet-Friendly after the import are listed but pass
	// (the parallel-run period).
	AllowNewRows bool `name:"allow-new-rows" help:"${help_verify_allow_new_rows}"`
	Wait         bool `name:"wait" help:"${help_verify_wait}"`
}

func (c *VerifyCmd) Run(ctx context.Context, g *Globals) error {
	rnd := g.prepareRenderers(c.Report != "", c.PDF != "")
	defer tuneMemoryForBulkWork(os.Getenv, bulkMemoryLimit)()
	var mapping *source.Mapping
	if c.Mapping != "" {
		m, err := source.LoadMapping(c.Mapping)
		if err != nil {
			return err
		}
		mapping = m
	}
	pool, err := g.openDBConns(ctx, 5)
	if err != nil {
		return err
	}
	defer pool.Close()
	media := c.MediaDir
	if media == "" {
		media = filepath.Join(g.Home, "media")
	}
	// The import lock keeps an import or rollback from changing the tables
	// while they are read: verify never reads a half-written import.
	lock, err := importer.AcquireLock(ctx, pool, importer.LockOptions{Command: "verify", Operator: operatorName(c.Operator), Wait: c.Wait})
	if err != nil {
		return localizeLockError(g, err)
	}
	res, err := reconcile.Verify(ctx, pool, reconcile.Options{
		SourceDir: c.SourceDir, Sample: c.Sample, Seed: c.Seed, MediaDir: media, Profile: c.Profile, Mapping: mapping,
		Operator: operatorName(c.Operator), Clinic: c.Clinic, Now: g.Now, AllowNewRows: c.AllowNewRows,
	})
	lock.Release(ctx)
	if err != nil {
		return err
	}
	if err := reconcile.SaveRun(ctx, pool, &res); err != nil {
		return err
	}
	// The latest recorded digital sign-off, and whether the data changed since.
	so, err := signoff.StatusOf(ctx, pool, res)
	if err != nil {
		return err
	}
	if err := writeOutputs(g, rnd, res, so, c.JSON, c.Report, c.PDF); err != nil {
		return err
	}
	if !g.Quiet && c.JSON != "-" {
		TextReport(g.Stdout, g, res)
		if so != nil {
			fmt.Fprintln(g.Stdout)
			fmt.Fprintln(g.Stdout, g.L.F("Aprobación firmada: %s", "Signed approval: %s", reports.SignoffLine(g.L, *so, nil)))
		}
	}
	if !res.OK {
		return WithExitCode(ExitProblems, errors.New(g.L.S("la verificación encontró problemas", "verification found problems")))
	}
	return nil
}

// writeOutputs writes the JSON, HTML and PDF forms of a result.
func writeOutputs(g *Globals, rnd renderers, res reconcile.Result, so *reports.SignoffStatus, jsonPath, htmlPath, pdfPath string) error {
	if jsonPath != "" {
		b, err := json.MarshalIndent(res, "", "  ")
		if err != nil {
			return fmt.Errorf("encode json: %w", err)
		}
		b = append(b, '\n')
		if jsonPath == "-" {
			g.Stdout.Write(b)
		} else if err := os.WriteFile(jsonPath, b, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", jsonPath, err)
		}
	}
	if htmlPath != "" || pdfPath != "" {
		return writeReportFiles(g, rnd, res, so, "", htmlPath, pdfPath)
	}
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
		r.GeneratedAt.Format("2006-01-02 15:04 MST"), r.Operator, r.RunID))
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
				clock(&c.At), c.Reason)
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
