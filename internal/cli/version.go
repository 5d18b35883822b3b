package cli

import (
	"context"
	"fmt"
	"runtime/debug"

	"github.com/petfriendly/recon/reports"
)

// VersionCmd prints recon's version and what its reports are drawn with:
// whether ECharts is built in, and the PDF fonts found on this machine.
type VersionCmd struct{}

func (c *VersionCmd) Run(ctx context.Context, g *Globals) error {
	v := "devel"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		v = bi.Main.Version
	}
	fmt.Fprintln(g.Stdout, "recon", v)
	switch {
	case g.ChartsErr != nil:
		fmt.Fprintln(g.Stdout, g.L.F("gráficos: no se pueden usar (%v)", "charts: cannot be used (%v)", g.ChartsErr))
	case g.Charts.Available() && g.Charts.Version() != "":
		fmt.Fprintln(g.Stdout, g.L.F("gráficos: ECharts %s incluido", "charts: ECharts %s embedded", g.Charts.Version()))
	case g.Charts.Available():
		fmt.Fprintln(g.Stdout, g.L.S("gráficos: ECharts incluido (versión desconocida)", "charts: ECharts embedded (unknown version)"))
	default:
		fmt.Fprintln(g.Stdout, g.L.S(
			"gráficos: no incluidos (compilado sin `make assets`); los informes HTML llevan un aviso en lugar de cada gráfico",
			"charts: not embedded (built without `make assets`); the HTML reports carry a notice in place of each chart"))
	}
	if f := reports.FindPDFFonts(g.fontDirs()); f.Builtin() {
		fmt.Fprintln(g.Stdout, g.L.S(
			"fuentes del PDF: Helvetica incorporada (no se encontró DejaVu Sans, Liberation Sans, Noto Sans, FreeSans ni Arial)",
			"PDF fonts: built-in Helvetica (no DejaVu Sans, Liberation Sans, Noto Sans, FreeSans or Arial found)"))
	} else {
		fmt.Fprintln(g.Stdout, g.L.F("fuentes del PDF: %s (%s)", "PDF fonts: %s (%s)", f.Family, f.Regular))
	}
	return nil
}
