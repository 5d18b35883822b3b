package cli

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSignoffUnreadableFiles: a file that exists but cannot be read (here
// /proc/self/mem, whose first page is not mapped) stops every signoff
// command with the path and the system's error, in either language,
// before anything is written.
func TestSignoffUnreadableFiles(t *testing.T) {
	const mem = "/proc/self/mem"
	if _, err := os.Stat(mem); err != nil {
		t.Fatalf("this test needs Linux's %s: %v", mem, err)
	}
	dir := t.TempDir()
	plain := filepath.Join(dir, "plain.txt")
	if err := os.WriteFile(plain, []byte("not read far"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "firmado.pdf")
	const want = "recon: read /proc/self/mem: read /proc/self/mem: input/output error\n"
	tests := []struct {
		name string
		args []string
	}{
		{"sign: the PDF", []string{"signoff", "sign", "--p12", plain, "--out", out, mem}},
		{"sign in english: the p12", []string{"--lang", "en", "signoff", "sign", "--p12", mem, "--out", out, plain}},
		{"check: the PDF", []string{"signoff", "check", mem}},
		{"check: the authority", []string{"signoff", "check", "--ca", mem, plain}},
		{"record in english: the PDF", []string{"--lang", "en", "signoff", "record", mem}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := run(t, tt.args...)
			if code != ExitError || stdout != "" || stderr != want {
				t.Errorf("exit %d, stdout %q, stderr %q; want %d, nothing, %q", code, stdout, stderr, ExitError, want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%s written", out)
			}
		})
	}
}
