package reports

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// fakeNpm is an npm whose `pack` serves a tarball of echarts that is not
// the pinned release.
const fakeNpm = `#!/bin/sh
v="${3#echarts@}"
mkdir -p package/dist
printf 'var echarts={version:"%s"};' "$v" >package/dist/echarts.min.js
tar -czf "echarts-$v.tgz" package
rm -rf package
`

// toolDir links the commands the script uses into one folder, so a test
// controls whether npm is on PATH.
func toolDir(t *testing.T, npm bool) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"sh", "sha256sum", "cut", "dirname", "mkdir", "mktemp", "tar", "gzip", "rm", "cp", "mv", "wc", "printf"} {
		p, err := exec.LookPath(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := os.Symlink(p, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	if npm {
		if err := os.WriteFile(filepath.Join(dir, "npm"), []byte(fakeNpm), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestFetchEChartsScript runs reports/fetch-echarts.sh with a fake npm:
// a file that is not the pinned release is refused loudly and never
// installed, and without npm --optional lets the build go on.
func TestFetchEChartsScript(t *testing.T) {
	tests := []struct {
		name     string
		npm      bool
		args     []string
		stale    bool // a file with another hash is already in place
		wantCode int
		wantOut  string
		wantErr  string
	}{
		{"mismatch", true, nil, false, 1, "", "SHA-256 MISMATCH for echarts@6.1.0"},
		{"optional does not excuse a mismatch", true, []string{"--optional"}, false, 1, "", "The file was NOT installed"},
		{"stale file is not accepted", true, nil, true, 1, "", "expected b66b25aeb4df84e33199dc21694014d336d222cbd9deb0e5a7c14bd6aa0d0fd0"},
		{"check without the file", true, []string{"--check"}, false, 1, "", ""},
		{"check with a stale file", false, []string{"--check"}, true, 1, "", ""},
		{"no npm", false, nil, false, 1, "", "npm not found; install it"},
		{"no npm, optional", false, []string{"--optional"}, false, 0, "recon is built WITHOUT charts", ""},
		{"bad argument", false, []string{"--force"}, false, 2, "", "usage:"},
	}
	script, err := filepath.Abs("fetch-echarts.sh")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dest := filepath.Join(t.TempDir(), "assets", "echarts.min.js")
			if tt.stale {
				if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(dest, []byte("var echarts={version:'5.0.0'};"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			tools := toolDir(t, tt.npm)
			cmd := exec.Command(filepath.Join(tools, "sh"), append([]string{script}, tt.args...)...)
			cmd.Env = []string{"PATH=" + tools, "ECHARTS_DEST=" + dest, "HOME=" + t.TempDir(), "TMPDIR=" + t.TempDir()}
			var out, errb bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errb
			err := cmd.Run()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tt.wantCode || !strings.Contains(out.String(), tt.wantOut) || !strings.Contains(errb.String(), tt.wantErr) {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.wantCode, out.String(), errb.String())
			}
			b, err := os.ReadFile(dest)
			switch {
			case tt.stale && string(b) != "var echarts={version:'5.0.0'};":
				t.Errorf("the stale file was replaced by %q (%v)", b, err)
			case !tt.stale && err == nil:
				t.Errorf("a file was installed: %.60q", b)
			}
			if parts, _ := filepath.Glob(filepath.Join(filepath.Dir(dest), ".*")); len(parts) > 0 {
				t.Errorf("left behind %v", parts)
			}
		})
	}
}
