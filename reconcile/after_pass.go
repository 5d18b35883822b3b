package reconcile

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/petfriendly/recon/source"
)

// perParentCount is a type whose rows per parent verify counts
// (source.Type.CountPerParent): its table, the parent's column and source
// type, and the check's code.
type perParentCount struct{ typ, table, column, parent, check string }

// perParentCounts lists them from the type table, in import order.
func perParentCounts() []perParentCount {
	var out []perParentCount
	for _, t := range source.Types() {
		if check := t.PerParentCheck(); check != "" {
			p, _ := t.Parent()
			out = append(out, perParentCount{typ: t.Name, table: t.Table, column: p.Column, parent: p.Ref, check: check})
		}
	}
	return out
}

// applyPerPetCounts compares the rows per parent of each table (by table
// name) with the source's.
func (v *verifier) applyPerPetCounts(perTable map[string]map[int64]int) {
	for _, tc := range perParentCounts() {
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
				v.violate(tc.check, fmt.Sprintf("%s #%d: %d ≠ %d", tc.parent, p, got[p], want[p]))
			}
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
