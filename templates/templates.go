// Package templates holds the html/template files of recon's reports,
// embedded so the binary renders them from any working directory.
package templates

import "embed"

// FS holds every report template; each file defines the templates it
// names, and the shared pieces live in base.html.
//
//go:embed *.html
var FS embed.FS
