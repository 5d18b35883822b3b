package importer

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// rollbackOne undoes one batch whose dependents are already gone.
func rollbackOne(ctx context.Context, tx pgx.Tx, fks []fk, b batchInfo, now time.Time, operator string, requested int64) (BatchRollback, []mediaRef, error) {
	br := BatchRollback{BatchID: b.id, Type: b.typ, File: b.file}
	if deps, err := dependents(ctx, tx, fks, b.id); err != nil {
		return br, nil, err
	} else if len(deps) > 0 {
		return br, nil, &DependentsError{BatchID: b.id, Dependents: deps}
	}
	changes := map[string]*TableChange{}
	change := func(table string) *TableChange {
		if changes[table] == nil {
			changes[table] = &TableChange{Table: table}
		}
		return changes[table]
	}
	var media []mediaRef

	// Updated rows get their earlier values back.
	for _, table := range destinationTables() {
		cols := restoreColumns(table)
		if table == "documents_document" {
			rows, err := tx.Query(ctx, `SELECT d.file, d.sha256 FROM documents_document d
				JOIN migration_migrationrecord r ON r.target_id = d.id
				WHERE r.batch_id = $1 AND r.status = 'updated' AND r.previous_values ? 'documents_document'`, b.id)
			if err != nil {
				return br, nil, fmt.Errorf("rollback batch %d: read replaced documents: %w", b.id, err)
			}
			var m mediaRef
			if _, err := pgx.ForEachRow(rows, []any{&m.file, &m.sha}, func() error {
				media = append(media, m)
				return nil
			}); err != nil {
				return br, nil, fmt.Errorf("rollback batch %d: read replaced documents: %w", b.id, err)
			}
		}
		var sets []string
		for _, c := range cols {
			sets = append(sets, fmt.Sprintf("%s = p.%s", c, c))
		}
		tag, err := tx.Exec(ctx, fmt.Sprintf(`UPDATE %s d SET %s
			FROM (SELECT (jsonb_populate_record(NULL::%s, r.previous_values->'%s')).*
			      FROM migration_migrationrecord r
			      WHERE r.batch_id = $1 AND r.status = 'updated' AND r.previous_values ? '%s') p
			WHERE d.id = p.id`, table, strings.Join(sets, ", "), table, table, table), b.id)
		if err != nil {
			return br, nil, fmt.Errorf("rollback batch %d: restore %s: %w", b.id, table, err)
		}
		if n := int(tag.RowsAffected()); n > 0 {
			change(table).Restored = n
		}
	}

	// Created rows go, children before parents (owners before their users).
	created, err := createdIDs(ctx, tx, b.id)
	if err != nil {
		return br, nil, err
	}
	tables := destinationTables()
	for i := len(tables) - 1; i >= 0; i-- {
		table := tables[i]
		ids := created[table]
		if len(ids) == 0 {
			continue
		}
		if table == "documents_document" {
			rows, err := tx.Query(ctx, `DELETE FROM documents_document WHERE id = ANY($1) RETURNING file, sha256`, ids)
			if err != nil {
				return br, nil, fmt.Errorf("rollback batch %d: delete %s: %w", b.id, table, err)
			}
			var m mediaRef
			n, err := pgx.ForEachRow(rows, []any{&m.file, &m.sha}, func() error {
				media = append(media, m)
				return nil
			})
			if err != nil {
				return br, nil, fmt.Errorf("rollback batch %d: delete %s: %w", b.id, table, err)
			}
			change(table).Deleted = int(n.RowsAffected())
			continue
		}
		if table == "accounts_user" {
			// The audit trail's pointers at users are SET_NULL in Django;
			// nothing cascades in the database, so they are nulled here.
			if err := forgetUsers(ctx, tx, ids); err != nil {
				return br, nil, fmt.Errorf("rollback batch %d: %w", b.id, err)
			}
		}
		tag, err := tx.Exec(ctx, fmt.Sprintf(`DELETE FROM %s WHERE id = ANY($1)`, table), ids)
		if err != nil {
			return br, nil, fmt.Errorf("rollback batch %d: delete %s: %w", b.id, table, err)
		}
		change(table).Deleted = int(tag.RowsAffected())
	}

	tag, err := tx.Exec(ctx, `DELETE FROM migration_externalidmapping WHERE batch_id = $1`, b.id)
	if err != nil {
		return br, nil, fmt.Errorf("rollback batch %d: delete mappings: %w", b.id, err)
	}
	br.Mappings = int(tag.RowsAffected())
	if err := handOverIssues(ctx, tx, b.id); err != nil {
		return br, nil, fmt.Errorf("rollback batch %d: %w", b.id, err)
	}
	if err := closeIssues(ctx, tx, b.id, now, operator); err != nil {
		return br, nil, fmt.Errorf("rollback batch %d: %w", b.id, err)
	}
	for _, table := range tables {
		if c := changes[table]; c != nil {
			br.Tables = append(br.Tables, *c)
		}
	}
	summary := map[string]any{"tables": br.Tables, "mappings": br.Mappings, "operator": operator, "requested_batch": requested}
	if _, err := tx.Exec(ctx, `UPDATE migration_migrationbatch SET status = 'rolled_back', rolled_back_at = $2,
		rollback_summary = $3 WHERE id = $1`, b.id, now, summary); err != nil {
		return br, nil, fmt.Errorf("rollback batch %d: mark rolled back: %w", b.id, err)
	}
	return br, media, nil
}

