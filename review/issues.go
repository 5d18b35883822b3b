package review

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/petfriendly/recon/internal/words"
	"github.com/petfriendly/recon/source"
)

// Issue is one data-quality issue (migration_dataqualityissue).
type Issue struct {
	ID           int64      `json:"id"`
	BatchID      int64      `json:"batch_id"`
	RecordID     int64      `json:"record_id,omitempty"`
	Type         string     `json:"type"`        // source.Type name: "pets"
	SourceType   string     `json:"source_type"` // "pet"
	SourceID     string     `json:"source_id"`
	Severity     string     `json:"severity"`
	IssueType    string     `json:"issue_type"`
	Field        string     `json:"field"`
	Description  string     `json:"description"`
	SourceValue  string     `json:"source_value"`
	Resolved     bool       `json:"resolved"`
	Resolution   string     `json:"resolution"`
	ResolvedBy   string     `json:"resolved_by"`              // the operator's name as given (resolved_by_name)
	ResolvedByID *int64     `json:"resolved_by_id,omitempty"` // the active user with that e-mail, if any
	ResolvedAt   *time.Time `json:"resolved_at"`
	CreatedAt    time.Time  `json:"created_at"`
}

// IssueFilter selects issues. Without BatchID only the issues of completed,
// real batches count, as in verify; with it, that batch's whatever its status.
type IssueFilter struct {
	Severity   string // critical, warning, info
	IssueType  string
	Type       string // any name of a type: "pet", "pets"
	SourceID   string
	BatchID    int64
	Unresolved bool
	Limit      int // 0: no limit
	Offset     int
}

// Narrowed reports whether the filter names something to narrow by, so a
// bulk resolution cannot touch every issue by accident.
func (f IssueFilter) Narrowed() bool {
	return f.Severity != "" || f.IssueType != "" || f.Type != "" || f.SourceID != "" || f.BatchID != 0
}

func (f IssueFilter) where() (string, []any, error) {
	sourceType := ""
	if f.Type != "" {
		t, err := lookupType(f.Type)
		if err != nil {
			return "", nil, err
		}
		sourceType = t.SourceType
	}
	sev, ok := words.ParseSeverity(f.Severity)
	if !ok {
		return "", nil, &Error{Code: CodeBadFilter, Detail: fmt.Sprintf("severity %q (crítico, advertencia, informativo; critical, warning, info)", f.Severity)}
	}
	if f.Limit < 0 || f.Offset < 0 || f.BatchID < 0 {
		return "", nil, &Error{Code: CodeBadFilter, Detail: "negative number"}
	}
	where := `($1::text = '' OR i.severity = $1) AND ($2::text = '' OR i.issue_type = $2) AND ($3::text = '' OR i.source_type = $3)
		AND ($4::text = '' OR i.source_id = $4) AND (NOT $5::bool OR NOT i.resolved)
		AND CASE WHEN $6::bigint > 0 THEN i.batch_id = $6 ELSE ` + realBatch + ` END`
	return where, []any{sev, f.IssueType, sourceType, f.SourceID, f.Unresolved, f.BatchID}, nil
}

const issueColumns = `i.id, i.batch_id, COALESCE(i.record_id, 0), i.source_type, i.source_id, i.severity,
	i.issue_type, i.field_name, i.description, i.source_value, i.resolved, i.resolution, i.resolved_by_name, i.resolved_by_id,
	i.resolved_at, i.created_at`

func scanIssue(row pgx.Row, is *Issue, extra ...any) error {
	dst := append([]any{&is.ID, &is.BatchID, &is.RecordID, &is.SourceType, &is.SourceID, &is.Severity, &is.IssueType,
		&is.Field, &is.Description, &is.SourceValue, &is.Resolved, &is.Resolution, &is.ResolvedBy, &is.ResolvedByID, &is.ResolvedAt, &is.CreatedAt}, extra...)
	if err := row.Scan(dst...); err != nil {
		return err
	}
	is.Type = is.SourceType
	if t, ok := source.TypeByName(is.SourceType); ok {
		is.Type = t.Name
	}
	return nil
}

