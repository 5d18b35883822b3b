package gen

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// TestSinkFailures checks each way writing a table can fail: the error
// names the final file, and no partial file is left behind.
func TestSinkFailures(t *testing.T) {
	two := table{base: "t", title: "T", header: []string{"a", "b"}}
	long := strings.Repeat("ą", 3000) // not in Windows-1252, and beyond csv's 4 KiB buffer
	tests := []struct {
		name    string
		variant string
		t       table
		prepare func(dir string) error
		run     func(s sink) error // nil: the error comes from opening the sink
		err     string             // substring; "%s" is the final file
	}{
		{name: "csv folder missing", variant: VariantUTF8, t: two, prepare: func(dir string) error { return os.Remove(dir) },
			err: "create %p: open %p: no such file or directory"},
		{name: "csv header not encodable", variant: VariantExcelES, t: table{base: "t", header: []string{long}},
			err: "write %s: encoding: rune not supported by encoding."},
		{name: "csv row too short", variant: VariantUTF8, t: two, run: func(s sink) error { return s.write([]val{txt("x")}) },
			err: "write %s: row has 1 values, want 2"},
		{name: "csv row not encodable", variant: VariantExcelES, t: two, run: func(s sink) error { return s.write([]val{txt(long), num(1)}) },
			err: "write %s: encoding: rune not supported by encoding."},
		{name: "csv cell not encodable at commit", variant: VariantExcelES, t: two,
			run: func(s sink) error {
				if err := s.write([]val{txt("ą"), num(1)}); err != nil {
					return err
				}
				return s.commit()
			}, err: "write %s: encoding: rune not supported by encoding."},
		{name: "csv final name taken by a folder", variant: VariantUTF8, t: two,
			prepare: func(dir string) error { return os.MkdirAll(filepath.Join(dir, "t.csv", "x"), 0o755) },
			run:     func(s sink) error { return s.commit() }, err: "write %s: rename "},
		{name: "xlsx bad sheet title", variant: VariantXLSX, t: table{base: "t", title: "a[b]", header: []string{"a"}},
			err: "create %s: the sheet can not contain any of the characters"},
		{name: "xlsx no columns", variant: VariantXLSX, t: table{base: "t", title: "T"},
			err: "create %s: invalid cell reference [0, 1]"},
		{name: "xlsx row too long", variant: VariantXLSX, t: two, run: func(s sink) error { return s.write([]val{txt("x"), txt("y"), txt("z")}) },
			err: "write %s: row has 3 values, want 2"},
		{name: "xlsx beyond the last row", variant: VariantXLSX, t: two, run: func(s sink) error {
			s.(*xlsxSink).row = 1_048_576
			return s.write([]val{txt("x"), txt("y")})
		}, err: "write %s: row number exceeds maximum limit"},
		{name: "xlsx rows out of order", variant: VariantXLSX, t: two, run: func(s sink) error {
			s.(*xlsxSink).row = 0 // row 1 was written: the title
			return s.write([]val{txt("x"), txt("y")})
		}, err: "write %s: row 1 has already been written"},
		{name: "xlsx folder removed before commit", variant: VariantXLSX, t: two, run: func(s sink) error {
			if err := os.RemoveAll(filepath.Dir(s.(*xlsxSink).final)); err != nil {
				return err
			}
			return s.commit()
		}, err: "write %s: open %p: no such file or directory"},
		{name: "xlsx final name taken by a folder", variant: VariantXLSX, t: two,
			prepare: func(dir string) error { return os.MkdirAll(filepath.Join(dir, "t.xlsx", "x"), 0o755) },
			run:     func(s sink) error { return s.commit() }, err: "write %s: rename "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if tt.prepare != nil {
				if err := tt.prepare(dir); err != nil {
					t.Fatal(err)
				}
			}
			ext := ".csv"
			if tt.variant == VariantXLSX {
				ext = ".xlsx"
			}
			final := filepath.Join(dir, tt.t.base+ext)
			want := strings.NewReplacer("%s", final, "%p", partialName(final)).Replace(tt.err)
			s, err := openSink(dir, tt.variant, tt.t)
			if tt.run != nil {
				if err != nil {
					t.Fatal(err)
				}
				err = tt.run(s)
				s.abort()
			}
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("err = %v, want %q", err, want)
			}
			if exists(partialName(final)) {
				t.Errorf("%s left behind", partialName(final))
			}
		})
	}
}

func TestWriteFileAtomicFailures(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "taken", "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path string
		err  string
	}{
		{filepath.Join(dir, "missing", "expected.json"), "no such file or directory"},
		{filepath.Join(dir, "taken"), "rename "},
	}
	for _, tt := range tests {
		err := writeFileAtomic(tt.path, []byte("{}"))
		if err == nil || !strings.HasPrefix(err.Error(), "write "+tt.path+": ") || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("%s: err = %v, want %q", tt.path, err, tt.err)
		}
		if exists(partialName(tt.path)) {
			t.Errorf("%s left behind", partialName(tt.path))
		}
	}
}

// cancelAt is a context whose Err turns context.Canceled at its n-th call,
// a run cancelled at that checkpoint; at each call before it, it records
// which tables are being written (their partial files).
type cancelAt struct {
	context.Context
	n, calls int
	dir      string
	writing  []string // per call, the partial files present
}

func (c *cancelAt) Err() error {
	c.calls++
	var partial []string
	entries, _ := os.ReadDir(c.dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".partial") {
			partial = append(partial, e.Name())
		}
	}
	c.writing = append(c.writing, strings.Join(partial, ","))
	if c.calls == c.n {
		return context.Canceled
	}
	return nil
}

// TestCancelInEveryTable cancels a generation at the first checkpoint of
// each table: the run returns context.Canceled, the tables finished before
// stay, and the interrupted one leaves no file at all.
func TestCancelInEveryTable(t *testing.T) {
	dir := t.TempDir()
	probe := &cancelAt{Context: context.Background(), dir: dir}
	if _, err := Generate(probe, Options{Out: dir, Scale: 1, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	// The tables written at once (invoices and their items) are one step.
	first := map[string]int{} // partial files -> first call seeing them
	var steps []string
	for i, w := range probe.writing {
		if _, seen := first[w]; w != "" && !seen {
			first[w] = i + 1
			steps = append(steps, w)
		}
	}
	var tables int
	for _, st := range steps {
		tables += len(strings.Split(st, ","))
	}
	if tables != len(FileNames(VariantUTF8)) {
		t.Fatalf("checkpoints seen while writing %q, want every one of %v", steps, FileNames(VariantUTF8))
	}
	final := func(partial string) string { return strings.TrimSuffix(strings.TrimPrefix(partial, "."), ".partial") }
	for i, step := range steps {
		t.Run(step, func(t *testing.T) {
			dir := t.TempDir()
			_, err := Generate(&cancelAt{Context: context.Background(), n: first[step], dir: dir}, Options{Out: dir, Scale: 1, Seed: 1})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want context.Canceled", err)
			}
			for j, st := range steps {
				for _, p := range strings.Split(st, ",") {
					if exists(filepath.Join(dir, p)) {
						t.Errorf("%s left behind", p)
					}
					if exists(filepath.Join(dir, final(p))) != (j < i) {
						t.Errorf("%s exists %v after cancelling while writing %s", final(p), !(j < i), step)
					}
				}
			}
			if exists(filepath.Join(dir, expectedName)) {
				t.Errorf("%s written by a cancelled run", expectedName)
			}
		})
	}
}
