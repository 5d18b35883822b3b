package reconcile

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/petfriendly/recon/source"
)

// tally is what verify accumulates: the run's, and one of its own for each
// type while the type is verified, merged into the run's in type order
// (merge), so the result never depends on the order types finish in.
type tally struct {
	// res holds the result's lists (findings, mismatches, unexplained
	// rows, samples, logins) and per-type deltas.
	res     *Result
	chains  map[string]*Chain
	missing map[string]*MissingField
	// perPet counts, per type, the source rows expected under each pet.
	perPet map[string]map[int64]int
	// survivors lists merged duplicates to check after the pass.
	survivors []mergedPair
	// content sums each type's migrated rows (see contentSum).
	content map[string]*contentSum
	// failed holds the checklist lines a blocking finding failed.
	failed map[string]bool
	// counts are the types' counts while they are verified, copied into
	// the result after the last (a row's counters change in place).
	counts map[string]*TypeCounts
	// mergedIDs are, per type, the source ids recorded as merged duplicates.
	mergedIDs map[string]map[string]bool
	// Recorded outcomes whose support is checked in bulk after the pass
	// (outcomes.go).
	orphanClaims []deferredOrphan
	emailClaims  []deferredEmail
	mergeClaims  []mergedPair
}

// newTally is an empty tally writing its lists into res.
func newTally(res *Result) *tally {
	tl := &tally{res: res, chains: map[string]*Chain{}, missing: map[string]*MissingField{}, perPet: map[string]map[int64]int{},
		content: map[string]*contentSum{}, failed: map[string]bool{}, counts: map[string]*TypeCounts{}, mergedIDs: map[string]map[string]bool{}}
	for _, c := range perParentCounts() {
		tl.perPet[c.typ] = map[int64]int{}
	}
	return tl
}

// typeTally is an empty tally for one type of the run whose result is res:
// it shares the sources (each type fills in its own files).
func typeTally(res *Result) *tally {
	return newTally(&Result{Sources: res.Sources, SourceDelta: map[string]Delta{}, Mismatches: []Mismatch{}, Unexplained: []Unexplained{},
		Samples: []Sample{}, Findings: []Finding{}})
}

// merge adds a type's tally to the run's, as if the type had been
// verified on the run's own: lists keep their first maxListed entries.
func (v *tally) merge(o *tally) {
	r, or := v.res, o.res
	r.Findings = appendCapped(r.Findings, or.Findings)
	r.Mismatches = appendCapped(r.Mismatches, or.Mismatches)
	r.Unexplained = appendCapped(r.Unexplained, or.Unexplained)
	r.Samples = append(r.Samples, or.Samples...)
	r.Logins = append(r.Logins, or.Logins...)
	for k, d := range or.SourceDelta {
		r.SourceDelta[k] = d
	}
	for name, c := range o.chains {
		pc := v.chain(name)
		pc.OK = pc.OK && c.OK
		pc.Violations += c.Violations
		pc.Examples = appendCapped(pc.Examples, c.Examples, maxExamples)
	}
	for key, m := range o.missing {
		pm, ok := v.missing[key]
		if !ok {
			v.missing[key] = m
			continue
		}
		pm.Rows += m.Rows
		pm.Examples = appendCapped(pm.Examples, m.Examples, maxExamples)
	}
	for typ, pets := range o.perPet {
		for p, n := range pets {
			v.perPet[typ][p] += n
		}
	}
	for k, c := range o.content {
		v.content[k] = c
	}
	for k := range o.failed {
		v.failed[k] = true
	}
	for k, c := range o.counts {
		v.counts[k] = c
	}
	for k, ids := range o.mergedIDs {
		v.mergedIDs[k] = ids
	}
	v.survivors = append(v.survivors, o.survivors...)
	v.orphanClaims = append(v.orphanClaims, o.orphanClaims...)
	v.emailClaims = append(v.emailClaims, o.emailClaims...)
	v.mergeClaims = append(v.mergeClaims, o.mergeClaims...)
}

// appendCapped appends what fits under the cap (maxListed unless given).
func appendCapped[T any](list, more []T, limit ...int) []T {
	n := maxListed
	if len(limit) > 0 {
		n = limit[0]
	}
	if room := n - len(list); room < len(more) {
		more = more[:max(room, 0)]
	}
	return append(list, more...)
}

// finding adds a finding, counting it even when the list is full.
func (v *tally) finding(f Finding) {
	if f.File != "" {
		// Where the export sits does not change what it holds: findings,
		// and so the fingerprint, name files by their base name.
		f.File = filepath.Base(f.File)
	}
	if len(v.res.Findings) < maxListed {
		v.res.Findings = append(v.res.Findings, f)
	}
	if f.Blocks {
		v.failed[findingCheck(f.Code)] = true
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
func (v *tally) typeCounts(name string) *TypeCounts {
	c, ok := v.counts[name]
	if !ok {
		c = &TypeCounts{}
		v.counts[name] = c
	}
	return c
}

func (v *tally) chain(name string) *Chain {
	c, ok := v.chains[name]
	if !ok {
		c = &Chain{Check: name, OK: true, Examples: []string{}}
		v.chains[name] = c
	}
	return c
}

func (v *tally) violate(name, example string) {
	c := v.chain(name)
	c.OK = false
	c.Violations++
	if len(c.Examples) < maxExamples {
		c.Examples = append(c.Examples, example)
	}
}

func (v *tally) unexplained(t source.Type, id, reason string) {
	tc := v.typeCounts(t.Name)
	tc.Unexplained++
	if len(v.res.Unexplained) < maxListed {
		v.res.Unexplained = append(v.res.Unexplained, Unexplained{Type: t.Name, SourceID: id, Reason: reason})
	}
}

// noteMerged remembers a source id recorded as a merged duplicate, which
// supports a later row of the same id skipped as already_imported.
func (v *tally) noteMerged(t source.Type, id string) {
	if v.mergedIDs[t.Name] == nil {
		v.mergedIDs[t.Name] = map[string]bool{}
	}
	v.mergedIDs[t.Name][strings.Clone(id)] = true
}

func (v *tally) missingField(t source.Type, field, id string) {
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
