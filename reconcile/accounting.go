package reconcile

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

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

// readLineOutcomes returns the records of a batch for lines from..to.
func readLineOutcomes(ctx context.Context, db Querier, batch int64, from, to int) (map[int]lineOutcome, error) {
	rows, err := db.Query(ctx, `SELECT line_number, source_id, status, reason FROM migration_migrationrecord
		WHERE batch_id = $1 AND line_number BETWEEN $2 AND $3`, batch, from, to)
	if err != nil {
		return nil, fmt.Errorf("read records of batch %d: %w", batch, err)
	}
	out := map[int]lineOutcome{}
	var line int
	var o lineOutcome
	_, err = pgx.ForEachRow(rows, []any{&line, &o.sourceID, &o.status, &o.reason}, func() error {
		out[line] = o
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read records of batch %d: %w", batch, err)
	}
	return out, nil
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
	rows, err := v.db.Query(ctx, `SELECT source_id, target_id FROM migration_externalidmapping
		WHERE source_system = 'okvet' AND source_type = $1 ORDER BY source_id`, t.SourceType)
	if err != nil {
		return fmt.Errorf("read %s mappings: %w", t.SourceType, err)
	}
	var id string
	var target int64
	_, err = pgx.ForEachRow(rows, []any{&id, &target}, func() error {
		if _, ok := seen[id]; ok {
			return nil
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
		return nil
	})
	if err != nil {
		return fmt.Errorf("read %s mappings: %w", t.SourceType, err)
	}
	return nil
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
	table := pgx.Identifier{t.Table}.Sanitize()
	tc := v.res.Types[t.Name]
	if err := v.db.QueryRow(ctx, "SELECT count(*) FROM "+table).Scan(&tc.TableRows); err != nil {
		return fmt.Errorf("count %s: %w", t.Table, err)
	}
	created, err := createdColumn(ctx, v.db, t.Table)
	if err != nil {
		return err
	}
	placeholder := "false"
	if t.Name == "clients" {
		placeholder = "d.is_placeholder"
	}
	after := "false"
	if created != "" {
		after = "d." + pgx.Identifier{created}.Sanitize() + " > $3"
	}
	// Rows no non-merged mapping of the type explains; the first
	// placeholder owner is the importer's.
	rows, err := v.db.Query(ctx, `SELECT d.id, `+placeholder+`, `+after+` FROM `+table+` d
		WHERE NOT EXISTS (SELECT 1 FROM migration_externalidmapping m
			WHERE m.source_system = 'okvet' AND m.source_type = $1 AND m.target_model = $2 AND m.target_id = d.id AND NOT m.is_merged)
		ORDER BY d.id`, t.SourceType, t.Table, lastImport)
	if err != nil {
		return fmt.Errorf("read %s rows without mapping: %w", t.Table, err)
	}
	var id int64
	var isPlaceholder, isNew bool
	var found []Finding
	_, err = pgx.ForEachRow(rows, []any{&id, &isPlaceholder, &isNew}, func() error {
		switch {
		case isPlaceholder && tc.Placeholder == 0:
			tc.Placeholder++
		case isNew && !lastImport.IsZero():
			tc.NotFromMigration++
			tc.CreatedAfterImport++
			found = append(found, Finding{Code: CodeCreatedAfterImport, Type: t.Name, Table: t.Table, TargetID: id, Blocks: !v.opts.AllowNewRows})
		default:
			tc.NotFromMigration++
			found = append(found, Finding{Code: CodeNotFromMigration, Type: t.Name, Table: t.Table, TargetID: id, Blocks: true})
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read %s rows without mapping: %w", t.Table, err)
	}
	tc.MappedRows = tc.TableRows - tc.Placeholder - tc.NotFromMigration
	v.res.Types[t.Name] = tc
	for _, f := range found {
		v.finding(f)
	}
	// Two source ids on one row: one of them lost its own row.
	rows, err = v.db.Query(ctx, `SELECT target_id, array_agg(source_id ORDER BY source_id) FROM migration_externalidmapping
		WHERE source_system = 'okvet' AND source_type = $1 AND target_model = $2 AND NOT is_merged
		GROUP BY target_id HAVING count(*) > 1 ORDER BY target_id`, t.SourceType, t.Table)
	if err != nil {
		return fmt.Errorf("read %s mappings: %w", t.SourceType, err)
	}
	var ids []string
	_, err = pgx.ForEachRow(rows, []any{&id, &ids}, func() error {
		v.finding(Finding{Code: CodeSharedTarget, Type: t.Name, Table: t.Table, TargetID: id, Blocks: true,
			Params: map[string]string{"source_ids": strings.Join(ids, ",")}})
		return nil
	})
	if err != nil {
		return fmt.Errorf("read %s mappings: %w", t.SourceType, err)
	}
	// Mappings that point elsewhere than the type's table, or at nothing.
	rows, err = v.db.Query(ctx, `SELECT m.source_id, m.target_model, m.target_id, m.target_model = $2
		FROM migration_externalidmapping m
		WHERE m.source_system = 'okvet' AND m.source_type = $1
		  AND (m.target_model <> $2 OR NOT EXISTS (SELECT 1 FROM `+table+` d WHERE d.id = m.target_id))
		ORDER BY m.source_id`, t.SourceType, t.Table)
	if err != nil {
		return fmt.Errorf("read %s mappings: %w", t.SourceType, err)
	}
	var sid, model string
	var rightModel bool
	_, err = pgx.ForEachRow(rows, []any{&sid, &model, &id, &rightModel}, func() error {
		if !rightModel {
			v.finding(Finding{Code: CodeWrongModel, Type: t.Name, SourceID: sid, Table: t.Table, TargetID: id, Blocks: true,
				Params: map[string]string{"model": model}})
			return nil
		}
		v.finding(Finding{Code: CodeTargetMissing, Type: t.Name, SourceID: sid, Table: t.Table, TargetID: id, Blocks: true})
		return nil
	})
	if err != nil {
		return fmt.Errorf("read %s mappings: %w", t.SourceType, err)
	}
	return nil
}

// createdColumn names the column that says when a table's row was created,
// or "" when it has none.
func createdColumn(ctx context.Context, db Querier, table string) (string, error) {
	var col string
	err := db.QueryRow(ctx, `SELECT COALESCE(min(column_name::text), '') FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1 AND column_name IN ('created_at', 'uploaded_at')`, table).Scan(&col)
	if err != nil {
		return "", fmt.Errorf("read columns of %s: %w", table, err)
	}
	return col, nil
}

// checkAuditTrail confirms every rejected or orphaned row of the verified
// batches has its quality issue, and every issue of those batches its
// record: deleting issues instead of resolving them does not make a
// migration ready to sign.
func (v *verifier) checkAuditTrail(ctx context.Context, batches []int64) error {
	if len(batches) == 0 {
		return nil
	}
	rows, err := v.db.Query(ctx, `SELECT r.source_type, r.source_id, r.line_number, r.status, b.source_file
		FROM migration_migrationrecord r JOIN migration_migrationbatch b ON b.id = r.batch_id
		WHERE r.batch_id = ANY($1) AND (r.status = 'error' OR r.reason = 'orphaned')
		  AND NOT EXISTS (SELECT 1 FROM migration_dataqualityissue i WHERE i.record_id = r.id
		      OR (r.source_id <> '' AND i.source_type = r.source_type AND i.source_id = r.source_id
		          AND (i.severity = 'critical' OR i.issue_type = 'orphaned_record')))
		ORDER BY r.batch_id, r.line_number`, batches)
	if err != nil {
		return fmt.Errorf("check audit trail: %w", err)
	}
	var st, sid, status, file string
	var line int
	_, err = pgx.ForEachRow(rows, []any{&st, &sid, &line, &status, &file}, func() error {
		tn := st
		if t, ok := source.TypeByName(st); ok {
			tn = t.Name
		}
		v.finding(Finding{Code: CodeRecordNoIssue, Type: tn, SourceID: sid, File: file, Line: line, Blocks: true,
			Params: map[string]string{"status": status}})
		return nil
	})
	if err != nil {
		return fmt.Errorf("check audit trail: %w", err)
	}
	var orphanIssues int
	if err := v.db.QueryRow(ctx, `SELECT count(*) FROM migration_dataqualityissue WHERE batch_id = ANY($1) AND record_id IS NULL AND severity = 'critical'`,
		batches).Scan(&orphanIssues); err != nil {
		return fmt.Errorf("check audit trail: %w", err)
	}
	if orphanIssues > 0 {
		v.finding(Finding{Code: CodeIssueNoRecord, Blocks: true, Params: map[string]string{"issues": strconv.Itoa(orphanIssues)}})
	}
	return nil
}
