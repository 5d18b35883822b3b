package importer

import (
	"errors"
	"strings"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/source"
	"github.com/petfriendly/recon/source/normalize"
)

// The rules that decide a row's fate from the row alone (and the export
// folder its attachments sit in) are pure functions: the importer applies
// them before any look-up, and recon verify applies the very same ones to
// check the outcome the importer recorded (reconcile's outcome checks), so
// there is one copy of the rules.

// Problem is a row's blocking problem: its issue type becomes the record's
// reason and the type of its critical issue.
type Problem struct {
	Type, Field, Value string
	Message            i18n.Text
}

// Early decides the rows that never reach the type's rules, in the order
// the importer applies them: a row the reader could not read, a row marked
// deleted in OkVet, a row without id, an id too long to store. decided is
// false for any other row.
func Early(rec source.Record, rowErr *source.RowError) (status, reason string, decided bool) {
	switch {
	case rowErr != nil:
		return StatusError, RowErrorType(rowErr), true
	case rec.Skip != "":
		return StatusSkipped, rec.Skip, true
	case strings.TrimSpace(rec.SourceID) == "":
		return StatusError, source.IssueMissingID, true
	case hasIssue(rec, source.IssueIDTooLong):
		return StatusError, source.IssueIDTooLong, true
	}
	return "", "", false
}

// RowErrorType is the issue type of a row the Reader could not read.
func RowErrorType(e *source.RowError) string {
	switch {
	case errors.Is(e, source.ErrNUL):
		return "nul_byte"
	case errors.Is(e, source.ErrQuoteMerged):
		return source.IssueQuoteMergedLines
	case errors.Is(e, source.ErrFormulaNoValue):
		return "formula_without_value"
	case errors.Is(e, source.ErrCellTooLong):
		return "cell_too_long"
	}
	return "malformed_row"
}

// Checked is what the rules decide about a readable row on its own: its
// blocking problem if any, the warnings of its amounts, and for a document
// its attachment, resolved and hashed.
type Checked struct {
	Problem    Problem
	Bad        bool
	Warnings   []source.Issue
	attachment attachment
}

// Check applies the rules every row of type t must pass before any
// look-up: amounts that can be stored exactly, then the type's own (names,
// dates, a way to contact an owner, a readable attachment inside
// exportDir). The first problem found rejects the row.
func Check(t source.Type, rec source.Record, exportDir string) Checked {
	if p, bad, warnings := checkAmounts(t, rec); bad {
		return Checked{Problem: p, Bad: true}
	} else if p, bad := checkType(t, rec); bad {
		return Checked{Problem: p, Bad: true, Warnings: warnings}
	} else if f, ok := pathField(t); ok {
		a, problem, err := resolveAttachment(exportDir, rec.Raw[f])
		if err != nil {
			return Checked{Problem: Problem{problem, f, rec.Raw[f], i18n.Text{EN: err.Error()}}, Bad: true, Warnings: warnings}
		}
		return Checked{Warnings: warnings, attachment: a}
	} else {
		return Checked{Warnings: warnings}
	}
}

// pathField is the type's attachment path field, if it has one.
func pathField(t source.Type) (string, bool) {
	for _, f := range t.Fields {
		if f.Kind == source.KindPath {
			return f.Name, true
		}
	}
	return "", false
}

// checkType is the type's own blocking problems (importRules).
func checkType(t source.Type, rec source.Record) (Problem, bool) {
	if r := importRules()[t.Name]; r.check != nil {
		return r.check(rec)
	}
	return Problem{}, false
}

