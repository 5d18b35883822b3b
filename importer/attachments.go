package importer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/petfriendly/recon/source"
	"github.com/petfriendly/recon/source/normalize"
)

// attachment is a validated export file ready to be stored.
type attachment struct {
	path string
	size int64
	sum  string
}

// resolveAttachment checks that rel stays inside the export folder and can
// be read, and hashes it.
func resolveAttachment(exportDir, rel string) (attachment, string, error) {
	clean := strings.ReplaceAll(normalize.Clean(rel), "\\", "/")
	if clean == "" {
		return attachment{}, "missing_file", fmt.Errorf("no file named")
	}
	if filepath.IsAbs(clean) || strings.HasPrefix(clean, "/") || (len(clean) > 1 && clean[1] == ':') {
		return attachment{}, "path_escape", fmt.Errorf("absolute path %q is outside the export folder", rel)
	}
	joined := filepath.Join(exportDir, filepath.FromSlash(clean))
	inside, err := filepath.Rel(exportDir, joined)
	if err != nil || inside == ".." || strings.HasPrefix(inside, ".."+string(filepath.Separator)) {
		return attachment{}, "path_escape", fmt.Errorf("path %q escapes the export folder", rel)
	}
	f, err := os.Open(joined)
	if err != nil {
		return attachment{}, "missing_file", fmt.Errorf("cannot read attachment %q: %w", rel, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return attachment{}, "missing_file", fmt.Errorf("attachment %q is not a regular file", rel)
	}
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return attachment{}, "missing_file", fmt.Errorf("read attachment %q: %w", rel, err)
	}
	return attachment{path: joined, size: n, sum: hex.EncodeToString(h.Sum(nil))}, "", nil
}

// MediaPath is where content with the given SHA-256 lives in the media store.
func MediaPath(sum string) string { return filepath.Join(sum[:2], sum) }

// store copies the attachment into the content-addressed media store; the
// same content is stored once.
func storeAttachment(mediaDir string, a attachment) (string, error) {
	rel := MediaPath(a.sum)
	dst := filepath.Join(mediaDir, rel)
	if st, err := os.Stat(dst); err == nil && st.Size() == a.size {
		return rel, nil
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return "", fmt.Errorf("media store: %w", err)
	}
	in, err := os.Open(a.path)
	if err != nil {
		return "", fmt.Errorf("media store: %w", err)
	}
	defer in.Close()
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

func (b *batchWriter) document(ctx context.Context, rec source.Record) (outcome, error) {
	a, problem, err := resolveAttachment(b.exportDir, rec.Raw["archivo"])
	if err != nil {
		return reject(problem, "archivo", rec.Raw["archivo"], err.Error()), nil
	}
	o := outcome{status: StatusImported, targetModel: "documents_document"}
	pet, ok, err := b.parent(ctx, rec, "id_paciente", "pet", &o)
	if err != nil || !ok {
		return o, err
	}
	owner := pgtype.Int8{}
	if c := text(rec, "id_cliente"); c != "" {
		if t, ok := b.refs.lookup("client", c); ok {
			owner = pgtype.Int8{Int64: t, Valid: true}
		}
	}
	stored := MediaPath(a.sum)
	if !b.dryRun {
		if stored, err = storeAttachment(b.im.opts.MediaDir, a); err != nil {
			return outcome{}, err
		}
	}
	id, err := b.newID(ctx, "documents_document")
	if err != nil {
		return outcome{}, err
	}
	o.targetID = id
	return o, b.put(ctx, "documents_document", []any{id, pet, owner, filepath.ToSlash(stored),
		normalize.Clean(rec.Raw["archivo"]), text(rec, "tipo"), text(rec, "descripcion"), date(rec, "fecha"), a.size, a.sum})
}
