package signoff

import (
	"slices"
	"testing"
	"time"

	"github.com/petfriendly/recon/reconcile"
)

func TestChangedTables(t *testing.T) {
	tc := func(table string, rows int, sum string) reconcile.TableContent {
		return reconcile.TableContent{Table: table, Rows: rows, SHA256: sum}
	}
	cases := []struct {
		name          string
		before, after []reconcile.TableContent
		want          []string
	}{
		{"same", []reconcile.TableContent{tc("pets_pet", 2, "a"), tc("clients", 1, "b")},
			[]reconcile.TableContent{tc("clients", 1, "b"), tc("pets_pet", 2, "a")}, nil},
		{"hash moved", []reconcile.TableContent{tc("pets_pet", 2, "a"), tc("clients", 1, "b")},
			[]reconcile.TableContent{tc("pets_pet", 2, "x"), tc("clients", 1, "b")}, []string{"pets_pet"}},
		{"rows moved", []reconcile.TableContent{tc("pets_pet", 2, "a")}, []reconcile.TableContent{tc("pets_pet", 3, "a")}, []string{"pets_pet"}},
		{"table gone and new", []reconcile.TableContent{tc("z_old", 1, "a"), tc("b", 1, "b")},
			[]reconcile.TableContent{tc("b", 1, "b"), tc("a_new", 1, "c")}, []string{"a_new", "z_old"}},
	}
	for _, c := range cases {
		if got := ChangedTables(c.before, c.after); !slices.Equal(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

func TestParsePDFDate(t *testing.T) {
	cases := []struct {
		in   string
		want time.Time
	}{
		{"D:20261129051708Z", time.Date(2026, 11, 29, 5, 17, 8, 0, time.UTC)},
		{"D:20261129051708", time.Date(2026, 11, 29, 5, 17, 8, 0, time.UTC)},
		{"D:20261129001708-05'00'", time.Date(2026, 11, 29, 5, 17, 8, 0, time.UTC)},
		{"D:20261129101708+05'00", time.Date(2026, 11, 29, 5, 17, 8, 0, time.UTC)},
		{"D:2026", time.Time{}},
		{"D:2026112905170x", time.Time{}},
		{"D:20261129051708+xx", time.Time{}},
	}
	for _, c := range cases {
		if got := parsePDFDate(c.in); !got.Equal(c.want) {
			t.Errorf("parsePDFDate(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestCoversWhole(t *testing.T) {
	file := []byte("AAAA<0a1B>BB")
	cases := []struct {
		name string
		br   []int64
		ok   bool
	}{
		{"whole", []int64{0, 4, 10, 2}, true},
		{"short of the end", []int64{0, 4, 10, 1}, false},
		{"not from the start", []int64{1, 3, 10, 2}, false},
		{"gap is not the contents", []int64{0, 3, 10, 2}, false},
		{"three numbers", []int64{0, 4, 10}, false},
	}
	for _, c := range cases {
		if msg := coversWhole(file, c.br); (msg == "") != c.ok {
			t.Errorf("%s: coversWhole = %q", c.name, msg)
		}
	}
}

func TestInspectNotAPDF(t *testing.T) {
	if s := Inspect([]byte("not a pdf"), nil); s.Status != Invalid || s.OK() {
		t.Errorf("garbage is %s", s.Status)
	}
}
