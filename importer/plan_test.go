package importer

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestPlanReportsUnreadableEntries plans an export folder holding entries
// that cannot be imported: each is reported with its reason, the readable
// files are planned, and a folder that cannot be read is an error.
func TestPlanReportsUnreadableEntries(t *testing.T) {
	im := &Importer{opts: Options{Now: time.Now}}
	if _, _, _, err := im.plan(filepath.Join(t.TempDir(), "nonexistent")); err == nil ||
		!strings.HasPrefix(err.Error(), "read export folder: open ") || !strings.HasSuffix(err.Error(), "nonexistent: no such file or directory") {
		t.Errorf("missing folder: err = %v", err)
	}

	// A unix socket path must stay short: a fresh folder under /tmp.
	dir, err := os.MkdirTemp("", "plan")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.WriteFile(filepath.Join(dir, "clientes.csv"), []byte("id,nombre\nC1,Ana\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("nada.csv", filepath.Join(dir, "mascotas.csv")); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("unix", filepath.Join(dir, "vacunas.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()

	plan, unrecognised, unreadable, err := im.plan(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan) != 1 || plan[0].typ.Name != "clients" || filepath.Base(plan[0].path) != "clientes.csv" {
		t.Errorf("plan %+v, want clientes.csv only", plan)
	}
	if len(unrecognised) != 0 {
		t.Errorf("unrecognised %v", unrecognised)
	}
	tests := []struct {
		name, reason, detail string
	}{
		{"mascotas.csv", "not_regular", "cannot be read: lstat " + filepath.Join(dir, "nada.csv") + ": no such file or directory"},
		{"vacunas.csv", "not_regular", "is not a regular file (a socket)"},
	}
	for _, tt := range tests {
		p, ok := unreadable[tt.name]
		if !ok || p.Reason != tt.reason || p.Detail != tt.detail {
			t.Errorf("%s: %+v (reported %v), want %s: %q", tt.name, p, ok, tt.reason, tt.detail)
		}
	}
	if len(unreadable) != len(tests) {
		t.Errorf("unreadable %v", unreadable)
	}
}

func TestFileKind(t *testing.T) {
	tests := []struct {
		mode os.FileMode
		want string
	}{
		{os.ModeDir | 0o755, "a folder"},
		{os.ModeNamedPipe, "a named pipe"},
		{os.ModeSocket, "a socket"},
		{os.ModeDevice | os.ModeCharDevice, "a device"},
		{os.ModeSymlink, "a symbolic link"},
		{os.ModeIrregular, "a special file"},
	}
	for _, tt := range tests {
		if got := fileKind(tt.mode); got != tt.want {
			t.Errorf("fileKind(%v) = %q, want %q", tt.mode, got, tt.want)
		}
	}
}
