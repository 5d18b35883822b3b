package cli

import (
	"bytes"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/petfriendly/recon/internal/i18n"
)

// TestLineProgress: without a terminal, progress is a plain line for the
// logs, at most every 5 seconds and only on a thousand rows, with the rate.
func TestLineProgress(t *testing.T) {
	start := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	now := start
	var errb bytes.Buffer
	g := &Globals{Stderr: &errb, Now: func() time.Time { return now }, L: i18n.ES}
	newProgress := g.progressFactory()
	if newProgress == nil {
		t.Fatal("no progress without --quiet")
	}
	p := newProgress("pets", "mascotas.csv")
	steps := []struct {
		advance time.Duration
		add     int
		want    string // "" : nothing printed
	}{
		{time.Second, 999, ""},
		{10 * time.Second, 1, "mascotas (mascotas.csv): 1.000 filas (91 filas/s)\n"}, // 1,000 rows in 11 s
		{time.Second, 1000, ""},     // within 5 s of the last line
		{10 * time.Second, 500, ""}, // not on a thousand
		{0, 500, "mascotas (mascotas.csv): 3.000 filas (136 filas/s)\n"}, // 3,000 rows in 22 s
	}
	for i, s := range steps {
		now = now.Add(s.advance)
		errb.Reset()
		p.Add(s.add)
		if got := errb.String(); got != s.want {
			t.Errorf("step %d: printed %q, want %q", i, got, s.want)
		}
	}
	p.Finish()
	if errb.Len() != len(steps[len(steps)-1].want) {
		t.Errorf("Finish printed %q", errb.String())
	}
	for _, q := range []*Globals{{Quiet: true}, {NoProgress: true}} {
		if q.progressFactory() != nil {
			t.Errorf("progress with quiet=%v no-progress=%v", q.Quiet, q.NoProgress)
		}
	}
}

// TestConfirmed: only an explicit yes, in either language and any case or
// accent, confirms; no input at all never does.
func TestConfirmed(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"s\n", true}, {"Sí\n", true}, {"SI", true}, {"y\n", true}, {" yes \n", true},
		{"\n", false}, {"n\n", false}, {"no\n", false}, {"sip\n", false}, {"", false},
	}
	for _, tt := range tests {
		if got := confirmed(strings.NewReader(tt.in)); got != tt.want {
			t.Errorf("confirmed(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
	if confirmed(nil) {
		t.Error("no input confirmed")
	}
}

func TestCell(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"corto", 10, "corto"},
		{"línea\r\nnueva\tcon\rretornos\n", 40, "línea⏎nueva con⏎retornos⏎"},
		{"ñandú ñandú", 6, "ñandú…"},
	}
	for _, tt := range tests {
		if got := cell(tt.in, tt.max); got != tt.want {
			t.Errorf("cell(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

// TestProgressOfFilesAtOnce: files of independent types report progress
// from their own goroutines; every line stays whole and names its file
// (run with -race, the suite's default, this also proves the sharing safe).
func TestProgressOfFilesAtOnce(t *testing.T) {
	var mu sync.Mutex
	start := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	calls := 0
	var errb bytes.Buffer
	g := &Globals{Stderr: &errb, L: i18n.EN, Now: func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		calls++ // every call is 6 s later: each thousand rows prints a line
		return start.Add(time.Duration(calls) * 6 * time.Second)
	}}
	newProgress := g.progressFactory()
	var wg sync.WaitGroup
	for _, f := range []struct{ typ, file string }{{"clients", "clientes.csv"}, {"products", "productos.csv"}, {"pets", "mascotas.csv"}} {
		p := newProgress(f.typ, f.file)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5000 {
				p.Add(1)
			}
			p.Finish()
		}()
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSuffix(errb.String(), "\n"), "\n")
	if len(lines) != 15 {
		t.Fatalf("%d lines, want 5 per file:\n%s", len(lines), errb.String())
	}
	line := regexp.MustCompile(`^(clients \(clientes\.csv\)|products \(productos\.csv\)|pets \(mascotas\.csv\)): [1-5],000 rows \(\d+ rows/s\)$`)
	for _, l := range lines {
		if !line.MatchString(l) {
			t.Errorf("line %q", l)
		}
	}
}
