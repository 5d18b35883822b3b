package cli

import (
	"strings"
	"testing"

	"github.com/petfriendly/recon/internal/pgtest"
)

// `db set clinic=` clears the setting and says so; --quiet stores without
// a word; each step is seen by the listing that follows.
func TestDBSetClearsAndQuiet(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	steps := []struct {
		args    []string
		wantOut string // "" : stdout must be empty
	}{
		{[]string{"--quiet", "db", "set", "clinic=Clínica Norte", "--by", "ana"}, ""},
		{[]string{"--lang", "en", "db", "set"}, "clinic  Clínica Norte"},
		{[]string{"--lang", "en", "db", "set", "clinic=  "}, "Setting clinic cleared.\n"},
		{[]string{"db", "set", "CLINIC="}, "Ajuste clinic borrado.\n"},
		{[]string{"--lang", "en", "db", "set"}, "No settings stored."},
	}
	for _, s := range steps {
		code, out, errs := run(t, append([]string{"--database-url", db.URL}, s.args...)...)
		if code != 0 || (s.wantOut == "") != (out == "") || !strings.Contains(out, s.wantOut) {
			t.Errorf("%v: exit %d, stdout %q, want %q\nstderr: %s", s.args, code, out, s.wantOut, errs)
		}
	}
}
