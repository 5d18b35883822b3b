package importer

import (
	"context"
	"fmt"
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
}

// plannedFile is one batch to run: a file read as one type.
type plannedFile struct {
	path  string
	typ   source.Type
	order int
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

// plan lists the batches an export folder holds, in dependency order, and
// the files that are not recognised as any type.
func (im *Importer) plan(dir string) ([]plannedFile, map[string]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("read export folder: %w", err)
	}
	order := map[string]int{}
	for i, t := range source.Types() {
		order[t.Name] = i
	}
	var plan []plannedFile
	unrecognised := map[string]string{}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || name == "expected.json" {
			continue
		}
		path := filepath.Join(dir, name)
		types, err := detectTypes(path, source.Options{Profile: im.opts.Profile, Mapping: im.opts.Mapping})
		if err != nil {
			unrecognised[name] = err.Error()
			continue
		}
		if len(types) == 0 {
			unrecognised[name] = "no known type"
			continue
		}
		for _, tn := range types {
			t, ok := source.TypeByName(tn)
			if !ok {
				continue
			}
			plan = append(plan, plannedFile{path: path, typ: t, order: order[t.Name]})
		}
	}
	sort.SliceStable(plan, func(i, j int) bool {
		if plan[i].order != plan[j].order {
			return plan[i].order < plan[j].order
		}
		return plan[i].path < plan[j].path
	})
	return plan, unrecognised, nil
}

// ImportDir imports every recognised file of an export folder in dependency
// order (clients, pets, records, vaccines, products, appointments, invoices,
// items, documents). It stops at the first failed batch, since later types
// depend on earlier ones.
func (im *Importer) ImportDir(ctx context.Context, dir string) (DirResult, error) {
	plan, unrecognised, err := im.plan(dir)
	res := DirResult{Unrecognised: unrecognised}
	if err != nil {
		return res, err
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
	var types []source.Type
	for _, p := range plan {
		sum, err := im.importType(ctx, lock, p.typ, p.path)
		if sum.BatchID != 0 || err == nil {
			res.Summaries = append(res.Summaries, sum)
		}
		if err != nil {
			return res, err
		}
		types = append(types, p.typ)
	}
	im.analyze(ctx, types)
	return res, nil
}
