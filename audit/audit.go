// Package audit lets the clinic look at what the migration did and fix it
// by hand: batches, data-quality issues and their resolution, audited
// corrections of destination fields (migration_correction) and a record's
// whole chain with source and destination side by side. It takes values
// and a database and returns values; the CLI and the review page present
// them.
package audit

import (
	"fmt"
	"strings"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/source"
)

// Refusal codes of *Error.
const (
	CodeNotFound        = "not_found"        // no issue with that id
	CodeAlreadyResolved = "already_resolved" // the issue was resolved before
	CodeEmptyResolution = "empty_resolution"
	CodeEmptyReason     = "empty_reason"
	CodeEmptyBy         = "empty_by"
	CodeBadFilter       = "bad_filter"
	CodeUnknownType     = "unknown_type"
	CodeUnknownField    = "unknown_field"
	CodeNotCorrectable  = "not_correctable" // ids, references and paths are not edited by hand
	CodeDuplicateField  = "duplicate_field"
	CodeNoChanges       = "no_changes"
	CodeUnknownID       = "unknown_id"  // no mapping for the source id
	CodeMerged          = "merged"      // the id is a duplicate merged into another row
	CodeRowMissing      = "row_missing" // mapped, but the destination row is gone
	CodeInvalidValue    = "invalid_value"
	CodeEmptyValue      = "empty_value" // the column cannot be emptied
	CodeUnchanged       = "unchanged"   // the destination already holds the value
	CodeEmailTaken      = "email_taken"
	// CodeEmailTakenByUser: a Pet-Friendly account that is not an owner
	// (staff: a vet, the front desk, an admin) has the address.
	CodeEmailTakenByUser = "email_taken_by_user"
	CodeImportRunning    = "import_running" // an import or rollback holds the lock (Detail: who)
)

// Error is a refusal the operator can act on. Code says which; the other
// fields say about what.
type Error struct {
	Code     string
	ID       int64  // issue id
	Type     string // type name
	SourceID string
	Field    string
	Value    string
	Detail   string // e.g. the normaliser's reason, the valid field names, the survivor
}

func (e *Error) Error() string { return e.Text(i18n.EN) }

// Text is the refusal in the operator's language.
func (e *Error) Text(l i18n.Lang) string {
	switch e.Code {
	case CodeNotFound:
		return l.F("no existe el problema de calidad %d", "quality issue %d does not exist", e.ID)
	case CodeAlreadyResolved:
		return l.F("el problema %d ya estaba resuelto (%s)", "issue %d was already resolved (%s)", e.ID, e.Detail)
	case CodeEmptyResolution:
		return l.S("indique la resolución (--resolution): qué se revisó o decidió", "give the resolution (--resolution): what was checked or decided")
	case CodeEmptyReason:
		return l.S("indique el motivo de la corrección (--reason)", "give the reason for the correction (--reason)")
	case CodeEmptyBy:
		return l.S("indique quién hace el cambio (--by)", "say who makes the change (--by)")
	case CodeBadFilter:
		return l.F("filtro inválido: %s", "invalid filter: %s", e.Detail)
	case CodeUnknownType:
		var names []string
		for _, t := range source.Types() {
			names = append(names, t.SourceType)
		}
		rest, last := strings.Join(names[:len(names)-1], ", "), names[len(names)-1]
		return l.F("tipo desconocido %q (use %s o %s)", "unknown type %q (use %s or %s)", e.Type, rest, last)
	case CodeUnknownField:
		return l.F("campo desconocido %q para %s; campos corregibles: %s", "unknown field %q for %s; correctable fields: %s",
			e.Field, e.Type, e.Detail)
	case CodeNotCorrectable:
		return l.F("el campo %q de %s no se corrige a mano (identificador, referencia o ruta de archivo)",
			"field %q of %s is not corrected by hand (an id, a reference or a file path)", e.Field, e.Type)
	case CodeDuplicateField:
		return l.F("el campo %q aparece dos veces", "field %q is given twice", e.Field)
	case CodeNoChanges:
		return l.S("indique al menos un campo a corregir (--set campo=valor)", "give at least one field to correct (--set field=value)")
	case CodeUnknownID:
		return l.F("%s %s no fue migrado (no tiene fila en el destino)", "%s %s was not migrated (it has no destination row)", e.Type, e.SourceID)
	case CodeMerged:
		return l.F("%s %s es un duplicado fusionado con %s: corrija %s", "%s %s is a duplicate merged into %s: correct %s",
			e.Type, e.SourceID, e.Detail, e.Detail)
	case CodeRowMissing:
		return l.F("la fila de destino de %s %s ya no existe", "the destination row of %s %s no longer exists", e.Type, e.SourceID)
	case CodeInvalidValue:
		return l.F("valor inválido para %s: %q (%s)", "invalid value for %s: %q (%s)", e.Field, e.Value, e.Detail)
	case CodeEmptyValue:
		return l.F("el campo %s no puede quedar vacío", "field %s cannot be empty", e.Field)
	case CodeUnchanged:
		return l.F("%s de %s %s ya es %q: no hay nada que corregir", "%s of %s %s is already %q: nothing to correct",
			e.Field, e.Type, e.SourceID, e.Value)
	case CodeEmailTaken:
		return l.F("el correo %s ya pertenece al propietario %s", "e-mail %s already belongs to owner %s", e.Value, e.Detail)
	case CodeEmailTakenByUser:
		return l.F("el correo %s ya lo usa una cuenta del personal de Pet-Friendly (rol %s); cada correo identifica una sola cuenta: use otro para este propietario",
			"e-mail %s is already used by a Pet-Friendly staff account (role %s); an e-mail identifies a single account: use another for this owner", e.Value, e.Detail)
	case CodeImportRunning:
		return l.F("hay una importación o reversión en curso (%s): corrija cuando termine, para que no sobrescriba la corrección",
			"an import or rollback is running (%s): correct when it ends, so it does not overwrite the correction", e.Detail)
	}
	return fmt.Sprintf("%s: %s %s %s %s", e.Code, e.Type, e.SourceID, e.Field, e.Detail)
}

// lookupType accepts a type's plural name, source type or batch type.
func lookupType(name string) (source.Type, error) {
	t, ok := source.TypeByName(strings.TrimSpace(name))
	if !ok {
		return source.Type{}, &Error{Code: CodeUnknownType, Type: name}
	}
	return t, nil
}
