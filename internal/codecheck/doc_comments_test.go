package codecheck

import (
	"go/parser"
	"go/token"
	"strings"
	"testing"
)

func TestFile(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // names whose comment is reported
	}{
		{"func starts with its name", "// Run runs.\nfunc Run() {}", nil},
		{"func names another", "// Start runs.\nfunc Run() {}", []string{"Run"}},
		{"func renamed lower-case", "// run runs.\nfunc Run() {}", []string{"Run"}},
		{"no comment is not this check's business", "func Run() {}", nil},
		{"type with article", "// A Reader reads.\ntype Reader struct{}", nil},
		{"func with article", "// The Run runs.\nfunc Run() {}", []string{"Run"}},
		{"type names another", "// Writer reads.\ntype Reader struct{}", []string{"Reader"}},
		{"possessive", "// Reader's zero value is ready.\ntype Reader struct{}", nil},
		{"method of exported type", "type T struct{}\n// Get gets.\nfunc (T) Put() {}", []string{"Put"}},
		{"method of unexported type, prose", "type t struct{}\n// Stores it.\nfunc (t) Put() {}", nil},
		{"method of unexported type, stale name", "type t struct{}\n// getValue gets.\nfunc (t) Put() {}", []string{"Put"}},
		{"unexported func, prose", "// Reads the file.\nfunc load() {}", nil},
		{"unexported func, stale identifier", "// loadFile reads.\nfunc load() {}", []string{"load"}},
		{"lone var", "// ErrX is bad.\nvar ErrY = 1", []string{"ErrY"}},
		{"group heading is prose", "const (\n// Completeness\nCodeA = 1\n)", nil},
		{"group spec with stale identifier", "var (\n// ErrNUL: bad.\nErrQuote = 1\n)", []string{"ErrQuote"}},
		{"group spec right", "var (\n// ErrQuote means bad.\nErrQuote = 1\n)", nil},
		{"generic receiver", "type L[T any] struct{}\n// Len counts.\nfunc (l L[T]) Size() int { return 0 }", []string{"Size"}},
		{"package comment", "// Package x does.\npackage x", nil},
		{"package comment of a renamed package", "// Package web serves.\npackage x", []string{"package x"}},
		{"deprecated", "// Deprecated: use Y.\nfunc X() {}", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fset := token.NewFileSet()
			src := tt.src
			if !strings.HasPrefix(src, "// Package") {
				src = "package x\n" + src
			}
			f, err := parser.ParseFile(fset, "x.go", src, parser.ParseComments)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range File(fset, f) {
				got = append(got, p.Name)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("reported %v, want %v", got, tt.want)
			}
		})
	}
}

// TestModuleDocComments is the check `make test` runs on the whole module.
func TestModuleDocComments(t *testing.T) {
	problems, err := Dir("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
}
