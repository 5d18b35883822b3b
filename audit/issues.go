package audit

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

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

// issueQuery is a filter checked and put as the adapter compares it.
type issueQuery struct {
	severity, issueType, sourceType, sourceID string
	batchID                                   int64
	unresolved                                bool
	limit, offset                             int
}

// query checks the filter: a known type and severity, no negative number.
func (f IssueFilter) query() (issueQuery, error) {
	sourceType := ""
	if f.Type != "" {
		t, err := lookupType(f.Type)
		if err != nil {
			return issueQuery{}, err
		}
		sourceType = t.SourceType
	}
	sev, ok := words.ParseSeverity(f.Severity)
	if !ok {
		return issueQuery{}, &Error{Code: CodeBadFilter, Detail: fmt.Sprintf("severity %q (crítico, advertencia, informativo; critical, warning, info)", f.Severity)}
	}
	if f.Limit < 0 || f.Offset < 0 || f.BatchID < 0 {
		return issueQuery{}, &Error{Code: CodeBadFilter, Detail: "negative number"}
	}
	return issueQuery{severity: sev, issueType: f.IssueType, sourceType: sourceType, sourceID: f.SourceID,
		batchID: f.BatchID, unresolved: f.Unresolved, limit: f.Limit, offset: f.Offset}, nil
}

// named sets an issue's type name from its source type (kept when the
// type is unknown).
func named(is Issue) Issue {
	is.Type = is.SourceType
	if t, ok := source.TypeByName(is.SourceType); ok {
		is.Type = t.Name
	}
	return is
}

// ListIssues returns the issues the filter selects, by id, and how many
// there are in all (the list stops at Limit).
func ListIssues(ctx context.Context, db DB, f IssueFilter) ([]Issue, int, error) {
	q, err := f.query()
	if err != nil {
		return nil, 0, err
	}
	out, total, err := queryIssues(ctx, db, q)
	if err != nil {
		return nil, 0, err
	}
	for i := range out {
		out[i] = named(out[i])
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
	return readOpenIssueTypes(ctx, db)
}

// GetIssue reads one issue.
func GetIssue(ctx context.Context, db DB, id int64) (Issue, error) {
	is, found, err := readIssue(ctx, db, id)
	if err != nil {
		return is, err
	}
	if !found {
		return is, &Error{Code: CodeNotFound, ID: id}
	}
	return named(is), nil
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

// ResolveIssue marks one open issue resolved and returns it.
func ResolveIssue(ctx context.Context, db DB, id int64, r Resolution) (Issue, error) {
	if err := r.check(); err != nil {
		return Issue{}, err
	}
	is, resolved, err := resolveOpenIssue(ctx, db, id, r)
	if err != nil {
		return Issue{}, err
	}
	if resolved {
		return named(is), nil
	}
	prev, err := GetIssue(ctx, db, id)
	if err != nil {
		return Issue{}, err
	}
	when := ""
	if prev.ResolvedAt != nil {
		when = prev.ResolvedAt.Format("2006-01-02 15:04 MST")
	}
	return prev, &Error{Code: CodeAlreadyResolved, ID: id, Detail: strings.TrimSpace(prev.ResolvedBy + " " + when)}
}

// ResolveIssues marks the listed issues resolved, those still open, in one
// statement; the caller lists them first (ListIssues) so the operator
// confirms exactly what changes. It returns how many it resolved.
func ResolveIssues(ctx context.Context, db DB, ids []int64, r Resolution) (int64, error) {
	if err := r.check(); err != nil {
		return 0, err
	}
	return resolveOpenIssues(ctx, db, ids, r)
}
