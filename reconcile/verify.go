package reconcile

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/petfriendly/recon/source"
)

// Options configure a verification run.
type Options struct {
	SourceDir string // compare these files instead of the ones recorded at import
	Sample    int    // rows per type to spot-check (default 10)
	Seed      uint64 // sample seed; 0 derives one from the date
	MediaDir  string // attachment store
	Profile   string
	Mapping   *source.Mapping
	// Limits bound a CSV file's columns, cells and lines, as the import's.
	Limits    source.Limits
	Operator  string
	Clinic    string
	ChunkSize int // source rows compared per database round trip (default 5000)
	Now       func() time.Time
	// AllowNewRows lets rows created in Pet-Friendly after the import pass
	// (the parallel-run period); they are still listed.
	AllowNewRows bool
	// sequential reads the table checks in line instead of ahead on a
	// connection of their own (tests compare the two).
	sequential bool
}

// maxListed caps the finding lists kept in a Result; the counts stay exact.
const maxListed = 5000

// maxExamples caps the examples kept per chain check or missing field.
const maxExamples = 10

func (o *Options) check() error {
	if o.Sample == 0 {
		o.Sample = 10
	}
	if o.Sample < 0 || o.Sample > 10000 {
		return fmt.Errorf("sample %d out of range 0..10000", o.Sample)
	}
	if o.ChunkSize == 0 {
		o.ChunkSize = 5000
	}
	if o.ChunkSize < 1 {
		return fmt.Errorf("chunk size %d must be positive", o.ChunkSize)
	}
	if o.Now == nil {
		return errors.New("no clock")
	}
	if o.SourceDir != "" {
		abs, err := filepath.Abs(o.SourceDir)
		if err != nil {
			return fmt.Errorf("source folder: %w", err)
		}
		o.SourceDir = abs
	}
	if o.Seed == 0 {
		o.Seed = DefaultSeed(o.Now())
	}
	return nil
}

// DefaultSeed is the date as YYYYMMDD, so a day's sample can be drawn again.
func DefaultSeed(t time.Time) uint64 {
	y, m, d := t.Date()
	return uint64(y*10000 + int(m)*100 + d)
}

// Verify compares the export files with the destination and returns the
// result. It reads the files once, in chunks, so memory stays bounded.
func Verify(ctx context.Context, db Querier, opts Options) (Result, error) {
	if err := opts.check(); err != nil {
		return Result{}, fmt.Errorf("verify: %w", err)
	}
	res := Result{
		GeneratedAt: opts.Now().UTC().Truncate(time.Second), Operator: opts.Operator, Clinic: opts.Clinic,
		Types: map[string]TypeCounts{}, SampleSeed: opts.Seed, IssuesBySev: map[string]int{},
		Mismatches: []Mismatch{}, Unexplained: []Unexplained{}, Chains: []Chain{}, Samples: []Sample{},
		Missing: []MissingField{}, Corrections: []Correction{}, IssuesByType: []IssueCount{},
		Findings: []Finding{}, SourceDelta: map[string]Delta{}, AllowNewRows: opts.AllowNewRows,
	}
	batches, err := readBatches(ctx, db)
	if err != nil {
		return res, err
	}
	listing, err := listExports(batches, opts)
	if err != nil {
		return res, err
	}
	sources, findings := planSources(batches, listing, opts.SourceDir)
	res.Sources = sources
	// A correction of a row a rollback removed no longer describes the data.
	corrections, err := readCorrections(ctx, db, "", "", true)
	if err != nil {
		return res, err
	}
	if len(corrections) > maxListed {
		res.Corrections = corrections[:maxListed]
	} else {
		res.Corrections = corrections
	}
	v := &verifier{db: db, opts: opts, res: &res, chains: map[string]*Chain{}, missing: map[string]*MissingField{},
		perPet: map[string]map[int64]int{"medical": {}, "vaccines": {}}, corrected: LatestCorrections(corrections),
		parentTargets: map[string]map[string]int64{}, lastRef: map[string]int{}, chainNames: map[string][]string{},
		content: map[string]*contentSum{}, failed: map[string]bool{}, reverse: map[string]map[int64]string{},
		realDirs: map[string]resolved{}, counts: map[string]*TypeCounts{},
		mergedIDs: map[string]map[string]bool{}}
	defer v.exportHashes.wait()
	if v.mappings, err = mappingCounts(ctx, db); err != nil {
		return res, err
	}
	for _, f := range findings {
		v.finding(f)
	}
	var lastImport time.Time
	for _, b := range batches {
		if b.Status == "completed" && b.Finished.After(lastImport) {
			lastImport = b.Finished
		}
	}
	for i, t := range source.Types() {
		for _, f := range parentColumns(t) {
			v.lastRef[f.Ref] = i
			v.chainNames[t.Name] = append(v.chainNames[t.Name], t.Name+"."+f.Name+" → "+f.Ref)
		}
	}
	tables := map[string]string{}
	// The batches whose files are verified line by line, in type order.
	var verified []int64
	for _, t := range source.Types() {
		for _, s := range res.Sources {
			if s.Type == t.Name && s.Status == statusOK && s.BatchID != 0 {
				verified = append(verified, s.BatchID)
			}
		}
	}
	var tail *tailReads
	if canReadAhead(db) && !opts.sequential {
		tail = startTailReads(ctx, db, verified, opts.MediaDir)
		defer tail.stop()
	}
	for i, t := range source.Types() {
		tables[t.Name] = t.Table
		if err := v.verifyType(ctx, t, i, lastImport); err != nil {
			return res, err
		}
	}
	for name, c := range v.counts {
		res.Types[name] = *c
	}
	var after tailResult
	if tail != nil {
		after, err = tail.take()
	} else {
		after = readTail(ctx, db, verified, opts.MediaDir)
		err = after.err
	}
	if err != nil {
		return res, err
	}
	for _, f := range after.audit {
		v.finding(f)
	}
	v.applyPerPetCounts(after.perPet)
	v.applyAttachments(after.docs, v.exportHashes.wait())
	if err := v.checkSurvivors(ctx); err != nil {
		return res, err
	}
	if err := v.checkClaims(ctx); err != nil {
		return res, err
	}
	if err := v.readIssues(ctx); err != nil {
		return res, err
	}
	v.addExtraContent(after.docs, after.digests)
	res.Tables, res.ContentFingerprint = contentTables(v.content, tables)
	v.finish()
	return res, nil
}

