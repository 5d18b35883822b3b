package importer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/source"
	"github.com/petfriendly/recon/source/normalize"
)

// attachment is a validated export file ready to be stored.
type attachment struct {
	path  string // real path, inside the export folder, no link left in it
	root  string // the export folder's real path
	rel   string // path below root, slash-separated, no link in it: opened only with openBeneath
	size  int64
	sum   string
	links uint64 // hard links to the file; more than one is flagged
}

// Attachment problems (issue types of a rejected document row).
const (
	problemMissingFile    = "missing_file"
	problemPathEscape     = "path_escape"
	problemNotRegularFile = "not_regular_file"
)

// resolveAttachment checks that rel names a regular file whose real path
// (every symbolic link resolved) is inside the export folder, opens that
// real path beneath the folder with no link allowed in any component (a
// folder swapped for a link after the check is refused, not followed) and
// hashes it. FIFOs, devices, sockets and
// folders are refused; a file with more than one hard link is accepted and
// reported in links, since the other name may be outside the folder.
func resolveAttachment(exportDir, rel string) (attachment, string, error) {
	clean := strings.ReplaceAll(normalize.Clean(rel), "\\", "/")
	if clean == "" {
		return attachment{}, problemMissingFile, fmt.Errorf("no file named")
	}
	if filepath.IsAbs(clean) || strings.HasPrefix(clean, "/") || (len(clean) > 1 && clean[1] == ':') {
		return attachment{}, problemPathEscape, fmt.Errorf("absolute path %q is outside the export folder", rel)
	}
	joined := filepath.Join(exportDir, filepath.FromSlash(clean))
	if !within(exportDir, joined) {
		return attachment{}, problemPathEscape, fmt.Errorf("path %q escapes the export folder", rel)
	}
	root, err := filepath.EvalSymlinks(exportDir)
	if err != nil {
		return attachment{}, problemMissingFile, fmt.Errorf("export folder: %w", err)
	}
	real, err := filepath.EvalSymlinks(joined)
	if err != nil {
		if _, lerr := os.Lstat(joined); lerr == nil {
			return attachment{}, problemMissingFile, fmt.Errorf("attachment %q is a link to a missing file", rel)
		}
		return attachment{}, problemMissingFile, fmt.Errorf("cannot read attachment %q: %w", rel, err)
	}
	if !within(root, real) {
		return attachment{}, problemPathEscape, fmt.Errorf("attachment %q is a link to %s, outside the export folder", rel, real)
	}
	// Refuse special files before opening them: opening a device or a FIFO
	// can block or act on it.
	pre, err := os.Lstat(real)
	if err != nil {
		return attachment{}, problemMissingFile, fmt.Errorf("cannot read attachment %q: %w", rel, err)
	}
	if !pre.Mode().IsRegular() {
		return attachment{}, problemNotRegularFile, fmt.Errorf("attachment %q is not a regular file (%s)", rel, fileKind(pre.Mode()))
	}
	below, err := filepath.Rel(root, real)
	if err != nil {
		return attachment{}, problemPathEscape, fmt.Errorf("attachment %q: %w", rel, err)
	}
	below = filepath.ToSlash(below)
	f, err := openBeneath(root, below)
	if errors.Is(err, errLinkInPath) {
		return attachment{}, problemPathEscape, fmt.Errorf("attachment %q changed while it was checked: %w", rel, err)
	}
	if err != nil {
		return attachment{}, problemMissingFile, fmt.Errorf("cannot read attachment %q: %w", rel, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return attachment{}, problemMissingFile, fmt.Errorf("cannot read attachment %q: %w", rel, err)
	}
	if !st.Mode().IsRegular() || !os.SameFile(pre, st) {
		return attachment{}, problemNotRegularFile, fmt.Errorf("attachment %q changed while it was checked (%s)", rel, fileKind(st.Mode()))
	}
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return attachment{}, problemMissingFile, fmt.Errorf("read attachment %q: %w", rel, err)
	}
	return attachment{path: real, root: root, rel: below, size: n, sum: hex.EncodeToString(h.Sum(nil)), links: hardLinks(st)}, "", nil
}

