// Package codecheck checks the code against rules no compiler enforces:
// the comment on an exported identifier starts with that identifier's
// name, so `go doc` reads right and a comment left behind by a rename is
// caught (doc_comments.go), and docs/architecture.md's package table says what
// each package imports (imports.go).
package codecheck

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
)

// Problem is one doc comment that does not start with its identifier's name.
type Problem struct {
	Pos   token.Position
	Name  string // the identifier the comment documents
	First string // the comment's first word
}

func (p Problem) String() string {
	return fmt.Sprintf("%s: comment on %s starts with %q", p.Pos, p.Name, p.First)
}

// Dir checks every non-test Go file under root (eachGoFile).
func Dir(root string) ([]Problem, error) {
	var out []Problem
	err := eachGoFile(root, func(path string) error {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			return fmt.Errorf("doc check: %w", err)
		}
		out = append(out, File(fset, f)...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].Pos, out[j].Pos
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		return a.Line < b.Line
	})
	return out, nil
}

// File checks one parsed file.
func File(fset *token.FileSet, f *ast.File) []Problem {
	var out []Problem
	// strict: the comment must start with the name. Otherwise (a section
	// heading inside a const group, an unexported helper's prose) only a
	// first word that is itself an identifier is held to it: that is the
	// comment a rename left behind.
	check := func(doc *ast.CommentGroup, name string, strict, articles bool) {
		if doc == nil {
			return
		}
		words := strings.Fields(doc.Text())
		if len(words) == 0 {
			return
		}
		first := words[0]
		if !strict && !identLike(strings.TrimRight(first, ".,:;")) {
			return
		}
		// "A Reader reads…" is Go's own convention for types.
		if strict && articles && len(words) > 1 && (first == "A" || first == "An" || first == "The") {
			first = words[1]
		}
		if strings.TrimRight(first, ".,:;'s") == name || strings.TrimSuffix(first, "'s") == name {
			return
		}
		if strings.HasPrefix(doc.Text(), "Deprecated:") {
			return
		}
		out = append(out, Problem{Pos: fset.Position(doc.Pos()), Name: name, First: words[0]})
	}
	// A package comment starts "Package <name>" (a renamed package's
	// comment keeps its old name otherwise).
	if f.Doc != nil && f.Name.Name != "main" { // a command's comment names the command
		words := strings.Fields(f.Doc.Text())
		if len(words) < 2 || words[0] != "Package" || strings.TrimRight(words[1], ".,:;") != f.Name.Name {
			first := ""
			if len(words) > 1 {
				first = words[0] + " " + words[1]
			}
			out = append(out, Problem{Pos: fset.Position(f.Doc.Pos()), Name: "package " + f.Name.Name, First: first})
		}
	}
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			exported := ast.IsExported(d.Name.Name) && (d.Recv == nil || exportedReceiver(d.Recv))
			check(d.Doc, d.Name.Name, exported, false)
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch s := spec.(type) {
				case *ast.TypeSpec:
					doc := s.Doc
					if doc == nil && len(d.Specs) == 1 {
						doc = d.Doc
					}
					check(doc, s.Name.Name, ast.IsExported(s.Name.Name), true)
				case *ast.ValueSpec:
					// A group's comment speaks for the group; only a spec's own
					// comment, or a lone spec's, is about one name.
					doc, lone := s.Doc, !d.Lparen.IsValid()
					if doc == nil && lone {
						doc = d.Doc
					}
					if len(s.Names) == 1 {
						check(doc, s.Names[0].Name, lone && ast.IsExported(s.Names[0].Name), true)
					}
				}
			}
		}
	}
	return out
}

// exportedReceiver reports whether a method's receiver type is exported, so
// its methods show in `go doc`.
func exportedReceiver(recv *ast.FieldList) bool {
	if len(recv.List) == 0 {
		return false
	}
	t := recv.List[0].Type
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
		case *ast.IndexExpr:
			t = x.X
		case *ast.IndexListExpr:
			t = x.X
		case *ast.Ident:
			return ast.IsExported(x.Name)
		default:
			return false
		}
	}
}

// identLike reports whether a word reads as a Go identifier rather than
// prose: mixed case after the first letter (lastPage, ErrNUL) or an
// underscore.
func identLike(w string) bool {
	if w == "" || !token.IsIdentifier(w) {
		return false
	}
	if strings.Contains(w, "_") {
		return true
	}
	for i, r := range w {
		if i > 0 && r >= 'A' && r <= 'Z' {
			return true
		}
	}
	return false
}

// eachGoFile calls fn with every non-test Go file under root, skipping
// testdata and hidden or underscore-prefixed folders as the go tool does.
func eachGoFile(root string, fn func(path string) error) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		return fn(path)
	})
}
