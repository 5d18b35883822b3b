package cli

import (
	"fmt"
	"os"
	"strings"

	"github.com/petfriendly/recon/reports"
)

// renderers are what a command draws its reports with: the chart library
// built into the binary and the PDF fonts found on this machine.
type renderers struct {
	charts reports.Charts
	fonts  reports.PDFFonts
}

// prepareRenderers runs before a command does any work. With html it takes
// the chart library, with pdf it finds the fonts; whatever is missing is
// said once on stderr, and the reports are written without it.
func (g *Globals) prepareRenderers(html, pdf bool) renderers {
	var r renderers
	if html {
		r.charts = g.Charts
		if !r.charts.Available() {
			fmt.Fprintln(g.Stderr, chartsNotice(g))
		}
	}
	if pdf {
		r.fonts = reports.FindPDFFonts(g.fontDirs())
		if r.fonts.Builtin() {
			fmt.Fprintln(g.Stderr, fontsNotice(g, r.fonts))
		}
	}
	return r
}

// fontDirs are the folders searched for the PDF fonts: --font-dir alone
// when given, else the usual places.
func (g *Globals) fontDirs() []string {
	if g.FontDir != "" {
		return []string{g.FontDir}
	}
	home, err := os.UserHomeDir()
	if err != nil {
		home = ""
	}
	return reports.FontDirs(home)
}

func chartsNotice(g *Globals) string {
	why := g.L.S("este binario de recon se compiló sin ECharts", "this recon binary was built without ECharts")
	if g.ChartsErr != nil {
		why = g.L.F("la biblioteca ECharts de este binario no se puede usar (%v)", "the ECharts library in this binary cannot be used (%v)", g.ChartsErr)
	}
	return g.L.F(
		"aviso: %s: los informes HTML se escriben sin gráficos, con un aviso en el lugar de cada uno (las tablas tienen todos los datos). Para incluirlos, ejecute `make assets` (necesita npm) y vuelva a compilar.",
		"notice: %s: the HTML reports are written without charts, with a notice in the place of each (the tables hold all the numbers). To include them, run `make assets` (needs npm) and rebuild.",
		why)
}

func fontsNotice(g *Globals, f reports.PDFFonts) string {
	where := g.L.S("las carpetas de fuentes habituales", "the usual font folders")
	if g.FontDir != "" {
		where = g.FontDir
	}
	msg := g.L.F(
		"aviso: no se encontraron fuentes TrueType para el PDF (DejaVu Sans, Liberation Sans, Noto Sans, FreeSans o Arial, normal y negrita) en %s: "+
			"el PDF usa la Helvetica incorporada, con el texto en español intacto y los demás símbolos transcritos (→ como ->). "+
			"Para usar DejaVu, instale fonts-dejavu-core (Debian, Ubuntu) o dejavu-sans-fonts (Fedora), o indique su carpeta con --font-dir o RECON_FONT_DIR.",
		"notice: no TrueType fonts for the PDF (DejaVu Sans, Liberation Sans, Noto Sans, FreeSans or Arial, regular and bold) in %s: "+
			"the PDF uses the built-in Helvetica, with Spanish text intact and other symbols spelled out (→ as ->). "+
			"To use DejaVu, install fonts-dejavu-core (Debian, Ubuntu) or dejavu-sans-fonts (Fedora), or give its folder with --font-dir or RECON_FONT_DIR.",
		where)
	if len(f.Skipped) > 0 {
		msg += g.L.F(" Archivos no usados: %s.", " Files not used: %s.", strings.Join(f.Skipped, "; "))
	}
	return msg
}
