package reconcile

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/petfriendly/recon/source"
)

// The destination side of the accounting. Every row of a type's table must
// be the target of exactly one non-merged mapping of the type (merged
// duplicates point at such a survivor), the placeholder owner, or it is
// not from this migration:
//
//	table_rows = mapped_rows + placeholder + not_from_migration
//
// and every mapping must point at a row of the type's table that exists.

// lineOutcome is the migration record of one line of an imported file.
type lineOutcome struct {
	sourceID, status, reason string
	found                    bool
	// issueNamed: a rejected record has a critical issue of its reason's
	// type (always true for other statuses).
	issueNamed bool
}

// lineOutcomes holds the records of a range of lines, by line from first.
type lineOutcomes struct {
	first int
	lines []lineOutcome
}

// at returns the record of a line; ok is false when it has none.
func (l lineOutcomes) at(line int) (lineOutcome, bool) {
	i := line - l.first
	if i < 0 || i >= len(l.lines) {
		return lineOutcome{}, false
	}
	return l.lines[i], l.lines[i].found
}

// checkVanished lists the mapped source ids of a type that none of the
// export files verified holds: rows deleted in OkVet since the import.
// mappedSeen counts the distinct ids the files hold that have a mapping;
// a source id has at most one mapping, so when the type has that many
// mappings (mappingCounts) none vanished and they need not be read again.
func (v *verifier) checkVanished(ctx context.Context, t source.Type, seen map[string]bool, mappedSeen int) error {
	n := 0
	for _, c := range v.mappings[t.SourceType] {
		n += c
	}
	if n == mappedSeen {
		return nil
	}
	return eachMapping(ctx, v.db, t.SourceType, func(id string, target int64) {
		if _, ok := seen[id]; ok {
			return
		}
		tc := v.typeCounts(t.Name)
		tc.Vanished++
		v.finding(Finding{Code: CodeVanished, Type: t.Name, SourceID: id, Table: t.Table, TargetID: target, Blocks: true})
		if d, ok := v.res.SourceDelta[t.Name]; ok {
			d.Removed++
			d.Examples = appendExample(d.Examples, "-"+id)
			v.res.SourceDelta[t.Name] = d
		}
	})
}

func appendExample(list []string, s string) []string {
	if len(list) < maxExamples {
		return append(list, s)
	}
	return list
}

// tableCheck is what checkTable reads of a type's destination table: its
// counts, and its findings in the order they are reported.
type tableCheck struct {
	rows, placeholder, notFromMigration, createdAfter int
	findings                                          []Finding
	logins                                            []Login // accounts_user rows that are not owners' (clients only)
}

// applyTableCheck adds a type's table check to the result.
func (v *verifier) applyTableCheck(t source.Type, c tableCheck) {
	tc := v.typeCounts(t.Name)
	tc.TableRows = c.rows
	tc.Placeholder += c.placeholder
	tc.NotFromMigration += c.notFromMigration
	tc.CreatedAfterImport += c.createdAfter
	tc.MappedRows = tc.TableRows - tc.Placeholder - tc.NotFromMigration
	for _, f := range c.findings {
		v.finding(f)
	}
	if len(c.logins) > 0 {
		v.res.Logins = append(v.res.Logins, c.logins...)
	}
}

// readTableCheck reads a type's table check with queries of its own, for
// a verifier that cannot stream the table (see tableAccount for the one
// that does).
func readTableCheck(ctx context.Context, db Querier, t source.Type, ao accountOptions) (tableCheck, error) {
	rows, err := countRows(ctx, db, t.Table)
	if err != nil {
		return tableCheck{}, err
	}
	var gaps []tableGap
	var missingTargets []int64
	err = eachTableGap(ctx, db, t, ao.lastImport, func(g tableGap) {
		if g.Missing {
			missingTargets = append(missingTargets, g.ID)
			return
		}
		gaps = append(gaps, g)
	})
	if err != nil {
		return tableCheck{}, err
	}
	var missing []targetMapping
	if len(missingTargets) > 0 {
		err = eachMappingTo(ctx, db, t, missingTargets, func(sid string, target int64) {
			missing = append(missing, targetMapping{sourceID: sid, target: target})
		})
		if err != nil {
			return tableCheck{}, err
		}
	}
	return explainTable(ctx, db, t, rows, gaps, missing, ao)
}

// accountOptions is what a type's table check needs besides the rows: when
// the last import completed, whether rows created since pass, and whether
// the type has mappings to another table (mappingCounts).
type accountOptions struct {
	lastImport   time.Time
	allowNewRows bool
	wrongModel   bool
}

// targetMapping is a mapping whose target row does not exist.
type targetMapping struct {
	sourceID string
	target   int64
}

