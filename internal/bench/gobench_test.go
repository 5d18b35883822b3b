package bench

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeTool writes an executable shell script into a fresh folder and
// returns its path.
func fakeTool(t *testing.T, name, script string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+script), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestRunGoBench drives RunGoBench with a fake go binary that records its
// arguments and prints benchmark output, and checks the parsed medians, the
// quoted command, the echoed output and the document section.
func TestRunGoBench(t *testing.T) {
	dir := t.TempDir()
	argsFile := filepath.Join(dir, "args")
	goBin := fakeTool(t, "go", `pwd > `+argsFile+`.pwd
printf '%s\n' "$@" > `+argsFile+`
cat <<'OUT'
pkg: github.com/petfriendly/recon/source
BenchmarkRead-2	10	2000000000 ns/op	5.00 MB/s
BenchmarkRead-2	10	4000000000 ns/op	7.00 MB/s
BenchmarkRead-2	10	3000000000 ns/op	6.00 MB/s
BenchmarkTiny	notanumber	12 ns/op
BenchmarkTiny	1000	12 ns/op	x B/op
PASS
OUT
`)
	doc := filepath.Join(dir, "performance.md")
	var out bytes.Buffer
	res, command, err := RunGoBench(context.Background(), GoBenchOptions{Go: goBin, Dir: dir, Bench: "Read|Tiny", Pkgs: []string{"./source/", "./reconcile/"},
		Doc: doc, Out: &out})
	if err != nil {
		t.Fatal(err)
	}
	args, err := os.ReadFile(argsFile)
	if err != nil {
		t.Fatal(err)
	}
	// Count 0 means the default of 5 runs.
	if want := "test\n-run=^$\n-bench=Read|Tiny\n-benchmem\n-count=5\n./source/\n./reconcile/\n"; string(args) != want {
		t.Errorf("go ran with\n%s\nwant\n%s", args, want)
	}
	if pwd, _ := os.ReadFile(argsFile + ".pwd"); strings.TrimSpace(string(pwd)) != dir {
		t.Errorf("go ran in %q, want %q", pwd, dir)
	}
	if want := "go test '-run=^$' '-bench=Read|Tiny' -benchmem -count=5 ./source/ ./reconcile/"; command != want {
		t.Errorf("command = %q, want %q", command, want)
	}
	if !strings.Contains(out.String(), "BenchmarkRead-2") {
		t.Errorf("output not echoed: %q", out.String())
	}
	// The row whose run count is not a number is skipped; the unparseable
	// B/op value is dropped but its ns/op kept.
	if len(res) != 2 || res[0].Name != "BenchmarkRead" || res[0].Runs != 3 || res[0].NsPerOp != 3e9 || res[0].Metrics["MB/s"] != 6 ||
		res[1].Name != "BenchmarkTiny" || res[1].Runs != 1 || res[1].NsPerOp != 12 || len(res[1].Metrics) != 0 {
		t.Fatalf("parsed %+v", res)
	}
	b, err := os.ReadFile(doc)
	if err != nil {
		t.Fatal(err)
	}
	inside, _ := cut(t, string(b), SectionGoBench)
	for _, want := range []string{"| `BenchmarkRead` | 3 | 3.00 s | – | 6.0 | – | – |", "| `BenchmarkTiny` | 1 | 12 ns |", "- Command: `" + command + "`"} {
		if !strings.Contains(inside, want) {
			t.Errorf("section lacks %q:\n%s", want, inside)
		}
	}
}

func TestRunGoBenchErrors(t *testing.T) {
	failing := fakeTool(t, "go", "echo 'build failed: syntax error'; exit 2\n")
	passing := fakeTool(t, "go", "echo 'BenchmarkX-2 1 5 ns/op'\n")
	unbalanced := filepath.Join(t.TempDir(), "performance.md")
	begin, _ := markers(SectionGoBench)
	if err := os.WriteFile(unbalanced, []byte(begin+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		opts    GoBenchOptions
		wantRes int
		err     string
	}{
		{"go fails", GoBenchOptions{Go: failing, Bench: ".", Count: 1}, 0, "go test -run=^$ -bench=. -benchmem -count=1: exit status 2"},
		{"go missing", GoBenchOptions{Go: filepath.Join(t.TempDir(), "nogo"), Bench: ".", Count: 1}, 0, "no such file or directory"},
		{"bad document", GoBenchOptions{Go: passing, Bench: ".", Count: 1, Doc: unbalanced}, 1, unbalanced + ": unbalanced markers for section " + SectionGoBench},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			tt.opts.Out = &out
			res, _, err := RunGoBench(context.Background(), tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("err = %v, want %q", err, tt.err)
			}
			if len(res) != tt.wantRes {
				t.Errorf("%d results, want %d", len(res), tt.wantRes)
			}
			if tt.name == "go fails" && !strings.Contains(out.String(), "build failed: syntax error") {
				t.Errorf("the failing output was not echoed: %q", out.String())
			}
		})
	}
}
