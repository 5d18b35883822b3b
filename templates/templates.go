// Package templates owns the html/template files of the reports: the
// verification report (report.html), the rehearsal comparison
// (compare.html) and the pieces they share (base.html). They are embedded
// so the binary renders them from any working directory.
package templates

import (
	"embed"
	"io/fs"
)

//go:embed *.html
var files embed.FS

// FS returns the template files, at the root of the file system.
func FS() fs.FS { return files }

// Pattern matches every template file in FS.
const Pattern = "*.html"
