//go:build unix

package importer

import (
	"os"
	"syscall"
)

// openNoFollow opens path for reading without following a symbolic link in
// its last component, and without blocking on a FIFO.
func openNoFollow(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
}

// hardLinks is the link count of an open file (1 when unknown).
func hardLinks(st os.FileInfo) uint64 {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return uint64(s.Nlink)
	}
	return 1
}
