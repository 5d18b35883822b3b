package reports

import "embed"

// templateFS holds the html/template files of the reports, embedded so the
// binary renders them from any working directory; shared pieces live in
// base.html.
//
//go:embed templates/*.html
var templateFS embed.FS
