package source

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/source/normalize"
)

// Value is one normalised field. Text is the canonical text form for every
// kind, so comparisons only compare Text: money "120000.00", phone E.164,
// date "2006-01-02", datetime RFC 3339 in America/Bogota, time "15:04:05",
// bool "true"/"false", species and sex enums. Valid is false when the value
// is empty, a placeholder, unknown or invalid (the raw text stays in
// Record.Raw).
type Value struct {
	Text  string    `json:"text"`
	Time  time.Time `json:"time,omitzero"` // dates, datetimes; for a bool given as a date, that date
	Bool  bool      `json:"bool,omitempty"`
	Valid bool      `json:"valid"`
}

// Issue is a problem found in one row. Normalize only reports; the importer
// decides what an issue means for the row.
type Issue struct {
	Severity string `json:"severity"` // critical, warning, info
	Type     string `json:"type"`     // migration_dataqualityissue.issue_type
	Field    string `json:"field,omitempty"`
	Value    string `json:"value,omitempty"` // raw text, clipped to 200 characters
	Message  string `json:"message"`         // lowercase English
	Column   int    `json:"column,omitempty"`
	// MessageES is Message in Spanish, empty when not written; In picks.
	MessageES string `json:"-"`
}

// In is the issue's message in the reader's language.
func (i Issue) In(l i18n.Lang) string { return i18n.Text{ES: i.MessageES, EN: i.Message}.In(l) }

// Severities.
const (
	SevCritical = "critical"
	SevWarning  = "warning"
	SevInfo     = "info"
)

// Issue types raised here, besides the normalize.Code* ones (invalid_date,
// invalid_email, precision_lost, nit_check_digit...).
const (
	IssueMissingID          = "missing_id"
	IssueIDTooLong          = "id_too_long" // critical: the row is rejected; its value is cut to MaxIDLength
	IssueInvisibleChars     = "invisible_characters"
	IssueQuoteMergedLines   = "quote_merged_lines" // critical, on the row that swallowed lines; Value "7-8"
	IssueMissingRef         = "missing_reference"
	IssuePlaceholder        = "placeholder_value"
	IssueUnknownSpecies     = "unknown_species"
	IssueUnknownSex         = "unknown_sex"
	IssueUnknownSexCode     = "unknown_sex_code"
	IssueUnknownStatus      = "unknown_status"
	IssueUnknownWeight      = "unknown_weight"
	IssueUnknownBoolean     = "unknown_value"
	IssueFutureDate         = "future_date"
	IssueVaccineCatalogue   = "vaccine_name_from_catalogue"
	IssueSoftDeleted        = "soft_deleted"
	IssueInvalidEncoding    = "invalid_encoding"
	IssueDuplicateID        = "duplicate_source_id"
	IssueUnnamedColumnValue = "unnamed_column_value"
)

// MaxIDLength is the longest external id the destination stores
// (migration_migrationrecord.source_id, migration_externalidmapping.source_id
// and every external_id are varchar(100)).
const MaxIDLength = 100

// decimalScale is the precision kept for quantities (KindDecimal).
const decimalScale = 3

// Normalize turns one row's raw cells (canonical field -> text as read) into
// canonical values and the issues found. It is pure: the importer and the
// verifier both call it and get the same answer. now is "today" for the
// future-date check of fields marked Past; the zero time skips that check.
func Normalize(t Type, raw map[string]string, m *Mapping, now time.Time) (map[string]Value, []Issue) {
	return NormalizeIn(t, raw, m, now, normalize.DayFirst)
}

// NormalizeIn is Normalize with the file's order of a numeric day and
// month (the Reader decides it per file: FileInfo.DateOrder).
func NormalizeIn(t Type, raw map[string]string, m *Mapping, now time.Time, order normalize.DateOrder) (map[string]Value, []Issue) {
	n := normalizer{t: t, raw: raw, voc: m.vocab(), now: now, order: order, vals: make(map[string]Value, len(raw))}
	for _, f := range t.Fields {
		if s, ok := raw[f.Name]; ok {
			n.field(f, s)
		}
	}
	n.combine()
	return n.vals, n.issues
}