// verifyType verifies every export file of one type, then accounts for the
// type's table and mappings from the destination end.
func (v *verifier) verifyType(ctx context.Context, t source.Type, typeIndex int, lastImport time.Time) error {
	res := v.res
	v.counts[t.Name] = &TypeCounts{}
	// One window per type: split exports follow one another in import
	// order, as the target ids were reserved, and the window's streams
	// also account for the table (tableAccount).
	var win *destWindow
	if canStream(v.db) {
		var err error
		if win, err = newDestWindow(ctx, v.db, t, v.opts.ChunkSize); err != nil {
			return err
		}
		defer win.close()
	}
	seen := map[string]bool{}
	mappedSeen := 0
	complete := true
	for si := range res.Sources {
		s := &res.Sources[si]
		if s.Type != t.Name {
			continue
		}
		if s.Status == statusMissing {
			complete = false
			continue
		}
		tc := v.typeCounts(t.Name)
		tc.SourceFiles++
		batch := int64(0)
		if s.Status == statusOK && s.BatchID != 0 {
			batch = s.BatchID
		} else if _, ok := res.SourceDelta[t.Name]; !ok {
			res.SourceDelta[t.Name] = Delta{Examples: []string{}}
		}
		n, err := v.verifyFile(ctx, t, typeIndex, s, batch, seen, win)
		if err != nil {
			return err
		}
		mappedSeen += n
	}
	v.dropTargets(typeIndex)
	// With an imported file unread, its rows would all look deleted.
	if complete {
		if err := v.checkVanished(ctx, t, seen, mappedSeen); err != nil {
			return err
		}
	}
	ao := accountOptions{lastImport: lastImport, allowNewRows: v.opts.AllowNewRows}
	for model, n := range v.mappings[t.SourceType] {
		ao.wrongModel = ao.wrongModel || (model != t.Table && n > 0)
	}
	var c tableCheck
	var err error
	if win != nil {
		c, err = win.tableCheck(ctx, v.db, t, ao)
	} else {
		c, err = readTableCheck(ctx, v.db, t, ao)
	}
	if err != nil {
		return err
	}
	v.applyTableCheck(t, c)
	return nil
}

func typeOrder(name string) int {
	for i, n := range TypeNames() {
		if n == name {
			return i
		}
	}
	return len(TypeNames())
}

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

// verifier accumulates one run's findings.
type verifier struct {
	db      Querier
	opts    Options
	res     *Result
	chains  map[string]*Chain
	missing map[string]*MissingField
	// perPet counts, per type, the source rows expected under each pet.
	perPet map[string]map[int64]int
	// survivors lists merged duplicates to check after the pass.
	survivors []mergedPair
	// corrected holds the latest audited correction of each corrected field.
	corrected map[CorrectionKey]Correction
	// parentTargets maps, per referenced source type, every mapped source id
	// to its target id: ids only, loaded once and dropped after the last
	// type that references it (lastRef).
	parentTargets map[string]map[string]int64
	lastRef       map[string]int
	// chainNames names the chain check of each parent column, per type.
	chainNames map[string][]string
	// content sums each type's migrated rows (see contentSum).
	content map[string]*contentSum
	// failed holds the checklist lines a blocking finding failed.
	failed map[string]bool
	// exportHashes hashes each imported document's file in
	// the export, by destination row.
	exportHashes hashQueue
	// reverse maps, per referenced type, a row id back to a source id; built
	// only when a parent differs from the one the source names.
	reverse map[string]map[int64]string
	// counts are the types' counts while they are verified, copied into
	// the result after the last (a row's counters change in place).
	counts map[string]*TypeCounts
	// mappings counts the mappings per source type and target model.
	mappings map[string]map[string]int
	// realDirs caches the folders attachments sit in, symlinks resolved.
	realDirs map[string]resolved
	// mergedIDs are, per type, the source ids recorded as merged duplicates.
	mergedIDs map[string]map[string]bool
	// Recorded outcomes whose support is checked in bulk after the pass
	// (outcomes.go).
	orphanClaims []deferredOrphan
	emailClaims  []deferredEmail
	mergeClaims  []mergedPair
}

