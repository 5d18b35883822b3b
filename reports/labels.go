package reports

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/petfriendly/recon/internal/approval"
	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/internal/words"
	"github.com/petfriendly/recon/reconcile"
)

// The Result carries codes; these are their words in each language, used by
// the HTML and PDF reports and by the text report of the CLI alike.

// CheckLabel names one line of the sign-off checklist.
func CheckLabel(l i18n.Lang, code string) string {
	switch code {
	case reconcile.CheckComplete:
		return l.S("Migración completa: cada archivo y tipo de la exportación importado, sin lotes fallidos, en curso o revertidos",
			"Migration complete: every file and type of the export imported, no failed, running or rolled-back batch")
	case reconcile.CheckSources:
		return l.S("Archivos de origen presentes y sin cambios desde la importación", "Source files present and unchanged since import")
	case reconcile.CheckSourceExplained:
		return l.S("Cada fila de origen tiene un resultado explicado", "Every source row has an explained outcome")
	case reconcile.CheckTableExplained:
		return l.S("Cada fila de las tablas de destino viene de esta migración", "Every destination table row comes from this migration")
	case reconcile.CheckMappings:
		return l.S("Correspondencias de ids íntegras", "Id mappings intact")
	case reconcile.CheckAuditTrail:
		return l.S("Registro de auditoría completo (cada rechazo con su problema de calidad)",
			"Audit trail complete (every rejection with its quality issue)")
	case reconcile.CheckFields:
		return l.S("Sin diferencias campo a campo", "No field-level differences")
	case reconcile.CheckChains:
		return l.S("Cadenas propietario → mascota → registros íntegras", "Owner → pet → record chains intact")
	case reconcile.CheckSample:
		return l.S("La muestra aleatoria coincide", "Spot check matches")
	case reconcile.CheckAttachments:
		return l.S("Adjuntos presentes con su SHA-256", "Attachments present with their SHA-256")
	case reconcile.CheckCritical:
		return l.S("Sin problemas críticos abiertos", "No open critical issues")
	}
	return code
}

// Checklist returns the run's checklist; a run stored before the checklist
// was part of the Result gets it worked out from its counts.
func Checklist(r reconcile.Result) []reconcile.CheckItem {
	if len(r.Checklist) > 0 {
		return r.Checklist
	}
	return reconcile.ChecklistOf(r)
}

// ChainLabel names a chain check.
func ChainLabel(l i18n.Lang, code string) string {
	switch code {
	case reconcile.CheckPerPetMedical:
		return l.S("historias por mascota = origen", "medical records per pet = source")
	case reconcile.CheckPerPetVaccines:
		return l.S("vacunas por mascota = origen", "vaccinations per pet = source")
	case reconcile.CheckMergedSurvivor:
		return l.S("duplicados → sobreviviente", "duplicates → survivor")
	}
	return code
}

// ChainLegend explains the notation of chain examples.
func ChainLegend(l i18n.Lang) string {
	return l.S("(destino ≠ esperado)", "(destination ≠ expected)")
}

// ReasonLabel explains why a source row is unexplained.
func ReasonLabel(l i18n.Lang, reason string) string {
	switch reason {
	case reconcile.ReasonNoRecord:
		return l.S("la línea no tiene registro de migración", "the line has no migration record")
	case reconcile.ReasonRecordOtherID:
		return l.S("el registro de la línea nombra otro id", "the line's record names another id")
	case reconcile.ReasonNoOutcome:
		return l.S("sin correspondencia ni resultado registrado", "no mapping and no recorded outcome")
	case reconcile.ReasonDestMissing, "destination row missing":
		return l.S("la fila de destino ya no existe", "the destination row is gone")
	case reconcile.ReasonImportedNotMapped:
		return l.S("registrada como importada pero sin correspondencia", "recorded as imported but not mapped")
	case reconcile.ReasonMergedNotMapped:
		return l.S("registrada como duplicado fusionado pero sin correspondencia", "recorded as a merged duplicate but not mapped")
	case reconcile.ReasonImportedTwice:
		return l.S("dos líneas importadas con el mismo id", "two lines imported under one id")
	case reconcile.ReasonUnknownStatus:
		return l.S("estado de registro desconocido", "unknown record status")
	}
	return reason
}

