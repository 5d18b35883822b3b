//go:build unix

package importer

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAttachmentPathsOutside pins the paths an attachment column may not
// name, Windows forms included: each is a path_escape before anything is
// opened.
func TestAttachmentPathsOutside(t *testing.T) {
	base := t.TempDir()
	export := filepath.Join(base, "export")
	if err := os.MkdirAll(filepath.Join(export, "adjuntos"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(base, "secret.txt"), []byte("secret"), 0o600)
	tests := []struct{ rel, err string }{
		{`C:\Users\clinica\rx.pdf`, "absolute path"},
		{`c:rx.pdf`, "absolute path"},
		{`\\server\share\rx.pdf`, "absolute path"},
		{`//server/share/rx.pdf`, "absolute path"},
		{`\etc\passwd`, "absolute path"},
		{`..\secret.txt`, "escapes"},
		{`adjuntos\..\..\secret.txt`, "escapes"},
		{`adjuntos/../../secret.txt`, "escapes"},
		{"../export/../secret.txt", "escapes"},
	}
	for _, tt := range tests {
		_, problem, err := resolveAttachment(export, tt.rel)
		if problem != problemPathEscape || err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("%s: %q, %v; want path_escape saying %q", tt.rel, problem, err, tt.err)
		}
	}
}

// TestOpenBeneath: every component is opened beneath the folder and a
// symbolic link anywhere in the path is refused, by openat2 and by the
// component-by-component walk alike.
func TestOpenBeneath(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "export")
	os.MkdirAll(filepath.Join(root, "adjuntos", "sub"), 0o755)
	os.MkdirAll(filepath.Join(base, "fuera"), 0o755)
	os.WriteFile(filepath.Join(root, "adjuntos", "sub", "rx.pdf"), []byte("rx"), 0o644)
	os.WriteFile(filepath.Join(base, "fuera", "rx.pdf"), []byte("secret"), 0o644)
	os.Symlink(filepath.Join(base, "fuera"), filepath.Join(root, "enlace"))
	os.Symlink("adjuntos", filepath.Join(root, "dentro"))
	os.Symlink("sub/rx.pdf", filepath.Join(root, "adjuntos", "alias.pdf"))
	tests := []struct {
		rel  string
		want string // content; "" when refused
		link bool   // refused as a link in the path
	}{
		{rel: "adjuntos/sub/rx.pdf", want: "rx"},
		{rel: "enlace/rx.pdf", link: true},      // a folder that is a link leaving the folder
		{rel: "dentro/sub/rx.pdf", link: true},  // even one that stays inside: resolve first
		{rel: "adjuntos/alias.pdf", link: true}, // the last component a link
		{rel: "adjuntos/../../fuera/rx.pdf", link: true},
		{rel: "adjuntos/nada.pdf"},
	}
	for name, open := range map[string]func(string, string) (*os.File, error){"openBeneath": openBeneath, "walkBeneath": walkBeneath} {
		for _, tt := range tests {
			f, err := open(root, tt.rel)
			if tt.want == "" {
				if err == nil {
					f.Close()
					t.Errorf("%s(%s) opened it", name, tt.rel)
				} else if errors.Is(err, errLinkInPath) != tt.link {
					t.Errorf("%s(%s) = %v; link in path %v", name, tt.rel, err, tt.link)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s(%s): %v", name, tt.rel, err)
				continue
			}
			b := make([]byte, 16)
			n, _ := f.Read(b)
			f.Close()
			if string(b[:n]) != tt.want {
				t.Errorf("%s(%s) read %q, want %q", name, tt.rel, b[:n], tt.want)
			}
		}
	}
}

// TestAttachmentFolderSwappedForLink replays the race of issue 28: the
// attachment is checked, then its folder is swapped for a link to a folder
// outside holding a file of the same name. Neither the copy nor a new
// check may read the outside file.
func TestAttachmentFolderSwappedForLink(t *testing.T) {
	base := t.TempDir()
	export := filepath.Join(base, "export")
	outside := filepath.Join(base, "fuera")
	os.MkdirAll(filepath.Join(export, "adjuntos"), 0o755)
	os.MkdirAll(outside, 0o755)
	os.WriteFile(filepath.Join(export, "adjuntos", "rx.pdf"), []byte("%PDF rx"), 0o644)
	os.WriteFile(filepath.Join(outside, "rx.pdf"), []byte("%PDF rx"), 0o644) // same content: only the path tells
	a, problem, err := resolveAttachment(export, "adjuntos/rx.pdf")
	if err != nil || problem != "" {
		t.Fatal(problem, err)
	}
	if err := os.Rename(filepath.Join(export, "adjuntos"), filepath.Join(export, "adjuntos.old")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(export, "adjuntos")); err != nil {
		t.Fatal(err)
	}
	media := filepath.Join(base, "media")
	if _, err := storeAttachment(media, a); err == nil || !errors.Is(err, errLinkInPath) {
		t.Fatalf("copy after the swap: %v, want a refusal for the link in the path", err)
	}
	if _, problem, err := resolveAttachment(export, "adjuntos/rx.pdf"); problem != problemPathEscape {
		t.Fatalf("check after the swap: %q, %v; want path_escape", problem, err)
	}
	if left, _ := filepath.Glob(filepath.Join(media, "*", "*")); len(left) != 0 {
		t.Fatalf("files left in the media store: %v", left)
	}
}