// targets returns the source id -> target id map of a referenced type.
func (v *verifier) targets(ctx context.Context, sourceType string) (map[string]int64, error) {
	if m, ok := v.parentTargets[sourceType]; ok {
		return m, nil
	}
	m, err := readAllTargets(ctx, v.db, sourceType)
	if err != nil {
		return nil, err
	}
	v.parentTargets[sourceType] = m
	return m, nil
}

// dropTargets forgets the id maps no type after typeIndex references.
func (v *verifier) dropTargets(typeIndex int) {
	for ref, last := range v.lastRef {
		if last <= typeIndex {
			delete(v.parentTargets, ref)
			delete(v.reverse, ref)
		}
	}
}

type mergedPair struct {
	typ, sourceType, dup, survivor string
	target                         int64
	// keys are the duplicate's merge keys, f its finding should its
	// survivor share none (outcome checks only).
	keys []string
	f    Finding
}

// typeCounts returns a type's counts, to change in place.
func (v *verifier) typeCounts(name string) *TypeCounts {
	c, ok := v.counts[name]
	if !ok {
		c = &TypeCounts{}
		v.counts[name] = c
	}
	return c
}

func (v *verifier) chain(name string) *Chain {
	c, ok := v.chains[name]
	if !ok {
		c = &Chain{Check: name, OK: true, Examples: []string{}}
		v.chains[name] = c
	}
	return c
}

func (v *verifier) violate(name, example string) {
	c := v.chain(name)
	c.OK = false
	c.Violations++
	if len(c.Examples) < maxExamples {
		c.Examples = append(c.Examples, example)
	}
}

func (v *verifier) unexplained(t source.Type, id, reason string) {
	tc := v.typeCounts(t.Name)
	tc.Unexplained++
	if len(v.res.Unexplained) < maxListed {
		v.res.Unexplained = append(v.res.Unexplained, Unexplained{Type: t.Name, SourceID: id, Reason: reason})
	}
}

// verifyFile streams one export file in chunks. With batch set, the file is
// the one that batch imported and each line is explained by the record the
// batch wrote for it; otherwise (a changed or new file) rows are matched by
// id. seen collects the type's source ids across its files.
func (v *verifier) verifyFile(ctx context.Context, t source.Type, typeIndex int, sf *SourceFile, batch int64, seen map[string]bool,
	win *destWindow) (mappedSeen int, err error) {
	path := sf.Path
	r, err := source.Open(path, source.Options{Profile: v.opts.Profile, Mapping: v.opts.Mapping, Type: t.Name, Now: v.opts.Now, Limits: v.opts.Limits})
	if err != nil {
		return 0, fmt.Errorf("verify %s: %w", filepath.Base(path), err)
	}
	defer r.Close()
	sampler := &reservoir{k: v.opts.Sample, rng: newRand(v.opts.Seed, uint64(typeIndex))}
	chunk := make([]source.Record, 0, v.opts.ChunkSize)
	rowErrs := make([]*source.RowError, 0, v.opts.ChunkSize)
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
			return mappedSeen, fmt.Errorf("verify %s: %w", filepath.Base(path), err)
		}
		var merged *source.MergedLinesError
		if errors.As(err, &merged) {
			v.mergedLines(t, rec, merged)
		}
		chunk = append(chunk, rec)
		// The reader's error decides the row's outcome (importer.Early).
		rowErrs = append(rowErrs, rowErr)
		if len(chunk) == cap(chunk) {
			n, err := v.verifyChunk(ctx, t, chunk, rowErrs, win, sampler, batch, seen)
			if err != nil {
				return mappedSeen, err
			}
			mappedSeen += n
			chunk, rowErrs = chunk[:0], rowErrs[:0]
		}
	}
	if len(chunk) > 0 {
		n, err := v.verifyChunk(ctx, t, chunk, rowErrs, win, sampler, batch, seen)
		if err != nil {
			return mappedSeen, err
		}
		mappedSeen += n
	}
	v.res.Samples = append(v.res.Samples, sampler.items...)
	v.accountColumns(t, sf, r.Info())
	return mappedSeen, nil
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