// tableAccount accounts for a type's table from the two ordered streams
// verify reads anyway (its rows by id, its mappings by target id), so the
// table is not read a second time: every row is told as it passes (row),
// then the mappings that point at it (mapping), and finish closes the last.
// It keeps only the rows and mappings that need explaining.
type tableAccount struct {
	rows    int
	gaps    []tableGap
	missing []targetMapping
	open    bool
	cur     tableGap // the row being told; Mapped counts its non-merged mappings
	hasExt  bool
}

// row opens the next row of the table, in id order; ext is its external id
// (nil when NULL, which is never a mismatch).
func (a *tableAccount) row(id int64, ext *string) {
	a.close()
	a.open, a.cur, a.hasExt = true, tableGap{ID: id}, ext != nil
	if ext != nil {
		a.cur.ExternalID = *ext
	}
	a.rows++
}

// mapping tells one mapping, in target-id order: found says its target is
// the open row; otherwise the row does not exist.
func (a *tableAccount) mapping(sourceID string, target int64, merged, found bool) {
	if !found {
		a.missing = append(a.missing, targetMapping{sourceID: strings.Clone(sourceID), target: target})
		return
	}
	if !merged {
		a.cur.Mapped++
		a.cur.SourceIDs = append(a.cur.SourceIDs, strings.Clone(sourceID))
	}
}

// close ends the open row, keeping it when one non-merged mapping naming
// it by its external id does not explain it.
func (a *tableAccount) close() {
	if !a.open {
		return
	}
	a.open = false
	g := a.cur
	switch {
	case g.Mapped > 1:
		slices.Sort(g.SourceIDs)
	case g.Mapped == 1 && a.hasExt && g.ExternalID != g.SourceIDs[0]:
	case g.Mapped == 1:
		return
	default:
		g.SourceIDs = nil
	}
	a.gaps = append(a.gaps, g)
}

// finish ends the last row and orders the missing targets' mappings by
// source id, as the findings list them.
func (a *tableAccount) finish() {
	a.close()
	slices.SortFunc(a.missing, func(x, y targetMapping) int { return strings.Compare(x.sourceID, y.sourceID) })
}

// streamedTableCheck completes a type's table check from its account: the
// flags of the rows no mapping explains are read for those rows alone.
func streamedTableCheck(ctx context.Context, db Querier, t source.Type, a *tableAccount, ao accountOptions) (tableCheck, error) {
	var loose []int64
	for _, g := range a.gaps {
		if g.Mapped == 0 {
			loose = append(loose, g.ID)
		}
	}
	if len(loose) > 0 {
		flags, err := readRowFlags(ctx, db, t, loose, ao.lastImport)
		if err != nil {
			return tableCheck{}, err
		}
		for i, g := range a.gaps {
			if f, ok := flags[g.ID]; ok {
				a.gaps[i].Placeholder, a.gaps[i].CreatedAfter = f[0], f[1]
			}
		}
	}
	return explainTable(ctx, db, t, a.rows, a.gaps, a.missing, ao)
}

// explainTable turns a type's unexplained rows (in id order) and mappings
// without a row (in source-id order) into its table check, and adds what
// only queries tell: owner logins without a profile, mappings to another
// table.
func explainTable(ctx context.Context, db Querier, t source.Type, rows int, gaps []tableGap, missing []targetMapping,
	ao accountOptions) (tableCheck, error) {
	lastImport, allowNewRows := ao.lastImport, ao.allowNewRows
	c := tableCheck{rows: rows}
	for _, g := range gaps {
		switch {
		case g.Mapped > 1:
			// Two source ids on one row: one of them lost its own row.
			c.findings = append(c.findings, Finding{Code: CodeSharedTarget, Type: t.Name, Table: t.Table, TargetID: g.ID, Blocks: true,
				Params: map[string]string{"source_ids": strings.Join(g.SourceIDs, ",")}})
		case g.Mapped == 1:
			// The row is its mapping's, but says it is another OkVet row.
			c.findings = append(c.findings, Finding{Code: CodeExternalIDMismatch, Type: t.Name, SourceID: g.SourceIDs[0], Table: t.Table, TargetID: g.ID,
				Blocks: true, Params: map[string]string{"external_id": g.ExternalID}})
		case g.Placeholder && c.placeholder == 0:
			// The first placeholder owner is the importer's.
			c.placeholder++
		case g.CreatedAfter && !lastImport.IsZero():
			c.notFromMigration++
			c.createdAfter++
			c.findings = append(c.findings, Finding{Code: CodeCreatedAfterImport, Type: t.Name, Table: t.Table, TargetID: g.ID, Blocks: !allowNewRows})
		default:
			c.notFromMigration++
			c.findings = append(c.findings, Finding{Code: CodeNotFromMigration, Type: t.Name, Table: t.Table, TargetID: g.ID, Blocks: true})
		}
	}
	for _, m := range missing {
		c.findings = append(c.findings, Finding{Code: CodeTargetMissing, Type: t.Name, SourceID: m.sourceID, Table: t.Table, TargetID: m.target, Blocks: true})
	}
	if len(t.Tables()) > 1 {
		// An owner's login comes with its profile. A login without one is
		// Pet-Friendly's staff when Django says so (is_staff: createsuperuser,
		// create_user(is_staff=True)) or another role's, listed either way;
		// an owner login without a profile is not from this migration.
		err := eachLoginWithoutProfile(ctx, db, lastImport, func(l Login, late bool) {
			if l.IsStaff || l.Role != "owner" {
				c.logins = append(c.logins, l)
				return
			}
			code := CodeNotFromMigration
			if late && !lastImport.IsZero() {
				code = CodeCreatedAfterImport
			}
			c.findings = append(c.findings, Finding{Code: code, Type: t.Name, Table: "accounts_user", TargetID: l.ID,
				Blocks: code == CodeNotFromMigration || !allowNewRows})
		})
		if err != nil {
			return c, err
		}
	}
	// Mappings that point elsewhere than the type's table.
	if !ao.wrongModel {
		return c, nil
	}
	err := eachWrongModel(ctx, db, t, func(sid, model string, target int64) {
		c.findings = append(c.findings, Finding{Code: CodeWrongModel, Type: t.Name, SourceID: sid, Table: t.Table, TargetID: target, Blocks: true,
			Params: map[string]string{"model": model}})
	})
	return c, err
}

