package audit

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// issueWhere is the condition selecting the issues of q, on
// migration_dataqualityissue i LEFT JOIN migration_migrationbatch b.
func issueWhere(q issueQuery) (string, []any) {
	where := `($1::text = '' OR i.severity = $1) AND ($2::text = '' OR i.issue_type = $2) AND ($3::text = '' OR i.source_type = $3)
		AND ($4::text = '' OR i.source_id = $4) AND (NOT $5::bool OR NOT i.resolved)
		AND CASE WHEN $6::bigint > 0 THEN i.batch_id = $6 ELSE ` + realBatch + ` END`
	return where, []any{q.severity, q.issueType, q.sourceType, q.sourceID, q.unresolved, q.batchID}
}

const issueColumns = `i.id, i.batch_id, COALESCE(i.record_id, 0), i.source_type, i.source_id, i.severity,
	i.issue_type, i.field_name, i.description, i.source_value, i.resolved, i.resolution, i.resolved_by_name, i.resolved_by_id,
	i.resolved_at, i.created_at`

// scanIssue reads issueColumns, then extra, from row; Type is left empty.
func scanIssue(row pgx.Row, is *Issue, extra ...any) error {
	dst := append([]any{&is.ID, &is.BatchID, &is.RecordID, &is.SourceType, &is.SourceID, &is.Severity, &is.IssueType,
		&is.Field, &is.Description, &is.SourceValue, &is.Resolved, &is.Resolution, &is.ResolvedBy, &is.ResolvedByID, &is.ResolvedAt, &is.CreatedAt}, extra...)
	return row.Scan(dst...)
}

// queryIssues reads the issues q selects, by id, from q.offset on and at
// most q.limit of them (0: all), and how many there are in all.
func queryIssues(ctx context.Context, db DB, q issueQuery) ([]Issue, int, error) {
	where, args := issueWhere(q)
	limit := "ALL"
	if q.limit > 0 {
		limit = fmt.Sprint(q.limit)
	}
	rows, err := db.Query(ctx, `SELECT `+issueColumns+`, count(*) OVER ()
		FROM migration_dataqualityissue i LEFT JOIN migration_migrationbatch b ON b.id = i.batch_id
		WHERE `+where+` ORDER BY i.id LIMIT `+limit+fmt.Sprintf(" OFFSET %d", q.offset), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list issues: %w", err)
	}
	defer rows.Close()
	out := []Issue{}
	total := 0
	for rows.Next() {
		var is Issue
		if err := scanIssue(rows, &is, &total); err != nil {
			return nil, 0, fmt.Errorf("list issues: %w", err)
		}
		out = append(out, is)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list issues: %w", err)
	}
	if len(out) == 0 && q.offset > 0 {
		// count(*) OVER () has no row to ride on past the end.
		if err := db.QueryRow(ctx, `SELECT count(*) FROM migration_dataqualityissue i
			LEFT JOIN migration_migrationbatch b ON b.id = i.batch_id WHERE `+where, args...).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("count issues: %w", err)
		}
	}
	return out, total, nil
}

// readOpenIssueTypes counts the open issues of real batches by issue type.
func readOpenIssueTypes(ctx context.Context, db DB) ([]IssueTypeCount, error) {
	rows, err := db.Query(ctx, `SELECT i.issue_type, count(*) FROM migration_dataqualityissue i
		JOIN migration_migrationbatch b ON b.id = i.batch_id
		WHERE NOT i.resolved AND `+realBatch+` GROUP BY 1 ORDER BY 1`)
	if err != nil {
		return nil, fmt.Errorf("list issue types: %w", err)
	}
	out := []IssueTypeCount{}
	var c IssueTypeCount
	_, err = pgx.ForEachRow(rows, []any{&c.IssueType, &c.Open}, func() error { out = append(out, c); return nil })
	if err != nil {
		return nil, fmt.Errorf("list issue types: %w", err)
	}
	return out, nil
}

// readIssue reads one issue; found is false when there is none with id.
func readIssue(ctx context.Context, db DB, id int64) (is Issue, found bool, err error) {
	err = scanIssue(db.QueryRow(ctx, `SELECT `+issueColumns+` FROM migration_dataqualityissue i WHERE i.id = $1`, id), &is)
	if errors.Is(err, pgx.ErrNoRows) {
		return is, false, nil
	}
	if err != nil {
		return is, false, fmt.Errorf("read issue %d: %w", id, err)
	}
	return is, true, nil
}

// operatorUser is the SQL for the user an operator's name ($3) stands
// for: the one active accounts_user whose e-mail is the name, ignoring
// case, else NULL (recon never creates users for operators).
const operatorUser = `(SELECT CASE WHEN count(*) = 1 THEN min(u.id) END FROM accounts_user u
		WHERE u.is_active AND lower(u.email) = lower(btrim($3::text)))`

// resolveOpenIssue marks issue id resolved if it is open and returns it;
// resolved is false when no open issue has that id.
func resolveOpenIssue(ctx context.Context, db DB, id int64, r Resolution) (is Issue, resolved bool, err error) {
	err = scanIssue(db.QueryRow(ctx, `UPDATE migration_dataqualityissue i
		SET resolved = true, resolution = $2, resolved_by_name = $3, resolved_by_id = `+operatorUser+`, resolved_at = $4
		WHERE i.id = $1 AND NOT i.resolved RETURNING `+issueColumns, id, r.Text, r.By, r.At), &is)
	if errors.Is(err, pgx.ErrNoRows) {
		return is, false, nil
	}
	if err != nil {
		return is, false, fmt.Errorf("resolve issue %d: %w", id, err)
	}
	return is, true, nil
}

// resolveOpenIssues marks those of the issues ids that are open resolved,
// in one statement, and returns how many.
func resolveOpenIssues(ctx context.Context, db DB, ids []int64, r Resolution) (int64, error) {
	tag, err := db.Exec(ctx, `UPDATE migration_dataqualityissue
		SET resolved = true, resolution = $2, resolved_by_name = $3, resolved_by_id = `+operatorUser+`, resolved_at = $4
		WHERE id = ANY($1) AND NOT resolved`, ids, r.Text, r.By, r.At)
	if err != nil {
		return 0, fmt.Errorf("resolve issues: %w", err)
	}
	return tag.RowsAffected(), nil
}
