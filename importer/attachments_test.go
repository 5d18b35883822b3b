package importer

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/petfriendly/recon/source"
)

// TestResolveAttachment pins what an attachment path may name: a regular
// file whose real path is inside the export folder.
func TestResolveAttachment(t *testing.T) {
	base := t.TempDir()
	export := filepath.Join(base, "export")
	outside := filepath.Join(base, "secret.txt")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(export, "adjuntos", "sub"), 0o755))
	must(os.MkdirAll(filepath.Join(base, "otra"), 0o755))
	must(os.WriteFile(outside, []byte("secret"), 0o600))
	must(os.WriteFile(filepath.Join(base, "otra", "x.pdf"), []byte("x"), 0o644))
	must(os.WriteFile(filepath.Join(export, "adjuntos", "rx.pdf"), []byte("%PDF rx"), 0o644))
	must(os.WriteFile(filepath.Join(export, "adjuntos", "shared.pdf"), []byte("%PDF shared"), 0o644))
	must(os.Link(filepath.Join(export, "adjuntos", "shared.pdf"), filepath.Join(base, "hard.pdf")))
	must(os.Symlink("/etc/passwd", filepath.Join(export, "adjuntos", "passwd.pdf")))
	must(os.Symlink(filepath.Join(base, "otra"), filepath.Join(export, "adjuntos", "otra")))
	must(os.Symlink("../../secret.txt", filepath.Join(export, "adjuntos", "rel.pdf")))
	must(os.Symlink("rel.pdf", filepath.Join(export, "adjuntos", "chain.pdf")))
	must(os.Symlink("rx.pdf", filepath.Join(export, "adjuntos", "alias.pdf")))
	must(os.Symlink("nada.pdf", filepath.Join(export, "adjuntos", "dangling.pdf")))
	must(os.Symlink("adjuntos", filepath.Join(export, "docs")))
	must(syscall.Mkfifo(filepath.Join(export, "adjuntos", "fifo.pdf"), 0o644))
	must(syscall.Mknod(filepath.Join(export, "adjuntos", "null.pdf"), syscall.S_IFCHR|0o644, 1<<8|3)) // /dev/null's 1:3; CI runs as root

	tests := []struct {
		rel     string
		problem string // "" when accepted
		err     string // substring of the error
		links   uint64
	}{
		{rel: "adjuntos/rx.pdf", links: 1},
		{rel: `adjuntos\rx.pdf`, links: 1},
		{rel: "adjuntos/alias.pdf", links: 1},  // a link inside the folder to a file inside
		{rel: "docs/rx.pdf", links: 1},         // a linked folder inside the folder
		{rel: "adjuntos/shared.pdf", links: 2}, // a second name outside: accepted and flagged
		{rel: "", problem: "missing_file", err: "no file named"},
		{rel: "adjuntos/nada.pdf", problem: "missing_file", err: "cannot read"},
		{rel: "adjuntos/dangling.pdf", problem: "missing_file", err: "link to a missing file"},
		{rel: "/etc/passwd", problem: "path_escape", err: "absolute path"},
		{rel: "C:/x.pdf", problem: "path_escape", err: "absolute path"},
		{rel: "../secret.txt", problem: "path_escape", err: "escapes"},
		{rel: "adjuntos/../../secret.txt", problem: "path_escape", err: "escapes"},
		{rel: "adjuntos/passwd.pdf", problem: "path_escape", err: "outside the export folder"},
		{rel: "adjuntos/otra/x.pdf", problem: "path_escape", err: "outside the export folder"},
		{rel: "adjuntos/rel.pdf", problem: "path_escape", err: "outside the export folder"},
		{rel: "adjuntos/chain.pdf", problem: "path_escape", err: "outside the export folder"},
		{rel: "adjuntos", problem: "not_regular_file", err: "a folder"},
		{rel: "adjuntos/fifo.pdf", problem: "not_regular_file", err: "a named pipe"},
		{rel: "adjuntos/null.pdf", problem: "not_regular_file", err: "a device"},
	}
	for _, tc := range tests {
		t.Run(tc.rel, func(t *testing.T) {
			a, problem, err := resolveAttachment(export, tc.rel)
			if problem != tc.problem {
				t.Fatalf("problem %q, want %q (%v)", problem, tc.problem, err)
			}
			if tc.problem != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want it to say %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if a.links != tc.links || a.size == 0 || len(a.sum) != 64 {
				t.Fatalf("got %+v, want %d link(s), a size and a sum", a, tc.links)
			}
			if !within(export, a.path) && !strings.HasPrefix(a.path, base) {
				t.Fatalf("real path %s is not inside %s", a.path, export)
			}
		})
	}
}

// TestStoreAttachmentRefusesSwappedLink: the file checked is replaced by a
// link to a file outside before it is copied; the copy is refused.
func TestStoreAttachmentRefusesSwappedLink(t *testing.T) {
	base := t.TempDir()
	p := filepath.Join(base, "rx.pdf")
	if err := os.WriteFile(p, []byte("%PDF rx"), 0o644); err != nil {
		t.Fatal(err)
	}
	a, problem, err := resolveAttachment(base, "rx.pdf")
	if err != nil || problem != "" {
		t.Fatal(problem, err)
	}
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/etc/hostname", p); err != nil {
		t.Fatal(err)
	}
	if _, err := storeAttachment(filepath.Join(base, "media"), a); err == nil {
		t.Fatal("a link swapped in after the check was followed")
	}
}

// TestExportFile: what import all may open in the export folder.
func TestExportFile(t *testing.T) {
	base := t.TempDir()
	export := filepath.Join(base, "export")
	if err := os.MkdirAll(filepath.Join(export, "adjuntos"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(export, "clientes.csv"), []byte("id\n"), 0o644)
	os.WriteFile(filepath.Join(base, "fuera.csv"), []byte("id\n"), 0o644)
	os.Symlink("clientes.csv", filepath.Join(export, "alias.csv"))
	os.Symlink("../fuera.csv", filepath.Join(export, "mascotas.csv"))
	os.Symlink("nada.csv", filepath.Join(export, "roto.csv"))
	if err := syscall.Mkfifo(filepath.Join(export, "vacunas.csv"), 0o644); err != nil {
		t.Fatal(err)
	}
	root, _ := filepath.EvalSymlinks(export)
	tests := []struct {
		name string
		kind int
		why  string
	}{
		{"clientes.csv", fileRegular, ""},
		{"alias.csv", fileRegular, ""},
		{"adjuntos", fileSkip, ""},
		{"mascotas.csv", fileLinkOutside, "outside the export folder"},
		{"roto.csv", fileUnreadable, "cannot be read"},
		{"vacunas.csv", fileUnreadable, "a named pipe"},
	}
	for _, tc := range tests {
		kind, why := exportFile(root, filepath.Join(export, tc.name))
		if kind != tc.kind || !strings.Contains(why, tc.why) {
			t.Errorf("%s: %d %q, want %d %q", tc.name, kind, why, tc.kind, tc.why)
		}
	}
}

// TestImportFileRefusesSpecialFiles: a FIFO named as the file to import is
// refused before it is opened (opening it would block).
func TestImportFileRefusesSpecialFiles(t *testing.T) {
	p := filepath.Join(t.TempDir(), "clientes.csv")
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Fatal(err)
	}
	im := &Importer{opts: Options{Now: time.Now}}
	ty, _ := source.TypeByName("clients")
	if _, err := im.importType(context.Background(), nil, ty, p); err == nil || !strings.Contains(err.Error(), "not a regular file (a named pipe)") {
		t.Fatalf("error %v", err)
	}
}