type normalizer struct {
	t      Type
	raw    map[string]string
	voc    Vocabulary
	now    time.Time
	order  normalize.DateOrder
	vals   map[string]Value
	issues []Issue
}

func (n *normalizer) add(sev, typ string, f Field, raw string, msg i18n.Text) {
	n.issues = append(n.issues, Issue{Severity: sev, Type: typ, Field: f.Name, Value: clip(raw, 200), Message: msg.EN, MessageES: msg.ES})
}

// fail records a normaliser error under its own code.
func (n *normalizer) fail(f Field, raw string, err error) {
	code := normalize.CodeOf(err)
	if code == "" {
		code = "invalid_value"
	}
	n.add(SevWarning, code, f, raw, i18n.Text{ES: normalizeErrorES(err), EN: err.Error()})
}

func (n *normalizer) set(f Field, v Value) { n.vals[f.Name] = v }

func text(s string) Value { return Value{Text: s, Valid: s != ""} }

func (n *normalizer) field(f Field, s string) {
	blank := normalize.IsBlank(s)
	if f.Kind == KindID || f.Kind == KindRef {
		id := normalize.Clean(s)
		if blank || normalize.Placeholder(s) {
			id = ""
			switch {
			case f.Kind == KindID:
				n.add(SevCritical, IssueMissingID, f, s, i18n.T("la fila no tiene id", "the row has no id"))
			case f.Required:
				n.add(SevCritical, IssueMissingRef, f, s, i18n.T("la fila no tiene referencia a %s", "the row has no %s reference", f.Ref))
			}
		}
		if cnt := utf8.RuneCountInString(id); cnt > MaxIDLength {
			what := i18n.T("el id", "the id")
			if f.Kind == KindRef {
				what = i18n.T("la referencia a %s", "the %s reference", f.Ref)
			}
			n.add(SevCritical, IssueIDTooLong, f, s, i18n.Text{
				ES: fmt.Sprintf("%s tiene %d caracteres; caben a lo sumo %d", what.ES, cnt, MaxIDLength),
				EN: fmt.Sprintf("%s has %d characters; at most %d fit", what.EN, cnt, MaxIDLength)})
			id = string([]rune(id)[:MaxIDLength])
		}
		if hidden := normalize.Hidden(s); len(hidden) > 0 && !blank {
			n.add(SevInfo, IssueInvisibleChars, f, s, i18n.T("se quitaron caracteres invisibles del id: %s (se lee %q)",
				"invisible characters removed from the id: %s (read as %q)", strings.Join(hidden, " "), id))
		}
		n.set(f, text(id))
		return
	}
	if blank {
		n.set(f, Value{})
		return
	}
	if f.Kind == KindText || f.Kind == KindPath {
		v, placeholder := normalize.Text(s)
		if placeholder {
			n.add(SevInfo, IssuePlaceholder, f, s, i18n.T("texto de relleno tomado como vacío", "placeholder text treated as empty"))
		}
		n.set(f, text(v))
		return
	}
	if normalize.Placeholder(s) {
		n.add(SevInfo, IssuePlaceholder, f, s, i18n.T("texto de relleno tomado como vacío", "placeholder text treated as empty"))
		n.set(f, Value{})
		return
	}
	switch f.Kind {
	case KindName:
		n.set(f, text(normalize.Name(s)))
	case KindEmail:
		v, err := normalize.Email(stripMailto(s))
		n.result(f, s, text(v), err)
	case KindPhone:
		v, err := normalize.Phone(s)
		n.result(f, s, text(v), err)
	case KindDate:
		d, err := normalize.DateIn(s, n.order)
		if err == nil {
			n.past(f, s, d)
			n.set(f, Value{Text: d.Format(time.DateOnly), Time: d, Valid: true})
			return
		}
		n.result(f, s, Value{}, err)
	case KindDateTime:
		d, err := normalize.DateTimeIn(s, n.order)
		if err == nil {
			n.past(f, s, d)
			n.set(f, Value{Text: d.In(normalize.Bogota()).Format(time.RFC3339), Time: d, Valid: true})
			return
		}
		n.result(f, s, Value{}, err)
	case KindTime:
		h, mi, sec, err := normalize.Clock(s)
		n.result(f, s, Value{Text: fmt.Sprintf("%02d:%02d:%02d", h, mi, sec), Valid: true}, err)
	case KindInt:
		v, err := normalize.Int(s)
		n.result(f, s, Value{Text: strconv.FormatInt(v, 10), Valid: true}, err)
	case KindMoney:
		v, err := normalize.Money(s)
		n.result(f, s, text(v), err)
	case KindDecimal:
		v, err := normalize.Decimal(s, decimalScale)
		n.result(f, s, text(v), err)
	case KindWeight:
		n.weight(f, s)
	case KindBool:
		n.boolean(f, s)
	case KindSpecies:
		n.species(f, s)
	case KindSex:
		n.sex(f, s)
	case KindMicrochip:
		v, err := normalize.Microchip(s)
		n.result(f, s, text(v), err)
	case KindDocType:
		n.set(f, text(normalize.DocumentType(s)))
	case KindDocument:
		n.document(f, s)
	case KindStatus:
		n.status(f, s)
	default:
		n.set(f, text(normalize.Clean(s)))
	}
}

