package reports

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// failingWriter refuses every write.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// TestJSON: the run is written indented, newline-terminated, and reads
// back as the same Result; a failed write is reported.
func TestJSON(t *testing.T) {
	r := longRun()
	var b bytes.Buffer
	if err := JSON(&b, r); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "{\n  \"") || !strings.HasSuffix(b.String(), "}\n") {
		t.Errorf("not indented and newline-terminated:\n%.80s", b.String())
	}
	back := r
	back.Mismatches = nil
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Mismatches, r.Mismatches) || back.RunID != r.RunID || !back.GeneratedAt.Equal(r.GeneratedAt) {
		t.Errorf("the run does not read back: %+v", back)
	}
	if err := JSON(failingWriter{}, r); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("JSON to a failing writer = %v, want the write error", err)
	}
}
