package importer

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/petfriendly/recon/source"
)

// TestJSONTextMatchesEncodingJSON checks the hand-written encoders give
// the same JSON values as encoding/json did for the same rows.
func TestJSONTextMatchesEncodingJSON(t *testing.T) {
	texts := []string{"", "plain", `quo"te`, `back\slash`, "line\nbreak\r\ttab", "ctl\x01\x1f", "ñandú café", "<b>&amp;</b>",
		"bad\xffutf8\xc3", "\u2028sep\u2029", "emoji 🐶", "\uFFFD"}
	raw := map[string]string{}
	for i, s := range texts {
		raw[string(rune('a'+i))+"_campo"] = s
	}
	var issues []source.Issue
	for _, s := range texts {
		issues = append(issues, source.Issue{Severity: "warning", Type: "invalid_" + s, Field: s, Value: s, Message: "msg " + s})
	}
	for _, m := range []map[string]string{raw, {}} {
		want, _ := json.Marshal(m)
		assertSameJSON(t, rawJSON(m), want)
	}
	for _, list := range [][]source.Issue{issues, nil} {
		maps := make([]map[string]string, 0, len(list))
		for _, is := range list {
			maps = append(maps, map[string]string{"severity": is.Severity, "type": is.Type, "field": is.Field, "value": is.Value, "message": is.Message})
		}
		want, _ := json.Marshal(maps)
		assertSameJSON(t, issuesJSON(list), want)
	}
}

func assertSameJSON(t *testing.T, got, want []byte) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("invalid JSON %s: %v", got, err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("JSON differs:\n got %s\nwant %s", got, want)
	}
}