// result stores v, or reports err and stores an invalid value.
func (n *normalizer) result(f Field, raw string, v Value, err error) {
	if err != nil {
		n.fail(f, raw, err)
		v = Value{}
	}
	n.set(f, v)
}

// past flags a date after today in a field where that cannot be true.
func (n *normalizer) past(f Field, raw string, d time.Time) {
	if !f.Past || n.now.IsZero() {
		return
	}
	today := n.now.In(normalize.Bogota()).Format(time.DateOnly)
	day := d.Format(time.DateOnly)
	if f.Kind == KindDateTime {
		day = d.In(normalize.Bogota()).Format(time.DateOnly)
	}
	if day > today {
		n.add(SevWarning, IssueFutureDate, f, raw, i18n.T("la fecha %s es posterior a hoy (%s)", "date %s is after today (%s)", day, today))
	}
}

// stripMailto undoes hyperlink cells: "mailto:ana@x.co?subject=Hola".
func stripMailto(s string) string {
	c := normalize.Clean(s)
	if len(c) >= 7 && strings.EqualFold(c[:7], "mailto:") {
		c = c[7:]
		if i := strings.IndexByte(c, '?'); i >= 0 {
			c = c[:i]
		}
	}
	return c
}

// weight reads the weight with the dump's separate unit column, if any.
func (n *normalizer) weight(f Field, s string) {
	in := s
	if u := normalize.Clean(n.raw["unidad_peso"]); u != "" && bareNumber(normalize.Clean(s)) {
		in = normalize.Clean(s) + " " + u
	}
	kg, unknown, err := normalize.Weight(in)
	switch {
	case err != nil:
		n.result(f, s, Value{}, err)
	case unknown:
		n.add(SevInfo, IssueUnknownWeight, f, s, i18n.T("peso 0 significa desconocido", "weight 0 means unknown"))
		n.set(f, Value{})
	default:
		n.set(f, text(kg))
	}
}

func bareNumber(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if (r < '0' || r > '9') && r != '.' && r != ',' {
			return false
		}
	}
	return true
}

