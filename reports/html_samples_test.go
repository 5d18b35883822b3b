package reports

import (
	"strings"
	"testing"
)

// TestSamplesFold: spot-check cards that match are folded away, and the
// ones with a difference open, so the page stays short and the problem
// shows.
func TestSamplesFold(t *testing.T) {
	r := fixture(t)
	page := renderFixture(t, r, HTMLOptions{Now: fixedNow})
	closed := strings.Count(page, `<details class="sample">`)
	open := strings.Count(page, `<details class="sample" open>`)
	match := 0
	for _, s := range r.Samples {
		if s.Match {
			match++
		}
	}
	if closed != match || open != len(r.Samples)-match {
		t.Errorf("%d folded and %d open cards, want %d and %d", closed, open, match, len(r.Samples)-match)
	}
	if strings.Contains(page, `<div class="sample">`) {
		t.Error("a spot-check card does not fold")
	}
}

// TestHTMLResolutions: the report says who resolved the quality issues and
// how, and lists the resolved critical ones.
func TestHTMLResolutions(t *testing.T) {
	page := renderFixture(t, fixture(t), HTMLOptions{Now: fixedNow})
	for _, want := range []string{`<table id="resolutions-table">`, "Cómo se resolvieron",
		"<td>crítico</td><td>Dr. Pablo Ramírez</td><td>aceptado: mascotas de clientes dados de baja en 2019, no se migran</td><td class=\"num\">16</td>",
		"Los 18 problemas críticos resueltos, uno por uno", "<code>C-0877</code>"} {
		if !strings.Contains(page, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
}
