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
