package gen

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/petfriendly/recon/internal/i18n"
)

// When a small export has no rejected client or no unimported pet, the
// defects that want one fall back: the pickers say -1 and an orphan then
// points at a pet id no row has, so the importer still sees an orphan.
func TestPickersWithNothingToPick(t *testing.T) {
	g := &Generator{r: rand.New(rand.NewPCG(1, 2))}
	g.rows[tiPets], g.w[tiPets] = 40, 4
	if got := g.pickRejectedClient(); got != -1 {
		t.Errorf("pickRejectedClient = %d with no rejected client, want -1", got)
	}
	if got := g.pickBadPet(); got != -1 {
		t.Errorf("pickBadPet = %d with every pet imported, want -1", got)
	}
	if got := g.dupTarget(0, 0); got != -1 {
		t.Errorf("dupTarget of the first client = %d, want -1", got)
	}
	for range 20 {
		ref := g.unmappedPet()
		if ref.idx != -1 {
			t.Fatalf("unmappedPet = pet %d, want none", ref.idx)
		}
		n, err := strconv.Atoi(strings.TrimPrefix(ref.id, "P"))
		if !strings.HasPrefix(ref.id, "P") || (err == nil && n >= 1 && n <= g.rows[tiPets]) {
			t.Fatalf("unmappedPet id %q names an existing pet", ref.id)
		}
	}

	g.badPets = []int32{7}
	if ref := g.unmappedPet(); ref.idx != 7 || ref.id != "P0008" {
		t.Errorf("unmappedPet = %+v, want pet 7 (P0008)", ref)
	}
	g.rejClients = []int32{3}
	if got := g.pickRejectedClient(); got != 3 {
		t.Errorf("pickRejectedClient = %d, want 3", got)
	}
}

// A refusal with a code this version has no words for still names the
// code and the folder, in any language.
func TestUnknownRefusalCode(t *testing.T) {
	e := &Error{Code: "disk_full", Path: "/tmp/export"}
	for _, l := range []i18n.Lang{i18n.ES, i18n.EN} {
		if got := e.Text(l); got != "gen: disk_full /tmp/export" {
			t.Errorf("%s: Text = %q", l, got)
		}
	}
}
