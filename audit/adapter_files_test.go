package audit

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// sqlWord is an SQL keyword as statements here spell it: upper case, a
// whole word. Messages and comments never shout them.
var sqlWord = regexp.MustCompile(`\b(SELECT|INSERT|UPDATE|DELETE|WITH|FROM|WHERE|JOIN|SET|VALUES|RETURNING|AND)\b`)

// adapterFile reports whether a file is a PostgreSQL adapter: pg.go or
// pg_*.go.
func adapterFile(name string) bool {
	base := filepath.Base(name)
	return base == "pg.go" || strings.HasPrefix(base, "pg_") && strings.HasSuffix(base, ".go")
}

// dataAccess lists what in one Go file belongs in an adapter: string
// literals with SQL in them and imports of pgx, each as "file:line: what".
func dataAccess(fset *token.FileSet, f *ast.File) []string {
	var found []string
	for _, imp := range f.Imports {
		if path, _ := strconv.Unquote(imp.Path.Value); strings.HasPrefix(path, "github.com/jackc/pgx") {
			found = append(found, fset.Position(imp.Pos()).String()+": imports "+path)
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return true
		}
		if s, err := strconv.Unquote(lit.Value); err == nil && sqlWord.MatchString(s) {
			found = append(found, fset.Position(lit.Pos()).String()+": SQL "+strings.Join(strings.Fields(s), " "))
		}
		return true
	})
	return found
}

// TestDataAccessOnlyInAdapters: in review and signoff every statement and
// every use of pgx is in an adapter file (pg.go, pg_*.go); the rest of
// each package decides, validates and shapes plain values.
func TestDataAccessOnlyInAdapters(t *testing.T) {
	for _, dir := range []string{".", "../signoff"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		checked, adapters := 0, 0
		fset := token.NewFileSet()
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			if adapterFile(name) {
				adapters++
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			checked++
			for _, what := range dataAccess(fset, f) {
				t.Errorf("%s (move it to an adapter file, pg_*.go)", what)
			}
		}
		if checked == 0 || adapters == 0 {
			t.Errorf("%s: %d files checked, %d adapter files; want some of each", dir, checked, adapters)
		}
	}
}

// The check finds a statement, a fragment of one and an import of pgx, and
// lets messages and plain strings be.
func TestDataAccessFinds(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want int
	}{
		{"statement", "package p\nvar q = `SELECT id FROM t`", 1},
		{"fragment", "package p\nconst c = `b.status = 'completed' AND NOT b.is_dry_run`", 1},
		{"update", "package p\nfunc f() { g(\"UPDATE t SET a = 1\") }", 1},
		{"pgx import", "package p\nimport \"github.com/jackc/pgx/v5\"\nvar _ = pgx.ErrNoRows", 1},
		{"message", "package p\nvar m = \"select the rows to update with care (--set field=value)\"", 0},
		{"spanish", "package p\nvar m = \"el correo %s ya pertenece al propietario %s\"", 0},
		{"no strings", "package p\nfunc f() int { return 1 }", 0},
	}
	for _, tt := range tests {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, tt.name+".go", tt.src, parser.SkipObjectResolution)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got := dataAccess(fset, f); len(got) != tt.want {
			t.Errorf("%s: found %q, want %d", tt.name, got, tt.want)
		}
	}
}

func TestAdapterFile(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"pg.go", true},
		{"../signoff/pg.go", true},
		{"pg_issues.go", true},
		{"issues.go", false},
		{"pgx.go", false},
		{"page.go", false},
		{"pg_notes.txt", false},
	}
	for _, tt := range tests {
		if got := adapterFile(tt.name); got != tt.want {
			t.Errorf("adapterFile(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}