// FindingText describes one finding in a sentence.
func FindingText(l i18n.Lang, f reconcile.Finding) string {
	p := f.Params
	file := filepath.Base(f.File)
	where := ""
	if f.File != "" {
		where = file
		if f.Line > 0 {
			where += fmt.Sprintf(":%d", f.Line)
		}
		where += ": "
	}
	tl := typeLabel(l, f.Type)
	switch f.Code {
	case reconcile.CodeNeverImported:
		return where + l.F("el tipo %s está en la exportación pero nunca se importó", "type %s is in the export but was never imported", tl)
	case reconcile.CodeFileNotImported:
		return where + l.F("archivo de %s no importado", "%s file not imported", tl)
	case reconcile.CodeBatchFailed:
		return l.F("migración incompleta: el último lote de %s (#%s) falló", "incomplete migration: the latest %s batch (#%s) failed", tl, p["batch"])
	case reconcile.CodeBatchRunning:
		return l.F("migración incompleta: el último lote de %s (#%s) sigue en curso", "incomplete migration: the latest %s batch (#%s) is still running", tl, p["batch"])
	case reconcile.CodeRolledBack:
		return l.F("migración incompleta: el último lote de %s (#%s) se revirtió y no se volvió a importar",
			"incomplete migration: the latest %s batch (#%s) was rolled back and not imported again", tl, p["batch"])
	case reconcile.CodeSourceChanged:
		return where + l.F("el archivo difiere del importado en el lote #%s", "the file differs from the one imported in batch #%s", p["batch"])
	case reconcile.CodeSourceMissing:
		return where + l.F("el archivo importado en el lote #%s no se encuentra", "the file imported in batch #%s is not found", p["batch"])
	case reconcile.CodeLineNoRecord:
		return where + l.F("%s %s sin registro de migración", "%s %s has no migration record", tl, f.SourceID)
	case reconcile.CodeLinesMerged:
		return where + l.F("las líneas %s–%s quedaron fusionadas en la línea %d por un error de comillas",
			"lines %s–%s were merged into line %d by a quoting error", p["first"], p["last"], f.Line)
	case reconcile.CodeVanished:
		return l.F("%s %s (fila %d de %s) ya no está en la exportación verificada: eliminada en OkVet desde la importación",
			"%s %s (row %d of %s) is no longer in the export verified: deleted in OkVet since the import", tl, f.SourceID, f.TargetID, f.Table)
	case reconcile.CodeNotFromMigration:
		return l.F("fila %d de %s no viene de esta migración", "row %d of %s is not from this migration", f.TargetID, f.Table)
	case reconcile.CodeCreatedAfterImport:
		return l.F("fila %d de %s creada en Pet-Friendly después de la importación", "row %d of %s created in Pet-Friendly after the import", f.TargetID, f.Table)
	case reconcile.CodeTargetMissing:
		return l.F("la correspondencia de %s %s apunta a la fila %d de %s, que no existe",
			"the mapping of %s %s points at row %d of %s, which does not exist", tl, f.SourceID, f.TargetID, f.Table)
	case reconcile.CodeSharedTarget:
		return l.F("la fila %d de %s es destino de varios ids de origen: %s", "row %d of %s is the target of several source ids: %s",
			f.TargetID, f.Table, p["source_ids"])
	case reconcile.CodeWrongModel:
		return l.F("la correspondencia de %s %s apunta a %s en lugar de %s", "the mapping of %s %s points at %s instead of %s",
			tl, f.SourceID, p["model"], f.Table)
	case reconcile.CodeExternalIDMismatch:
		return l.F("la fila %d de %s corresponde a %s %s pero su external_id dice %q",
			"row %d of %s is mapped from %s %s but its external_id says %q", f.TargetID, f.Table, tl, f.SourceID, p["external_id"])
	case reconcile.CodeRecordNoIssue:
		return where + l.F("%s %s (%s) no tiene su problema de calidad: el registro de auditoría está incompleto",
			"%s %s (%s) has no quality issue: the audit trail is incomplete", tl, f.SourceID, p["status"])
	case reconcile.CodeIssueNoRecord:
		return l.F("%s problemas críticos separados de su registro de migración", "%s critical issues detached from their migration record", p["issues"])
	case reconcile.CodeColumnNotMigrated:
		col := l.F("la columna %q (n.º %s)", "column %q (no. %s)", p["column"], p["index"])
		if p["sheet"] != "" {
			col += l.F(" de la hoja %q", " of sheet %q", p["sheet"])
		}
		why := l.S("no llega a ningún campo", "reaches no field")
		if p["competes"] != "" {
			why = l.F("compite con la columna %q por el campo %s", "competes with column %q for field %s", p["competes_with"], p["competes"])
		}
		return where + l.F("%s %s: %s celdas con valor no migradas (p. ej. %q); asígnela a un campo o declárela en ignore del archivo de correspondencias",
			"%s %s: %s non-empty cells not migrated (e.g. %q); map it to a field or declare it in the mapping file's ignore list",
			col, why, p["filled"], p["sample"])
	case reconcile.CodeLoginEscalated:
		return l.F("el acceso del propietario migrado %s (fila %d de %s) tiene %s: recon nunca da esos permisos",
			"the login of migrated owner %s (row %d of %s) has %s: recon never gives those rights", f.SourceID, f.TargetID, f.Table, p["column"])
	case reconcile.CodeCorrectionLost:
		return l.F("la corrección de %s %s, campo %s, a %q (%s, %s) ya no está: el destino tiene %q y ninguna corrección posterior lo explica",
			"the correction of %s %s, field %s, to %q (%s, %s) is gone: the destination holds %q and no later correction explains it",
			tl, f.SourceID, p["field"], p["corrected"], p["by"], p["at"], p["now"])
	case reconcile.CodeResolvedNoTrace:
		return l.F("el problema crítico #%d (%s %s, %s) figura resuelto sin rastro (falta: %s): cuenta como abierto",
			"critical issue #%d (%s %s, %s) is marked resolved without a trace (lacking: %s): it counts as open",
			f.TargetID, tl, f.SourceID, p["issue_type"], p["lacks"])
	case reconcile.CodeOutcomeNotSupported:
		return where + l.F("%s %s: el registro de migración dice «%s», pero la exportación da «%s» (%s)",
			"%s %s: the migration record says %q, but the export gives %q (%s)", tl, f.SourceID,
			words.StatedOutcome(l, p["recorded"]), words.StatedOutcome(l, p["recomputed"]), whyLabel(l, p["why"]))
	}
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, k+"="+p[k])
	}
	return strings.TrimSpace(where + f.Code + " " + strings.Join(parts, " "))
}

