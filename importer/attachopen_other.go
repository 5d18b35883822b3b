//go:build !unix

package importer

import (
	"errors"
	"os"
)

// errNoSafeOpen: this system has neither openat2 nor openat, so an
// attachment cannot be opened with the guarantee that no component of its
// path is a link swapped in after the check.
var errNoSafeOpen = errors.New("attachments cannot be opened safely on this system (recon needs Linux openat2 or POSIX openat with O_NOFOLLOW); import the documents on Linux")

// errLinkInPath is never returned here; kept for the shared code.
var errLinkInPath = errors.New("a symbolic link or a folder outside the export folder in its path")

func openBeneath(root, rel string) (*os.File, error) { return nil, errNoSafeOpen }

// hardLinks is the link count of an open file (1 when unknown).
func hardLinks(os.FileInfo) uint64 { return 1 }
