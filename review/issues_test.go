package review_test

import (
	"context"
	"testing"
	"time"

	"github.com/petfriendly/recon/review"
)

func TestListIssuesPaging(t *testing.T) {
	f := imported(t)
	ctx := context.Background()
	all, total, err := review.ListIssues(ctx, f.pool, review.IssueFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if total == 0 || len(all) != total {
		t.Fatalf("%d issues listed of %d", len(all), total)
	}
	// Past the last page: no issues, and still the total.
	page, pastTotal, err := review.ListIssues(ctx, f.pool, review.IssueFilter{Limit: 5, Offset: total + 10})
	if err != nil || len(page) != 0 || pastTotal != total {
		t.Errorf("past the end: %d issues, total %d, %v; want none of %d", len(page), pastTotal, err, total)
	}
	for _, bad := range []review.IssueFilter{{Limit: -1}, {Offset: -1}, {BatchID: -1}} {
		if _, _, err := review.ListIssues(ctx, f.pool, bad); code(err) != review.CodeBadFilter {
			t.Errorf("filter %+v: err = %v, want %s", bad, err, review.CodeBadFilter)
		}
	}
}

func TestResolveRefusesIncompleteResolutions(t *testing.T) {
	f := imported(t)
	ctx := context.Background()
	issues, _, err := review.ListIssues(ctx, f.pool, review.IssueFilter{Limit: 1})
	if err != nil || len(issues) != 1 {
		t.Fatalf("issues %v, %v", issues, err)
	}
	id := issues[0].ID
	tests := []struct {
		name string
		r    review.Resolution
		code string // "" with err: a plain error
		err  string
	}{
		{"no operator", review.Resolution{Text: "revisado", By: " ", At: testNow}, review.CodeEmptyBy, ""},
		{"no time", review.Resolution{Text: "revisado", By: "ana", At: time.Time{}}, "", "resolve issues: no time given"},
	}
	for _, tt := range tests {
		_, err1 := review.ResolveIssue(ctx, f.pool, id, tt.r)
		_, err2 := review.ResolveIssues(ctx, f.pool, []int64{id}, tt.r)
		for _, err := range []error{err1, err2} {
			if tt.code != "" && code(err) != tt.code || tt.code == "" && (err == nil || err.Error() != tt.err) {
				t.Errorf("%s: err = %v, want %s%s", tt.name, err, tt.code, tt.err)
			}
		}
	}
	if open, _, err := review.ListIssues(ctx, f.pool, review.IssueFilter{Unresolved: true}); err != nil || len(open) == 0 || !containsIssue(open, id) {
		t.Errorf("issue %d no longer open after refused resolutions (%v)", id, err)
	}
}

func containsIssue(issues []review.Issue, id int64) bool {
	for _, is := range issues {
		if is.ID == id {
			return true
		}
	}
	return false
}
