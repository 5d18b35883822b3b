package reconcile

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/petfriendly/recon/source"
)

func fileHash(path string) (string, error) {
	return (&hasher{}).file(path)
}

// hasher hashes files through one buffer: attachments are small and
// thousands, so a buffer per file (what io.Copy from a file allocates)
// would be most of what verify allocates for them.
type hasher struct {
	buf []byte
}

func (hs *hasher) file(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	if hs.buf == nil {
		hs.buf = make([]byte, 64<<10)
	}
	h := sha256.New()
	for {
		n, err := f.Read(hs.buf)
		h.Write(hs.buf[:n])
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// noteExportAttachment remembers the SHA-256 of a document's file as the
// export holds it, when it can be read inside the export folder, so a
// stored file replaced together with its recorded hash is still caught.
func (v *verifier) noteExportAttachment(rec source.Record, field string, row int64) {
	dir := filepath.Dir(rec.File)
	rel := filepath.FromSlash(strings.ReplaceAll(strings.TrimSpace(rec.Raw[field]), "\\", "/"))
	if rel == "" || filepath.IsAbs(rel) || !filepath.IsLocal(rel) {
		return
	}
	path := filepath.Join(dir, rel)
	base, err := v.realDir(dir)
	if err != nil {
		return
	}
	// The file's own name resolved, its folder from the cache: the same
	// path as filepath.EvalSymlinks(path), without walking every folder of
	// it again for each of thousands of attachments.
	fi, err := os.Lstat(path)
	if err != nil {
		return
	}
	var real string
	if fi.Mode()&os.ModeSymlink == 0 {
		parent, err := v.realDir(filepath.Dir(path))
		if err != nil {
			return
		}
		real = filepath.Join(parent, filepath.Base(path))
	} else {
		if real, err = filepath.EvalSymlinks(path); err != nil {
			return
		}
		if fi, err = os.Lstat(real); err != nil {
			return
		}
	}
	if in, err := filepath.Rel(base, real); err != nil || !filepath.IsLocal(in) {
		return // outside the export folder: never read
	}
	if !fi.Mode().IsRegular() {
		return
	}
	v.exportHashes.add(row, real)
}

// dirCache holds the folders realDir resolved.
type dirCache struct {
	mu sync.Mutex
	m  map[string]resolved
}

// realDir is filepath.EvalSymlinks of a folder, resolved once per run.
func (v *verifier) realDir(dir string) (string, error) {
	c := v.realDirs
	c.mu.Lock()
	defer c.mu.Unlock()
	if r, ok := c.m[dir]; ok {
		return r.path, r.err
	}
	p, err := filepath.EvalSymlinks(dir)
	c.m[dir] = resolved{p, err}
	return p, err
}

type resolved struct {
	path string
	err  error
}

// storedDoc is a document row and what its file in the media store hashes
// to (readErr when it cannot be read).
type storedDoc struct {
	row                int64
	id, file, sum, got string
	readErr            bool
}

// readStoredDocs reads every document row and hashes its stored file. It
// reads only the database and the media store, so it runs with the tail
// (tailReads), while the types are compared.
func readStoredDocs(ctx context.Context, db Querier, mediaDir string) ([]storedDoc, error) {
	var docs []storedDoc
	var hs hasher
	err := eachDocument(ctx, db, func(row int64, id, file, sum string) {
		got, err := hs.file(filepath.Join(mediaDir, filepath.FromSlash(file)))
		docs = append(docs, storedDoc{row: row, id: id, file: file, sum: sum, got: got, readErr: err != nil})
	})
	return docs, err
}

// applyAttachments confirms every imported document's file is in the media
// store with the SHA-256 recorded at import, and is the export's file.
func (v *verifier) applyAttachments(docs []storedDoc, exportHashes map[int64]string) {
	a := &v.res.Attachments
	a.Examples = []string{}
	for _, d := range docs {
		a.Checked++
		export, fromExport := exportHashes[d.row]
		switch {
		case d.readErr:
			a.Missing++
		case d.got != d.sum:
			a.Corrupt++
		case fromExport && export != d.sum:
			// The stored file matches the recorded hash, but neither is the
			// attachment the export holds: both were replaced.
			a.Corrupt++
		default:
			continue
		}
		if len(a.Examples) < maxExamples {
			a.Examples = append(a.Examples, d.id+": "+d.file)
		}
	}
}
