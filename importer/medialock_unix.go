//go:build unix

package importer

import (
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// lockMedia takes the media store's lock, shared (a documents batch
// writing) or exclusive (files being removed); the returned func releases it.
func lockMedia(mediaDir string, exclusive bool) (func(), error) {
	dir := filepath.Join(mediaDir, refsDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("media store lock: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, "lock"), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("media store lock: %w", err)
	}
	how := unix.LOCK_SH
	if exclusive {
		how = unix.LOCK_EX
	}
	if err := unix.Flock(int(f.Fd()), how); err != nil {
		f.Close()
		return nil, fmt.Errorf("media store lock: %w", err)
	}
	return func() { f.Close() }, nil // closing releases the lock
}
