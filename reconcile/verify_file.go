package reconcile

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/petfriendly/recon/source"
)

// typeRun is one type under verification: its columns, its destination
// window and the ids its files hold so far.
type typeRun struct {
	t     source.Type
	index int // in source.Types()
	// fields and parentCols are ComparedFields(t) and parentColumns(t).
	fields, parentCols []source.Field
	win                *destWindow // nil when every id is looked up
	// seen collects the type's source ids across its files: true for the
	// row imported under the id.
	seen map[string]bool
	// mappedSeen counts the ids seen first that have a mapping (see
	// checkVanished).
	mappedSeen int
	// What each row adds to, found once per type instead of once per row
	// (see newTypeRun).
	counts  *TypeCounts
	chains  []*Chain // per parent column, made when first checked
	perPet  map[int64]int
	content *contentSum
	logins  []string // the login columns' field names in Dest
	parent  string   // the required reference's field (source.Type.Parent)
	path    string   // the attachment path's field (source.Type.PathField)
	buf     rowFindings
}

// newTypeRun starts a type's verification on v (the type's own verifier).
func (v *verifier) newTypeRun(t source.Type, index int) *typeRun {
	tr := &typeRun{t: t, index: index, fields: ComparedFields(t), parentCols: parentColumns(t), seen: map[string]bool{},
		counts: &TypeCounts{}, perPet: v.perPet[t.Name]}
	tr.chains = make([]*Chain, len(tr.parentCols))
	if p, ok := t.Parent(); ok {
		tr.parent = p.Name
	}
	if p, ok := t.PathField(); ok {
		tr.path = p.Name
	}
	for _, lc := range loginColumns(t) {
		tr.logins = append(tr.logins, loginPrefix+lc.Name)
	}
	v.counts[t.Name] = tr.counts
	return tr
}

// chain is the chain check of the type's i-th parent column.
func (tr *typeRun) chain(v *verifier, i int) *Chain {
	if tr.chains[i] == nil {
		tr.chains[i] = v.chain(v.chainNames[tr.t.Name][i])
	}
	return tr.chains[i]
}

// chunkRows is a chunk of a file's rows and what the database holds for
// them (readChunk).
type chunkRows struct {
	recs    []source.Record
	rowErrs []*source.RowError // the reader's error of each row, nil if none
	batch   int64              // the batch that imported the file (0: matched by id)
	sampler *reservoir
	dests   map[string]Dest
	// lines are the records of the chunk's lines (batch set), outcomes
	// the ids' latest recorded outcomes (matched by id).
	lines    lineOutcomes
	outcomes map[string]outcome
	parents  map[string]map[string]int64
}

// verifyFile streams one export file in chunks. With batch set, the file is
// the one that batch imported and each line is explained by the record the
// batch wrote for it; otherwise (a changed or new file) rows are matched by
// id.
func (v *verifier) verifyFile(ctx context.Context, tr *typeRun, sf *SourceFile, batch int64) error {
	t, path := tr.t, sf.Path
	r, err := source.Open(path, source.Options{Profile: v.opts.Profile, Mapping: v.opts.Mapping, Type: t.Name, Now: v.opts.Now, Limits: v.opts.Limits})
	if err != nil {
		return fmt.Errorf("verify %s: %w", filepath.Base(path), err)
	}
	defer r.Close()
	c := &chunkRows{batch: batch, sampler: &reservoir{k: v.opts.Sample, rng: newRand(v.opts.Seed, uint64(tr.index))},
		recs: make([]source.Record, 0, v.opts.ChunkSize), rowErrs: make([]*source.RowError, 0, v.opts.ChunkSize)}
	// The next chunk is read and normalised while this one's queries run.
	recs := source.Prefetch(r, v.opts.ChunkSize)
	defer recs.Close()
	for {
		rec, err := recs.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var rowErr *source.RowError
		if err != nil && !errors.As(err, &rowErr) {
			return fmt.Errorf("verify %s: %w", filepath.Base(path), err)
		}
		var merged *source.MergedLinesError
		if errors.As(err, &merged) {
			v.mergedLines(t, rec, merged)
		}
		c.recs = append(c.recs, rec)
		// The reader's error decides the row's outcome (importer.Early).
		c.rowErrs = append(c.rowErrs, rowErr)
		if len(c.recs) == cap(c.recs) {
			if err := v.verifyChunk(ctx, tr, c); err != nil {
				return err
			}
			c.recs, c.rowErrs = c.recs[:0], c.rowErrs[:0]
		}
	}
	if len(c.recs) > 0 {
		if err := v.verifyChunk(ctx, tr, c); err != nil {
			return err
		}
	}
	v.res.Samples = append(v.res.Samples, c.sampler.items...)
	v.accountColumns(t, sf, r.Info())
	return nil
}

