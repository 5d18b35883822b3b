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

// checkTable accounts for every row of a type's destination table and
// checks the type's mappings from the destination end.
func (v *verifier) checkTable(ctx context.Context, t source.Type, lastImport time.Time) error {
	tc := v.res.Types[t.Name]
	var err error
	if tc.TableRows, err = countRows(ctx, v.db, t.Table); err != nil {
		return err
	}
	var found []Finding
	var missing []int64
	err = eachTableGap(ctx, v.db, t, lastImport, func(g tableGap) {
		switch {
		case g.Missing:
			missing = append(missing, g.ID)
		case g.Mapped > 1:
			// Two source ids on one row: one of them lost its own row.
			found = append(found, Finding{Code: CodeSharedTarget, Type: t.Name, Table: t.Table, TargetID: g.ID, Blocks: true,
				Params: map[string]string{"source_ids": strings.Join(g.SourceIDs, ",")}})
		case g.Mapped == 1:
			// The row is its mapping's, but says it is another OkVet row.
			found = append(found, Finding{Code: CodeExternalIDMismatch, Type: t.Name, SourceID: g.SourceIDs[0], Table: t.Table, TargetID: g.ID,
				Blocks: true, Params: map[string]string{"external_id": g.ExternalID}})
		case g.Placeholder && tc.Placeholder == 0:
			// The first placeholder owner is the importer's.
			tc.Placeholder++
		case g.CreatedAfter && !lastImport.IsZero():
			tc.NotFromMigration++
			tc.CreatedAfterImport++
			found = append(found, Finding{Code: CodeCreatedAfterImport, Type: t.Name, Table: t.Table, TargetID: g.ID, Blocks: !v.opts.AllowNewRows})
		default:
			tc.NotFromMigration++
			found = append(found, Finding{Code: CodeNotFromMigration, Type: t.Name, Table: t.Table, TargetID: g.ID, Blocks: true})
		}
	})
	if err != nil {
		return err
	}
	tc.MappedRows = tc.TableRows - tc.Placeholder - tc.NotFromMigration
	v.res.Types[t.Name] = tc
	for _, f := range found {
		v.finding(f)
	}
	if len(missing) > 0 {
		err = eachMappingTo(ctx, v.db, t, missing, func(sid string, target int64) {
			v.finding(Finding{Code: CodeTargetMissing, Type: t.Name, SourceID: sid, Table: t.Table, TargetID: target, Blocks: true})
		})
		if err != nil {
			return err
		}
	}
	if t.Name == "clients" {
		// An owner's login comes with its profile; a login without one is
		// not from this migration (it is outside the profiles' equation).
		err = eachLooseOwnerUser(ctx, v.db, lastImport, func(id int64, late bool) {
			code := CodeNotFromMigration
			if late && !lastImport.IsZero() {
				code = CodeCreatedAfterImport
			}
			v.finding(Finding{Code: code, Type: t.Name, Table: "accounts_user", TargetID: id, Blocks: code == CodeNotFromMigration || !v.opts.AllowNewRows})
		})
		if err != nil {
			return err
		}
	}
	// Mappings that point elsewhere than the type's table.
	return eachWrongModel(ctx, v.db, t, func(sid, model string, target int64) {
		v.finding(Finding{Code: CodeWrongModel, Type: t.Name, SourceID: sid, Table: t.Table, TargetID: target, Blocks: true,
			Params: map[string]string{"model": model}})
	})
}

// checkAuditTrail confirms every rejected or orphaned row of the verified
// batches has its quality issue, and no critical issue lost its record:
// deleting issues instead of resolving them does not make a migration
// ready to sign.
func (v *verifier) checkAuditTrail(ctx context.Context, batches []int64) error {
	if len(batches) == 0 {
		return nil
	}
	err := eachRecordWithoutIssue(ctx, v.db, batches, func(st, sid string, line int, status, file string) {
		tn := st
		if t, ok := source.TypeByName(st); ok {
			tn = t.Name
		}
		v.finding(Finding{Code: CodeRecordNoIssue, Type: tn, SourceID: sid, File: file, Line: line, Blocks: true,
			Params: map[string]string{"status": status}})
	})
	if err != nil {
		return err
	}
	detached, err := countDetachedIssues(ctx, v.db, batches)
	if err != nil {
		return err
	}
	if detached > 0 {
		v.finding(Finding{Code: CodeIssueNoRecord, Blocks: true, Params: map[string]string{"issues": strconv.Itoa(detached)}})
	}
	return nil
}
