package codecheck

import (
	"bufio"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// ModuleImports lists, for every package of the module under root (by path
// relative to root), the module's packages its non-test files import.
func ModuleImports(root, module string) (map[string][]string, error) {
	sets := map[string]map[string]bool{}
	err := eachGoFile(root, func(path string) error {
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return fmt.Errorf("imports: %w", err)
		}
		dir, err := filepath.Rel(root, filepath.Dir(path))
		if err != nil {
			return err
		}
		pkg := filepath.ToSlash(dir)
		if sets[pkg] == nil {
			sets[pkg] = map[string]bool{}
		}
		for _, imp := range f.Imports {
			p, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				return fmt.Errorf("imports: %s: %w", path, err)
			}
			if rest, ok := strings.CutPrefix(p, module+"/"); ok {
				sets[pkg][rest] = true
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for pkg, set := range sets {
		out[pkg] = sortedKeys(set)
	}
	return out, nil
}

// DocRow is one row of the architecture document's package table: the
// packages it describes and the module packages it says they import.
type DocRow struct {
	Line     int
	Packages []string
	Imports  []string
}

var (
	tableRow = regexp.MustCompile("^\\|(.*)\\|(.*)\\|(.*)\\|\\s*$")
	codeSpan = regexp.MustCompile("`([^`]+)`")
)

// PackageTable reads the table under the "## Packages" heading of the
// markdown file at path.
func PackageTable(path string) ([]DocRow, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("package table: %w", err)
	}
	defer f.Close()
	var rows []DocRow
	in := false
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.HasPrefix(line, "## ") {
			in = line == "## Packages"
			continue
		}
		m := tableRow.FindStringSubmatch(line)
		if !in || m == nil || strings.HasPrefix(strings.TrimSpace(m[1]), "---") || strings.TrimSpace(m[1]) == "package" {
			continue
		}
		rows = append(rows, DocRow{Line: n, Packages: spans(m[1]), Imports: spans(m[3])})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("package table: %w", err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("package table: no rows under \"## Packages\" in %s", path)
	}
	return rows, nil
}

// CompareImports lists where the table and the code disagree: a package
// the table does not describe, or a row whose imports are not the union of
// what its packages import (its own packages left out).
func CompareImports(rows []DocRow, code map[string][]string) []string {
	var out []string
	described := map[string]bool{}
	for _, r := range rows {
		own := map[string]bool{}
		for _, p := range r.Packages {
			own[p] = true
			described[p] = true
			if _, ok := code[p]; !ok {
				out = append(out, fmt.Sprintf("line %d: %s is not a package of the module", r.Line, p))
			}
		}
		want := map[string]bool{}
		for _, p := range r.Packages {
			for _, imp := range code[p] {
				if !own[imp] {
					want[imp] = true
				}
			}
		}
		got := strings.Join(r.Imports, ", ")
		if w := strings.Join(sortedKeys(want), ", "); got != w {
			out = append(out, fmt.Sprintf("line %d: %s import %q, the table says %q", r.Line, strings.Join(r.Packages, ", "), w, got))
		}
	}
	for _, p := range sortedKeys(toSet(code)) {
		if !described[p] {
			out = append(out, fmt.Sprintf("package %s is not in the table", p))
		}
	}
	return out
}

// spans are the code spans of a table cell, sorted.
func spans(cell string) []string {
	var out []string
	for _, m := range codeSpan.FindAllStringSubmatch(cell, -1) {
		out = append(out, m[1])
	}
	sort.Strings(out)
	return out
}

func toSet(m map[string][]string) map[string]bool {
	out := map[string]bool{}
	for k := range m {
		out[k] = true
	}
	return out
}

func sortedKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
