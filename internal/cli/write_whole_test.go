package cli

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/petfriendly/recon/internal/i18n"
)

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

// Outputs are written whole or not at all: a report that fails to render
// leaves no file of any output, and stdout that cannot be written is named
// in the error.
func TestWriteWholeFailures(t *testing.T) {
	dir := t.TempDir()
	html := filepath.Join(dir, "r.html")
	good := func(w io.Writer) error { _, err := io.WriteString(w, "{}"); return err }
	bad := func(io.Writer) error { return errors.New("template: no such field") }
	tests := []struct {
		name    string
		lang    i18n.Lang
		stdout  io.Writer
		outs    []output
		wantErr string
	}{
		{"render fails", i18n.EN, &bytes.Buffer{},
			[]output{{flag: "--report", kind: "HTML", path: html, render: good}, {flag: "--json", kind: "JSON", path: "-", render: bad}},
			"not written: JSON (--json -): template: no such field"},
		{"stdout closed", i18n.ES, failingWriter{},
			[]output{{flag: "--json", kind: "JSON", path: "-", render: good}},
			"no se escribió: JSON (--json -): broken pipe"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var errb bytes.Buffer
			g := &Globals{L: tt.lang, Stdout: tt.stdout, Stderr: &errb}
			err := writeWhole(g, tt.outs)
			if err == nil || err.Error() != tt.wantErr {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			if _, err := os.Stat(html); !os.IsNotExist(err) {
				t.Errorf("%s written although another output failed", html)
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != 0 {
				t.Errorf("left behind: %v", entries)
			}
		})
	}
}

// Any of the PG* variables points recon at the user's own server, as
// does --database-url; without them recon uses its private cluster.
func TestUsesExternalDB(t *testing.T) {
	for _, k := range []string{"PGHOST", "PGDATABASE", "PGSERVICE", "PGPORT"} {
		t.Setenv(k, "")
	}
	if (&Globals{}).usesExternalDB() {
		t.Error("no URL and no PG* variable: external")
	}
	if !(&Globals{DatabaseURL: "postgres://db/x"}).usesExternalDB() {
		t.Error("--database-url: not external")
	}
	t.Setenv("PGSERVICE", "clinic")
	if !(&Globals{}).usesExternalDB() {
		t.Error("PGSERVICE set: not external")
	}
}
