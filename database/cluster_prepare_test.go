package database

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// server is a server user other than root, as when recon runs as root and
// the postgres user runs the server.
var serverUser = &syscall.Credential{Uid: 64123, Gid: 64123}

// TestPrepareManaged creates a relocated cluster's folders under a managed
// root, and fails, naming the folder, when one of them cannot be made or is
// not root's. Only root manages clusters for another user.
func TestPrepareManaged(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("the managed folder is root's: run as root")
	}
	tests := []struct {
		name  string
		setup func(t *testing.T, base string) // base/managed/clusters is the root, base/home the home
		err   string                          // "%b" is base
	}{
		{"fresh", func(t *testing.T, base string) {}, ""},
		{"folders closed to the server user are opened", func(t *testing.T, base string) {
			mkdir(t, base, "managed/clusters", 0o700)
			chmod(t, filepath.Join(base, "managed"), 0o700)
		}, ""},
		{"root under a file", func(t *testing.T, base string) {
			write(t, filepath.Join(base, "managed"), "")
		}, "create %b/managed/clusters: mkdir %b/managed: not a directory"},
		{"managed folder owned by another user", func(t *testing.T, base string) {
			mkdir(t, base, "managed/clusters", 0o755)
			if err := os.Chown(filepath.Join(base, "managed"), 64123, 64123); err != nil {
				t.Fatal(err)
			}
		}, "%b/managed must be a folder owned by root"},
		{"root is a symbolic link", func(t *testing.T, base string) {
			mkdir(t, base, "managed", 0o755)
			mkdir(t, base, "elsewhere", 0o755)
			if err := os.Symlink(filepath.Join(base, "elsewhere"), filepath.Join(base, "managed", "clusters")); err != nil {
				t.Fatal(err)
			}
		}, "%b/managed/clusters must be a folder owned by root"},
		{"home under a file", func(t *testing.T, base string) {
			write(t, filepath.Join(base, "home"), "")
		}, "create %b/home/pg: mkdir %b/home: not a directory"},
		{"cluster folder is a file", func(t *testing.T, base string) {
			mkdir(t, base, "managed/clusters", 0o755)
			write(t, filepath.Join(base, "managed/clusters/c1"), "")
		}, "create %b/managed/clusters/c1: mkdir %b/managed/clusters/c1: not a directory"},
		{"home name taken by a folder", func(t *testing.T, base string) {
			mkdir(t, base, "managed/clusters/c1/home", 0o755)
		}, "name the home of %b/managed/clusters/c1: open %b/managed/clusters/c1/home: is a directory"},
		{"location taken by a folder", func(t *testing.T, base string) {
			mkdir(t, base, "home/pg/location", 0o755)
		}, "record cluster location: open %b/home/pg/location: is a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := t.TempDir()
			tt.setup(t, base)
			c := &Cluster{Dir: filepath.Join(base, "managed/clusters/c1"), Home: filepath.Join(base, "home/pg")}
			err := c.prepareManaged(serverUser)
			if tt.err != "" {
				want := strings.ReplaceAll(tt.err, "%b", base)
				if err == nil || err.Error() != want {
					t.Fatalf("err = %v, want %q", err, want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range []string{filepath.Join(base, "managed"), filepath.Join(base, "managed/clusters")} {
				fi, err := os.Stat(d)
				if err != nil || !searchable(fi, serverUser) {
					t.Errorf("%s: %v, searchable by the server user %v", d, err, err == nil && searchable(fi, serverUser))
				}
			}
			if b, err := os.ReadFile(filepath.Join(c.Dir, homeFile)); err != nil || string(b) != c.Home+"\n" {
				t.Errorf("home file %q, %v", b, err)
			}
			if b, err := os.ReadFile(c.LocationFile()); err != nil || string(b) != c.Dir+"\n" {
				t.Errorf("location file %q, %v", b, err)
			}
			if got, err := readLocation(c.Home, filepath.Dir(c.Dir)); err != nil || got != c.Dir {
				t.Errorf("readLocation = %q, %v", got, err)
			}
		})
	}
}

// TestPrepareDirs creates the cluster and socket folders for the server
// user, and refuses a cluster whose folder the server user cannot reach.
func TestPrepareDirs(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("handing folders to another user needs root")
	}
	tests := []struct {
		name  string
		setup func(t *testing.T, base string) // the cluster is base/a/pg
		err   string
	}{
		{"fresh", func(t *testing.T, base string) {}, ""},
		{"parent under a file", func(t *testing.T, base string) {
			write(t, filepath.Join(base, "a"), "")
		}, "create %b/a: mkdir %b/a: not a directory"},
		{"socket folder is a file", func(t *testing.T, base string) {
			mkdir(t, base, "a/pg", 0o700)
			write(t, filepath.Join(base, "a/pg/run"), "")
		}, "create %b/a/pg/run: mkdir %b/a/pg/run: not a directory"},
		{"a folder above closed", func(t *testing.T, base string) {
			mkdir(t, base, "a", 0o700)
		}, "folder %b/a is not searchable by the postgres user (mode -rwx------) and the cluster in %b/a/pg was created there; use another --home"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// t.TempDir and the folder it sits in are closed (0700).
			base := t.TempDir()
			chmod(t, filepath.Dir(base), 0o755)
			chmod(t, base, 0o755)
			tt.setup(t, base)
			c := &Cluster{Dir: filepath.Join(base, "a/pg")}
			err := c.prepareDirs(serverUser)
			if tt.err != "" {
				want := strings.ReplaceAll(tt.err, "%b", base)
				if err == nil || err.Error() != want {
					t.Fatalf("err = %v, want %q", err, want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range []string{c.Dir, c.SocketDir()} {
				fi, err := os.Stat(d)
				if err != nil {
					t.Fatal(err)
				}
				st := fi.Sys().(*syscall.Stat_t)
				if st.Uid != serverUser.Uid || st.Gid != serverUser.Gid || fi.Mode().Perm() != 0o700 {
					t.Errorf("%s: owner %d:%d mode %v, want the server user's, 0700", d, st.Uid, st.Gid, fi.Mode().Perm())
				}
			}
		})
	}
}
