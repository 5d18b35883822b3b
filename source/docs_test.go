package source

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateDocs = flag.Bool("update-docs", false, "rewrite the field tables in docs/okvet-format.md from types.go")

const (
	docsBegin = "<!-- fields:begin (generated from source/types.go: go test ./source -run TestDocsFieldTables -update-docs) -->"
	docsEnd   = "<!-- fields:end -->"
)

// fieldTables renders every type's fields as Markdown.
func fieldTables() string {
	var b strings.Builder
	for _, t := range Types() {
		fmt.Fprintf(&b, "\n#### %s → `%s`\n\n", t.Name, t.Table)
		fmt.Fprintf(&b, "File names: %s. Source type `%s`", strings.Join(t.Files, ", "), t.SourceType)
		if len(t.DependsOn) > 0 {
			fmt.Fprintf(&b, ", imported after %s", strings.Join(t.DependsOn, ", "))
		}
		b.WriteString(".\n\n| field | also accepted | kind | destination column | notes |\n|---|---|---|---|---|\n")
		for _, f := range t.Fields {
			var notes []string
			if f.Required {
				notes = append(notes, "required column")
			}
			if f.Ref != "" {
				notes = append(notes, "refers to "+f.Ref)
			}
			if f.Past {
				notes = append(notes, "future date flagged")
			}
			col := "`" + f.Column + "`"
			switch {
			case f.Kind == KindID:
				col = "external id (`migration_externalidmapping`)"
			case f.Column == "":
				col = "—"
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", f.Name, strings.Join(f.Aliases, ", "), f.Kind, col, strings.Join(notes, "; "))
		}
	}
	return b.String()
}

func TestDocsFieldTables(t *testing.T) {
	path := filepath.Join("..", "docs", "okvet-format.md")
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the documentation this test keeps in step with the code is missing: %v", err)
	}
	s := string(doc)
	i, j := strings.Index(s, docsBegin), strings.Index(s, docsEnd)
	if i < 0 || j < i {
		t.Fatalf("%s lacks the generated field table markers", path)
	}
	want := docsBegin + "\n" + fieldTables() + "\n" + docsEnd
	if s[i:j+len(docsEnd)] == want {
		return
	}
	if *updateDocs {
		if err := os.WriteFile(path, []byte(s[:i]+want+s[j+len(docsEnd):]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("the field tables in %s are out of date with types.go: run go test ./source -run TestDocsFieldTables -update-docs", path)
}

// docs/architecture.md states Pet-Friendly's contract field by field; every
// field the importer writes must be there as "`field` → `column`", and every
// type's table and batch type too.
func TestDocsContractNamesEveryColumn(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "docs", "architecture.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, ty := range Types() {
		for _, want := range []string{"(`" + ty.Table + "`)", "`" + ty.BatchType + "`"} {
			if !strings.Contains(doc, want) {
				t.Errorf("docs/architecture.md lacks %s of %s", want, ty.Name)
			}
		}
		for _, f := range ty.Fields {
			if f.Column == "" {
				continue
			}
			if want := "`" + f.Name + "` → `" + f.Column + "`"; !strings.Contains(doc, want) {
				t.Errorf("docs/architecture.md lacks %s (%s)", want, ty.Name)
			}
		}
		for _, table := range ty.Tables() {
			for _, c := range ty.Columns(table) {
				if !strings.Contains(doc, "`"+c.Name+"`") {
					t.Errorf("docs/architecture.md never names %s.%s", table, c.Name)
				}
			}
		}
	}
}
