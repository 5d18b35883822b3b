package database

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// DefaultManagedRoot holds the clusters recon keeps outside their home: as
// root the server runs as the postgres user, and when that user cannot reach
// the home (a clone under /root, mode 0700) the cluster lives here instead,
// one folder per home. recon never changes the permissions of the user's
// folders to make the home reachable.
const DefaultManagedRoot = "/var/lib/recon/clusters"

// locationFile, inside the home's cluster folder ($RECON_HOME/pg), records
// where a cluster kept outside the home lives.
const locationFile = "location"

// homeFile, inside a managed cluster folder, names the home it belongs to,
// so an administrator can tell the folders of DefaultManagedRoot apart.
const homeFile = "home"

// LocationFile is the file recording where the cluster lives when it is kept
// outside the home.
func (c *Cluster) LocationFile() string { return filepath.Join(c.Home, locationFile) }

// Relocated reports whether the cluster lives outside its home folder.
func (c *Cluster) Relocated() bool { return c.Home != "" && c.Dir != c.Home }

// managedDir is the folder under root for the home folder home: named by a
// hash of the home's absolute path, so a home always finds its own.
func managedDir(root, home string) string {
	sum := sha256.Sum256([]byte(home))
	return filepath.Join(root, hex.EncodeToString(sum[:8]))
}

// locate says where the cluster of home lives: where its location file
// points, else in the home when the server's user (cred; nil when it is the
// current user) can reach it or a cluster is already there, else in the
// managed folder for that home.
func locate(home, root string, cred *syscall.Credential) (string, error) {
	recorded, err := readLocation(home, root)
	if err != nil || recorded != "" {
		return recorded, err
	}
	if cred == nil {
		return home, nil
	}
	if _, err := os.Stat(filepath.Join(home, "data", "PG_VERSION")); err == nil {
		return home, nil
	}
	if blocked, err := firstBlockedParent(home, cred); err != nil {
		return "", err
	} else if blocked == "" {
		return home, nil
	}
	return managedDir(root, home), nil
}

// readLocation returns the folder recorded in home's location file, "" when
// there is none. Only a folder directly under root is accepted: recon, as
// root, hands that folder to the postgres user.
func readLocation(home, root string) (string, error) {
	b, err := os.ReadFile(filepath.Join(home, locationFile))
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read cluster location: %w", err)
	}
	dir := strings.TrimSpace(string(b))
	if !filepath.IsAbs(dir) || filepath.Dir(filepath.Clean(dir)) != filepath.Clean(root) {
		return "", fmt.Errorf("%s names %q, which is not a folder of %s", filepath.Join(home, locationFile), dir, root)
	}
	return filepath.Clean(dir), nil
}

// firstBlockedParent returns the nearest existing folder above dir that the
// user cred cannot search (enter), "" when every one lets it through.
// Folders not created yet are skipped: recon creates them.
func firstBlockedParent(dir string, cred *syscall.Credential) (string, error) {
	for p := filepath.Dir(dir); ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			return "", fmt.Errorf("check %s: %w", p, err)
		case !searchable(fi, cred):
			return p, nil
		}
		if p == filepath.Dir(p) {
			return "", nil
		}
	}
}

// searchable applies the owner, group and other execute bits of a folder to
// the user cred, as the kernel does (ACLs aside).
func searchable(fi fs.FileInfo, cred *syscall.Credential) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	perm := fi.Mode().Perm()
	if !ok {
		return perm&0o001 != 0
	}
	if st.Uid == cred.Uid {
		return perm&0o100 != 0
	}
	if st.Gid == cred.Gid || containsGid(cred.Groups, st.Gid) {
		return perm&0o010 != 0
	}
	return perm&0o001 != 0
}

func containsGid(groups []uint32, gid uint32) bool {
	for _, g := range groups {
		if g == gid {
			return true
		}
	}
	return false
}

// prepareManaged creates the managed root (root-owned, mode 0755, refusing
// one owned by anybody else) and the cluster's folder in it, owned by the
// server's user, then records the folder in the home.
func (c *Cluster) prepareManaged(cred *syscall.Credential) error {
	root := filepath.Dir(c.Dir)
	if err := os.MkdirAll(root, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", root, err)
	}
	// The two folders recon owns above the clusters: created with the
	// process's umask, they may need opening to the server's user.
	for _, d := range []string{filepath.Dir(root), root} {
		fi, err := os.Lstat(d)
		if err != nil {
			return fmt.Errorf("check %s: %w", d, err)
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		if !fi.IsDir() || !ok || st.Uid != 0 {
			return fmt.Errorf("%s must be a folder owned by root", d)
		}
		if !searchable(fi, cred) {
			if err := os.Chmod(d, 0o755); err != nil {
				return fmt.Errorf("set mode of %s: %w", d, err)
			}
		}
	}
	if err := os.MkdirAll(c.Home, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", c.Home, err)
	}
	if err := os.MkdirAll(c.Dir, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", c.Dir, err)
	}
	if err := os.WriteFile(filepath.Join(c.Dir, homeFile), []byte(c.Home+"\n"), 0o644); err != nil {
		return fmt.Errorf("name the home of %s: %w", c.Dir, err)
	}
	if err := os.WriteFile(c.LocationFile(), []byte(c.Dir+"\n"), 0o644); err != nil {
		return fmt.Errorf("record cluster location: %w", err)
	}
	return nil
}
