package codecheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// sqlWord is an SQL keyword as statements here spell it: upper case, a
// whole word. Messages and comments never shout them.
var sqlWord = regexp.MustCompile(`\b(SELECT|INSERT|UPDATE|DELETE|WITH|FROM|WHERE|JOIN|SET|VALUES|RETURNING|AND)\b`)

// AdapterFile reports whether a file is a PostgreSQL adapter: pg.go or
// pg_*.go.
func AdapterFile(name string) bool {
	base := filepath.Base(name)
	return base == "pg.go" || strings.HasPrefix(base, "pg_") && strings.HasSuffix(base, ".go")
}

// DataAccess lists what in one parsed Go file belongs in an adapter: string
// literals with SQL in them and imports of pgx, each as "file:line: what".
func DataAccess(fset *token.FileSet, f *ast.File) []string {
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

// AdapterProblems checks the non-test Go files of one package directory:
// every statement and every import of pgx must be in an adapter file. It
// returns the findings outside adapters and how many files of each kind it
// saw, so a caller can tell an empty directory from a clean one.
func AdapterProblems(dir string) (problems []string, checked, adapters int, err error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, 0, 0, err
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		if AdapterFile(name) {
			adapters++
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, 0, 0, err
		}
		checked++
		problems = append(problems, DataAccess(fset, f)...)
	}
	return problems, checked, adapters, nil
}
