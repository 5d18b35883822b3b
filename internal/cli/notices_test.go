package cli

import (
	"errors"
	"strings"
	"testing"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/reports"
)

// The notices about missing charts and fonts say why: a chart library
// that cannot be used is named with its error, and font files found but
// not usable are listed.
func TestNoticesSayWhy(t *testing.T) {
	g := &Globals{L: i18n.EN, ChartsErr: errors.New("assets/echarts.min.js: echarts library is empty")}
	if got := chartsNotice(g); !strings.HasPrefix(got,
		"notice: the ECharts library in this binary cannot be used (assets/echarts.min.js: echarts library is empty): the HTML reports are written without charts") {
		t.Errorf("charts notice %q", got)
	}
	g = &Globals{L: i18n.ES, FontDir: "/srv/fuentes"}
	got := fontsNotice(g, reports.PDFFonts{Skipped: []string{"/srv/fuentes/Arial.ttf: no bold", "/srv/fuentes/x.ttf: truncated"}})
	for _, w := range []string{"en /srv/fuentes:", " Archivos no usados: /srv/fuentes/Arial.ttf: no bold; /srv/fuentes/x.ttf: truncated."} {
		if !strings.Contains(got, w) {
			t.Errorf("fonts notice lacks %q: %q", w, got)
		}
	}
}
