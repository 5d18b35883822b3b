//go:build linux

package importer

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// openBeneath opens rel (slash-separated, no "..", no link in it) below
// the folder root for reading. The kernel resolves every component beneath
// root and refuses a symbolic link anywhere on the way (openat2 with
// RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS), so nothing swapped into the
// path after it was checked is followed. Kernels before 5.6, or sandboxes
// that forbid openat2, get the component-by-component O_NOFOLLOW walk.
func openBeneath(root, rel string) (*os.File, error) {
	dir, err := unix.Open(root, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: root, Err: err}
	}
	defer unix.Close(dir)
	fd, err := unix.Openat2(dir, rel, &unix.OpenHow{
		Flags:   unix.O_RDONLY | unix.O_NOFOLLOW | unix.O_NONBLOCK | unix.O_CLOEXEC,
		Resolve: unix.RESOLVE_BENEATH | unix.RESOLVE_NO_SYMLINKS | unix.RESOLVE_NO_MAGICLINKS,
	})
	switch {
	case errors.Is(err, unix.ENOSYS), errors.Is(err, unix.EPERM):
		return walkBeneath(root, rel)
	case err != nil:
		return nil, beneathError(root, rel, err)
	}
	return os.NewFile(uintptr(fd), root+"/"+rel), nil
}
