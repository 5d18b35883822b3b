package normalize

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unicode"
)

// checkErr reports whether err carries the wanted code ("" = no error).
func checkErr(t *testing.T, call string, err error, wantErr string) {
	t.Helper()
	switch {
	case wantErr == "" && err != nil:
		t.Errorf("%s: unexpected error %v", call, err)
	case wantErr != "" && err == nil:
		t.Errorf("%s: want error %s, got nil", call, wantErr)
	case wantErr != "" && CodeOf(err) != wantErr:
		t.Errorf("%s: error code = %q (%v), want %q", call, CodeOf(err), err, wantErr)
	}
}

func TestError(t *testing.T) {
	err := newErr(CodeInvalidDate, "31/02/2021", "day out of range")
	if got, want := err.Error(), `invalid date "31/02/2021": day out of range`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got, want := (&Error{Code: CodeNITCheckDigit, Value: "1"}).Error(), `nit check digit "1"`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	wrapped := fmt.Errorf("row 3: %w", err)
	if !errors.Is(wrapped, &Error{Code: CodeInvalidDate}) {
		t.Error("errors.Is by code failed")
	}
	if errors.Is(wrapped, &Error{Code: CodeInvalidTime}) {
		t.Error("errors.Is matched another code")
	}
	if errors.Is(wrapped, &Error{Code: CodeInvalidDate, Value: "x"}) {
		t.Error("errors.Is matched another value")
	}
	if errors.Is(err, errors.New("x")) {
		t.Error("errors.Is matched a foreign error")
	}
	if CodeOf(wrapped) != CodeInvalidDate || CodeOf(errors.New("x")) != "" || CodeOf(nil) != "" {
		t.Error("CodeOf")
	}
}

func TestBogota(t *testing.T) {
	loc := Bogota()
	if loc.String() != "America/Bogota" {
		t.Fatalf("Bogota() = %v", loc)
	}
	if Bogota() != loc {
		t.Error("Bogota() not loaded once")
	}
	if _, off := time.Date(2023, 5, 2, 0, 0, 0, 0, loc).Zone(); off != -5*3600 {
		t.Errorf("offset = %d", off)
	}
}

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"  hola  ", "hola"},
		{"\u00a0Juan\u00a0\u00a0Pérez\u00a0", "Juan Pérez"},
		{"\ufeffNombre", "Nombre"},
		{"\u202a+57 300\u202c", "+57 300"},
		{"a\u200bb\u200fc", "abc"},
		{"a\u2066b\u2069\u2060\u00adc", "abc"},
		{"uno\t\tdos\r\ntres", "uno dos tres"},
		{"a\x00b\x07c", "abc"},
		{"a\u202fb\u3000c", "a b c"},
		{"bad\xffbyte", "bad\ufffdbyte"},
		{"\u200b \u00a0", ""},
	}
	for _, tt := range tests {
		if got := Clean(tt.in); got != tt.want {
			t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got, want := IsBlank(tt.in), tt.want == ""; got != want {
			t.Errorf("IsBlank(%q) = %v, want %v", tt.in, got, want)
		}
	}
}

