package bench

import (
	"strings"
	"testing"
)

// pgloader reaches a TCP server by host and port and a local cluster by
// its socket folder; a malformed URL is an error, not a guessed target.
func TestPGLoaderURLHosts(t *testing.T) {
	tests := []struct {
		url     string
		want    string
		wantErr bool
	}{
		{"postgres://ana@db.example:6543/recon", "pgsql://ana@db.example:6543/bench_pgloader", false},
		{"postgres://postgres@/recon?host=/run/pg", "pgsql://postgres@unix:/run/pg:5432/bench_pgloader", false},
		{"postgres://ana@db:notaport/recon", "", true},
	}
	for _, tt := range tests {
		got, err := PGLoaderURL(tt.url, "bench_pgloader")
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("PGLoaderURL(%q) = %q, %v; want %q, error %v", tt.url, got, err, tt.want, tt.wantErr)
		}
	}
}

// The newest PostgreSQL ranks first: versions compare as numbers.
func TestPGVersion(t *testing.T) {
	tests := []struct {
		dir  string
		want float64
	}{
		{"/usr/lib/postgresql/15/bin", 15},
		{"/usr/lib/postgresql/9.6/bin", 9.6},
		{"/usr/lib/postgresql/latest/bin", 0},
	}
	for _, tt := range tests {
		if got := pgVersion(tt.dir); got != tt.want {
			t.Errorf("pgVersion(%q) = %v, want %v", tt.dir, got, tt.want)
		}
	}
}

// Messages keep the end of a long output, where a tool says what failed.
func TestTail(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"0123456789error: disk full", 16, "error: disk full"},
		{"", 4, ""},
	}
	for _, tt := range tests {
		if got := tail([]byte(tt.in), tt.n); got != tt.want {
			t.Errorf("tail(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

// Only a line naming --max-xlsx-mb counts as recon refusing the workbook.
func TestLimitLine(t *testing.T) {
	tests := []struct{ out, want string }{
		{"leyendo\n  recon: clientes.xlsx mide 80 MB descomprimido; el límite es 64 MB (--max-xlsx-mb)  \notra\n",
			"recon: clientes.xlsx mide 80 MB descomprimido; el límite es 64 MB (--max-xlsx-mb)"},
		{"recon: connection refused\n", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := limitLine([]byte(tt.out)); got != tt.want {
			t.Errorf("limitLine(%q) = %q, want %q", tt.out, got, tt.want)
		}
	}
}

// Each step has a readable name in the document; an unknown step keeps
// its own.
func TestStepLabel(t *testing.T) {
	for _, step := range []string{StepFloor, StepPGLoader, StepSchema, StepImport, StepVerify} {
		if got := stepLabel(step); got == step || got == "" {
			t.Errorf("stepLabel(%q) = %q, want a description", step, got)
		}
	}
	if got := stepLabel("xlsx"); got != "xlsx" {
		t.Errorf("stepLabel(xlsx) = %q", got)
	}
}

// The scaling table's growth line says 0 for a step the smallest scale
// did not measure instead of dividing by zero, and the notes are listed
// with the machine.
func TestRenderScalingWithoutBaseline(t *testing.T) {
	ms := func(sec float64, rssK int64) []Measurement {
		return []Measurement{{Seconds: sec, MaxRSSK: rssK, ExitOK: true}}
	}
	res := &Result{Reps: 1, Command: "make bench", Notes: []string{"pgloader not installed"},
		Scales: []ScaleResult{
			{Scale: 5, Rows: 100, Steps: map[string][]Measurement{StepFloor: ms(1, 0), StepImport: ms(0, 0), StepVerify: ms(2, 2048)}},
			{Scale: 50, Rows: 1000, Steps: map[string][]Measurement{StepFloor: ms(4, 0), StepImport: ms(30, 4096), StepVerify: ms(10, 8192)}},
		}}
	got := RenderScaling(res)
	for _, want := range []string{"- Note: pgloader not installed\n",
		"From scale 5 to 50: rows × 10.0; floor time × 4.0; import time × 0.0, import peak RSS × 0.00; verify time × 5.0, verify peak RSS × 4.00."} {
		if !strings.Contains(got, want) {
			t.Errorf("RenderScaling lacks %q:\n%s", want, got)
		}
	}
}
