package templates

import (
	"html/template"
	"io/fs"
	"testing"
)

// TestTemplatesParse: the embedded files are the three report templates,
// and they parse together as the reports read them.
func TestTemplatesParse(t *testing.T) {
	names, err := fs.Glob(FS(), Pattern)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"base.html": true, "compare.html": true, "report.html": true}
	if len(names) != len(want) {
		t.Errorf("templates = %v, want %d files", names, len(want))
	}
	for _, n := range names {
		if !want[n] {
			t.Errorf("unexpected template %s", n)
		}
	}
	tp, err := template.New("report.html").ParseFS(FS(), Pattern)
	if err != nil {
		t.Fatal(err)
	}
	for n := range want {
		if tp.Lookup(n) == nil {
			t.Errorf("template %s not defined", n)
		}
	}
}