// boolean reads the Sí/No vocabulary (normalize.Bool also knows the
// reproductive-state words and reads a date as "yes": the Mascotas report's
// Fallecido and Autorización hold dates). The date is kept in Value.Time.
// An xlsx date cell arrives as a serial number, which Bool rightly refuses
// (a "2" flag is not 1900-01-02); serials from 1927 on are read as dates.
func (n *normalizer) boolean(f Field, s string) {
	c := normalize.Clean(s)
	b, err := normalize.Bool(s)
	if err == nil {
		v := Value{Text: strconv.FormatBool(b), Bool: b, Valid: true}
		if d, derr := normalize.DateTimeIn(s, n.order); b && derr == nil && !bareNumber(c) {
			v.Time = d
		}
		n.set(f, v)
		return
	}
	if d, derr := normalize.DateTimeIn(s, n.order); n.order != normalize.DayFirst && derr == nil && !d.IsZero() {
		n.set(f, Value{Text: "true", Bool: true, Time: d, Valid: true}) // a month-first date in Fallecido
		return
	}
	if unknownWord(s) {
		n.add(SevInfo, IssueUnknownBoolean, f, s, i18n.T("el valor está marcado como desconocido", "value is explicitly unknown"))
		n.set(f, Value{})
		return
	}
	if serial, perr := strconv.ParseFloat(strings.Replace(c, ",", ".", 1), 64); perr == nil && bareNumber(c) && serial >= 10000 {
		if d, derr := normalize.DateTimeIn(c, n.order); derr == nil {
			n.set(f, Value{Text: "true", Bool: true, Time: d, Valid: true})
			return
		}
	}
	n.result(f, s, Value{}, err)
}

// unknownWord is an explicit "unknown" (dumps write "unknow").
func unknownWord(s string) bool {
	switch normalize.Fold(s) {
	case "unknow", "unknown", "desconocido", "desconocida", "no_sabe", "sin_definir":
		return true
	}
	return false
}

func (n *normalizer) species(f Field, s string) {
	v, ok := n.speciesOf(s)
	if !ok {
		if isOther(s) && !normalize.IsBlank(n.raw["especie_otra"]) {
			n.set(f, text("other")) // resolved from especie_otra in combine
			return
		}
		n.add(SevWarning, IssueUnknownSpecies, f, s, i18n.T("especie desconocida registrada como otra", "unknown species recorded as other"))
		v = "other"
	}
	n.set(f, text(v))
}

// speciesOf reads species text, the mapping file's words first.
func (n *normalizer) speciesOf(s string) (string, bool) {
	if v, ok := word(n.voc.Species, s); ok {
		if c, known := normalize.Species(v, nil); known {
			return c, true
		}
	}
	return normalize.Species(s, nil)
}

func isOther(s string) bool {
	switch normalize.Fold(s) {
	case "other", "otro", "otra", "otros", "others":
		return true
	}
	return false
}

func (n *normalizer) sex(f Field, s string) {
	if v, ok := word(n.voc.Sex, s); ok {
		n.set(f, text(v))
		return
	}
	if v, ok := normalize.Sex(s); ok {
		n.set(f, text(v))
		return
	}
	if c := normalize.Clean(s); c != "" && strings.Trim(c, "0123456789") == "" {
		// A dump's gender_id: 1/2/3 with no published meaning. Do not guess.
		n.add(SevWarning, IssueUnknownSexCode, f, s, i18n.T("el código numérico de sexo no tiene un significado conocido; nómbrelo en [vocabulary.sex] del archivo de mapeo",
			"numeric sex code has no known meaning; name it in the mapping file's [vocabulary.sex]"))
	} else {
		n.add(SevWarning, IssueUnknownSex, f, s, i18n.T("sexo desconocido", "unknown sex"))
	}
	n.set(f, Value{})
}

func (n *normalizer) status(f Field, s string) {
	if v, ok := word(n.voc.Status, s); ok {
		n.set(f, text(v))
		return
	}
	if v, ok := normalize.AppointmentStatus(s); ok {
		n.set(f, text(v))
		return
	}
	n.add(SevWarning, IssueUnknownStatus, f, s, i18n.T("estado desconocido", "unknown status"))
	n.set(f, Value{})
}

// document normalises the number for the row's document type. A NIT whose
// check digit is wrong keeps its number (flagged): it is still the
// owner's best key.
func (n *normalizer) document(f Field, s string) {
	docType := ""
	for _, g := range n.t.Fields {
		if g.Kind == KindDocType {
			docType = normalize.DocumentType(n.raw[g.Name])
		}
	}
	v, err := normalize.DocumentNumber(docType, s)
	if err != nil {
		n.fail(f, s, err)
		if normalize.CodeOf(err) == normalize.CodeNITCheckDigit {
			v = strings.NewReplacer(".", "", " ", "", ",", "").Replace(normalize.Clean(s))
		}
	}
	n.set(f, text(v))
}

