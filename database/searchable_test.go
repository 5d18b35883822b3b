package database

import (
	"io/fs"
	"syscall"
	"testing"
	"time"
)

// plainInfo is a FileInfo without a stat_t, as a filesystem other than the
// OS's would give.
type plainInfo struct{ mode fs.FileMode }

func (p plainInfo) Name() string       { return "d" }
func (p plainInfo) Size() int64        { return 0 }
func (p plainInfo) Mode() fs.FileMode  { return fs.ModeDir | p.mode }
func (p plainInfo) ModTime() time.Time { return time.Time{} }
func (p plainInfo) IsDir() bool        { return true }
func (p plainInfo) Sys() any           { return nil }

// A supplementary group of the server's user counts like its primary one;
// a folder whose owner cannot be read is judged by its bits for others.
func TestSearchableGroupsAndForeignInfo(t *testing.T) {
	tests := []struct {
		name string
		fi   fs.FileInfo
		cred syscall.Credential
		want bool
	}{
		{"supplementary group may search", fakeDir{mode: 0o710, uid: 0, gid: 7},
			syscall.Credential{Uid: 101, Gid: 104, Groups: []uint32{5, 7}}, true},
		{"not in the folder's group", fakeDir{mode: 0o710, uid: 0, gid: 7},
			syscall.Credential{Uid: 101, Gid: 104, Groups: []uint32{5}}, false},
		{"no owner known, others may pass", plainInfo{0o701}, syscall.Credential{Uid: 101, Gid: 104}, true},
		{"no owner known, others may not", plainInfo{0o770}, syscall.Credential{Uid: 101, Gid: 104}, false},
	}
	for _, tt := range tests {
		if got := searchable(tt.fi, &tt.cred); got != tt.want {
			t.Errorf("%s: searchable = %v, want %v", tt.name, got, tt.want)
		}
	}
}