// tailReads reads what verify checks after the last type (the audit
// trail, the rows per pet) on a goroutine and a pool connection of its
// own, while the verifier compares the types' rows. They only read, under
// the import lock, so they are the same whenever they run, and the result
// is identical to reading them in line (TestVerifyConcurrentSameResult).
type tailReads struct {
	out    chan tailResult
	cancel context.CancelFunc
	done   chan struct{}
}

// tailResult is what the checks after the last type read: the audit
// trail's findings, the rows per pet of the two per-pet tables and the
// stored documents.
type tailResult struct {
	audit []Finding
	// digests are the audit tables' content (readAuditDigests).
	digests map[string]*contentSum
	perPet  map[string]map[int64]int
	docs    []storedDoc
	err     error
}

func startTailReads(ctx context.Context, db Querier, verified []int64, mediaDir string) *tailReads {
	ctx, cancel := context.WithCancel(ctx)
	tr := &tailReads{cancel: cancel, done: make(chan struct{}), out: make(chan tailResult, 1)}
	go func() {
		defer close(tr.done)
		tr.out <- readTail(ctx, db, verified, mediaDir)
	}()
	return tr
}

func readTail(ctx context.Context, db Querier, verified []int64, mediaDir string) tailResult {
	r := tailResult{perPet: map[string]map[int64]int{}}
	if r.audit, r.err = readAuditTrail(ctx, db, verified); r.err != nil {
		return r
	}
	for _, c := range perParentCounts() {
		if r.perPet[c.table], r.err = readPerParent(ctx, db, c.table, c.column); r.err != nil {
			return r
		}
	}
	if r.digests, r.err = readAuditDigests(ctx, db); r.err != nil {
		return r
	}
	r.docs, r.err = readStoredDocs(ctx, db, mediaDir)
	return r
}

// stop ends the reads (when the verifier stops early) and waits for them.
func (tr *tailReads) stop() {
	tr.cancel()
	<-tr.done
}

// take waits for the reads.
func (tr *tailReads) take() (tailResult, error) {
	r := <-tr.out
	return r, r.err
}

// readAuditTrail confirms every rejected or orphaned row of the verified
// batches has its quality issue, and no critical issue lost its record:
// deleting issues instead of resolving them does not make a migration
// ready to sign.
func readAuditTrail(ctx context.Context, db Querier, batches []int64) ([]Finding, error) {
	if len(batches) == 0 {
		return nil, nil
	}
	var found []Finding
	err := eachRecordWithoutIssue(ctx, db, batches, func(st, sid string, line int, status, file string) {
		tn := st
		if t, ok := source.TypeByName(st); ok {
			tn = t.Name
		}
		found = append(found, Finding{Code: CodeRecordNoIssue, Type: tn, SourceID: sid, File: file, Line: line, Blocks: true,
			Params: map[string]string{"status": status}})
	})
	if err != nil {
		return nil, err
	}
	detached, err := countDetachedIssues(ctx, db, batches)
	if err != nil {
		return nil, err
	}
	if detached > 0 {
		found = append(found, Finding{Code: CodeIssueNoRecord, Blocks: true, Params: map[string]string{"issues": strconv.Itoa(detached)}})
	}
	return found, nil
}