// combine applies the rules that read several fields of a row.
func (n *normalizer) combine() {
	if n.t.combine != nil {
		n.t.combine(n)
	}
}

// petExtras folds a dump's specie_other, race_other and dead_at into the
// main fields.
func (n *normalizer) petExtras() {
	if other := n.raw["especie_otra"]; !normalize.IsBlank(other) && n.vals["especie"].Text == "other" {
		f, _ := n.t.Field("especie")
		v, ok := n.speciesOf(other)
		if !ok {
			n.add(SevWarning, IssueUnknownSpecies, f, other, i18n.T("especie desconocida registrada como otra", "unknown species recorded as other"))
			v = "other"
		}
		n.set(f, text(v))
	}
	if other, _ := normalize.Text(n.raw["raza_otra"]); other != "" {
		if r := n.vals["raza"]; !r.Valid || isOther(r.Text) {
			f, _ := n.t.Field("raza")
			n.set(f, text(other))
		}
	}
	if d := n.vals["fecha_fallecimiento"]; d.Valid && !n.vals["fallecido"].Valid {
		f, _ := n.t.Field("fallecido")
		n.set(f, Value{Text: "true", Bool: true, Time: d.Time, Valid: true})
	}
}

// vaccineName names a dump's vaccination from the mapping file's catalogue.
func (n *normalizer) vaccineName() {
	id := n.vals["id_vacuna_catalogo"]
	if !id.Valid || n.vals["vacuna"].Valid {
		return
	}
	f, _ := n.t.Field("vacuna")
	if name, ok := lookupFold(n.voc.Vaccines, normalize.Fold(id.Text)); ok {
		n.set(f, text(name))
		n.add(SevInfo, IssueVaccineCatalogue, f, id.Text, i18n.T("vacuna nombrada con el catálogo del archivo de mapeo", "vaccine named from the mapping file's catalogue"))
		return
	}
	n.add(SevWarning, IssueVaccineCatalogue, f, id.Text,
		i18n.T("falta el nombre de la vacuna: el id de catálogo %s no está en [vocabulary.vaccines] del archivo de mapeo",
			"vaccine name missing: catalogue id %s is not in the mapping file's [vocabulary.vaccines]", id.Text))
}

// appointmentTimes keeps the time of a dump's start timestamp (fecha is a
// date field) and derives the duration from its end timestamp.
func (n *normalizer) appointmentTimes() {
	start, err := normalize.DateTimeIn(n.raw["fecha"], n.order)
	if err != nil || start.IsZero() || !n.vals["fecha"].Valid {
		return
	}
	h, m, s := start.Clock()
	hasClock := h != 0 || m != 0 || s != 0
	if hora := n.vals["hora"]; hasClock && !hora.Valid && normalize.IsBlank(n.raw["hora"]) {
		f, _ := n.t.Field("hora")
		n.set(f, Value{Text: fmt.Sprintf("%02d:%02d:%02d", h, m, s), Valid: true})
	}
	end := n.vals["fin"]
	if d := n.vals["duracion"]; hasClock && end.Valid && !d.Valid && normalize.IsBlank(n.raw["duracion"]) && end.Time.After(start) {
		f, _ := n.t.Field("duracion")
		n.set(f, Value{Text: strconv.Itoa(int(end.Time.Sub(start).Minutes())), Valid: true})
	}
}

func knownSpecies(v string) bool {
	_, ok := normalize.Species(v, nil)
	return ok && !normalize.IsBlank(v)
}

func knownSex(v string) bool {
	c, ok := normalize.Sex(v)
	return ok && c == v
}

func knownStatus(v string) bool {
	c, ok := normalize.AppointmentStatus(v)
	return ok && c == v
}
