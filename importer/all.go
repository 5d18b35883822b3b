package importer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/petfriendly/recon/source"
)

// DirResult is the outcome of importing a whole export folder.
type DirResult struct {
	Summaries    []Summary         `json:"batches"`
	Unrecognised map[string]string `json:"unrecognised"` // file -> why
	// Unreadable are files that stop the import before anything is
	// written: a file named like an export file that cannot be read as one,
	// or any file of the folder that cannot be read at all.
	Unreadable map[string]FileProblem `json:"unreadable,omitempty"`
}

// FileProblem says why a file cannot be read: Reason is a code for
// messages in the user's language (source.ErrorReason's, or link_outside,
// not_regular), Detail the error.
type FileProblem struct {
	Reason string `json:"reason"`
	Detail string `json:"detail"`
}

// ErrUnreadable: some file of the export folder cannot be read
// (DirResult.Unreadable); nothing was imported.
var ErrUnreadable = errors.New("files of the export folder cannot be read; nothing was imported")

// plannedFile is one batch to run: a file read as one type.
type plannedFile struct {
	path  string
	typ   source.Type
	order int
	size  int64 // bytes, to start the longest chains of files first
}

// detectTypes opens a file only to learn which types it holds.
func detectTypes(path string, opts source.Options) ([]string, error) {
	r, err := source.Open(path, opts)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return r.Info().Types, nil
}

// plan lists the batches an export folder holds, in dependency order, the
// files that are not recognised as any type, and the files that cannot be
// read (see DirResult.Unreadable).
func (im *Importer) plan(dir string) ([]plannedFile, map[string]string, map[string]FileProblem, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("read export folder: %w", err)
	}
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("read export folder: %w", err)
	}
	order := map[string]int{}
	for i, t := range source.Types() {
		order[t.Name] = i
	}
	var plan []plannedFile
	unrecognised, unreadable := map[string]string{}, map[string]FileProblem{}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") || name == "expected.json" {
			continue
		}
		path := filepath.Join(dir, name)
		kind, why := exportFile(root, path)
		switch kind {
		case fileSkip:
			continue
		case fileLinkOutside:
			unreadable[name] = FileProblem{Reason: "link_outside", Detail: why}
			continue
		case fileUnreadable:
			unreadable[name] = FileProblem{Reason: "not_regular", Detail: why}
			continue
		}
		types, err := detectTypes(path, source.Options{Profile: im.opts.Profile, Mapping: im.opts.Mapping, MaxXLSXMB: im.opts.MaxXLSXMB, Limits: im.opts.Limits})
		_, named := source.TypeForFileName(name)
		switch {
		case err != nil && (named || errors.Is(err, fs.ErrPermission) || isPathError(err)):
			unreadable[name] = FileProblem{Reason: source.ErrorReason(err), Detail: err.Error()}
			continue
		case err != nil:
			unrecognised[name] = err.Error()
			continue
		case len(types) == 0:
			unrecognised[name] = "no known type"
			continue
		}
		var size int64
		if st, err := os.Stat(path); err == nil {
			size = st.Size()
		}
		for _, tn := range types {
			t, ok := source.TypeByName(tn)
			if !ok {
				continue
			}
			plan = append(plan, plannedFile{path: path, typ: t, order: order[t.Name], size: size})
		}
	}
	sort.SliceStable(plan, func(i, j int) bool {
		if plan[i].order != plan[j].order {
			return plan[i].order < plan[j].order
		}
		return plan[i].path < plan[j].path
	})
	return plan, unrecognised, unreadable, nil
}

// What a folder entry is to the import.
const (
	fileRegular = iota
	fileSkip    // a folder (attachments live there)
	fileUnreadable
	fileLinkOutside
)

// exportFile checks an entry of the export folder before it is opened: its
// real path must stay inside the folder, and it must be a regular file
// (opening a FIFO would block, a device act).
func exportFile(root, path string) (int, string) {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return fileUnreadable, fmt.Sprintf("cannot be read: %v", err)
	}
	if !within(root, real) {
		return fileLinkOutside, fmt.Sprintf("is a link to %s, outside the export folder", real)
	}
	st, err := os.Stat(real)
	switch {
	case err != nil:
		return fileUnreadable, fmt.Sprintf("cannot be read: %v", err)
	case st.IsDir():
		return fileSkip, ""
	case !st.Mode().IsRegular():
		return fileUnreadable, fmt.Sprintf("is not a regular file (%s)", fileKind(st.Mode()))
	}
	return fileRegular, ""
}

func isPathError(err error) bool {
	var pe *fs.PathError
	return errors.As(err, &pe)
}

// ImportDir imports every recognised file of an export folder, each file
// after the files of the types it depends on (clients before pets, pets
// before their records, ...) and up to Options.Jobs files of unrelated types
// at once, each in its own transaction. Once a batch fails no other starts,
// since later types depend on earlier ones; batches already running finish.
// The summaries come in plan order (the type table's), and the error is the
// first failed file's in that order.
func (im *Importer) ImportDir(ctx context.Context, dir string) (DirResult, error) {
	plan, unrecognised, unreadable, err := im.plan(dir)
	res := DirResult{Unrecognised: unrecognised, Unreadable: unreadable}
	if err != nil {
		return res, err
	}
	if len(unreadable) > 0 {
		// Later types depend on earlier ones: importing around a file that
		// cannot be read would orphan what depends on it.
		return res, ErrUnreadable
	}
	if len(plan) == 0 {
		return res, fmt.Errorf("no OkVet export file recognised in %s", dir)
	}
	// One lock for the whole folder, so no other import slips in between
	// files that depend on each other.
	lock, err := im.lock(ctx)
	if err != nil {
		return res, err
	}
	defer lock.Release(ctx)
	jobs := im.opts.Jobs
	if im.opts.DryRun {
		// A dry run carries each file's would-be rows to the next in one
		// shared overlay, file after file.
		jobs = 1
	}
	var types []source.Type
	var firstErr error
	for i, o := range im.runPlan(ctx, lock, plan, jobs) {
		if !o.started {
			continue
		}
		if o.sum.BatchID != 0 || o.err == nil {
			res.Summaries = append(res.Summaries, o.sum)
		}
		if o.err != nil && firstErr == nil {
			firstErr = o.err
		}
		if o.err == nil {
			types = append(types, plan[i].typ)
		}
	}
	if firstErr != nil {
		return res, firstErr
	}
	im.analyze(ctx, types)
	return res, nil
}
