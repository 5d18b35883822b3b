package audit_test

import (
	"context"
	"testing"
	"time"

	"github.com/petfriendly/recon/audit"
)

func TestListIssuesPaging(t *testing.T) {
	f := imported(t)
	ctx := context.Background()
	all, total, err := audit.ListIssues(ctx, f.pool, audit.IssueFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if total == 0 || len(all) != total {
		t.Fatalf("%d issues listed of %d", len(all), total)
	}
	// Past the last page: no issues, and still the total.
	page, pastTotal, err := audit.ListIssues(ctx, f.pool, audit.IssueFilter{Limit: 5, Offset: total + 10})
	if err != nil || len(page) != 0 || pastTotal != total {
		t.Errorf("past the end: %d issues, total %d, %v; want none of %d", len(page), pastTotal, err, total)
	}
	for _, bad := range []audit.IssueFilter{{Limit: -1}, {Offset: -1}, {BatchID: -1}} {
		if _, _, err := audit.ListIssues(ctx, f.pool, bad); code(err) != audit.CodeBadFilter {
			t.Errorf("filter %+v: err = %v, want %s", bad, err, audit.CodeBadFilter)
		}
	}
}

func TestResolveRefusesIncompleteResolutions(t *testing.T) {
	f := imported(t)
	ctx := context.Background()
	issues, _, err := audit.ListIssues(ctx, f.pool, audit.IssueFilter{Limit: 1})
	if err != nil || len(issues) != 1 {
		t.Fatalf("issues %v, %v", issues, err)
	}
	id := issues[0].ID
	tests := []struct {
		name string
		r    audit.Resolution
		code string // "" with err: a plain error
		err  string
	}{
		{"no operator", audit.Resolution{Text: "revisado", By: " ", At: testNow}, audit.CodeEmptyBy, ""},
		{"no time", audit.Resolution{Text: "revisado", By: "ana", At: time.Time{}}, "", "resolve issues: no time given"},
	}
	for _, tt := range tests {
		_, err1 := audit.ResolveIssue(ctx, f.pool, id, tt.r)
		_, err2 := audit.ResolveIssues(ctx, f.pool, []int64{id}, tt.r)
		for _, err := range []error{err1, err2} {
			if tt.code != "" && code(err) != tt.code || tt.code == "" && (err == nil || err.Error() != tt.err) {
				t.Errorf("%s: err = %v, want %s%s", tt.name, err, tt.code, tt.err)
			}
		}
	}
	if open, _, err := audit.ListIssues(ctx, f.pool, audit.IssueFilter{Unresolved: true}); err != nil || len(open) == 0 || !containsIssue(open, id) {
		t.Errorf("issue %d no longer open after refused resolutions (%v)", id, err)
	}
}

func containsIssue(issues []audit.Issue, id int64) bool {
	for _, is := range issues {
		if is.ID == id {
			return true
		}
	}
	return false
}
