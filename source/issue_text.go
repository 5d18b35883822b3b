package source

import (
	"errors"

	"github.com/petfriendly/recon/source/normalize"
)

// normalizeErrorES says a normaliser error in Spanish: what was wrong (by
// its code) and the value as written; the detail after the colon is the
// normaliser's own, in English.
func normalizeErrorES(err error) string {
	var e *normalize.Error
	if !errors.As(err, &e) {
		return ""
	}
	what := map[string]string{
		normalize.CodeInvalidEmail:     "correo electrónico inválido",
		normalize.CodeInvalidDate:      "fecha ilegible",
		normalize.CodeInvalidTime:      "hora ilegible",
		normalize.CodeInvalidPhone:     "teléfono inválido",
		normalize.CodeInvalidNumber:    "número ilegible",
		normalize.CodeInvalidMoney:     "valor de dinero ilegible",
		normalize.CodeInvalidWeight:    "peso ilegible",
		normalize.CodeInvalidBoolean:   "no es sí/no",
		normalize.CodePrecisionLost:    "se perdería precisión en",
		normalize.CodeOutOfRange:       "fuera de rango",
		normalize.CodeInvalidDocument:  "documento inválido",
		normalize.CodeNITCheckDigit:    "dígito de verificación del NIT errado en",
		normalize.CodeInvalidMicrochip: "microchip inválido",
	}[e.Code]
	if what == "" {
		return ""
	}
	msg := what + " «" + e.Value + "»"
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg
}