// forgetUsers nulls the batches' created_by and the issues' resolved_by
// that point at users about to be deleted (the names stay in operator and
// resolved_by_name).
func forgetUsers(ctx context.Context, tx pgx.Tx, users []int64) error {
	if _, err := tx.Exec(ctx, `UPDATE migration_migrationbatch SET created_by_id = NULL WHERE created_by_id = ANY($1)`, users); err != nil {
		return fmt.Errorf("unlink batches from deleted users: %w", err)
	}
	if _, err := tx.Exec(ctx, `UPDATE migration_dataqualityissue SET resolved_by_id = NULL WHERE resolved_by_id = ANY($1)`, users); err != nil {
		return fmt.Errorf("unlink issues from deleted users: %w", err)
	}
	return nil
}

// handOverIssues moves the issues a rolled-back batch raised first, and a
// later completed batch raised again (migration_issuebatch), to the latest
// such batch and record, so they stay with a batch that still counts.
func handOverIssues(ctx context.Context, tx pgx.Tx, batchID int64) error {
	_, err := tx.Exec(ctx, `WITH latest AS (
			SELECT DISTINCT ON (ib.issue_id) ib.issue_id, ib.batch_id, ib.record_id
			FROM migration_issuebatch ib
			JOIN migration_dataqualityissue i ON i.id = ib.issue_id AND i.batch_id = $1
			JOIN migration_migrationbatch b ON b.id = ib.batch_id AND b.status = 'completed' AND b.id <> $1
			ORDER BY ib.issue_id, ib.batch_id DESC, ib.record_id DESC),
		moved AS (
			UPDATE migration_dataqualityissue i SET batch_id = l.batch_id, record_id = l.record_id
			FROM latest l WHERE i.id = l.issue_id RETURNING i.id, i.batch_id, i.record_id)
		DELETE FROM migration_issuebatch ib USING moved m
		WHERE ib.issue_id = m.id AND ib.batch_id = m.batch_id AND ib.record_id = m.record_id`, batchID)
	if err != nil {
		return fmt.Errorf("hand over issues: %w", err)
	}
	return nil
}

// closeIssues resolves the open issues left with a rolled-back batch: they
// describe rows no longer in the destination, and Pet-Friendly's staff,
// who filter issues by resolved alone, must not see them as open. The
// resolution names the batch ("rolled_back:<id>"), the operator is who
// rolled it back.
func closeIssues(ctx context.Context, tx pgx.Tx, batchID int64, now time.Time, operator string) error {
	_, err := tx.Exec(ctx, `UPDATE migration_dataqualityissue
		SET resolved = true, resolution = 'rolled_back:' || $1::text, resolved_at = $2, resolved_by_name = $3,
			resolved_by_id = (SELECT u.id FROM accounts_user u WHERE u.is_active AND lower(u.email) = lower($3) ORDER BY u.id LIMIT 1)
		WHERE batch_id = $1 AND NOT resolved`, batchID, now, operator)
	if err != nil {
		return fmt.Errorf("close the batch's open issues: %w", err)
	}
	return nil
}

