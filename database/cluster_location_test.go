package database

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestLocate decides where a home's cluster lives from folders this test
// creates. The server's user is taken to be the current one (the folders'
// owner), so a folder is closed to it by removing the owner's search bit,
// whatever folders the test's temporary directory sits under.
func TestLocate(t *testing.T) {
	me := &syscall.Credential{Uid: uint32(os.Getuid()), Gid: uint32(os.Getgid())}
	root := "/managed/clusters"
	tests := []struct {
		name    string
		setup   func(t *testing.T, base string) (home string)
		cred    *syscall.Credential // nil: the server runs as the current user and needs nothing
		want    func(home string) string
		wantErr string
	}{
		{"server runs as the current user", func(t *testing.T, base string) string {
			return mkdir(t, base, "closed", 0o600) + "/home/pg"
		}, nil, same, ""},
		{"open folders", func(t *testing.T, base string) string {
			return mkdir(t, base, "open", 0o700) + "/home/pg"
		}, me, same, ""},
		{"a folder above closed", func(t *testing.T, base string) string {
			return mkdir(t, base, "closed", 0o600) + "/home/pg"
		}, me, managed(root), ""},
		{"searchable but not readable is enough", func(t *testing.T, base string) string {
			return mkdir(t, base, "x-only", 0o100) + "/home/pg"
		}, me, same, ""},
		{"a cluster already in the home stays there", func(t *testing.T, base string) string {
			home := mkdir(t, base, "closed", 0o755) + "/home/pg"
			mkdir(t, home, "data", 0o700)
			write(t, filepath.Join(home, "data", "PG_VERSION"), "15\n")
			chmod(t, filepath.Join(base, "closed"), 0o600)
			return home
		}, me, same, ""},
		{"the recorded location wins", func(t *testing.T, base string) string {
			home := mkdir(t, base, "open", 0o755) + "/home/pg"
			mkdir(t, home, "", 0o755)
			write(t, filepath.Join(home, "location"), root+"/0123456789abcdef\n")
			return home
		}, me, func(string) string { return root + "/0123456789abcdef" }, ""},
		{"a recorded location outside the managed root is refused", func(t *testing.T, base string) string {
			home := mkdir(t, base, "open", 0o755) + "/home/pg"
			mkdir(t, home, "", 0o755)
			write(t, filepath.Join(home, "location"), "/etc\n")
			return home
		}, me, nil, "not a folder of /managed/clusters"},
		{"a relative recorded location is refused", func(t *testing.T, base string) string {
			home := mkdir(t, base, "open", 0o755) + "/home/pg"
			mkdir(t, home, "", 0o755)
			write(t, filepath.Join(home, "location"), "clusters/x\n")
			return home
		}, nil, nil, "not a folder of"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := tt.setup(t, t.TempDir())
			got, err := locate(home, root, tt.cred)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("locate = %q, %v; want error %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if want := tt.want(home); got != want {
				t.Errorf("locate = %q, want %q", got, want)
			}
		})
	}
}

// fakeDir is a folder's FileInfo with the owner and group searchable needs.
type fakeDir struct {
	os.FileInfo
	mode     os.FileMode
	uid, gid uint32
}

func (f fakeDir) Mode() os.FileMode { return os.ModeDir | f.mode }
func (f fakeDir) Sys() any          { return &syscall.Stat_t{Uid: f.uid, Gid: f.gid} }

func TestSearchable(t *testing.T) {
	pg := &syscall.Credential{Uid: 101, Gid: 104}
	tests := []struct {
		name string
		dir  fakeDir
		want bool
	}{
		{"root's 0700 home", fakeDir{mode: 0o700, uid: 0, gid: 0}, false},
		{"world-searchable", fakeDir{mode: 0o711, uid: 0, gid: 0}, true},
		{"owned by postgres, owner may search", fakeDir{mode: 0o700, uid: 101, gid: 0}, true},
		{"owned by postgres, owner may not search", fakeDir{mode: 0o077, uid: 101, gid: 0}, false},
		{"postgres's group may search", fakeDir{mode: 0o750, uid: 0, gid: 104}, true},
		{"postgres's group may not, others may", fakeDir{mode: 0o701, uid: 0, gid: 104}, false},
		{"another group", fakeDir{mode: 0o750, uid: 0, gid: 5}, false},
	}
	for _, tt := range tests {
		if got := searchable(tt.dir, pg); got != tt.want {
			t.Errorf("%s: searchable = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func same(home string) string { return home }

func managed(root string) func(string) string {
	return func(home string) string { return managedDir(root, home) }
}

func mkdir(t *testing.T, parent, name string, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(parent, name)
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatal(err)
	}
	chmod(t, p, mode)
	return p
}

func chmod(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	// t.TempDir's cleanup must be able to enter it again.
	t.Cleanup(func() { os.Chmod(path, 0o755) })
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestManagedDirIsPerHome(t *testing.T) {
	a, b := managedDir("/r", "/root/x/.recon/pg"), managedDir("/r", "/root/y/.recon/pg")
	if a == b || filepath.Dir(a) != "/r" || a != managedDir("/r", "/root/x/.recon/pg") {
		t.Errorf("managed folders %q and %q: want one stable folder per home under /r", a, b)
	}
}
