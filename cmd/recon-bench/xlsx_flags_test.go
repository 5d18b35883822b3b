package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunXLSXFlags: --xlsx-mb reaches the harness (the xlsx section refuses
// a size of 0 before starting anything), and the default size is taken for
// a run of the step alone (it gets as far as the missing recon binary).
func TestRunXLSXFlags(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "no-recon")
	tests := []struct {
		name       string
		args       []string
		wantStderr string
	}{
		{"no size", []string{"-section", "xlsx", "-xlsx-mb", "0", "-recon", missing}, "recon-bench: the xlsx section needs a workbook size (XLSXMB, --xlsx-mb) above 0"},
		{"default size", []string{"-section", "xlsx", "-recon", missing, "-work", filepath.Join(dir, "w")}, "recon-bench: recon binary: stat " + missing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(context.Background(), tt.args, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), tt.wantStderr) {
				t.Errorf("exit code %d, stderr %q; want 1 and %q", code, stderr.String(), tt.wantStderr)
			}
		})
	}
}
