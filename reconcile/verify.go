package reconcile

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"sync"
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
	// Reads is how the destination is read (see Reads); the default picks
	// the most the connection allows.
	Reads Reads
	// Jobs is how many types are verified at once (default: one per core,
	// as many as the pool has connections for). The result is the same
	// whatever it is: each type keeps a tally of its own, merged in type
	// order.
	Jobs int
}

// maxListed caps the finding lists kept in a Result; the counts stay exact.
const maxListed = 5000

// maxExamples caps the examples kept per chain check or missing field.
const maxExamples = 10

// check validates the options against db and fills in their defaults.
func (o *Options) check(db Querier) error {
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
	conns := poolConns(db)
	var err error
	if o.Reads, err = o.Reads.resolve(conns); err != nil {
		return err
	}
	o.Jobs, err = resolveJobs(o.Jobs, o.Reads, conns, runtime.NumCPU())
	return err
}

// DefaultSeed is the date as YYYYMMDD, so a day's sample can be drawn again.
func DefaultSeed(t time.Time) uint64 {
	y, m, d := t.Date()
	return uint64(y*10000 + int(m)*100 + d)
}

// Verify compares the export files with the destination and returns the
// result. It reads the files once, in chunks, so memory stays bounded.
func Verify(ctx context.Context, db Querier, opts Options) (Result, error) {
	if err := opts.check(db); err != nil {
		return Result{}, fmt.Errorf("verify: %w", err)
	}
	res := Result{
		GeneratedAt: opts.Now().UTC().Truncate(time.Second), Operator: opts.Operator, Clinic: opts.Clinic,
		Types: map[string]TypeCounts{}, SampleSeed: opts.Seed, IssuesBySev: map[string]int{},
		Mismatches: []Mismatch{}, Unexplained: []Unexplained{}, Chains: []Chain{}, Samples: []Sample{},
		Missing: []MissingField{}, Corrections: []Correction{}, IssuesByType: []IssueCount{},
		Findings: []Finding{}, SourceDelta: map[string]Delta{}, AllowNewRows: opts.AllowNewRows,
	}
	v, batches, err := newVerifier(ctx, db, opts, &res)
	if err != nil {
		return res, err
	}
	defer v.exportHashes.wait()
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
	if opts.Reads == ReadsAhead {
		tail = startTailReads(ctx, db, verified, opts.MediaDir)
		defer tail.stop()
	}
	if err := v.verifyTypes(ctx, lastImport(batches)); err != nil {
		return res, err
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
	if err := v.afterPass(ctx, after); err != nil {
		return res, err
	}
	v.finish()
	return res, nil
}

// newVerifier reads what every type is compared with: the import batches
// and the files to verify, the audited corrections and the mappings.
func newVerifier(ctx context.Context, db Querier, opts Options, res *Result) (*verifier, []batchInfo, error) {
	batches, err := readBatches(ctx, db)
	if err != nil {
		return nil, nil, err
	}
	listing, err := listExports(batches, opts)
	if err != nil {
		return nil, nil, err
	}
	sources, findings := planSources(batches, listing, opts.SourceDir)
	res.Sources = sources
	// A correction of a row a rollback removed no longer describes the data.
	corrections, err := readCorrections(ctx, db, "", "", true)
	if err != nil {
		return nil, nil, err
	}
	res.Corrections = corrections
	if len(corrections) > maxListed {
		res.Corrections = corrections[:maxListed]
	}
	v := &verifier{tally: newTally(res), db: db, opts: opts, corrected: LatestCorrections(corrections),
		parents: newParentIDs(source.Types()), chainNames: map[string][]string{}, realDirs: &dirCache{m: map[string]resolved{}},
		exportHashes: &hashQueue{}}
	if v.mappings, err = mappingCounts(ctx, db); err != nil {
		return nil, nil, err
	}
	for _, f := range findings {
		v.finding(f)
	}
	for _, t := range source.Types() {
		for _, f := range parentColumns(t) {
			v.chainNames[t.Name] = append(v.chainNames[t.Name], t.Name+"."+f.Name+" → "+f.Ref)
		}
	}
	return v, batches, nil
}

// lastImport is when the latest completed batch finished.
func lastImport(batches []batchInfo) time.Time {
	var last time.Time
	for _, b := range batches {
		if b.Status == "completed" && b.Finished.After(last) {
			last = b.Finished
		}
	}
	return last
}

// verifyTypes verifies the types, opts.Jobs at once, each on a tally of
// its own; the tallies are merged into the run's in type order, so the
// result does not depend on which type finishes first.
func (v *verifier) verifyTypes(ctx context.Context, lastImport time.Time) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	types := source.Types()
	tallies := make([]*tally, len(types))
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error // the first failure; the others may be its cancellation
	)
	slots := make(chan struct{}, v.opts.Jobs)
	for i, t := range types {
		tv := v.forType()
		tallies[i] = tv.tally
		slots <- struct{}{}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer func() { <-slots; wg.Done() }()
			if err := tv.verifyType(ctx, t, i, lastImport); err != nil {
				once.Do(func() { first = err; cancel() })
			}
		}()
	}
	wg.Wait()
	if first != nil {
		return first
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, tl := range tallies {
		v.merge(tl)
	}
	for name, c := range v.counts {
		v.res.Types[name] = *c
	}
	return nil
}

