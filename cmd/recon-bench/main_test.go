package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeBinary writes an executable shell script and returns its path.
func fakeBinary(t *testing.T, name, script string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+script), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRunArguments(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "no-recon")
	failingRecon := fakeBinary(t, "recon", `echo "cluster refused: $*"; exit 3`+"\n")
	tests := []struct {
		name       string
		args       []string
		code       int
		wantStderr string
	}{
		{"unknown flag", []string{"-bogus"}, 2, "flag provided but not defined: -bogus"},
		{"help", []string{"-h"}, 0, "Usage of recon-bench"},
		{"scale not a number", []string{"-scales", "20,abc"}, 1, `recon-bench: bad scale "abc"`},
		{"scale zero", []string{"-scales", "0"}, 1, `recon-bench: bad scale "0"`},
		{"empty scales", []string{"-scales", ""}, 1, `recon-bench: bad scale ""`},
		{"missing recon binary", []string{"-scales", "1", "-recon", missing, "-work", filepath.Join(dir, "w1")}, 1,
			"recon-bench: recon binary: stat " + missing + ": no such file or directory (run make build)"},
		{"cluster does not start", []string{"-scales", "1", "-pgloader=false", "-recon", failingRecon, "-work", filepath.Join(dir, "w2")}, 1,
			"recon-bench: start the bench cluster: exit status 3: cluster refused: --home=" + filepath.Join(dir, "w2", "home") + " --lang=en db start"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tt.args, &stdout, &stderr)
			if code != tt.code {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, tt.code, stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.wantStderr) {
				t.Errorf("stderr %q, want it to contain %q", stderr.String(), tt.wantStderr)
			}
		})
	}
}

func TestRunGoBenchmarksSection(t *testing.T) {
	dir := t.TempDir()
	argsFile := filepath.Join(dir, "args")
	goBin := fakeBinary(t, "go", `echo "$*" > `+argsFile+`
echo "pkg: github.com/petfriendly/recon/source"
echo "BenchmarkReadNormalize-2   	     100	   2500000 ns/op	  40.5 MB/s	  123 B/op	  7 allocs/op"
echo "BenchmarkReadNormalize-2   	     100	   2700000 ns/op	  38.5 MB/s	  123 B/op	  7 allocs/op"
echo "PASS"
`)
	doc := filepath.Join(dir, "performance.md")
	if err := os.WriteFile(doc, []byte("# Performance\n\nHand-written intro.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"-section", "go-benchmarks", "-go", goBin, "-bench-count", "2", "-doc", doc}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit code %d, stderr:\n%s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "BenchmarkReadNormalize-2") {
		t.Errorf("stdout does not echo the go test output:\n%s", stdout.String())
	}
	args, err := os.ReadFile(argsFile)
	if err != nil {
		t.Fatal(err)
	}
	wantArgs := "test -run=^$ -bench=^(BenchmarkReadNormalize|BenchmarkCompareRecord)$ -benchmem -count=2 ./source/ ./reconcile/\n"
	if string(args) != wantArgs {
		t.Errorf("go called with %q, want %q", args, wantArgs)
	}
	b, err := os.ReadFile(doc)
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	for _, want := range []string{
		"Hand-written intro.",
		"<!-- BEGIN generated: go-benchmarks -->",
		"- Command: `go test '-run=^$' '-bench=^(BenchmarkReadNormalize|BenchmarkCompareRecord)$' -benchmem -count=2 ./source/ ./reconcile/`",
		"| `BenchmarkReadNormalize` | 2 | 2.60 ms | – | 39.5 | 123 | 7 |",
		"<!-- END generated: go-benchmarks -->",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("document lacks %q:\n%s", want, got)
		}
	}
}

func TestRunGoBenchmarksFailure(t *testing.T) {
	goBin := fakeBinary(t, "go", "echo 'build failed: syntax error'; exit 1\n")
	doc := filepath.Join(t.TempDir(), "performance.md")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"-section", "go-benchmarks", "-go", goBin, "-doc", doc}, &stdout, &stderr)
	if code != 1 {
		t.Fatalf("exit code %d, want 1", code)
	}
	if !strings.Contains(stdout.String(), "build failed: syntax error") {
		t.Errorf("stdout %q lacks the go output", stdout.String())
	}
	want := "recon-bench: go test -run=^$ -bench=^(BenchmarkReadNormalize|BenchmarkCompareRecord)$ -benchmem -count=5 ./source/ ./reconcile/: exit status 1\n"
	if stderr.String() != want {
		t.Errorf("stderr %q, want %q", stderr.String(), want)
	}
	if _, err := os.Stat(doc); !os.IsNotExist(err) {
		t.Errorf("document written after a failed run: %v", err)
	}
}
