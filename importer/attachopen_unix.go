//go:build unix

package importer

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// errLinkInPath: a component of an attachment's path is a symbolic link
// (or leaves the folder) at the moment it is opened.
var errLinkInPath = errors.New("a symbolic link or a folder outside the export folder in its path")

// walkBeneath opens rel below root one component at a time, each with
// O_NOFOLLOW relative to the folder opened before it: a component that is
// (or became) a symbolic link is refused, never followed.
func walkBeneath(root, rel string) (*os.File, error) {
	dir, err := unix.Open(root, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: root, Err: err}
	}
	parts := strings.Split(rel, "/")
	for i, p := range parts {
		if p == "" || p == "." || p == ".." {
			unix.Close(dir)
			return nil, beneathError(root, rel, unix.EXDEV)
		}
		flags := unix.O_RDONLY | unix.O_NOFOLLOW | unix.O_CLOEXEC
		if i < len(parts)-1 {
			flags |= unix.O_DIRECTORY
		} else {
			flags |= unix.O_NONBLOCK
		}
		fd, err := unix.Openat(dir, p, flags, 0)
		if errors.Is(err, unix.ENOTDIR) {
			// O_DIRECTORY|O_NOFOLLOW on a link says ENOTDIR: tell it apart
			// from a file where a folder should be.
			var st unix.Stat_t
			if unix.Fstatat(dir, p, &st, unix.AT_SYMLINK_NOFOLLOW) == nil && st.Mode&unix.S_IFMT == unix.S_IFLNK {
				err = unix.ELOOP
			}
		}
		unix.Close(dir)
		if err != nil {
			return nil, beneathError(root, rel, err)
		}
		if i == len(parts)-1 {
			return os.NewFile(uintptr(fd), root+"/"+rel), nil
		}
		dir = fd
	}
	return nil, beneathError(root, rel, unix.ENOENT)
}

// beneathError words an open refused beneath the export folder.
func beneathError(root, rel string, err error) error {
	if errors.Is(err, unix.ELOOP) || errors.Is(err, unix.EXDEV) {
		return fmt.Errorf("open %s beneath %s: %w (%v)", rel, root, errLinkInPath, err)
	}
	return &os.PathError{Op: "open", Path: root + "/" + rel, Err: err}
}

// hardLinks is the link count of an open file (1 when unknown).
func hardLinks(st os.FileInfo) uint64 {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return uint64(s.Nlink)
	}
	return 1
}