// verifyChunk verifies a chunk of a file's rows; mappedSeen counts the ids
// it saw first that have a mapping (see checkVanished).
func (v *verifier) verifyChunk(ctx context.Context, t source.Type, chunk []source.Record, rowErrs []*source.RowError, win *destWindow,
	sampler *reservoir, batch int64, seen map[string]bool) (mappedSeen int, err error) {
	fields, parentCols := ComparedFields(t), parentColumns(t)
	dests, probe, err := win.match(t, chunk)
	if err != nil {
		return 0, err
	}
	if len(probe) > 0 {
		found, err := readDest(ctx, v.db, t, probe)
		if err != nil {
			return 0, err
		}
		for id, d := range found {
			dests[id] = d
		}
	}
	var lines lineOutcomes
	outcomes := map[string]outcome{}
	if batch != 0 {
		// Every line of an imported file has the record its batch wrote.
		if lines, err = readLineOutcomes(ctx, v.db, batch, chunk[0].Line, chunk[len(chunk)-1].Line); err != nil {
			return 0, err
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
			if outcomes, err = readOutcomes(ctx, v.db, t.SourceType, unmapped); err != nil {
				return 0, err
			}
		}
	}
	parents := map[string]map[string]int64{}
	for _, f := range parentCols {
		if parents[f.Ref], err = v.targets(ctx, f.Ref); err != nil {
			return 0, err
		}
	}
	for i, rec := range chunk {
		// One look-up of seen per row: it is the type's largest map.
		imported, before := seen[rec.SourceID]
		o, ok := v.rowOutcome(t, rec, batch != 0, lines, outcomes, dests, before)
		// Outcomes are re-derived in the imported file itself: a file that
		// changed since may hold another version of the row.
		if ok && batch != 0 && o.status != "imported" && o.status != "updated" && o.status != "unchanged" {
			d, mapped := dests[rec.SourceID]
			issueNamed := true
			if lo, found := lines.at(rec.Line); found {
				issueNamed = lo.issueNamed
			}
			v.checkOutcome(rowCheck{t: t, rec: rec, rowErr: rowErrs[i], o: o, batch: batch, issueNamed: issueNamed, dest: d, mapped: mapped,
				before: imported || v.mergedIDs[t.Name][rec.SourceID], parents: parents})
		}
		if ok && v.verifyRecord(t, fields, parentCols, rec, o, dests, parents, sampler, batch == 0, imported) {
			// A copy: the id shares its memory with the whole row as read.
			seen[strings.Clone(rec.SourceID)] = true
		} else if !before && rec.SourceID != "" {
			seen[strings.Clone(rec.SourceID)] = false
		}
		if _, mapped := dests[rec.SourceID]; mapped && !before && rec.SourceID != "" {
			mappedSeen++
		}
	}
	return mappedSeen, nil
}

// mergedLines notes the physical lines a quoting error swallowed into a
// row: they have no record of their own, so they are accounted for here.
func (v *verifier) mergedLines(t source.Type, rec source.Record, e *source.MergedLinesError) {
	tc := v.typeCounts(t.Name)
	tc.MergedLines += e.Last - e.First + 1
	v.finding(Finding{Code: CodeLinesMerged, Type: t.Name, SourceID: rec.SourceID, File: rec.File, Line: e.Line, Blocks: true,
		Params: map[string]string{"first": strconv.Itoa(e.First), "last": strconv.Itoa(e.Last)}})
}

// rowOutcome finds what the importer recorded for a source row: the record
// of its line when the file is the imported one, else its id's latest
// outcome. ok is false when nothing explains the row (already reported).
func (v *verifier) rowOutcome(t source.Type, rec source.Record, byLine bool, lines lineOutcomes, outcomes map[string]outcome,
	dests map[string]Dest, again bool) (outcome, bool) {
	tc := v.typeCounts(t.Name)
	tc.SourceRows++
	if byLine {
		lo, ok := lines.at(rec.Line)
		switch {
		case !ok:
			v.finding(Finding{Code: CodeLineNoRecord, Type: t.Name, SourceID: rec.SourceID, File: rec.File, Line: rec.Line, Blocks: true})
			v.unexplained(t, rec.SourceID, ReasonNoRecord)
			return outcome{}, false
		case lo.sourceID != rec.SourceID:
			v.unexplained(t, rec.SourceID, ReasonRecordOtherID)
			return outcome{}, false
		}
		return outcome{status: lo.status, reason: lo.reason}, true
	}
	if again {
		// A repeated id in a file that is not the imported one: its first
		// occurrence speaks for it.
		return outcome{status: "skipped", reason: "already_imported"}, true
	}
	if d, ok := dests[rec.SourceID]; ok && !d.Merged {
		return outcome{status: "imported"}, true
	}
	o, recorded := outcomes[rec.SourceID]
	switch {
	case recorded:
		return o, true
	case rec.SourceID == "":
		// Rows without an id are rejected as missing_id; they cannot be
		// matched by id, only counted.
		return outcome{status: "error", reason: "missing_id"}, true
	case v.res.SourceDelta[t.Name].Examples != nil:
		d := v.res.SourceDelta[t.Name]
		d.Added++
		d.Examples = appendExample(d.Examples, "+"+rec.SourceID)
		v.res.SourceDelta[t.Name] = d
		v.finding(Finding{Code: CodeLineNoRecord, Type: t.Name, SourceID: rec.SourceID, File: rec.File, Line: rec.Line, Blocks: true,
			Params: map[string]string{"delta": "added"}})
	}
	v.unexplained(t, rec.SourceID, ReasonNoOutcome)
	return outcome{}, false
}

