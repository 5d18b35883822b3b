package cli

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readProfile fails t unless path holds a gzip-compressed pprof profile.
func readProfile(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("profile not written: %v", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s is not a gzip-compressed profile: %v", path, err)
	}
	b, err := io.ReadAll(zr)
	if err != nil || len(b) == 0 {
		t.Fatalf("%s: %d bytes, %v", path, len(b), err)
	}
}

// TestProfilesFromEnvironment: RECON_CPUPROFILE and RECON_MEMPROFILE write
// pprof profiles around the command, and a profile that cannot be written
// is reported without failing the command.
func TestProfilesFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	cpu, mem := filepath.Join(dir, "cpu.pprof"), filepath.Join(dir, "mem.pprof")
	t.Setenv("RECON_CPUPROFILE", cpu)
	t.Setenv("RECON_MEMPROFILE", mem)
	var out, errb bytes.Buffer
	if code := Run(context.Background(), []string{"version"}, &out, &errb); code != 0 || errb.Len() != 0 {
		t.Fatalf("version with profiles: exit %d, stderr %q", code, errb.String())
	}
	readProfile(t, cpu)
	readProfile(t, mem)

	missing := filepath.Join(dir, "no-existe")
	t.Setenv("RECON_CPUPROFILE", filepath.Join(missing, "cpu.pprof"))
	t.Setenv("RECON_MEMPROFILE", filepath.Join(missing, "mem.pprof"))
	out.Reset()
	errb.Reset()
	code := Run(context.Background(), []string{"version"}, &out, &errb)
	if code != 0 || !strings.Contains(out.String(), "recon") {
		t.Fatalf("a profile that cannot be written failed the command: exit %d\n%s", code, out.String())
	}
	want := "recon: RECON_CPUPROFILE: open " + filepath.Join(missing, "cpu.pprof") + ": no such file or directory\n" +
		"recon: RECON_MEMPROFILE: open " + filepath.Join(missing, "mem.pprof") + ": no such file or directory\n"
	if errb.String() != want {
		t.Errorf("stderr %q, want %q", errb.String(), want)
	}
}