func checkClient(rec source.Record) (Problem, bool) {
	email := text(rec, "email")
	switch {
	case text(rec, "nombre") == "":
		return Problem{"empty_name", "nombre", rec.Raw["nombre"], i18n.T("el nombre del propietario está vacío", "owner name is empty")}, true
	case !rawBlank(rec, "email") && email == "":
		return Problem{"invalid_email", "email", rec.Raw["email"], i18n.T("correo electrónico mal formado %q", "malformed e-mail %q", rec.Raw["email"])}, true
	case rawBlank(rec, "telefono") && rawBlank(rec, "celular") && email == "":
		return Problem{"no_contact", "telefono", "", i18n.T("el propietario no tiene teléfono, celular ni correo", "owner has no phone, mobile or e-mail")}, true
	}
	return Problem{}, false
}

func checkPet(rec source.Record) (Problem, bool) {
	if text(rec, "nombre") == "" {
		return Problem{"empty_name", "nombre", rec.Raw["nombre"], i18n.T("el nombre de la mascota está vacío", "pet name is empty")}, true
	}
	return Problem{}, false
}

func checkMedical(rec source.Record) (Problem, bool) {
	if !timestamp(rec, "fecha").Valid {
		if rawBlank(rec, "fecha") {
			return Problem{"missing_date", "fecha", "", i18n.T("la historia clínica no tiene fecha", "medical record has no date")}, true
		}
		return Problem{"invalid_date", "fecha", rec.Raw["fecha"], i18n.T("fecha ilegible %q", "unparseable date %q", rec.Raw["fecha"])}, true
	}
	return Problem{}, false
}

func checkVaccine(rec source.Record) (Problem, bool) {
	if text(rec, "vacuna") == "" {
		return Problem{"empty_vaccine", "vacuna", rec.Raw["vacuna"], i18n.T("el nombre de la vacuna está vacío", "vaccine name is empty")}, true
	}
	if !date(rec, "fecha_aplicacion").Valid {
		return Problem{"invalid_date", "fecha_aplicacion", rec.Raw["fecha_aplicacion"],
			i18n.T("fecha de aplicación ilegible %q", "unparseable application date %q", rec.Raw["fecha_aplicacion"])}, true
	}
	return Problem{}, false
}

func checkAppointment(rec source.Record) (Problem, bool) {
	if !date(rec, "fecha").Valid {
		return Problem{"invalid_date", "fecha", rec.Raw["fecha"], i18n.T("fecha de cita ilegible %q", "unparseable appointment date %q", rec.Raw["fecha"])}, true
	}
	if !valid(rec, "hora") && !rawBlank(rec, "hora") {
		return Problem{"invalid_time", "hora", rec.Raw["hora"], i18n.T("hora de cita ilegible %q", "unparseable appointment time %q", rec.Raw["hora"])}, true
	}
	return Problem{}, false
}

// Parent is the reference without which a row of t is an orphan
// (source.Type.Parent).
func Parent(t source.Type) (source.Field, bool) { return t.Parent() }

// ParentID is the source id a reference field names: its canonical value,
// else the cleaned text as written.
func ParentID(rec source.Record, field string) string {
	if id := text(rec, field); id != "" {
		return id
	}
	return normalize.Clean(rec.Raw[field])
}

// ClientKeys are the identities a client row can be merged by: its
// e-mail, E.164 phones and document.
func ClientKeys(rec source.Record) []string {
	return OwnerKeys(text(rec, "email"), []string{text(rec, "telefono"), text(rec, "celular")}, text(rec, "tipo_documento"), text(rec, "documento"))
}

// OwnerKeys are the identities of an owner; placeholder e-mails and
// unusable phones identify nobody.
func OwnerKeys(email string, phones []string, docType, docNum string) []string {
	var keys []string
	if email != "" && !strings.HasSuffix(email, "@"+PlaceholderEmailDomain) {
		keys = append(keys, "email:"+strings.ToLower(email))
	}
	for _, p := range phones {
		if strings.HasPrefix(p, "+") {
			keys = append(keys, "phone:"+p)
		}
	}
	if docNum != "" {
		keys = append(keys, "doc:"+docType+":"+docNum)
	}
	return keys
}

// SKUKey is the key products merge by.
func SKUKey(s string) string { return strings.ToUpper(normalize.Clean(s)) }