// identityOf is what an approval of r approves.
func identityOf(r reconcile.Result) approval.Identity {
	return approval.Identity{RunID: r.RunID, Fingerprint: r.Fingerprint, ContentFingerprint: r.ContentFingerprint}
}

// whyLabel says why a recorded outcome is not supported.
func whyLabel(l i18n.Lang, why string) string {
	switch why {
	case reconcile.WhyNoProblem:
		return l.S("la fila cumple todas las reglas", "the row passes every rule")
	case reconcile.WhyOtherProblem:
		return l.S("las reglas encuentran otro resultado", "the rules find another outcome")
	case reconcile.WhyIssueMissing:
		return l.S("ningún problema crítico nombra el motivo del rechazo", "no critical issue names the rejection's problem")
	case reconcile.WhyParentPresent:
		return l.S("su registro padre estaba migrado", "its parent was migrated")
	case reconcile.WhyNoParent:
		return l.S("este tipo no tiene registro padre", "this type has no parent")
	case reconcile.WhyNoReason:
		return l.S("la exportación no trae ese motivo", "the export carries no such reason")
	case reconcile.WhySurvivorGone:
		return l.S("el registro sobreviviente no existe o no es al que apunta", "the survivor does not exist or is not the row it points at")
	case reconcile.WhyNoSharedKey:
		return l.S("no comparte correo, teléfono ni documento (o código) con el sobreviviente",
			"it shares no e-mail, phone or document (or code) with the survivor")
	case reconcile.WhyNotMergeable:
		return l.S("la fila no puede fusionarse", "the row cannot be merged")
	case reconcile.WhyTargetPresent:
		return l.S("la fila de destino existe", "the destination row exists")
	case reconcile.WhyNoEmailHolder:
		return l.S("ningún otro propietario tiene ese correo", "no other owner holds that e-mail")
	}
	return why
}