// removePlaceholders deletes placeholder owners (and their users) nothing
// references any more.
func removePlaceholders(ctx context.Context, tx pgx.Tx, fks []fk) (int, error) {
	var conds []string
	for _, f := range fks {
		if f.parent == "vet_clinic_ownerprofile" {
			conds = append(conds, fmt.Sprintf("NOT EXISTS (SELECT 1 FROM %s c WHERE c.%s = p.id)", f.child, pgx.Identifier{f.column}.Sanitize()))
		}
	}
	where := "p.is_placeholder"
	if len(conds) > 0 {
		where += " AND " + strings.Join(conds, " AND ")
	}
	rows, err := tx.Query(ctx, "DELETE FROM vet_clinic_ownerprofile p WHERE "+where+" RETURNING user_id")
	if err != nil {
		return 0, fmt.Errorf("remove placeholder owner: %w", err)
	}
	users, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil || len(users) == 0 {
		if err != nil {
			return 0, fmt.Errorf("remove placeholder owner: %w", err)
		}
		return 0, nil
	}
	if err := forgetUsers(ctx, tx, users); err != nil {
		return 0, fmt.Errorf("remove placeholder owner: %w", err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM accounts_user WHERE id = ANY($1)`, users); err != nil {
		return 0, fmt.Errorf("remove placeholder owner's user: %w", err)
	}
	return len(users), nil
}

// countRows counts every destination table.
func countRows(ctx context.Context, tx pgx.Tx) (map[string]int, error) {
	tables := destinationTables()
	var parts []string
	for _, t := range tables {
		parts = append(parts, fmt.Sprintf("(SELECT count(*) FROM %s)", t))
	}
	vals := make([]int, len(tables))
	dst := make([]any, len(tables))
	for i := range vals {
		dst[i] = &vals[i]
	}
	if err := tx.QueryRow(ctx, "SELECT "+strings.Join(parts, ", ")).Scan(dst...); err != nil {
		return nil, fmt.Errorf("count destination rows: %w", err)
	}
	out := map[string]int{}
	for i, t := range tables {
		out[t] = vals[i]
	}
	return out, nil
}

// checkCounts guards against a delete reaching rows no rolled-back batch
// created (an ON DELETE CASCADE an application might add): every table must
// have lost exactly the rows counted.
func checkCounts(ctx context.Context, tx pgx.Tx, before, expected map[string]int) error {
	after, err := countRows(ctx, tx)
	if err != nil {
		return err
	}
	for _, t := range destinationTables() {
		if lost := before[t] - after[t]; lost != expected[t] {
			return fmt.Errorf("%s would lose %d rows but the batches created %d (a foreign key cascades into other data); nothing was changed",
				t, lost, expected[t])
		}
	}
	return nil
}

// unreferenced keeps the media files no remaining document points at.
func unreferenced(ctx context.Context, tx pgx.Tx, media []mediaRef) ([]mediaRef, error) {
	if len(media) == 0 {
		return nil, nil
	}
	var shas []string
	for _, m := range media {
		shas = append(shas, m.sha)
	}
	rows, err := tx.Query(ctx, `SELECT DISTINCT sha256 FROM documents_document WHERE sha256 = ANY($1)`, shas)
	if err != nil {
		return nil, fmt.Errorf("check media references: %w", err)
	}
	used, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("check media references: %w", err)
	}
	inUse := map[string]bool{}
	for _, s := range used {
		inUse[s] = true
	}
	var out []mediaRef
	done := map[string]bool{}
	for _, m := range media {
		if inUse[m.sha] || done[m.file] || m.file == "" {
			continue
		}
		done[m.file] = true
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].file < out[j].file })
	return out, nil
}
