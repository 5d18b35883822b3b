package reconcile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/petfriendly/recon/source"
)

// batchInfo is one real (not dry-run) import batch.
type batchInfo struct {
	ID     int64
	Type   string // type name
	Path   string
	SHA256 string
	Status string
	// Finished is when the batch ended (zero while it runs).
	Finished time.Time
}

// exportFile is a file found in an export folder and recognised as an
// export of one or more types.
type exportFile struct {
	Path   string
	Types  []string
	SHA256 string
}

// Source file statuses.
const (
	statusOK      = "ok"
	statusChanged = "changed"
	statusMissing = "missing"
	statusNew     = "new" // in --source-dir, no imported file of its type matches it
)

// planSources decides which files verify reads, in import order, and what
// the batches and export folders say about how complete the migration is.
// A type's files are those of its completed batches in the folder of its
// latest completed batch (an older folder is an earlier export the newer one
// supersedes), each path with its latest completed batch, whose migration
// records explain the file's lines line by line. listing holds every export
// file of the folders involved (and of the --source-dir, when fromDir).
func planSources(batches []batchInfo, listing []exportFile, sourceDir string) ([]SourceFile, []Finding) {
	var files []SourceFile
	var findings []Finding
	byPath := map[string]exportFile{}
	for _, f := range listing {
		byPath[f.Path] = f
	}
	for _, tn := range TypeNames() {
		var mine []batchInfo
		for _, b := range batches {
			if b.Type == tn {
				mine = append(mine, b)
			}
		}
		if len(mine) > 0 {
			if f, ok := latestBatchFinding(tn, mine[len(mine)-1]); ok {
				findings = append(findings, f)
			}
		}
		planned := plannedFiles(tn, mine)
		imported := map[string]bool{}
		for _, b := range mine {
			if b.Status == "completed" {
				imported[b.Path] = true
			}
		}
		// Every export file of this type in the folders looked at must have
		// been imported.
		for _, f := range listing {
			if !slices.Contains(f.Types, tn) || imported[f.Path] || (sourceDir != "" && filepath.Dir(f.Path) == sourceDir) {
				continue
			}
			code := CodeFileNotImported
			if len(planned) == 0 {
				code = CodeNeverImported
			}
			findings = append(findings, Finding{Code: code, Type: tn, File: f.Path, Blocks: true})
		}
		if sourceDir == "" {
			for _, sf := range planned {
				got, ok := byPath[sf.Path]
				switch {
				case !ok:
					sf.Status = statusMissing
				case got.SHA256 != sf.SHA256:
					sf.Status = statusChanged
				}
				files = append(files, sf)
			}
			continue
		}
		var inDir []exportFile
		for _, f := range listing {
			if slices.Contains(f.Types, tn) && filepath.Dir(f.Path) == sourceDir {
				inDir = append(inDir, f)
			}
		}
		files = append(files, pairWithDir(tn, planned, inDir)...)
	}
	for _, sf := range files {
		switch sf.Status {
		case statusChanged:
			findings = append(findings, Finding{Code: CodeSourceChanged, Type: sf.Type, File: sf.Path, Blocks: true,
				Params: map[string]string{"batch": strconv.FormatInt(sf.BatchID, 10), "imported_sha256": sf.Imported}})
		case statusMissing:
			findings = append(findings, Finding{Code: CodeSourceMissing, Type: sf.Type, File: sf.Path, Blocks: true,
				Params: map[string]string{"batch": strconv.FormatInt(sf.BatchID, 10)}})
		case statusNew:
			findings = append(findings, Finding{Code: CodeFileNotImported, Type: sf.Type, File: sf.Path, Blocks: true})
		}
	}
	return files, findings
}

// latestBatchFinding says when a type's latest batch did not complete.
func latestBatchFinding(tn string, b batchInfo) (Finding, bool) {
	code := ""
	switch b.Status {
	case "completed":
		return Finding{}, false
	case "failed":
		code = CodeBatchFailed
	case "rolled_back":
		code = CodeRolledBack
	default: // pending, running
		code = CodeBatchRunning
	}
	return Finding{Code: code, Type: tn, File: b.Path, Blocks: true, Params: map[string]string{"batch": strconv.FormatInt(b.ID, 10)}}, true
}