// accountColumns records where each column of a file went and raises a
// blocking finding for every column whose values reach no field and that
// the mapping file does not declare as not migrated.
func (v *verifier) accountColumns(t source.Type, sf *SourceFile, info source.FileInfo) {
	sf.Columns, sf.Sheets = info.Columns, info.Sheets
	for _, c := range info.Unaccounted() {
		p := map[string]string{"column": c.Header, "index": strconv.Itoa(c.Index), "filled": strconv.Itoa(c.Filled), "sample": c.Sample}
		if c.Sheet != "" {
			p["sheet"] = c.Sheet
		}
		if c.Competes != "" {
			p["competes"], p["competes_with"] = c.Competes, c.CompetesWith
		}
		v.finding(Finding{Code: CodeColumnNotMigrated, Type: t.Name, File: sf.Path, Blocks: true, Params: p})
	}
}

// readChunk reads what the destination holds for a chunk's rows: their
// destination rows, the records of their lines (or their ids' outcomes)
// and the parents' ids.
func (v *verifier) readChunk(ctx context.Context, tr *typeRun, c *chunkRows) error {
	t, chunk := tr.t, c.recs
	dests, probe, err := tr.win.match(t, chunk)
	if err != nil {
		return err
	}
	if len(probe) > 0 {
		found, err := readDest(ctx, v.db, t, probe)
		if err != nil {
			return err
		}
		for id, d := range found {
			dests[id] = d
		}
	}
	c.dests, c.lines, c.outcomes = dests, lineOutcomes{}, map[string]outcome{}
	if c.batch != 0 {
		// Every line of an imported file has the record its batch wrote.
		if c.lines, err = readLineOutcomes(ctx, v.db, c.batch, chunk[0].Line, chunk[len(chunk)-1].Line); err != nil {
			return err
		}
	} else {
		// A file that is not the imported one is matched by id; recorded
		// outcomes only matter for rows without a plain mapping.
		var unmapped []string
		for _, rec := range chunk {
			if d, ok := dests[rec.SourceID]; !ok || d.Merged {
				unmapped = append(unmapped, rec.SourceID)
			}
		}
		if len(unmapped) > 0 {
			if c.outcomes, err = readOutcomes(ctx, v.db, t.SourceType, unmapped); err != nil {
				return err
			}
		}
	}
	c.parents = map[string]map[string]int64{}
	for _, f := range tr.parentCols {
		if c.parents[f.Ref], err = v.parents.of(ctx, v.db, f.Ref); err != nil {
			return err
		}
	}
	return nil
}

// verifyChunk verifies a chunk of a file's rows.
func (v *verifier) verifyChunk(ctx context.Context, tr *typeRun, c *chunkRows) error {
	if err := v.readChunk(ctx, tr, c); err != nil {
		return err
	}
	t, seen := tr.t, tr.seen
	for i, rec := range c.recs {
		// One look-up of seen and of the destination rows per row: they
		// are the type's largest maps.
		imported, before := seen[rec.SourceID]
		d, mapped := c.dests[rec.SourceID]
		o, ok := v.rowOutcome(tr, rec, c, before, d, mapped)
		// Outcomes are re-derived in the imported file itself: a file that
		// changed since may hold another version of the row.
		if ok && c.batch != 0 && o.status != "imported" && o.status != "updated" && o.status != "unchanged" {
			issueNamed := true
			if lo, found := c.lines.at(rec.Line); found {
				issueNamed = lo.issueNamed
			}
			v.checkOutcome(rowCheck{t: t, rec: rec, rowErr: c.rowErrs[i], o: o, batch: c.batch, issueNamed: issueNamed, dest: d, mapped: mapped,
				before: imported || v.mergedIDs[t.Name][rec.SourceID], parents: c.parents})
		}
		if ok && v.verifyRecord(tr, c, rowDest{rec, d, mapped}, o, imported) {
			// A copy: the id shares its memory with the whole row as read.
			seen[strings.Clone(rec.SourceID)] = true
		} else if !before && rec.SourceID != "" {
			seen[strings.Clone(rec.SourceID)] = false
		}
		if mapped && !before && rec.SourceID != "" {
			tr.mappedSeen++
		}
	}
	return nil
}

// mergedLines notes the physical lines a quoting error swallowed into a
// row: they have no record of their own, so they are accounted for here.
func (v *verifier) mergedLines(t source.Type, rec source.Record, e *source.MergedLinesError) {
	tc := v.typeCounts(t.Name)
	tc.MergedLines += e.Last - e.First + 1
	v.finding(Finding{Code: CodeLinesMerged, Type: t.Name, SourceID: rec.SourceID, File: rec.File, Line: e.Line, Blocks: true,
		Params: map[string]string{"first": strconv.Itoa(e.First), "last": strconv.Itoa(e.Last)}})
}
