package cli

import (
	"errors"

	"github.com/petfriendly/recon/reconcile"
)

// renderReports writes the HTML report and the PDF approval of a result.
func renderReports(g *Globals, res reconcile.Result, htmlPath, pdfPath string) error {
	return errors.New(g.L.S("los informes HTML y PDF aún no están construidos (issue 8); use --json",
		"HTML and PDF reports are not built yet (issue 8); use --json"))
}