// plannedFiles lists, in import order, the files of a type's completed
// batches in the folder of its latest completed batch.
func plannedFiles(tn string, mine []batchInfo) []SourceFile {
	folder := ""
	for _, b := range mine {
		if b.Status == "completed" {
			folder = filepath.Dir(b.Path)
		}
	}
	if folder == "" {
		return nil
	}
	latest := map[string]batchInfo{}
	for _, b := range mine {
		if b.Status == "completed" && filepath.Dir(b.Path) == folder {
			latest[b.Path] = b
		}
	}
	var out []SourceFile
	for _, b := range latest {
		out = append(out, SourceFile{Type: tn, Path: b.Path, SHA256: b.SHA256, Imported: b.SHA256, BatchID: b.ID, Status: statusOK})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].BatchID < out[j].BatchID })
	return out
}

// pairWithDir matches the files of --source-dir with the imported ones: by
// name, or the only file with the only file. A matched file with the same
// SHA-256 is verified line by line against its batch's records; a changed
// one by id, its differences reported as a source delta.
func pairWithDir(tn string, planned []SourceFile, inDir []exportFile) []SourceFile {
	var out []SourceFile
	used := map[int]bool{}
	pair := func(sf SourceFile, f exportFile) SourceFile {
		sf.Path, sf.SHA256 = f.Path, f.SHA256
		if f.SHA256 != sf.Imported {
			sf.Status = statusChanged
		}
		return sf
	}
	matched := map[string]bool{}
	for i, sf := range planned {
		for _, f := range inDir {
			if !matched[f.Path] && filepath.Base(f.Path) == filepath.Base(sf.Path) {
				out = append(out, pair(sf, f))
				matched[f.Path], used[i] = true, true
				break
			}
		}
	}
	if len(planned) == 1 && len(inDir) == 1 && !used[0] {
		out = append(out, pair(planned[0], inDir[0]))
		matched[inDir[0].Path], used[0] = true, true
	}
	for i, sf := range planned {
		if !used[i] {
			sf.Status = statusMissing
			out = append(out, sf)
		}
	}
	for _, f := range inDir {
		if !matched[f.Path] {
			out = append(out, SourceFile{Type: tn, Path: f.Path, SHA256: f.SHA256, Status: statusNew})
		}
	}
	return out
}

// listExports finds the export files of the folders verify looks at: the
// folders of the completed batches and the --source-dir.
func listExports(batches []batchInfo, opts Options) ([]exportFile, error) {
	folders := map[string]bool{}
	latest := map[string]string{}
	for _, b := range batches {
		if b.Status == "completed" {
			latest[b.Type] = filepath.Dir(b.Path)
		}
	}
	for _, dir := range latest {
		folders[dir] = true
	}
	if opts.SourceDir != "" {
		folders[opts.SourceDir] = true
	}
	dirs := make([]string, 0, len(folders))
	for d := range folders {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	var out []exportFile
	for _, dir := range dirs {
		entries, err := os.ReadDir(dir)
		if err != nil {
			if dir == opts.SourceDir {
				return nil, fmt.Errorf("read source folder: %w", err)
			}
			continue // a folder gone since the import: its files are reported missing
		}
		for _, e := range entries {
			if !e.Type().IsRegular() || strings.HasPrefix(e.Name(), ".") || e.Name() == "expected.json" {
				continue
			}
			path := filepath.Join(dir, e.Name())
			r, err := source.Open(path, source.Options{Profile: opts.Profile, Mapping: opts.Mapping, Limits: opts.Limits})
			if errors.Is(err, source.ErrLimit) {
				return nil, err // an export beyond a limit is not "missing": say which limit and its flag
			}
			if err != nil {
				continue // not an export file: import lists these, verify compares exports only
			}
			types := r.Info().Types
			r.Close()
			sum, err := fileHash(path)
			if err != nil {
				return nil, fmt.Errorf("read %s: %w", path, err)
			}
			out = append(out, exportFile{Path: path, Types: types, SHA256: sum})
		}
	}
	return out, nil
}
