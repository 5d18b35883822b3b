package importer

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStoreAttachmentFailures: the media store refuses a file whose
// content changed between the check and the copy, and reports a
// destination it cannot write; neither leaves a partial copy behind.
func TestStoreAttachmentFailures(t *testing.T) {
	tests := []struct {
		name     string
		prepare  func(t *testing.T, src, media string, a attachment) // after the attachment is checked
		wantErr  string                                              // its start; %s: the source file
		namesDst bool                                                // the error names the destination
	}{
		{"content changed after the check, same size", func(t *testing.T, src, _ string, _ attachment) {
			if err := os.WriteFile(src, []byte("%PDF rX"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, "media store: attachment %s changed while it was copied", false},
		{"destination taken by a folder", func(t *testing.T, _, media string, a attachment) {
			if err := os.MkdirAll(filepath.Join(media, MediaPath(a.sum), "sub"), 0o755); err != nil {
				t.Fatal(err)
			}
		}, "media store: rename ", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			export := t.TempDir()
			media := t.TempDir()
			src := filepath.Join(export, "rx.pdf")
			if err := os.WriteFile(src, []byte("%PDF rx"), 0o644); err != nil {
				t.Fatal(err)
			}
			a, problem, err := resolveAttachment(export, "rx.pdf")
			if err != nil || problem != "" {
				t.Fatal(problem, err)
			}
			tt.prepare(t, src, media, a)
			rel, err := storeAttachment(media, a)
			want := strings.ReplaceAll(tt.wantErr, "%s", a.path)
			if err == nil || !strings.HasPrefix(err.Error(), want) {
				t.Fatalf("storeAttachment = %q, %v; want an error starting %q", rel, err, want)
			}
			if tt.namesDst && !strings.Contains(err.Error(), filepath.Join(media, MediaPath(a.sum))) {
				t.Errorf("error %q does not name the destination", err)
			}
			left, _ := filepath.Glob(filepath.Join(media, MediaPath(a.sum)[:2], ".incoming-*"))
			if len(left) != 0 {
				t.Errorf("partial copies left: %v", left)
			}
		})
	}
}

// TestResolveAttachmentMissingExportFolder: an export folder that is gone
// is a missing file, with the folder's error.
func TestResolveAttachmentMissingExportFolder(t *testing.T) {
	gone := filepath.Join(t.TempDir(), "export")
	_, problem, err := resolveAttachment(gone, "rx.pdf")
	if problem != problemMissingFile || !errors.Is(err, fs.ErrNotExist) || !strings.HasPrefix(err.Error(), "export folder: lstat "+gone+": ") {
		t.Fatalf("resolveAttachment in a missing folder = %q, %v", problem, err)
	}
}