// afterPass runs the checks that need every type verified: the tail's
// reads, merged survivors, recorded outcomes, quality issues, and the
// content sums.
func (v *verifier) afterPass(ctx context.Context, after tailResult) error {
	for _, f := range after.audit {
		v.finding(f)
	}
	v.applyPerPetCounts(after.perPet)
	v.applyAttachments(after.docs, v.exportHashes.wait())
	if err := v.checkSurvivors(ctx); err != nil {
		return err
	}
	if err := v.checkClaims(ctx); err != nil {
		return err
	}
	if err := v.readIssues(ctx); err != nil {
		return err
	}
	v.addExtraContent(after.docs, after.digests)
	tables := map[string]string{}
	for _, t := range source.Types() {
		tables[t.Name] = t.Table
	}
	v.res.Tables, v.res.ContentFingerprint = contentTables(v.content, tables)
	return nil
}

// verifyType verifies every export file of one type, then accounts for the
// type's table and mappings from the destination end.
func (v *verifier) verifyType(ctx context.Context, t source.Type, typeIndex int, lastImport time.Time) error {
	res := v.res
	tr := v.newTypeRun(t, typeIndex)
	// One window per type: split exports follow one another in import
	// order, as the target ids were reserved, and the window's streams
	// also account for the table (tableAccount).
	if v.opts.Reads != ReadsLookups {
		var err error
		if tr.win, err = newDestWindow(ctx, v.db, t, v.opts.ChunkSize); err != nil {
			return err
		}
		defer tr.win.close()
	}
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
		v.typeCounts(t.Name).SourceFiles++
		batch := int64(0)
		if s.Status == statusOK && s.BatchID != 0 {
			batch = s.BatchID
		} else if _, ok := res.SourceDelta[t.Name]; !ok {
			res.SourceDelta[t.Name] = Delta{Examples: []string{}}
		}
		if err := v.verifyFile(ctx, tr, s, batch); err != nil {
			return err
		}
	}
	v.parents.done(t)
	// With an imported file unread, its rows would all look deleted.
	if complete {
		if err := v.checkVanished(ctx, t, tr.seen, tr.mappedSeen); err != nil {
			return err
		}
	}
	return v.checkTable(ctx, tr, lastImport)
}

// checkTable accounts for a type's table and mappings from the
// destination end, from the window's streams when there are any.
func (v *verifier) checkTable(ctx context.Context, tr *typeRun, lastImport time.Time) error {
	t := tr.t
	ao := accountOptions{lastImport: lastImport, allowNewRows: v.opts.AllowNewRows}
	for model, n := range v.mappings[t.SourceType] {
		ao.wrongModel = ao.wrongModel || (model != t.Table && n > 0)
	}
	var c tableCheck
	var err error
	if tr.win != nil {
		c, err = tr.win.tableCheck(ctx, v.db, t, ao)
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