func TestPlaceholder(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{".", true}, {"-", true}, {"--", true}, {" ... ", true}, {"—", true},
		{"N/A", true}, {"NA", true}, {"n/a", true}, {"n.a.", true},
		{"NO EVALUADO", true}, {"No aplica", true}, {"sin dato", true}, {"Sin datos", true},
		{"ninguno", true}, {"NINGUNA", true}, {"Ningúno", true},
		{"", false}, {"  ", false}, {"Nala", false}, {"0", false}, {"-5", false}, {"no", false},
	}
	for _, tt := range tests {
		if got := Placeholder(tt.in); got != tt.want {
			t.Errorf("Placeholder(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestText(t *testing.T) {
	tests := []struct {
		in          string
		want        string
		placeholder bool
	}{
		{"", "", false},
		{"  Otitis  externa ", "Otitis externa", false},
		{".", "", true},
		{" N/A ", "", true},
		{"línea 1  \r\n   línea 2\n", "línea 1\nlínea 2", false},
		{"\n\n a \n\n\n\n b \r\r c\n\n", "a\n\nb\n\nc", false},
		{"a\u2028b\u0085c\u2029d", "a\nb\nc\nd", false},
		{" \n \u00a0\n", "", false},
	}
	for _, tt := range tests {
		got, ph := Text(tt.in)
		if got != tt.want || ph != tt.placeholder {
			t.Errorf("Text(%q) = %q, %v; want %q, %v", tt.in, got, ph, tt.want, tt.placeholder)
		}
	}
}

func TestName(t *testing.T) {
	if got := Name("  maría\u00a0JOSÉ  "); got != "maría JOSÉ" {
		t.Errorf("Name = %q", got)
	}
}

func TestSplitName(t *testing.T) {
	tests := []struct{ in, first, last string }{
		{"", "", ""},
		{"Juan", "Juan", ""},
		{"Juan Pérez", "Juan", "Pérez"},
		{"Juan Pérez Gómez", "Juan", "Pérez Gómez"},
		{"Juan Carlos Pérez Gómez", "Juan Carlos", "Pérez Gómez"},
		{" Juan\u00a0 Carlos  Pérez  Gómez ", "Juan Carlos", "Pérez Gómez"},
		{"María José Ana Pérez Gómez", "María José Ana", "Pérez Gómez"},
		{"Juan Pérez de la Torre", "Juan", "Pérez de la Torre"},
		{"Ana María De La Hoz Ruiz", "Ana María", "De La Hoz Ruiz"},
		{"María de los Ángeles Pérez Gómez", "María de los Ángeles", "Pérez Gómez"},
		{"Juan San Martín", "Juan", "San Martín"},
		{"Pérez Gómez, Juan Carlos", "Juan Carlos", "Pérez Gómez"},
		{"Pérez,", "Pérez", ""},
		{"Juan de", "Juan", "de"},
		{"de la", "de la", ""},
	}
	for _, tt := range tests {
		first, last := SplitName(tt.in)
		if first != tt.first || last != tt.last {
			t.Errorf("SplitName(%q) = %q, %q; want %q, %q", tt.in, first, last, tt.first, tt.last)
		}
	}
}

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Fecha de Nacimiento", "fecha_de_nacimiento"},
		{"Ident.", "ident"},
		{"E.Reproductivo", "e_reproductivo"},
		{"P.V.", "p_v"},
		{"TIdent", "tident"},
		{"Género", "genero"},
		{"Teléfono móvil", "telefono_movil"},
		{"Año", "ano"},
		{"  __Categoría / Grupo__ ", "categoria_grupo"},
		{"created_at", "created_at"},
		{"\ufeffNombre", "nombre"},
		{"...", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestEmail(t *testing.T) {
	tests := []struct{ in, want, wantErr string }{
		{"", "", ""},
		{"  Juan.Perez@Gmail.COM ", "juan.perez@gmail.com", ""},
		{"mailto:ana@clinica.com.co", "ana@clinica.com.co", ""},
		{"MAILTO:ana@clinica.co", "ana@clinica.co", ""},
		{"\u202aana+vet@x.co\u202c", "ana+vet@x.co", ""},
		{"o'brien@mail.ie", "o'brien@mail.ie", ""},
		{"a@xn--80ak6aa92e.xn--p1ai", "a@xn--80ak6aa92e.xn--p1ai", ""},
		{"juan", "", CodeInvalidEmail},
		{"juan@gmail", "", CodeInvalidEmail},
		{"juan@@gmail.com", "", CodeInvalidEmail},
		{"a@b.com; c@d.com", "", CodeInvalidEmail},
		{"a@b.com,c@d.com", "", CodeInvalidEmail},
		{"@gmail.com", "", CodeInvalidEmail},
		{"juan perez@gmail.com", "", CodeInvalidEmail},
		{"juan..perez@gmail.com", "", CodeInvalidEmail},
		{"juan@gmail..com", "", CodeInvalidEmail},
		{".juan@gmail.com", "", CodeInvalidEmail},
		{"juan.@gmail.com", "", CodeInvalidEmail},
		{"juan@gmail.com.", "", CodeInvalidEmail},
		{"juan@-gmail.com", "", CodeInvalidEmail},
		{"juan@gmail.c", "", CodeInvalidEmail},
		{"juan@gmail.c0m", "", CodeInvalidEmail},
		{"juan@gm_ail.com", "", CodeInvalidEmail},
		{"peña@gmail.com", "", CodeInvalidEmail},
		{"juan(x)@gmail.com", "", CodeInvalidEmail},
		{"Juan <juan@gmail.com>", "", CodeInvalidEmail},
		{"12345678901234567890123456789012345678901234567890123456789012345@x.co", "", CodeInvalidEmail},
		{"a@" + repeat("abcdefghi.", 25) + "com", "", CodeInvalidEmail},
		{"a@" + repeat("a", 64) + ".com", "", CodeInvalidEmail},
	}
	for _, tt := range tests {
		got, err := Email(tt.in)
		checkErr(t, fmt.Sprintf("Email(%q)", tt.in), err, tt.wantErr)
		if got != tt.want {
			t.Errorf("Email(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func repeat(s string, n int) string {
	out := ""
	for range n {
		out += s
	}
	return out
}

func TestPhone(t *testing.T) {
	tests := []struct{ in, want, wantErr string }{
		{"", "", ""},
		{"\u202a \u00a0", "", ""},
		{"+573001234567", "+573001234567", ""},
		{"3001234567", "+573001234567", ""},
		{"300 123 4567", "+573001234567", ""},
		{"300-123-4567", "+573001234567", ""},
		{"(300) 123.45.67", "+573001234567", ""},
		{"\u202a+57 300 123 4567\u202c", "+573001234567", ""},
		{"+57\u00a0300\u00a0123\u00a04567", "+573001234567", ""},
		{"(+57) 300 1234567", "+573001234567", ""},
		{"573001234567", "+573001234567", ""},
		{"0057 300 123 4567", "+573001234567", ""},
		{"601 234 5678", "+576012345678", ""},
		{"(604) 444 5566", "+576044445566", ""},
		{"+57 601 2345678", "+576012345678", ""},
		{"576012345678", "+576012345678", ""},
		{"3001234567 ext 12", "+573001234567", ""},
		{"601 234 5678 Ext. 104", "+576012345678", ""},
		{"3001234567 /", "+573001234567", ""},
		{"300/123/4567", "+573001234567", ""},
		{"+52 55 1234 5678", "+525512345678", ""},
		{"+56 9 1234 5678", "+56912345678", ""},
		{"+593 99 123 4567", "+593991234567", ""},
		{"+51 987 654 321", "+51987654321", ""},
		{"+1 (305) 555-0123", "+13055550123", ""},
		{"+34 612 34 56 78", "+34612345678", ""},
		{"3001234567 / 3107654321", "", CodeInvalidPhone},
		{"2345678", "", CodeInvalidPhone},
		{"234 5678", "", CodeInvalidPhone},
		{"+57 1 2345678", "", CodeInvalidPhone},
		{"(1) 2345678", "", CodeInvalidPhone},
		{"+57 2345678", "", CodeInvalidPhone},
		{"031 2345678", "", CodeInvalidPhone},
		{"0312345678", "", CodeInvalidPhone},
		{"6032345678", "", CodeInvalidPhone},
		{"6092345678", "", CodeInvalidPhone},
		{"+57 300 123 456", "", CodeInvalidPhone},
		{"+57 3001234567 8", "", CodeInvalidPhone},
		{"0052 55 1234 5678", "", CodeInvalidPhone},
		{"300123456", "", CodeInvalidPhone},
		{"30012345678", "", CodeInvalidPhone},
		{"5012345678", "", CodeInvalidPhone},
		{"+0 123 456 789", "", CodeInvalidPhone},
		{"+52 1234", "", CodeInvalidPhone},
		{"+1234567890123456", "", CodeInvalidPhone},
		{"++573001234567", "", CodeInvalidPhone},
		{"300+1234567", "", CodeInvalidPhone},
		{"Cel: 3001234567", "", CodeInvalidPhone},
		{"300 123 4567 o 310 765 4321", "", CodeInvalidPhone},
		{"3,00123E+09", "", CodeInvalidPhone},
		{"+", "", CodeInvalidPhone},
		{"-", "", CodeInvalidPhone},
		{"３００１２３４５６７", "", CodeInvalidPhone},
	}
	for _, tt := range tests {
		got, err := Phone(tt.in)
		checkErr(t, fmt.Sprintf("Phone(%q)", tt.in), err, tt.wantErr)
		if got != tt.want {
			t.Errorf("Phone(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMicrochip(t *testing.T) {
	tests := []struct{ in, want, wantErr string }{
		{"", "", ""},
		{"985141000123456", "985141000123456", ""},
		{" 985 141 000 123 456 ", "985141000123456", ""},
		{"985.141.000.123.456", "985141000123456", ""},
		{"985-141-000-123-456", "985141000123456", ""},
		{"123456789", "123456789", ""},
		{"0a1b2c3d4e", "0A1B2C3D4E", ""},
		{"12345E6789", "12345E6789", ""},
		{"9,85141E+14", "", CodePrecisionLost},
		{"9.85141e14", "", CodePrecisionLost},
		{"9,85141E+14 ", "", CodePrecisionLost},
		{"985141E+14", "", CodePrecisionLost},
		{"12345678", "", CodeInvalidMicrochip},
		{"9851410001234567", "", CodeInvalidMicrochip},
		{"ABC123", "", CodeInvalidMicrochip},
		{"0A1B2C3D4G", "", CodeInvalidMicrochip},
		{"985141000,123456", "", CodeInvalidMicrochip},
		{"N/A", "", CodeInvalidMicrochip},
	}
	for _, tt := range tests {
		got, err := Microchip(tt.in)
		checkErr(t, fmt.Sprintf("Microchip(%q)", tt.in), err, tt.wantErr)
		if got != tt.want {
			t.Errorf("Microchip(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDocumentNumber(t *testing.T) {
	tests := []struct{ typ, in, want, wantErr string }{
		{"cc", "", "", ""},
		// Real NITs: DIAN 800197268-4, Davivienda 860034313-7.
		{"NIT", "800.197.268-4", "800197268-4", ""},
		{"nit", "860034313-7", "860034313-7", ""},
		{"nit", " 860 034 313 - 7 ", "860034313-7", ""},
		{"nit", "800197268-5", "800197268-5", CodeNITCheckDigit},
		{"nit", "860.034.313-1", "860034313-1", CodeNITCheckDigit},
		{"nit", "800197268", "800197268", ""},
		{"nit", "8001972684", "8001972684", ""},
		{"nit", "800197268-", "", CodeInvalidDocument},
		{"nit", "800197268-45", "", CodeInvalidDocument},
		{"nit", "800197268-4-4", "", CodeInvalidDocument},
		{"nit", "80A197268-4", "", CodeInvalidDocument},
		{"nit", "12", "", CodeInvalidDocument},
		{"nit", "1234567890123456-1", "", CodeInvalidDocument},
		{"C.C.", "1.020.304.050", "1020304050", ""},
		{"Cédula de ciudadanía", "79 123 456", "79123456", ""},
		{"cc", "1,020,304", "1020304", ""},
		{"cc", "12", "", CodeInvalidDocument},
		{"cc", "10203040501", "", CodeInvalidDocument},
		{"cc", "1020304-5", "", CodeInvalidDocument},
		{"cc", "1,0203E+9", "", CodePrecisionLost},
		{"ti", "10203040501", "10203040501", ""},
		{"ti", "AB123", "", CodeInvalidDocument},
		{"Pasaporte", "ab-123456", "AB-123456", ""},
		{"ce", "E 123.456", "E123456", ""},
		{"PEP", "123456789012345", "123456789012345", ""},
		{"pa", "AB", "", CodeInvalidDocument},
		{"pa", "AB#123", "", CodeInvalidDocument},
		{"pa", "ABCDEFGHIJKLMNOPQRSTU", "", CodeInvalidDocument},
		{"", "12345", "12345", ""},
		{"Ninguno / Teléfono móvil", "300 123 4567", "+573001234567", ""},
		{"telefono movil", "+57 300 123 4567", "+573001234567", ""},
		{"ninguno", "sin documento", "sin documento", ""},
		{"ninguno", "123", "123", ""},
	}
	for _, tt := range tests {
		got, err := DocumentNumber(tt.typ, tt.in)
		checkErr(t, fmt.Sprintf("DocumentNumber(%q, %q)", tt.typ, tt.in), err, tt.wantErr)
		if got != tt.want {
			t.Errorf("DocumentNumber(%q, %q) = %q, want %q", tt.typ, tt.in, got, tt.want)
		}
	}
}

func TestNITCheckDigit(t *testing.T) {
	// Published NITs: DIAN, Davivienda, Bancolombia, Ecopetrol, Banco Popular.
	for _, nit := range []string{"800197268-4", "860034313-7", "890903938-8", "899999068-1", "860007738-9"} {
		if got := nitCheckDigit(nit[:9]); got != nit[10] {
			t.Errorf("nitCheckDigit(%s) = %c", nit, got)
		}
	}
}

func TestDocumentType(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"CC", "cc"}, {"C.C.", "cc"}, {"Cédula de ciudadanía", "cc"}, {"cedula", "cc"},
		{"CE", "ce"}, {"Cédula de extranjería", "ce"},
		{"Pasaporte", "pa"}, {"PP", "pa"}, {"PA", "pa"},
		{"NIT", "nit"}, {"N.I.T.", "nit"},
		{"Tarjeta de identidad", "ti"}, {"T.I.", "ti"},
		{"Registro civil", "rc"}, {"RC", "rc"},
		{"PEP", "pep"}, {"Permiso especial de permanencia", "pep"},
		{"PPT", "ppt"}, {"Permiso por Protección Temporal", "ppt"},
		{"Ninguno", "none"}, {"telefono movil", "none"}, {"Ninguno / Teléfono móvil", "none"},
		{" DNI  Extranjero ", "dni extranjero"}, {"13", "13"},
	}
	for _, tt := range tests {
		if got := DocumentType(tt.in); got != tt.want {
			t.Errorf("DocumentType(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestBool(t *testing.T) {
	tests := []struct {
		in      string
		want    bool
		wantErr string
	}{
		{"", false, ""},
		{" \u00a0", false, ""},
		{"Sí", true, ""}, {"si", true, ""}, {"S", true, ""}, {"1", true, ""}, {"true", true, ""},
		{"TRUE", true, ""}, {"x", true, ""}, {"X", true, ""}, {"yes", true, ""}, {"y", true, ""},
		{"Verdadero", true, ""}, {"Esterilizado", true, ""}, {"esterilizada", true, ""},
		{"castrado", true, ""}, {"sterilized", true, ""},
		{"No", false, ""}, {"N", false, ""}, {"0", false, ""}, {"false", false, ""}, {"f", false, ""},
		{"FALSO", false, ""}, {"No esterilizado", false, ""}, {"no esterilizada", false, ""},
		{"unsterilized", false, ""}, {"entero", false, ""},
		{"2023-05-02", true, ""}, {"02/05/2023", true, ""}, {"2023-05-02 14:30:00", true, ""},
		{"unknow", false, CodeInvalidBoolean}, {"unknown", false, CodeInvalidBoolean},
		{"Desconocido", false, CodeInvalidBoolean},
		{"2", false, CodeInvalidBoolean}, {"44927", false, CodeInvalidBoolean},
		{"-", false, CodeInvalidBoolean}, {"quizás", false, CodeInvalidBoolean},
		{"31/02/2021", false, CodeInvalidBoolean},
	}
	for _, tt := range tests {
		got, err := Bool(tt.in)
		checkErr(t, fmt.Sprintf("Bool(%q)", tt.in), err, tt.wantErr)
		if got != tt.want {
			t.Errorf("Bool(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestSpecies(t *testing.T) {
	extra := map[string]string{"lobo": "dog", "erizo": "Roedor", "dragon": "dinosaur", "gato_persa": "cat"}
	tests := []struct {
		in    string
		want  string
		known bool
	}{
		{"", "", true},
		{"Canino", "dog", true}, {"Perro", "dog", true}, {"perra", "dog", true}, {"canine", "dog", true}, {"DOG", "dog", true},
		{"Felino", "cat", true}, {"Gato", "cat", true}, {"Gata", "cat", true}, {"feline", "cat", true}, {"cat", "cat", true},
		{"Ave", "bird", true}, {"Aves", "bird", true}, {"bird", "bird", true}, {"Loro", "bird", true}, {"Pájaro", "bird", true},
		{"Conejo", "rabbit", true}, {"lagomorph", "rabbit", true}, {"rabbit", "rabbit", true},
		{"Roedor", "rodent", true}, {"Hámster", "rodent", true}, {"Cobayo", "rodent", true}, {"Cuy", "rodent", true}, {"rodent", "rodent", true},
		{"Reptil", "reptile", true}, {"Tortuga", "reptile", true}, {"Iguana", "reptile", true}, {"reptile", "reptile", true},
		{"Equino", "horse", true}, {"Caballo", "horse", true}, {"equine", "horse", true},
		{"Pez", "fish", true}, {"fish", "fish", true},
		{"Hurón", "ferret", true}, {"ferret", "ferret", true},
		{"Porcino", "pig", true}, {"Cerdo", "pig", true},
		{"Bovino", "cattle", true}, {"Vaca", "cattle", true},
		{"Otro", "other", true}, {"other", "other", true},
		{"Lobo", "dog", true}, {"Erizo", "rodent", true}, {"Gato Persa", "cat", true},
		{"Dragón", "other", false}, {"Ornitorrinco", "other", false}, {"1", "other", false},
	}
	for _, tt := range tests {
		got, known := Species(tt.in, extra)
		if got != tt.want || known != tt.known {
			t.Errorf("Species(%q) = %q, %v; want %q, %v", tt.in, got, known, tt.want, tt.known)
		}
	}
	if got, known := Species("Canino", nil); got != "dog" || !known {
		t.Errorf("Species with nil extra = %q, %v", got, known)
	}
}

func TestSex(t *testing.T) {
	tests := []struct {
		in    string
		want  string
		known bool
	}{
		{"", "unknown", true}, {"Desconocido", "unknown", true},
		{"Macho", "male", true}, {"M", "male", true}, {"male", "male", true}, {"Masculino", "male", true},
		{"Hembra", "female", true}, {"H", "female", true}, {"F", "female", true}, {"female", "female", true}, {"Femenino", "female", true},
		{"Hembra esterilizada", "female", true}, {"Macho castrado", "male", true},
		{"1", "unknown", false}, {"2", "unknown", false}, {"3", "unknown", false}, {"X", "unknown", false},
	}
	for _, tt := range tests {
		got, known := Sex(tt.in)
		if got != tt.want || known != tt.known {
			t.Errorf("Sex(%q) = %q, %v; want %q, %v", tt.in, got, known, tt.want, tt.known)
		}
	}
}

func TestAppointmentStatus(t *testing.T) {
	tests := []struct {
		in    string
		want  string
		known bool
	}{
		{"", "", true},
		{"Programada", "scheduled", true}, {"pendiente", "scheduled", true}, {"pending", "scheduled", true},
		{"preregistration", "scheduled", true}, {"Agendada", "scheduled", true},
		{"Confirmada", "confirmed", true}, {"confirmed", "confirmed", true},
		{"Atendida", "completed", true}, {"attend", "completed", true}, {"Asistió", "completed", true}, {"Completada", "completed", true},
		{"Cancelada", "cancelled", true}, {"deleted", "cancelled", true}, {"Anulada", "cancelled", true},
		{"No asistió", "no_show", true}, {"no asistio", "no_show", true}, {"unattend", "no_show", true}, {"Inasistencia", "no_show", true},
		{"  En   sala ", "En sala", false},
	}
	for _, tt := range tests {
		got, known := AppointmentStatus(tt.in)
		if got != tt.want || known != tt.known {
			t.Errorf("AppointmentStatus(%q) = %q, %v; want %q, %v", tt.in, got, known, tt.want, tt.known)
		}
	}
}

// TestFoldKeepsLetters checks the property Placeholder's fast refusal
// relies on: Fold turns every letter or digit into at least one letter or
// digit (never only into dropped accents), so a text with more letters and
// digits than the longest placeholder key cannot fold to one.
func TestFoldKeepsLetters(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			continue
		}
		if Fold(string(r)) == "" {
			t.Errorf("Fold(%U) is empty", r)
		}
	}
	for _, k := range []string{"na", "n_a", "no_evaluado", "no_evaluada", "no_aplica", "sin_dato", "sin_datos", "ninguno", "ninguna"} {
		if n := len(strings.ReplaceAll(k, "_", "")); n > maxPlaceholderLetters {
			t.Errorf("placeholder key %q has %d letters, more than maxPlaceholderLetters", k, n)
		}
	}
	if Placeholder("Paciente colaborador sin sedación") || !Placeholder(" N/A ") || !Placeholder("NO EVALUADO") || !Placeholder("—") {
		t.Error("Placeholder fast path changed an answer")
	}
}

// TestPlaceholderASCII pins the allocation-free ASCII path to the general
// one on targeted and random ASCII strings.
func TestPlaceholderASCII(t *testing.T) {
	cases := []string{"", " ", "\t\r\n", ".", "...", "- -", ". .", "-.-_", " -- ", "x", "N/A", "n a", "N\x01A", "na.", "_na_",
		"No Evaluado", "NO-EVALUADA", "no aplica", "Sin dato", "sin_datos", "NINGUNO", "Ninguna", "ningunos", "n/a/b",
		"a.b.c.d.e.f.g.h.i", "no\x7faplica", "\x00", "..\x00..", "1", "2021-01-01", "$ 120.000"}
	alphabet := "aAnN/ .-_\t\x01x0oeEvVlLuUdDsSiIgGpPcC"
	seed := uint32(1)
	for range 20000 {
		var b strings.Builder
		seed = seed*1664525 + 1013904223
		n := int(seed>>28) % 14
		for range n {
			seed = seed*1664525 + 1013904223
			b.WriteByte(alphabet[int(seed>>16)%len(alphabet)])
		}
		cases = append(cases, b.String())
	}
	for _, s := range cases {
		got, ok := placeholderASCII(s)
		if !ok {
			t.Fatalf("placeholderASCII(%q) refused ASCII", s)
		}
		if want := placeholderUnicode(s); got != want {
			t.Errorf("placeholderASCII(%q) = %v, general path %v", s, got, want)
		}
	}
	if _, ok := placeholderASCII("ningún"); ok {
		t.Error("placeholderASCII accepted non-ASCII input")
	}
}

// TestCleanASCII pins Clean's shortcut for text that is already clean to
// the general path, byte by byte around every ASCII character.
func TestCleanASCII(t *testing.T) {
	cases := []string{"", " ", "a", "a b", "a  b", " a", "a ", "Pérez", "N/A", "x\ty", "12.500", "~!@#"}
	for i := range 129 {
		r := string(rune(i))
		cases = append(cases, r, "a"+r+"b", r+"a", "a"+r, "a "+r+" b")
	}
	for _, s := range cases {
		if got, want := Clean(s), cleanGeneral(s); got != want {
			t.Errorf("Clean(%q) = %q, general path %q", s, got, want)
		}
		got, _ := Text(s)
		if want := Clean(s); !strings.ContainsAny(s, "\r\n\u0085\u2028\u2029\v\f") && !Placeholder(s) && got != want {
			t.Errorf("Text(%q) = %q, want %q for one line", s, got, want)
		}
	}
	if !alreadyClean("Juan Pérez"[:4]) || alreadyClean("Pérez") || alreadyClean("a  b") {
		t.Error("alreadyClean misjudges its own cases")
	}
}

// TestFoldLatin1 pins the Latin-1 path of Fold to the general one, for
// every rune up to U+00FF alone and between letters, and for random mixes.
func TestFoldLatin1(t *testing.T) {
	cases := []string{"", "Fecha de Nacimiento", "P.V.", "  __N/A__  ", "no evaluado", "ID_Cliente", "a\x00b\tc\r\nd",
		"---", "x1-Y2", "Sí", "Pérez Gómez", "ÑOÑO", "Straße", "Æsir", "a×b", "¿Qué?", "½ kg", "ª", "º", "µg", "\u00a0x\u00a0"}
	for r := rune(0); r <= 0xFF; r++ {
		cases = append(cases, string(r), "a"+string(r)+"B", string(r)+string(r)+"1")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		b := make([]rune, rng.IntN(12))
		for i := range b {
			b[i] = rune(rng.IntN(0x100))
		}
		cases = append(cases, string(b))
	}
	for _, s := range cases {
		fast, ok := foldLatin1(s)
		if !ok {
			t.Fatalf("foldLatin1(%q) refused Latin-1", s)
		}
		if slow := foldUnicode(s); fast != slow {
			t.Errorf("foldLatin1(%q) = %q, general path %q", s, fast, slow)
		}
	}
	for _, s := range []string{"Ǆ", "e\u0301", "bad\xff", "日本"} {
		if _, ok := foldLatin1(s); ok {
			t.Errorf("foldLatin1 accepted %q", s)
		}
	}
}
