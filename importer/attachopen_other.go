//go:build !unix

package importer

import "os"

// openNoFollow opens path for reading; links were already resolved and
// checked by resolveAttachment.
func openNoFollow(path string) (*os.File, error) { return os.Open(path) }

// hardLinks is the link count of an open file (1 when unknown).
func hardLinks(os.FileInfo) uint64 { return 1 }
