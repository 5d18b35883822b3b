package codecheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCompareImports(t *testing.T) {
	code := map[string][]string{"a": {"b", "c"}, "b": {"c"}, "c": nil, "cmd/x": {"a"}}
	tests := []struct {
		name string
		rows []DocRow
		want []string // substrings, one per problem
	}{
		{"agree", []DocRow{{1, []string{"a"}, []string{"b", "c"}}, {2, []string{"b"}, []string{"c"}}, {3, []string{"c"}, nil}, {4, []string{"cmd/x"}, []string{"a"}}}, nil},
		{"missing import", []DocRow{{1, []string{"a"}, []string{"b"}}, {2, []string{"b"}, []string{"c"}}, {3, []string{"c"}, nil}, {4, []string{"cmd/x"}, []string{"a"}}}, []string{`line 1: a import "b, c"`}},
		{"two packages in a row", []DocRow{{1, []string{"a", "b"}, []string{"c"}}, {3, []string{"c"}, nil}, {4, []string{"cmd/x"}, []string{"a"}}}, nil},
		{"package left out", []DocRow{{1, []string{"a"}, []string{"b", "c"}}, {2, []string{"b"}, []string{"c"}}, {4, []string{"cmd/x"}, []string{"a"}}}, []string{"package c is not in the table"}},
		{"renamed package", []DocRow{{1, []string{"a"}, []string{"b", "c"}}, {2, []string{"b"}, []string{"c"}}, {3, []string{"c"}, nil}, {4, []string{"cmd/x"}, []string{"a"}}, {5, []string{"store"}, nil}}, []string{"line 5: store is not a package"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CompareImports(tt.rows, code)
			if len(got) != len(tt.want) {
				t.Fatalf("problems %q, want %d like %q", got, len(tt.want), tt.want)
			}
			for i := range got {
				if !strings.Contains(got[i], tt.want[i]) {
					t.Errorf("problem %q, want it to say %q", got[i], tt.want[i])
				}
			}
		})
	}
}

func TestPackageTable(t *testing.T) {
	doc := filepath.Join(t.TempDir(), "a.md")
	text := "# A\n## Packages\n| package | role | imports |\n|---|---|---|\n| `a`, `cmd/x` | does `b` | `c`, `b` |\n| `c` | leaf | — |\n## Next\n| `z` | not this table | `y` |\n"
	if err := os.WriteFile(doc, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	rows, err := PackageTable(doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || strings.Join(rows[0].Packages, ",") != "a,cmd/x" || strings.Join(rows[0].Imports, ",") != "b,c" || rows[0].Line != 5 || len(rows[1].Imports) != 0 {
		t.Errorf("rows = %+v", rows)
	}
	if _, err := PackageTable(filepath.Join(t.TempDir(), "none.md")); err == nil {
		t.Error("a missing document gave no error")
	}
}

// TestArchitectureImports: docs/architecture.md's package table says what
// each package imports; a change of the code's imports fails here until the
// document says it too.
func TestArchitectureImports(t *testing.T) {
	rows, err := PackageTable("../../docs/architecture.md")
	if err != nil {
		t.Fatal(err)
	}
	code, err := ModuleImports("../..", "github.com/petfriendly/recon")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range CompareImports(rows, code) {
		t.Error("docs/architecture.md: " + p)
	}
}
