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
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

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
	Operator  string
	Clinic    string
	ChunkSize int // source rows compared per database round trip (default 5000)
	Now       func() time.Time
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
	}
	sources, err := findSources(ctx, db, opts)
	if err != nil {
		return res, err
	}
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
		parentTargets: map[string]map[string]int64{}, lastRef: map[string]int{}, chainNames: map[string][]string{}}
	for i, t := range source.Types() {
		for _, f := range parentColumns(t) {
			v.lastRef[f.Ref] = i
			v.chainNames[t.Name] = append(v.chainNames[t.Name], t.Name+"."+f.Name+" → "+f.Ref)
		}
	}
	for i, t := range source.Types() {
		res.Types[t.Name] = TypeCounts{}
		for si := range res.Sources {
			s := &res.Sources[si]
			if s.Type != t.Name || s.Status == "missing" {
				continue
			}
			if err := v.verifyFile(ctx, t, i, s.Path); err != nil {
				return res, err
			}
		}
		v.dropTargets(i)
	}
	if err := v.checkPerPetCounts(ctx); err != nil {
		return res, err
	}
	if err := v.checkAttachments(ctx); err != nil {
		return res, err
	}
	if err := v.checkSurvivors(ctx); err != nil {
		return res, err
	}
	if err := v.readIssues(ctx); err != nil {
		return res, err
	}
	v.finish()
	return res, nil
}

// findSources picks the files to compare: those of the latest completed,
// real batch of each type, checked against the SHA-256 recorded at import.
func findSources(ctx context.Context, db Querier, opts Options) ([]SourceFile, error) {
	if opts.SourceDir != "" {
		return sourcesFromDir(opts)
	}
	rows, err := db.Query(ctx, `SELECT DISTINCT ON (batch_type) batch_type, source_file, source_sha256, id
		FROM migration_migrationbatch WHERE status = 'completed' AND NOT is_dry_run
		ORDER BY batch_type, id DESC`)
	if err != nil {
		return nil, fmt.Errorf("find imported files: %w", err)
	}
	var out []SourceFile
	var batchType, path, sum string
	var id int64
	_, err = pgx.ForEachRow(rows, []any{&batchType, &path, &sum, &id}, func() error {
		t, ok := source.TypeByName(batchType)
		if !ok {
			return nil
		}
		sf := SourceFile{Type: t.Name, Path: path, SHA256: sum, BatchID: id, Status: "ok"}
		got, err := fileHash(path)
		switch {
		case err != nil:
			sf.Status = "missing"
		case got != sum:
			sf.Status = "changed"
		}
		out = append(out, sf)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find imported files: %w", err)
	}
	sort.Slice(out, func(i, j int) bool { return typeOrder(out[i].Type) < typeOrder(out[j].Type) })
	return out, nil
}

func sourcesFromDir(opts Options) ([]SourceFile, error) {
	entries, err := os.ReadDir(opts.SourceDir)
	if err != nil {
		return nil, fmt.Errorf("read source folder: %w", err)
	}
	var out []SourceFile
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") || e.Name() == "expected.json" {
			continue
		}
		path := filepath.Join(opts.SourceDir, e.Name())
		r, err := source.Open(path, source.Options{Profile: opts.Profile, Mapping: opts.Mapping})
		if err != nil {
			continue // not an export file: import lists these, verify compares exports only
		}
		types := r.Info().Types
		r.Close()
		sum, err := fileHash(path)
		if err != nil {
			return nil, err
		}
		for _, tn := range types {
			out = append(out, SourceFile{Type: tn, Path: path, SHA256: sum, Status: "ok"})
		}
	}
	sort.Slice(out, func(i, j int) bool { return typeOrder(out[i].Type) < typeOrder(out[j].Type) })
	return out, nil
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
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
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
		}
	}
}

type mergedPair struct {
	typ, sourceType, dup, survivor string
	target                         int64
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
	tc := v.res.Types[t.Name]
	tc.Unexplained++
	v.res.Types[t.Name] = tc
	if len(v.res.Unexplained) < maxListed {
		v.res.Unexplained = append(v.res.Unexplained, Unexplained{Type: t.Name, SourceID: id, Reason: reason})
	}
}

// verifyFile streams one export file in chunks.
func (v *verifier) verifyFile(ctx context.Context, t source.Type, typeIndex int, path string) error {
	r, err := source.Open(path, source.Options{Profile: v.opts.Profile, Mapping: v.opts.Mapping, Type: t.Name, Now: v.opts.Now})
	if err != nil {
		return fmt.Errorf("verify %s: %w", filepath.Base(path), err)
	}
	defer r.Close()
	sampler := &reservoir{k: v.opts.Sample, rng: newRand(v.opts.Seed, uint64(typeIndex))}
	var win *destWindow
	if canStream(v.db) {
		if win, err = newDestWindow(ctx, v.db, t, v.opts.ChunkSize); err != nil {
			return err
		}
		defer win.close()
	}
	chunk := make([]source.Record, 0, v.opts.ChunkSize)
	seen := 0
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
		chunk = append(chunk, rec)
		seen++
		if len(chunk) == cap(chunk) {
			if err := v.verifyChunk(ctx, t, chunk, seen, win, sampler); err != nil {
				return err
			}
			chunk = chunk[:0]
		}
	}
	if len(chunk) > 0 {
		if err := v.verifyChunk(ctx, t, chunk, seen, win, sampler); err != nil {
			return err
		}
	}
	v.res.Samples = append(v.res.Samples, sampler.items...)
	return nil
}