// Reasons of unexplained rows.
const (
	ReasonNoRecord          = "no_record"           // the line has no migration record
	ReasonRecordOtherID     = "record_other_id"     // the line's record names another id
	ReasonNoOutcome         = "no_outcome"          // no mapping and no recorded outcome
	ReasonDestMissing       = "destination_missing" // mapped, but the destination row is gone
	ReasonImportedNotMapped = "imported_not_mapped" // recorded as imported, no mapping
	ReasonMergedNotMapped   = "merged_not_mapped"   // recorded as a merged duplicate, no merged mapping
	ReasonImportedTwice     = "imported_twice"      // two lines imported under one id
	ReasonUnknownStatus     = "unknown_status"      // a record status the importer never writes
)

// It reports whether the row is its id's imported row, which importedBefore
// says an earlier row already was.
func (v *verifier) verifyRecord(t source.Type, fields, parentCols []source.Field, rec source.Record, o outcome, dests map[string]Dest,
	parents map[string]map[string]int64, sampler *reservoir, byID bool, importedBefore bool) (imported bool) {
	tc := v.typeCounts(t.Name)
	d, mapped := dests[rec.SourceID]
	switch o.status {
	case "updated", "unchanged":
		if mapped && d.Merged {
			// A merged duplicate imported again: still merged.
			tc.Merged++
			v.noteMerged(t, rec.SourceID)
			return false
		}
		fallthrough
	case "imported":
		switch {
		case !mapped || d.Merged:
			v.unexplained(t, rec.SourceID, ReasonImportedNotMapped)
			return false
		case importedBefore:
			v.unexplained(t, rec.SourceID, ReasonImportedTwice)
			return false
		}
		tc.Imported++
		if !d.Exists {
			v.unexplained(t, rec.SourceID, ReasonDestMissing)
			return true
		}
		tc.DestinationRows++
		checks := compareRecord(t, fields, rec, d)
		v.markCorrected(t, rec.SourceID, checks)
		v.checkCorrectionsHeld(t, rec.SourceID, d, checks)
		changed := false
		for _, c := range checks {
			if c.Missing && !c.Corrected {
				v.missingField(t, c.Field, rec.SourceID)
			}
			if c.Match || c.Explained || c.Corrected {
				continue
			}
			// In a file other than the imported one a difference may be a
			// change in OkVet since the import: also shown as such.
			changed = byID
			tc.FieldMismatches++
			if len(v.res.Mismatches) < maxListed {
				v.res.Mismatches = append(v.res.Mismatches, Mismatch{Type: t.Name, SourceID: rec.SourceID, Field: c.Field,
					Source: c.Normalised, Destination: c.Destination})
			}
		}
		if t.Name == "clients" {
			name := canonical(rec, "nombre")
			if corr, ok := v.corrected[CorrectionKey{t.Name, rec.SourceID, "nombre"}]; ok {
				name = corr.New // a corrected name splits into the login's names too
			}
			for _, lc := range compareLogin(t, name, d) {
				tc.FieldMismatches++
				if len(v.res.Mismatches) < maxListed {
					v.res.Mismatches = append(v.res.Mismatches, Mismatch{Type: t.Name, SourceID: rec.SourceID, Field: loginPrefix + lc.column,
						Source: lc.want, Destination: lc.got})
				}
				if escalated(lc) {
					v.finding(Finding{Code: CodeLoginEscalated, Type: t.Name, SourceID: rec.SourceID, Table: "vet_clinic_ownerprofile",
						TargetID: d.Target, Blocks: true, Params: map[string]string{"column": lc.column}})
				}
			}
		}
		if changed {
			delta := v.res.SourceDelta[t.Name]
			delta.Changed++
			delta.Examples = appendExample(delta.Examples, "~"+rec.SourceID)
			v.res.SourceDelta[t.Name] = delta
		}
		// Each parent is looked up once, for the chain check and the sum.
		var buf [4]parentLink
		links := buf[:0]
		for _, f := range parentCols {
			l := parentLink{ref: rec.Values[f.Name].Text, got: d.Parents[f.Name]}
			l.want, l.mapped = parents[f.Ref][l.ref]
			links = append(links, l)
		}
		v.checkParents(t, parentCols, rec, links)
		v.addContent(t, fields, parentCols, rec, d, links, parents)
		if t.Name == "documents" {
			v.noteExportAttachment(rec, d.Target)
		}
		sampler.offer(t.Name, rec.SourceID, checks)
		return true
	case "duplicate":
		if !mapped || !d.Merged {
			v.unexplained(t, rec.SourceID, ReasonMergedNotMapped)
			return false
		}
		tc.Merged++
		v.noteMerged(t, rec.SourceID)
		if survivor, ok := strings.CutPrefix(o.reason, "merged_into:"); ok {
			v.survivors = append(v.survivors, mergedPair{typ: t.Name, sourceType: t.SourceType, dup: rec.SourceID, survivor: survivor, target: d.Target})
		}
	case "error":
		tc.Rejected++
		if tc.RejectedBy == nil {
			tc.RejectedBy = map[string]int{}
		}
		reason := o.reason
		if reason == "" {
			reason = "unknown"
		}
		tc.RejectedBy[reason]++
	case "skipped":
		if o.reason == "orphaned" {
			tc.Orphaned++
		} else {
			tc.Skipped++
		}
	default:
		v.unexplained(t, rec.SourceID, ReasonUnknownStatus)
	}
	return false
}

