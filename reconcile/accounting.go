package reconcile

import (
	"context"
	"path/filepath"
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
}

// finding adds a finding, counting it even when the list is full.
func (v *verifier) finding(f Finding) {
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

// checkVanished lists the mapped source ids of a type that none of the
// export files verified holds: rows deleted in OkVet since the import.
func (v *verifier) checkVanished(ctx context.Context, t source.Type, seen map[string]bool) error {
	return eachMapping(ctx, v.db, t.SourceType, func(id string, target int64) {
		if _, ok := seen[id]; ok {
			return
		}
		tc := v.res.Types[t.Name]
		tc.Vanished++
		v.res.Types[t.Name] = tc
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
}

// checkTable accounts for every row of a type's destination table and
// checks the type's mappings from the destination end.
func (v *verifier) checkTable(ctx context.Context, t source.Type, lastImport time.Time) error {
	c, err := readTableCheck(ctx, v.db, t, lastImport, v.opts.AllowNewRows)
	if err != nil {
		return err
	}
	v.applyTableCheck(t, c)
	return nil
}

// applyTableCheck adds a type's table check to the result.
func (v *verifier) applyTableCheck(t source.Type, c tableCheck) {
	tc := v.res.Types[t.Name]
	tc.TableRows = c.rows
	tc.Placeholder += c.placeholder
	tc.NotFromMigration += c.notFromMigration
	tc.CreatedAfterImport += c.createdAfter
	tc.MappedRows = tc.TableRows - tc.Placeholder - tc.NotFromMigration
	v.res.Types[t.Name] = tc
	for _, f := range c.findings {
		v.finding(f)
	}
}

// readTableCheck reads a type's table check. It only reads the database, so
// it may run while the verifier works on other types (see tableChecks).
func readTableCheck(ctx context.Context, db Querier, t source.Type, lastImport time.Time, allowNewRows bool) (tableCheck, error) {
	var c tableCheck
	var err error
	if c.rows, err = countRows(ctx, db, t.Table); err != nil {
		return c, err
	}
	var missing []int64
	err = eachTableGap(ctx, db, t, lastImport, func(g tableGap) {
		switch {
		case g.Missing:
			missing = append(missing, g.ID)
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
	})
	if err != nil {
		return c, err
	}
	if len(missing) > 0 {
		err = eachMappingTo(ctx, db, t, missing, func(sid string, target int64) {
			c.findings = append(c.findings, Finding{Code: CodeTargetMissing, Type: t.Name, SourceID: sid, Table: t.Table, TargetID: target, Blocks: true})
		})
		if err != nil {
			return c, err
		}
	}
	if t.Name == "clients" {
		// An owner's login comes with its profile; a login without one is
		// not from this migration (it is outside the profiles' equation).
		err = eachLooseOwnerUser(ctx, db, lastImport, func(id int64, late bool) {
			code := CodeNotFromMigration
			if late && !lastImport.IsZero() {
				code = CodeCreatedAfterImport
			}
			c.findings = append(c.findings, Finding{Code: code, Type: t.Name, Table: "accounts_user", TargetID: id,
				Blocks: code == CodeNotFromMigration || !allowNewRows})
		})
		if err != nil {
			return c, err
		}
	}
	// Mappings that point elsewhere than the type's table.
	err = eachWrongModel(ctx, db, t, func(sid, model string, target int64) {
		c.findings = append(c.findings, Finding{Code: CodeWrongModel, Type: t.Name, SourceID: sid, Table: t.Table, TargetID: target, Blocks: true,
			Params: map[string]string{"model": model}})
	})
	return c, err
}

// tableChecks reads the table checks of the types in order on a goroutine
// of its own (one pool connection), at most one type ahead of the
// verifier, so the server works on them while the client compares rows.
// The checks only read, under the import lock, so they are the same
// whenever they run; the verifier applies each at the point the
// sequential run does, and the result is identical (TestVerifyConcurrentSameResult).
type tableChecks struct {
	out    []chan tableCheckResult
	tail   chan tailResult
	ahead  chan struct{}
	cancel context.CancelFunc
	done   chan struct{}
}

// tailResult is what the checks after the last type read: the audit
// trail's findings and the rows per pet of the two per-pet tables.
type tailResult struct {
	audit  []Finding
	perPet map[string]map[int64]int
	err    error
}

type tableCheckResult struct {
	c   tableCheck
	err error
}

// canReadAhead reports whether db is a pool with a connection to spare for
// the table checks besides the import lock, the two streams and the
// verifier's own queries.
func canReadAhead(db Querier) bool {
	p, ok := db.(streamer)
	return ok && p.Config().MaxConns >= 5
}

func startTableChecks(ctx context.Context, db Querier, types []source.Type, lastImport time.Time, allowNewRows bool, verified []int64) *tableChecks {
	ctx, cancel := context.WithCancel(ctx)
	tc := &tableChecks{cancel: cancel, done: make(chan struct{}), tail: make(chan tailResult, 1)}
	for range types {
		tc.out = append(tc.out, make(chan tableCheckResult, 1))
	}
	ahead := make(chan struct{}, 1) // at most one type read and not taken
	go func() {
		defer close(tc.done)
		for i, t := range types {
			select {
			case ahead <- struct{}{}:
			case <-ctx.Done():
				tc.out[i] <- tableCheckResult{err: ctx.Err()}
				return
			}
			c, err := readTableCheck(ctx, db, t, lastImport, allowNewRows)
			tc.out[i] <- tableCheckResult{c, err}
			if err != nil {
				return
			}
		}
		// Then what the checks after the last type read, while the
		// verifier compares the last type's rows.
		r := tailResult{perPet: map[string]map[int64]int{}}
		if r.audit, r.err = readAuditTrail(ctx, db, verified); r.err == nil {
			for _, table := range perPetTables {
				if r.perPet[table], r.err = readPerPet(ctx, db, table); r.err != nil {
					break
				}
			}
		}
		tc.tail <- r
	}()
	tc.ahead = ahead
	return tc
}

// stop ends the reads (when the verifier stops early) and waits for them.
func (tc *tableChecks) stop() {
	tc.cancel()
	<-tc.done
}

// takeTail waits for the reads after the last type.
func (tc *tableChecks) takeTail() (tailResult, error) {
	r := <-tc.tail
	return r, r.err
}

// take waits for the check of the i-th type.
func (tc *tableChecks) take(i int) (tableCheck, error) {
	r := <-tc.out[i]
	<-tc.ahead
	return r.c, r.err
}

// checkAuditTrail confirms every rejected or orphaned row of the verified
// batches has its quality issue, and no critical issue lost its record:
// deleting issues instead of resolving them does not make a migration
// ready to sign.
func (v *verifier) checkAuditTrail(ctx context.Context, batches []int64) error {
	found, err := readAuditTrail(ctx, v.db, batches)
	if err != nil {
		return err
	}
	for _, f := range found {
		v.finding(f)
	}
	return nil
}

// readAuditTrail reads the audit trail's findings (see checkAuditTrail).
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
