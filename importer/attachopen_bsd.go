//go:build unix && !linux

package importer

import "os"

// openBeneath opens rel below root without following a symbolic link in any
// component (openat2 is Linux's; elsewhere the O_NOFOLLOW walk).
func openBeneath(root, rel string) (*os.File, error) { return walkBeneath(root, rel) }