// ListIssues returns the issues the filter selects, by id, and how many
// there are in all (the list stops at Limit).
func ListIssues(ctx context.Context, db DB, f IssueFilter) ([]Issue, int, error) {
	where, args, err := f.where()
	if err != nil {
		return nil, 0, err
	}
	limit := "ALL"
	if f.Limit > 0 {
		limit = fmt.Sprint(f.Limit)
	}
	rows, err := db.Query(ctx, `SELECT `+issueColumns+`, count(*) OVER ()
		FROM migration_dataqualityissue i LEFT JOIN migration_migrationbatch b ON b.id = i.batch_id
		WHERE `+where+` ORDER BY i.id LIMIT `+limit+fmt.Sprintf(" OFFSET %d", f.Offset), args...)
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
	if len(out) == 0 && f.Offset > 0 {
		// count(*) OVER () has no row to ride on past the end.
		if err := db.QueryRow(ctx, `SELECT count(*) FROM migration_dataqualityissue i
			LEFT JOIN migration_migrationbatch b ON b.id = i.batch_id WHERE `+where, args...).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("count issues: %w", err)
		}
	}
	return out, total, nil
}

// IssueTypeCount is how many issues of one type are open, for filters.
type IssueTypeCount struct {
	IssueType string `json:"issue_type"`
	Open      int    `json:"open"`
}

// OpenIssueTypes lists the issue types with open issues in real batches.
func OpenIssueTypes(ctx context.Context, db DB) ([]IssueTypeCount, error) {
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

// GetIssue reads one issue.
func GetIssue(ctx context.Context, db DB, id int64) (Issue, error) {
	var is Issue
	err := scanIssue(db.QueryRow(ctx, `SELECT `+issueColumns+` FROM migration_dataqualityissue i WHERE i.id = $1`, id), &is)
	if errors.Is(err, pgx.ErrNoRows) {
		return is, &Error{Code: CodeNotFound, ID: id}
	}
	if err != nil {
		return is, fmt.Errorf("read issue %d: %w", id, err)
	}
	return is, nil
}

// Resolution is what the operator decided about issues.
type Resolution struct {
	Text string
	By   string
	At   time.Time
}

func (r *Resolution) check() error {
	r.Text, r.By = strings.TrimSpace(r.Text), strings.TrimSpace(r.By)
	if r.Text == "" {
		return &Error{Code: CodeEmptyResolution}
	}
	if r.By == "" {
		return &Error{Code: CodeEmptyBy}
	}
	if r.At.IsZero() {
		return errors.New("resolve issues: no time given")
	}
	return nil
}

// operatorUser is the SQL for the user an operator's name ($3) stands
// for: the one active accounts_user whose e-mail is the name, ignoring
// case, else NULL (recon never creates users for operators).
const operatorUser = `(SELECT CASE WHEN count(*) = 1 THEN min(u.id) END FROM accounts_user u
		WHERE u.is_active AND lower(u.email) = lower(btrim($3::text)))`

// ResolveIssue marks one open issue resolved and returns it.
func ResolveIssue(ctx context.Context, db DB, id int64, r Resolution) (Issue, error) {
	if err := r.check(); err != nil {
		return Issue{}, err
	}
	var is Issue
	err := scanIssue(db.QueryRow(ctx, `UPDATE migration_dataqualityissue i
		SET resolved = true, resolution = $2, resolved_by_name = $3, resolved_by_id = `+operatorUser+`, resolved_at = $4
		WHERE i.id = $1 AND NOT i.resolved RETURNING `+issueColumns, id, r.Text, r.By, r.At), &is)
	if errors.Is(err, pgx.ErrNoRows) {
		prev, gerr := GetIssue(ctx, db, id)
		if gerr != nil {
			return Issue{}, gerr
		}
		when := ""
		if prev.ResolvedAt != nil {
			when = prev.ResolvedAt.Format("2006-01-02 15:04 MST")
		}
		return prev, &Error{Code: CodeAlreadyResolved, ID: id, Detail: strings.TrimSpace(prev.ResolvedBy + " " + when)}
	}
	if err != nil {
		return Issue{}, fmt.Errorf("resolve issue %d: %w", id, err)
	}
	return is, nil
}

// ResolveIssues marks the listed issues resolved, those still open, in one
// statement; the caller lists them first (ListIssues) so the operator
// confirms exactly what changes. It returns how many it resolved.
func ResolveIssues(ctx context.Context, db DB, ids []int64, r Resolution) (int64, error) {
	if err := r.check(); err != nil {
		return 0, err
	}
	tag, err := db.Exec(ctx, `UPDATE migration_dataqualityissue
		SET resolved = true, resolution = $2, resolved_by_name = $3, resolved_by_id = `+operatorUser+`, resolved_at = $4
		WHERE id = ANY($1) AND NOT resolved`, ids, r.Text, r.By, r.At)
	if err != nil {
		return 0, fmt.Errorf("resolve issues: %w", err)
	}
	return tag.RowsAffected(), nil
}