func (v *verifier) verifyChunk(ctx context.Context, t source.Type, chunk []source.Record, seen int, win *destWindow, sampler *reservoir) error {
	fields, parentCols := ComparedFields(t), parentColumns(t)
	dests, probe, err := win.match(t, chunk, seen)
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
	// Recorded outcomes only matter for rows without a plain mapping (not
	// imported, or merged into a survivor): most rows of a chunk need no
	// look-up in migration_migrationrecord at all.
	var unmapped []string
	for _, rec := range chunk {
		if d, ok := dests[rec.SourceID]; !ok || d.Merged {
			unmapped = append(unmapped, rec.SourceID)
		}
	}
	outcomes := map[string]outcome{}
	if len(unmapped) > 0 {
		if outcomes, err = readOutcomes(ctx, v.db, t.SourceType, unmapped); err != nil {
			return err
		}
	}
	parents := map[string]map[string]int64{}
	for _, f := range parentCols {
		if parents[f.Ref], err = v.targets(ctx, f.Ref); err != nil {
			return err
		}
	}
	for _, rec := range chunk {
		v.verifyRecord(t, fields, parentCols, rec, dests, outcomes, parents, sampler)
	}
	return nil
}

func (v *verifier) verifyRecord(t source.Type, fields, parentCols []source.Field, rec source.Record, dests map[string]Dest, outcomes map[string]outcome,
	parents map[string]map[string]int64, sampler *reservoir) {
	tc := v.res.Types[t.Name]
	tc.SourceRows++
	d, mapped := dests[rec.SourceID]
	o, recorded := outcomes[rec.SourceID]
	switch {
	case mapped && d.Merged:
		tc.Merged++
		if survivor, ok := strings.CutPrefix(o.reason, "merged_into:"); ok {
			v.survivors = append(v.survivors, mergedPair{t.Name, t.SourceType, rec.SourceID, survivor, d.Target})
		}
		v.res.Types[t.Name] = tc
	case mapped:
		tc.Imported++
		v.res.Types[t.Name] = tc
		if !d.Exists {
			v.unexplained(t, rec.SourceID, "destination row missing")
			return
		}
		tc = v.res.Types[t.Name]
		tc.DestinationRows++
		checks := compareRecord(t, fields, rec, d)
		v.markCorrected(t, rec.SourceID, checks)
		for _, c := range checks {
			if c.Missing && !c.Corrected {
				v.missingField(t, c.Field, rec.SourceID)
			}
			if c.Match || c.Explained || c.Corrected {
				continue
			}
			tc.FieldMismatches++
			if len(v.res.Mismatches) < maxListed {
				v.res.Mismatches = append(v.res.Mismatches, Mismatch{Type: t.Name, SourceID: rec.SourceID, Field: c.Field,
					Source: c.Normalised, Destination: c.Destination})
			}
		}
		v.res.Types[t.Name] = tc
		v.checkParents(t, parentCols, rec, d, parents)
		sampler.offer(t.Name, rec.SourceID, checks)
	case !recorded && rec.SourceID == "":
		// Rows without an id are rejected as missing_id; they cannot be
		// matched by id, only counted.
		tc.Rejected++
		v.res.Types[t.Name] = tc
	case !recorded:
		v.res.Types[t.Name] = tc
		v.unexplained(t, rec.SourceID, "no mapping and no recorded outcome")
	case o.status == "error":
		tc.Rejected++
		v.res.Types[t.Name] = tc
	case o.status == "skipped" && o.reason == "orphaned":
		tc.Orphaned++
		v.res.Types[t.Name] = tc
	case o.status == "skipped":
		tc.Skipped++
		v.res.Types[t.Name] = tc
	default:
		v.res.Types[t.Name] = tc
		v.unexplained(t, rec.SourceID, "recorded as "+o.status+" but not mapped")
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
func (v *verifier) checkParents(t source.Type, parentCols []source.Field, rec source.Record, d Dest, parents map[string]map[string]int64) {
	for i, f := range parentCols {
		refID := rec.Values[f.Name].Text
		if refID == "" {
			continue
		}
		name := v.chainNames[t.Name][i]
		v.chain(name)
		want, ok := parents[f.Ref][refID]
		got := d.Parents[f.Name]
		if !ok {
			// Unmapped parent: an orphan adopted by the placeholder owner, or
			// an unknown product kept without a link.
			continue
		}
		if f.Ref == "pet" && v.perPet[t.Name] != nil {
			v.perPet[t.Name][want]++
		}
		if got != want && !(t.Name == "appointments" && f.Ref == "client") {
			v.violate(name, fmt.Sprintf("%s %s: %s %s → destino %d, esperado %d", t.Name, rec.SourceID, f.Ref, refID, got, want))
		}
	}
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

// checkPerPetCounts compares, per pet, how many records and vaccinations the
// source puts under it with how many the destination holds.
func (v *verifier) checkPerPetCounts(ctx context.Context) error {
	for _, tc := range []struct{ typ, table, check string }{
		{"medical", "medical_medicalrecord", "historias por mascota = origen"},
		{"vaccines", "medical_vaccinationrecord", "vacunas por mascota = origen"},
	} {
		want := v.perPet[tc.typ]
		v.chain(tc.check)
		rows, err := v.db.Query(ctx, "SELECT pet_id, count(*) FROM "+tc.table+" GROUP BY pet_id")
		if err != nil {
			return fmt.Errorf("count %s per pet: %w", tc.table, err)
		}
		got := map[int64]int{}
		var pet int64
		var n int
		if _, err := pgx.ForEachRow(rows, []any{&pet, &n}, func() error { got[pet] = n; return nil }); err != nil {
			return fmt.Errorf("count %s per pet: %w", tc.table, err)
		}
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
				v.violate(tc.check, fmt.Sprintf("mascota %d: destino %d, origen %d", p, got[p], want[p]))
			}
		}
	}
	return nil
}

// checkAttachments confirms every imported document's file is in the media
// store with the SHA-256 recorded at import.
func (v *verifier) checkAttachments(ctx context.Context) error {
	rows, err := v.db.Query(ctx, `SELECT COALESCE(m.source_id, d.id::text), d.file, d.sha256 FROM documents_document d
		LEFT JOIN migration_externalidmapping m ON m.target_model = 'documents_document' AND m.target_id = d.id AND NOT m.is_merged
		ORDER BY 1`)
	if err != nil {
		return fmt.Errorf("read documents: %w", err)
	}
	a := &v.res.Attachments
	a.Examples = []string{}
	var id, file, sum string
	_, err = pgx.ForEachRow(rows, []any{&id, &file, &sum}, func() error {
		a.Checked++
		got, err := fileHash(filepath.Join(v.opts.MediaDir, filepath.FromSlash(file)))
		switch {
		case err != nil:
			a.Missing++
		case got != sum:
			a.Corrupt++
		default:
			return nil
		}
		if len(a.Examples) < maxExamples {
			a.Examples = append(a.Examples, id+": "+file)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read documents: %w", err)
	}
	return nil
}

// readIssues counts quality issues of real, completed batches, per record
// type, severity and issue type.
func (v *verifier) readIssues(ctx context.Context) error {
	rows, err := v.db.Query(ctx, `SELECT COALESCE(i.source_type, ''), i.severity, i.issue_type,
			count(*) FILTER (WHERE NOT i.is_resolved), count(*) FILTER (WHERE i.is_resolved)
		FROM migration_dataqualityissue i JOIN migration_migrationbatch b ON b.id = i.batch_id
		WHERE b.status = 'completed' AND NOT b.is_dry_run
		GROUP BY 1, 2, 3`)
	if err != nil {
		return fmt.Errorf("read quality issues: %w", err)
	}
	var ic IssueCount
	_, err = pgx.ForEachRow(rows, []any{&ic.RecordType, &ic.Severity, &ic.Type, &ic.Open, &ic.Resolved}, func() error {
		if t, ok := source.TypeByName(ic.RecordType); ok {
			ic.RecordType = t.Name
		}
		v.res.IssuesByType = append(v.res.IssuesByType, ic)
		v.res.IssuesBySev[ic.Severity] += ic.Open
		return nil
	})
	if err != nil {
		return fmt.Errorf("read quality issues: %w", err)
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
	return nil
}

// checkSurvivors confirms each merged duplicate maps to the row of the
// owner or product it was merged into.
func (v *verifier) checkSurvivors(ctx context.Context) error {
	const name = "duplicados → sobreviviente"
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
	ok := len(v.res.Sources) > 0
	for _, tc := range v.res.Types {
		if tc.Unexplained > 0 || tc.FieldMismatches > 0 {
			ok = false
		}
	}
	for _, c := range v.res.Chains {
		if !c.OK {
			ok = false
		}
	}
	for _, s := range v.res.Sources {
		if s.Status != "ok" {
			ok = false
		}
	}
	if v.res.Attachments.Missing > 0 || v.res.Attachments.Corrupt > 0 {
		ok = false
	}
	v.res.OK = ok
	v.res.SignoffReady = ok && v.res.IssuesBySev["critical"] == 0
	v.res.Fingerprint = Fingerprint(*v.res)
}

// Fingerprint is the SHA-256 of the result's findings in canonical JSON,
// leaving out when and by whom the run was made, so two runs over the same
// data and database have the same fingerprint.
func Fingerprint(r Result) string {
	r.RunID, r.GeneratedAt, r.Operator, r.Clinic, r.Fingerprint = 0, time.Time{}, "", "", ""
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