// noteMerged remembers a source id recorded as a merged duplicate, which
// supports a later row of the same id skipped as already_imported.
func (v *verifier) noteMerged(t source.Type, id string) {
	if v.mergedIDs[t.Name] == nil {
		v.mergedIDs[t.Name] = map[string]bool{}
	}
	v.mergedIDs[t.Name][strings.Clone(id)] = true
}

// noteExportAttachment remembers the SHA-256 of a document's file as the
// export holds it, when it can be read inside the export folder, so a
// stored file replaced together with its recorded hash is still caught.
func (v *verifier) noteExportAttachment(rec source.Record, row int64) {
	dir := filepath.Dir(rec.File)
	rel := filepath.FromSlash(strings.ReplaceAll(strings.TrimSpace(rec.Raw["archivo"]), "\\", "/"))
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

// realDir is filepath.EvalSymlinks of a folder, resolved once per run.
func (v *verifier) realDir(dir string) (string, error) {
	if r, ok := v.realDirs[dir]; ok {
		return r.path, r.err
	}
	p, err := filepath.EvalSymlinks(dir)
	v.realDirs[dir] = resolved{p, err}
	return p, err
}

type resolved struct {
	path string
	err  error
}

// sourceOf finds the source id a parent row stands for (the smallest, when
// merged duplicates share it), from the referenced type's id map.
func (v *verifier) sourceOf(ref string, targets map[string]int64, row int64) string {
	rev, ok := v.reverse[ref]
	if !ok {
		rev = make(map[int64]string, len(targets))
		for id, target := range targets {
			if cur, seen := rev[target]; !seen || id < cur {
				rev[target] = id
			}
		}
		v.reverse[ref] = rev
	}
	if id, ok := rev[row]; ok {
		return id
	}
	return "#" + strconv.FormatInt(row, 10) // a row no mapping names: the chain check reports it
}

// addContent folds a migrated row into its table's content sum: the
// destination's canonical values, and each parent as the source id it
// stands for when the link is right (so two databases loaded from the same
// export agree), else as the raw target id.
func (v *verifier) addContent(t source.Type, fields, parentCols []source.Field, rec source.Record, d Dest, links []parentLink,
	parents map[string]map[string]int64) {
	c, ok := v.content[t.Name]
	if !ok {
		c = &contentSum{}
		v.content[t.Name] = c
	}
	c.begin(rec.SourceID)
	for _, f := range fields {
		c.piece(f.Name, "=", d.Fields[f.Name])
	}
	for _, lc := range loginColumns(t) {
		c.piece(loginPrefix+lc.Name, "=", d.Fields[loginPrefix+lc.Name])
	}
	for i, f := range parentCols {
		l := links[i]
		switch {
		case l.mapped && l.got == l.want && l.ref != "":
			c.piece(f.Name, "=", l.ref)
		case l.got == 0:
			c.piece(f.Name, "=", "")
		default:
			// Another parent than the source names (or none named): the
			// source id it stands for, so the sum never holds a row id.
			c.piece(f.Name, "=@", v.sourceOf(f.Ref, parents[f.Ref], l.got))
		}
	}
	c.end()
}

// checkCorrectionsHeld finds the audited corrections of a row whose value
// the destination no longer holds: the latest correction of each field
// must still be there (a later one would be the latest), else something
// overwrote it unseen, an import that ran while it was made for one.
func (v *verifier) checkCorrectionsHeld(t source.Type, id string, d Dest, checks []FieldCheck) {
	if len(v.corrected) == 0 {
		return
	}
	for _, c := range checks {
		corr, ok := v.corrected[CorrectionKey{t.Name, id, c.Field}]
		if !ok {
			continue
		}
		f, _ := t.Field(c.Field)
		if equalValues(f.Kind, corr.New, d.Fields[c.Field]) {
			continue
		}
		v.finding(Finding{Code: CodeCorrectionLost, Type: t.Name, SourceID: id, Table: t.Table, TargetID: d.Target, Blocks: true,
			Params: map[string]string{"field": c.Field, "corrected": corr.New, "now": d.Fields[c.Field], "by": corr.By,
				"at": corr.At.UTC().Format(time.RFC3339)}})
	}
}

// markCorrected lets an audited correction explain a field's difference.
func (v *verifier) markCorrected(t source.Type, id string, checks []FieldCheck) {
	if len(v.corrected) == 0 {
		return
	}
	var latest map[string]Correction
	for _, c := range checks {
		if corr, ok := v.corrected[CorrectionKey{t.Name, id, c.Field}]; ok {
			if latest == nil {
				latest = map[string]Correction{}
			}
			latest[c.Field] = corr
		}
	}
	if latest != nil {
		MarkCorrected(t, checks, latest)
	}
}

// checkParents verifies the row hangs from the parent its source names.
func (v *verifier) checkParents(t source.Type, parentCols []source.Field, rec source.Record, links []parentLink) {
	for i, f := range parentCols {
		l := links[i]
		if l.ref == "" {
			continue
		}
		name := v.chainNames[t.Name][i]
		v.chain(name)
		if !l.mapped {
			// Unmapped parent: an orphan adopted by the placeholder owner, or
			// an unknown product kept without a link.
			continue
		}
		if f.Ref == "pet" && v.perPet[t.Name] != nil {
			v.perPet[t.Name][l.want]++
		}
		if l.got != l.want && !(t.Name == "appointments" && f.Ref == "client") {
			v.violate(name, fmt.Sprintf("%s %s: %s %s → #%d ≠ #%d", t.Name, rec.SourceID, f.Ref, l.ref, l.got, l.want))
		}
	}
}

// parentLink is one parent column of a row: the source id the export
// names (ref), the row it maps to (want, when mapped) and the row the
// destination points at (got).
type parentLink struct {
	ref       string
	want, got int64
	mapped    bool
}

func (v *verifier) missingField(t source.Type, field, id string) {
	key := t.Name + "." + field
	m, ok := v.missing[key]
	if !ok {
		m = &MissingField{Type: t.Name, Field: field, Examples: []string{}}
		v.missing[key] = m
	}
	m.Rows++
	if len(m.Examples) < maxExamples {
		m.Examples = append(m.Examples, id)
	}
}

// perPetChecks are the per-pet counts: type, table and check name.
var perPetChecks = []struct{ typ, table, check string }{
	{"medical", "medical_medicalrecord", CheckPerPetMedical},
	{"vaccines", "medical_vaccinationrecord", CheckPerPetVaccines},
}

var perPetTables = []string{"medical_medicalrecord", "medical_vaccinationrecord"}

// applyPerPetCounts compares the rows per pet of each table (by table name)
// with the source's.
func (v *verifier) applyPerPetCounts(perTable map[string]map[int64]int) {
	for _, tc := range perPetChecks {
		want := v.perPet[tc.typ]
		v.chain(tc.check)
		got := perTable[tc.table]
		var pets []int64
		for p := range got {
			pets = append(pets, p)
		}
		for p := range want {
			if _, ok := got[p]; !ok {
				pets = append(pets, p)
			}
		}
		sort.Slice(pets, func(i, j int) bool { return pets[i] < pets[j] })
		for _, p := range pets {
			if got[p] != want[p] {
				v.violate(tc.check, fmt.Sprintf("pet #%d: %d ≠ %d", p, got[p], want[p]))
			}
		}
	}
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

// readIssues counts quality issues of real, completed batches, per record
// type, severity and issue type.
func (v *verifier) readIssues(ctx context.Context) error {
	err := eachIssueCount(ctx, v.db, func(ic IssueCount) {
		if t, ok := source.TypeByName(ic.RecordType); ok {
			ic.RecordType = t.Name
		}
		v.res.IssuesByType = append(v.res.IssuesByType, ic)
		v.res.IssuesBySev[ic.Severity] += ic.Open
	})
	if err != nil {
		return err
	}
	sort.Slice(v.res.IssuesByType, func(i, j int) bool {
		a, b := v.res.IssuesByType[i], v.res.IssuesByType[j]
		if a.RecordType != b.RecordType {
			return typeOrder(a.RecordType) < typeOrder(b.RecordType)
		}
		return a.Severity < b.Severity || a.Severity == b.Severity && a.Type < b.Type
	})
	for _, sev := range []string{"critical", "warning", "info"} {
		v.res.IssuesBySev[sev] += 0
	}
	err = eachResolutionCount(ctx, v.db, func(rc ResolutionCount) { v.res.Resolutions = append(v.res.Resolutions, rc) })
	if err != nil {
		return err
	}
	err = eachResolvedCritical(ctx, v.db, maxListed, func(ri ResolvedIssue) {
		if t, ok := source.TypeByName(ri.RecordType); ok {
			ri.RecordType = t.Name
		}
		v.res.ResolvedCritical = append(v.res.ResolvedCritical, ri)
	})
	if err != nil {
		return err
	}
	return eachUntracedIssue(ctx, v.db, func(u UntracedIssue) {
		if t, ok := source.TypeByName(u.Type); ok {
			u.Type = t.Name
		}
		if len(v.res.Untraced) < maxListed {
			v.res.Untraced = append(v.res.Untraced, u)
		}
		// Not blocking: like an open critical issue it keeps the run from
		// sign-off (Untraced, the checklist), not from being verified.
		v.finding(Finding{Code: CodeResolvedNoTrace, Type: u.Type, SourceID: u.SourceID, Table: "migration_dataqualityissue", TargetID: u.ID,
			Params: map[string]string{"issue_type": u.Issue, "lacks": strings.Join(u.Lacks, ",")}})
	})
}

// checkSurvivors confirms each merged duplicate maps to the row of the
// owner or product it was merged into.
func (v *verifier) checkSurvivors(ctx context.Context) error {
	const name = CheckMergedSurvivor
	v.chain(name)
	bySource := map[string][]string{}
	for _, p := range v.survivors {
		bySource[p.sourceType] = append(bySource[p.sourceType], p.survivor)
	}
	targets := map[string]map[string]int64{}
	for st, ids := range bySource {
		t, err := readTargets(ctx, v.db, st, ids)
		if err != nil {
			return err
		}
		targets[st] = t
	}
	for _, p := range v.survivors {
		if got, ok := targets[p.sourceType][p.survivor]; !ok || got != p.target {
			v.violate(name, fmt.Sprintf("%s %s → %d; %s → %d", p.typ, p.dup, p.target, p.survivor, got))
		}
	}
	return nil
}

// finish orders every list and decides the verdict.
func (v *verifier) finish() {
	names := make([]string, 0, len(v.chains))
	for n := range v.chains {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		v.res.Chains = append(v.res.Chains, *v.chains[n])
	}
	keys := make([]string, 0, len(v.missing))
	for k := range v.missing {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v.res.Missing = append(v.res.Missing, *v.missing[k])
	}
	sort.SliceStable(v.res.Mismatches, func(i, j int) bool {
		a, b := v.res.Mismatches[i], v.res.Mismatches[j]
		return typeOrder(a.Type) < typeOrder(b.Type) || typeOrder(a.Type) == typeOrder(b.Type) && a.SourceID < b.SourceID
	})
	sort.SliceStable(v.res.Unexplained, func(i, j int) bool {
		a, b := v.res.Unexplained[i], v.res.Unexplained[j]
		return typeOrder(a.Type) < typeOrder(b.Type) || typeOrder(a.Type) == typeOrder(b.Type) && a.SourceID < b.SourceID
	})
	sort.SliceStable(v.res.Findings, func(i, j int) bool {
		a, b := v.res.Findings[i], v.res.Findings[j]
		if a.Blocks != b.Blocks {
			return a.Blocks
		}
		if typeOrder(a.Type) != typeOrder(b.Type) {
			return typeOrder(a.Type) < typeOrder(b.Type)
		}
		if a.Code != b.Code {
			return a.Code < b.Code
		}
		return a.SourceID < b.SourceID || a.SourceID == b.SourceID && a.TargetID < b.TargetID
	})
	v.res.Checklist = checklist(*v.res, v.failed)
	ok := len(v.res.Sources) > 0
	for _, c := range v.res.Checklist {
		if !c.OK && c.Code != CheckCritical {
			ok = false
		}
	}
	v.res.OK = ok
	// A critical issue resolved without a trace is not resolved.
	v.res.SignoffReady = ok && v.res.IssuesBySev["critical"] == 0 && len(v.res.Untraced) == 0
	v.res.Fingerprint = Fingerprint(*v.res)
}

// Fingerprint is the SHA-256 of the result's findings in canonical JSON,
// leaving out when and by whom the run was made, so two runs over the same
// data and database have the same fingerprint.
func Fingerprint(r Result) string {
	r.RunID, r.GeneratedAt, r.Operator, r.Clinic, r.Fingerprint = 0, time.Time{}, "", "", ""
	r.Durations = nil
	// Where the files sit does not change what they hold.
	r.Sources = append([]SourceFile(nil), r.Sources...)
	for i := range r.Sources {
		r.Sources[i].Path = filepath.Base(r.Sources[i].Path)
	}
	b, _ := json.Marshal(r) // maps marshal with sorted keys: canonical
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// newRand gives each type its own stream of the run's seed.
func newRand(seed, stream uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, stream)) }

// reservoir keeps a uniform sample of k rows from a stream.
type reservoir struct {
	k     int
	seen  int
	rng   *rand.Rand
	items []Sample
}

func (r *reservoir) offer(typ, id string, checks []FieldCheck) {
	r.seen++
	slot := len(r.items)
	if slot >= r.k {
		slot = r.rng.IntN(r.seen)
		if slot >= r.k {
			return
		}
	}
	s := Sample{Type: typ, SourceID: id, Match: true, Fields: make([]SampleField, 0, len(checks))}
	for _, c := range checks {
		match := c.Match || c.Explained || c.Corrected
		s.Fields = append(s.Fields, SampleField{Field: c.Field, Raw: c.Raw, Normalised: c.Normalised, Destination: c.Destination, Match: match})
		if !match {
			s.Match = false
		}
	}
	if slot == len(r.items) {
		r.items = append(r.items, s)
	} else {
		r.items[slot] = s
	}
}
