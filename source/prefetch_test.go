package source

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
)

// TestPrefetchSameStream checks the prefetcher yields exactly the Reader's
// records and errors, malformed rows included, then io.EOF for good.
func TestPrefetchSameStream(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,nombre,email\n")
	for i := range 1000 {
		switch {
		case i%97 == 0:
			fmt.Fprintf(&b, "C%d,\"bad \"quote\",x@y.co\n", i)
		case i%89 == 0:
			fmt.Fprintf(&b, "C%d,Solo dos\n", i)
		default:
			fmt.Fprintf(&b, "C%d,Ana %d,ana%d@x.co\n", i, i, i)
		}
	}
	p := writeFile(t, t.TempDir(), "clientes.csv", []byte(b.String()))
	type item struct {
		rec Record
		err string
	}
	read := func(next func() (Record, error)) []item {
		var out []item
		for {
			rec, err := next()
			if errors.Is(err, io.EOF) {
				return out
			}
			msg := ""
			if err != nil {
				var rowErr *RowError
				if !errors.As(err, &rowErr) {
					t.Fatal(err)
				}
				msg = err.Error()
			}
			out = append(out, item{rec, msg})
		}
	}
	r1, err := Open(p, Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	want := read(r1.Next)
	r1.Close()

	r2, err := Open(p, Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	pf := Prefetch(r2, 300)
	got := read(pf.Next)
	if _, err := pf.Next(); !errors.Is(err, io.EOF) {
		t.Errorf("after the end: %v, want io.EOF", err)
	}
	pf.Close()
	pf.Close()
	r2.Close()
	if len(got) != len(want) || len(want) < 1000 {
		t.Fatalf("prefetch gave %d records, reader %d", len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Fatalf("record %d differs:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

// TestPrefetchCloseEarly stops reading half-way without leaking the goroutine.
func TestPrefetchCloseEarly(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,nombre\n")
	for i := range 5000 {
		fmt.Fprintf(&b, "C%d,Ana\n", i)
	}
	p := writeFile(t, t.TempDir(), "clientes.csv", []byte(b.String()))
	r, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	pf := Prefetch(r, 1000)
	if _, err := pf.Next(); err != nil {
		t.Fatal(err)
	}
	pf.Close()
}
