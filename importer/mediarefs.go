package importer

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// The media store may be shared by several databases of one home (the
// clinic's and a rehearsal's). Each database keeps the list of the files
// its documents reference in <media>/.refs/<database key>.refs, rewritten
// whole (temporary file, then rename) after every documents batch and
// rollback; a file is removed only when no database's list names it. A
// documents batch holds the store's lock shared while it writes, a removal
// holds it exclusive, so a removal never races a batch of another database.

const refsDir = ".refs"

// writeRefList rewrites a database's reference list (whole: a temporary
// file, then rename) to name files.
func writeRefList(mediaDir, key string, files []string) error {
	dir := filepath.Join(mediaDir, refsDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("media references: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".incoming-*")
	if err != nil {
		return fmt.Errorf("media references: %w", err)
	}
	w := bufio.NewWriter(tmp)
	for _, f := range files {
		w.WriteString(f + "\n")
	}
	err = w.Flush()
	if serr := tmp.Sync(); err == nil {
		err = serr
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(dir, key+".refs"))
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("media references: %w", err)
	}
	return nil
}

// mediaReferenced is every file named by a database's list other than
// skip's ("" skips none), with the databases that keep lists.
func mediaReferenced(mediaDir, skip string) (map[string]bool, error) {
	out := map[string]bool{}
	lists, err := filepath.Glob(filepath.Join(mediaDir, refsDir, "*.refs"))
	if err != nil {
		return nil, err
	}
	for _, l := range lists {
		if strings.TrimSuffix(filepath.Base(l), ".refs") == skip {
			continue
		}
		b, err := os.ReadFile(l)
		if err != nil {
			return nil, fmt.Errorf("media references: %w", err)
		}
		for _, f := range strings.Split(string(b), "\n") {
			if f != "" {
				out[f] = true
			}
		}
	}
	return out, nil
}

// UnreferencedMedia lists the stored files no database's list names
// (slash-separated, relative to the store), e.g. left by a crash.
func UnreferencedMedia(mediaDir string) ([]string, error) {
	refs, err := mediaReferenced(mediaDir, "")
	if err != nil {
		return nil, err
	}
	var out []string
	err = filepath.WalkDir(mediaDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() {
			if p != mediaDir && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(mediaDir, p)
		rel = filepath.ToSlash(rel)
		if !strings.HasPrefix(d.Name(), ".") && !refs[rel] {
			out = append(out, rel)
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}
