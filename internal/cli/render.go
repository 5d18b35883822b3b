package cli

import "github.com/petfriendly/recon/reconcile"

// renderReports writes the HTML report and the PDF approval of a result.
func renderReports(g *Globals, res reconcile.Result, htmlPath, pdfPath string) error {
	return writeReportFiles(g, res, "", htmlPath, pdfPath)
}
