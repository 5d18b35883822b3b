package codecheck

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDataAccessOnlyInAdapters: in the data packages every statement and
// every use of pgx is in an adapter file (pg.go, pg_*.go); the rest of each
// package decides, validates and shapes plain values.
func TestDataAccessOnlyInAdapters(t *testing.T) {
	// The packages whose statements and pgx live in adapter files only
	// (issue 29, item 3).
	dataPackages := []string{"../../audit", "../../signoff", "../../importer", "../../reconcile"}
	// What may stay outside an adapter file, as "file: what" prefixes of a
	// finding, each with why. Empty: every statement and every import of pgx
	// of the packages above is in pg.go or pg_*.go.
	exceptions := map[string]string{}
	for _, dir := range dataPackages {
		problems, checked, adapters, err := AdapterProblems(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range problems {
			if !excepted(p, exceptions) {
				t.Errorf("%s (move it to an adapter file, pg_*.go)", p)
			}
		}
		if checked == 0 || adapters == 0 {
			t.Errorf("%s: %d files checked, %d adapter files; want some of each", dir, checked, adapters)
		}
	}
}

// excepted reports whether a finding is one of the allowed exceptions.
func excepted(problem string, exceptions map[string]string) bool {
	for prefix := range exceptions {
		if strings.HasPrefix(problem, prefix) {
			return true
		}
	}
	return false
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
		{"pgtype import", "package p\nimport \"github.com/jackc/pgx/v5/pgtype\"\nvar _ pgtype.Int8", 1},
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
		if got := DataAccess(fset, f); len(got) != tt.want {
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
		if got := AdapterFile(tt.name); got != tt.want {
			t.Errorf("AdapterFile(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// AdapterProblems reads a package's files: adapters and tests are not
// checked, the others are, and a file that does not parse is an error.
func TestAdapterProblems(t *testing.T) {
	tests := []struct {
		name     string
		files    map[string]string
		problems []string // substrings, one per finding
		checked  int
		adapters int
		err      bool
	}{
		{"clean", map[string]string{"pg.go": "package p\nvar q = `SELECT 1 FROM t`", "rules.go": "package p\nvar m = \"hola\""}, nil, 1, 1, false},
		{"statement outside", map[string]string{"pg.go": "package p", "rules.go": "package p\nvar q = `DELETE FROM t`"}, []string{"rules.go:2:9: SQL DELETE FROM t"}, 1, 1, false},
		{"pgx outside", map[string]string{"rules.go": "package p\nimport \"github.com/jackc/pgx/v5\"\nvar _ pgx.Tx"}, []string{"rules.go:2:8: imports github.com/jackc/pgx/v5"}, 1, 0, false},
		{"tests not checked", map[string]string{"pg_x.go": "package p", "x_test.go": "package p\nvar q = `SELECT 1 FROM t`"}, nil, 0, 1, false},
		{"does not parse", map[string]string{"rules.go": "package p\nfunc {"}, nil, 0, 0, true},
		{"empty", map[string]string{}, nil, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, src := range tt.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got, checked, adapters, err := AdapterProblems(dir)
			if (err != nil) != tt.err {
				t.Fatalf("error %v, want error %v", err, tt.err)
			}
			if len(got) != len(tt.problems) {
				t.Fatalf("problems %q, want %d like %q", got, len(tt.problems), tt.problems)
			}
			for i := range got {
				if !strings.Contains(got[i], tt.problems[i]) {
					t.Errorf("problem %q, want it to say %q", got[i], tt.problems[i])
				}
			}
			if checked != tt.checked || adapters != tt.adapters {
				t.Errorf("checked %d, adapters %d; want %d, %d", checked, adapters, tt.checked, tt.adapters)
			}
		})
	}
}
