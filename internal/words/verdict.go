package words

import (
	"github.com/petfriendly/recon/internal/approval"
	"github.com/petfriendly/recon/internal/i18n"
)

// Verdict is a run's verdict in words, as each output says it.
type Verdict struct {
	Sentence string // the HTML and PDF reports' verdict line
	Result   string // the last line of the text report, in capitals
	Short    string // a progress line or the command's error
}

// VerdictOf words a verdict code (approval.Verdict); an unknown code is
// worded as a run that found problems.
func VerdictOf(l i18n.Lang, code string) Verdict {
	var w [3]pair
	switch code {
	case approval.VerdictReady:
		w = [3]pair{
			{"Verificada: lista para aprobación", "Verified: ready for sign-off"},
			{"RESULTADO: LISTO PARA APROBACIÓN", "RESULT: READY FOR SIGN-OFF"},
			{"verificación correcta", "verification passed"},
		}
	case approval.VerdictCriticalOpen:
		w = [3]pair{
			{"Verificada, con problemas críticos por resolver antes de aprobar", "Verified, with critical issues to resolve before sign-off"},
			{"RESULTADO: VERIFICADO, pendiente resolver problemas críticos antes de aprobar",
				"RESULT: VERIFIED, critical issues must be resolved before sign-off"},
			{"verificación correcta", "verification passed"},
		}
	default:
		w = [3]pair{
			{"La verificación encontró problemas", "Verification found problems"},
			{"RESULTADO: LA VERIFICACIÓN ENCONTRÓ PROBLEMAS", "RESULT: VERIFICATION FOUND PROBLEMS"},
			{"la verificación encontró problemas", "verification found problems"},
		}
	}
	return Verdict{Sentence: w[0].in(l, ""), Result: w[1].in(l, ""), Short: w[2].in(l, "")}
}