// within reports whether path is dir or below it (both cleaned, absolute or
// both relative).
func within(dir, path string) bool {
	inside, err := filepath.Rel(dir, path)
	return err == nil && inside != ".." && !strings.HasPrefix(inside, ".."+string(filepath.Separator)) && !filepath.IsAbs(inside)
}

// fileKind names a non-regular file's kind for a message.
func fileKind(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&os.ModeNamedPipe != 0:
		return "a named pipe"
	case m&os.ModeSocket != 0:
		return "a socket"
	case m&os.ModeDevice != 0:
		return "a device"
	case m&os.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "a special file"
}

// MediaPath is where content with the given SHA-256 lives in the media store.
func MediaPath(sum string) string { return filepath.Join(sum[:2], sum) }

// store copies the attachment into the content-addressed media store; the
// same content is stored once.
func storeAttachment(mediaDir string, a attachment) (string, error) {
	rel, _, err := storeAttachmentNew(mediaDir, a)
	return rel, err
}

// storeAttachmentNew is storeAttachment that also tells whether the file
// was written now (a failed batch removes what it wrote).
func storeAttachmentNew(mediaDir string, a attachment) (string, bool, error) {
	rel := MediaPath(a.sum)
	dst := filepath.Join(mediaDir, rel)
	if st, err := os.Stat(dst); err == nil && st.Size() == a.size {
		return rel, false, nil
	}
	stored, err := copyAttachment(mediaDir, a, rel, dst)
	return stored, err == nil, err
}

func copyAttachment(mediaDir string, a attachment, rel, dst string) (string, error) {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return "", fmt.Errorf("media store: %w", err)
	}
	// Opened again beneath the folder, and its content checked against the
	// sum while it is copied: neither a link nor other content gets in.
	in, err := openBeneath(a.root, a.rel)
	if err != nil {
		return "", fmt.Errorf("media store: attachment %s: %w", a.path, err)
	}
	defer in.Close()
	if st, err := in.Stat(); err != nil || !st.Mode().IsRegular() {
		return "", fmt.Errorf("media store: attachment %s is no longer a regular file", a.path)
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".incoming-*")
	if err != nil {
		return "", fmt.Errorf("media store: %w", err)
	}
	h := sha256.New()
	_, err = io.Copy(io.MultiWriter(tmp, h), in)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil && hex.EncodeToString(h.Sum(nil)) != a.sum {
		err = fmt.Errorf("attachment %s changed while it was copied", a.path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("media store: %w", err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("media store: %w", err)
	}
	return rel, nil
}

// document writes a document row whose attachment Check resolved.
func (b *batchWriter) document(ctx context.Context, rec source.Record, c Checked) (outcome, error) {
	a := c.attachment
	o := outcome{status: StatusImported, targetModel: b.t.Table}
	if a.links > 1 {
		o.add(Warning, "hard_link", "archivo", rec.Raw["archivo"],
			i18n.T("el adjunto tiene %d enlaces duros: el mismo archivo tiene otro nombre que puede estar fuera de la carpeta de la exportación",
				"attachment has %d hard links: the same file also has a name that may be outside the export folder", a.links))
	}
	pet, ok, err := b.parent(ctx, rec, "id_paciente", "pet", &o)
	if err != nil || !ok {
		return o, err
	}
	owner := noID()
	if c := text(rec, "id_cliente"); c != "" {
		if t, ok := b.refs.lookup("client", c); ok {
			owner = someID(t)
		}
	}
	stored := MediaPath(a.sum)
	if !b.dryRun {
		var created bool
		if stored, created, err = storeAttachmentNew(b.im.opts.MediaDir, a); err != nil {
			return outcome{}, err
		}
		if created && b.mediaWritten != nil {
			*b.mediaWritten = append(*b.mediaWritten, filepath.ToSlash(stored))
		}
	}
	id, err := b.newID(ctx, b.t.Table)
	if err != nil {
		return outcome{}, err
	}
	o.targetID = id
	return o, b.put(ctx, b.t.Table, map[string]any{"id": id, "external_id": rec.SourceID, "pet_id": pet,
		"owner_id": owner, "original_path": normalize.Clean(rec.Raw["archivo"]), "document_type": text(rec, "tipo"),
		"description": text(rec, "descripcion"), "document_date": date(rec, "fecha"),
		"file": filepath.ToSlash(stored), "size_bytes": a.size, "sha256": a.sum})
}
