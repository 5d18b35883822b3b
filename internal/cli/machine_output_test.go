package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestJSONToStdoutAlone: with --json=- stdout carries the JSON and nothing
// else, whatever other file is written; what the command says goes to
// stderr.
func TestJSONToStdoutAlone(t *testing.T) {
	t.Parallel()
	e := newReviewEnv(t)
	dir := t.TempDir()
	report, pdf, cmp := filepath.Join(dir, "r.html"), filepath.Join(dir, "r.pdf"), filepath.Join(dir, "c.html")
	tests := []struct {
		name     string
		args     []string
		wantCode int
		files    []string
		wantErr  string // a message that must be on stderr
	}{
		{"verify", []string{"verify", "--json=-", "--report=" + report, "--pdf=" + pdf}, -1, []string{report, pdf}, "HTML escrito en " + report},
		{"verify again", []string{"verify", "--json=-"}, -1, nil, ""},
		{"report", []string{"report", "--json=-", "--html=" + report}, 0, []string{report}, "HTML escrito en " + report},
		{"compare", []string{"compare", "--json=-", "--output=" + cmp}, 0, []string{cmp}, "HTML escrito en " + cmp},
	}
	for _, tt := range tests {
		for _, f := range tt.files {
			os.Remove(f)
		}
		code, out, errs := e.run(t, nil, tt.args...)
		if tt.wantCode >= 0 && code != tt.wantCode || code == ExitError {
			t.Errorf("%s: exit %d\n%s", tt.name, code, errs)
		}
		var v map[string]any
		if err := json.Unmarshal([]byte(out), &v); err != nil || len(v) == 0 {
			t.Errorf("%s: stdout is not one JSON object (%v):\n%s", tt.name, err, out)
		}
		if !strings.Contains(errs, tt.wantErr) {
			t.Errorf("%s: stderr lacks %q:\n%s", tt.name, tt.wantErr, errs)
		}
		for _, f := range tt.files {
			if st, err := os.Stat(f); err != nil || st.Size() == 0 {
				t.Errorf("%s: %s not written (%v)", tt.name, f, err)
			}
		}
	}
	// Without --json=- the comparison's summary is on the terminal.
	code, out, errs := e.run(t, nil, "compare", "--output="+cmp)
	for _, want := range []string{"Ejecuciones comparadas:", "importación", "verificación", "#1 → #2"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("compare: exit %d, stdout lacks %q:\n%s%s", code, want, out, errs)
		}
	}
	// Each run keeps its import and verify durations.
	if strings.Contains(out, "importación —") || strings.Contains(out, "verificación —") {
		t.Errorf("compare: a run without durations:\n%s", out)
	}
}
