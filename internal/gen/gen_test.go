package gen

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// Generated exports are shared between tests: scale 1 in each variant,
// twice (for the determinism test), under one temporary folder.
var (
	cacheRoot string
	cacheMu   sync.Mutex
	cache     = map[string]Expected{}
)

func TestMain(m *testing.M) {
	d, err := os.MkdirTemp("", "recon-gen-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	cacheRoot = d
	code := m.Run()
	_ = os.RemoveAll(d)
	os.Exit(code)
}

// generated returns the folder and expectations of the scale-1, seed-1
// export of variant; run tells apart two independent generations.
func generated(t *testing.T, variant string, run int) (string, Expected) {
	t.Helper()
	cacheMu.Lock()
	defer cacheMu.Unlock()
	dir := filepath.Join(cacheRoot, fmt.Sprintf("%s-%d", variant, run))
	if exp, ok := cache[dir]; ok {
		return dir, exp
	}
	exp, err := Generate(context.Background(), Options{Out: dir, Scale: 1, Seed: 1, Variant: variant})
	if err != nil {
		t.Fatalf("generate %s: %v", variant, err)
	}
	cache[dir] = exp
	return dir, exp
}

func TestDeterministic(t *testing.T) {
	for _, v := range Variants {
		t.Run(v, func(t *testing.T) {
			a, _ := generated(t, v, 0)
			b, _ := generated(t, v, 1)
			fa, fb := treeFiles(t, a), treeFiles(t, b)
			if !reflect.DeepEqual(keys(fa), keys(fb)) {
				t.Fatalf("file sets differ: %v vs %v", keys(fa), keys(fb))
			}
			for name, da := range fa {
				if !bytes.Equal(da, fb[name]) {
					t.Errorf("%s differs between two runs", name)
				}
			}
			for _, f := range FileNames(v) {
				if _, ok := fa[f]; !ok {
					t.Errorf("%s not written", f)
				}
			}
		})
	}
}

// treeFiles reads every file under dir, keyed by slash path.
func treeFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func keys(m map[string][]byte) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sortStrings(ks)
	return ks
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func TestSeedChangesOutput(t *testing.T) {
	dir := t.TempDir()
	exp, err := Generate(context.Background(), Options{Out: dir, Scale: 1, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	_, exp1 := generated(t, VariantUTF8, 0)
	if reflect.DeepEqual(exp.Defects, exp1.Defects) {
		t.Error("seed 2 gives the same defect counts as seed 1")
	}
	checkExpected(t, exp)
}

func TestExpectedFileMatchesReturn(t *testing.T) {
	for _, v := range Variants {
		dir, exp := generated(t, v, 0)
		b, err := os.ReadFile(filepath.Join(dir, "expected.json"))
		if err != nil {
			t.Fatal(err)
		}
		var got Expected
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, exp) {
			t.Errorf("%s: expected.json differs from Generate's result", v)
		}
		for _, key := range []string{`"seed": 1`, `"scale": 1`, `"variant": "` + v + `"`, `"types"`, `"defects"`, `"destination_rows"`, `"merged_duplicates"`, `"source_rows"`} {
			if !bytes.Contains(b, []byte(key)) {
				t.Errorf("%s: expected.json lacks %s", v, key)
			}
		}
	}
}

// checkExpected asserts the internal consistency of an Expected.
func checkExpected(t *testing.T, exp Expected) {
	t.Helper()
	if len(exp.Types) != len(TypeNames) || len(exp.DestinationRows) != len(TypeNames) {
		t.Fatalf("types %d, destination_rows %d, want %d", len(exp.Types), len(exp.DestinationRows), len(TypeNames))
	}
	byOutcome := map[string]map[string]int{}
	for _, k := range DefectKinds() {
		if !strings.HasPrefix(k.Name, k.Type+".") {
			t.Errorf("defect %s has type %s", k.Name, k.Type)
		}
		if _, ok := exp.Defects[k.Name]; !ok {
			t.Errorf("defects lacks %s", k.Name)
		}
		if byOutcome[k.Type] == nil {
			byOutcome[k.Type] = map[string]int{}
		}
		byOutcome[k.Type][k.Outcome] += exp.Defects[k.Name]
	}
	if len(exp.Defects) != len(DefectKinds()) {
		t.Errorf("defects has %d keys, want %d", len(exp.Defects), len(DefectKinds()))
	}
	for _, name := range TypeNames {
		c, ok := exp.Types[name]
		if !ok {
			t.Errorf("types lacks %s", name)
			continue
		}
		if c.SourceRows != c.Imported+c.MergedDuplicates+c.Rejected+c.Orphaned+c.Skipped {
			t.Errorf("%s: source_rows %d != sum %+v", name, c.SourceRows, c)
		}
		if exp.DestinationRows[name] != c.Imported {
			t.Errorf("%s: destination_rows %d != imported %d", name, exp.DestinationRows[name], c.Imported)
		}
		// every non-imported row carries exactly one defect of its outcome
		if got := byOutcome[name][OutcomeRejected]; got != c.Rejected {
			t.Errorf("%s: rejected %d, rejecting defects %d", name, c.Rejected, got)
		}
		if got := byOutcome[name][OutcomeOrphaned]; got != c.Orphaned {
			t.Errorf("%s: orphaned %d, orphaning defects %d", name, c.Orphaned, got)
		}
		if got := byOutcome[name][OutcomeMerged]; got != c.MergedDuplicates {
			t.Errorf("%s: merged %d, merging defects %d", name, c.MergedDuplicates, got)
		}
	}
}

func TestExpectedConsistent(t *testing.T) {
	_, exp := generated(t, VariantUTF8, 0)
	checkExpected(t, exp)
	want := map[string]int{"clients": 1234, "pets": 2456, "medical": 12345, "vaccines": 5678,
		"appointments": 8901, "products": 300, "invoices": 6789, "documents": 1500}
	for name, n := range want {
		if got := exp.Types[name].SourceRows; got != n {
			t.Errorf("%s: %d rows, want %d", name, got, n)
		}
	}
	items, inv := exp.Types["invoice_items"].SourceRows, exp.Types["invoices"].SourceRows
	if r := float64(items) / float64(inv); r < 2.3 || r > 2.7 {
		t.Errorf("%.2f items per invoice, want ~2.5", r)
	}
}

func TestEveryDefectKindAtScale1(t *testing.T) {
	for _, seed := range []uint64{1, 7, 123456789} {
		var exp Expected
		if seed == 1 {
			_, exp = generated(t, VariantUTF8, 0)
		} else {
			var err error
			if exp, err = Generate(context.Background(), Options{Out: t.TempDir(), Scale: 1, Seed: seed}); err != nil {
				t.Fatal(err)
			}
		}
		for _, k := range DefectKinds() {
			if exp.Defects[k.Name] == 0 {
				t.Errorf("seed %d: no %s", seed, k.Name)
			}
		}
		for _, name := range TypeNames {
			c := exp.Types[name]
			// defect rates stay "a few %"
			if bad := c.SourceRows - c.Imported; float64(bad) > 0.08*float64(c.SourceRows) {
				t.Errorf("seed %d: %s: %d of %d rows not imported", seed, name, bad, c.SourceRows)
			}
		}
	}
}

func TestSameOutcomesInEveryVariant(t *testing.T) {
	_, base := generated(t, VariantUTF8, 0)
	for _, v := range Variants[1:] {
		_, exp := generated(t, v, 0)
		if exp.Variant != v {
			t.Errorf("variant %q, want %q", exp.Variant, v)
		}
		exp.Variant = base.Variant
		if !reflect.DeepEqual(exp, base) {
			t.Errorf("%s: expectations differ from utf8", v)
		}
	}
}

func TestValidate(t *testing.T) {
	bad := []Options{
		{Scale: 1},
		{Out: "x", Scale: 0},
		{Out: "x", Scale: MaxScale + 1},
		{Out: "x", Scale: 1, Variant: "csv"},
		{Out: "x", Scale: MaxScaleXLSX + 1, Variant: VariantXLSX},
	}
	for _, o := range bad {
		if _, err := New(o); err == nil {
			t.Errorf("New(%+v) accepted", o)
		}
		if _, err := Generate(context.Background(), o); err == nil {
			t.Errorf("Generate(%+v) accepted", o)
		}
	}
	o := Options{Out: "x", Scale: 1}
	if err := o.Validate(); err != nil || o.Variant != VariantUTF8 {
		t.Errorf("default variant: %v %q", err, o.Variant)
	}
	for _, o := range []Options{{Out: "x", Scale: MaxScale}, {Out: "x", Scale: MaxScaleXLSX, Variant: VariantXLSX}} {
		if err := o.Validate(); err != nil {
			t.Errorf("%+v: %v", o, err)
		}
	}
}

func TestOutDirHandling(t *testing.T) {
	ctx := context.Background()
	t.Run("foreign content", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Generate(ctx, Options{Out: dir, Scale: 1, Seed: 1})
		if err == nil || !strings.Contains(err.Error(), "notes.txt") {
			t.Fatalf("err = %v, want refusal naming notes.txt", err)
		}
		if b, _ := os.ReadFile(filepath.Join(dir, "notes.txt")); string(b) != "mine" {
			t.Error("foreign file touched")
		}
	})
	t.Run("real export without marker", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "clientes.csv"), []byte("id\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Generate(ctx, Options{Out: dir, Scale: 1, Seed: 1}); err == nil {
			t.Fatal("overwrote an unmarked export")
		}
	})
	t.Run("rerun replaces previous export", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "nested", "out")
		if _, err := Generate(ctx, Options{Out: dir, Scale: 1, Seed: 3}); err != nil {
			t.Fatal(err)
		}
		// what another variant or a crashed run leaves behind
		for _, f := range []string{"clientes.xlsx", ".mascotas.csv.partial", "adjuntos/D999999.pdf"} {
			if err := os.WriteFile(filepath.Join(dir, f), []byte("stale"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := Generate(ctx, Options{Out: dir, Scale: 1, Seed: 1}); err != nil {
			t.Fatal(err)
		}
		ref, _ := generated(t, VariantUTF8, 0)
		a, b := treeFiles(t, dir), treeFiles(t, ref)
		if !reflect.DeepEqual(keys(a), keys(b)) {
			t.Fatalf("stale files left: %d files vs %d", len(a), len(b))
		}
		for k := range a {
			if !bytes.Equal(a[k], b[k]) {
				t.Errorf("%s differs from a fresh run", k)
			}
		}
	})
	t.Run("out is a file", func(t *testing.T) {
		f := filepath.Join(t.TempDir(), "file")
		if err := os.WriteFile(f, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Generate(ctx, Options{Out: f, Scale: 1, Seed: 1}); err == nil {
			t.Fatal("no error")
		}
	})
}

func TestCancelLeavesNoPartialFiles(t *testing.T) {
	for _, v := range Variants {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		dir := t.TempDir()
		_, err := Generate(ctx, Options{Out: dir, Scale: 1, Seed: 1, Variant: v})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("%s: err = %v, want context.Canceled", v, err)
		}
		for name := range treeFiles(t, dir) {
			if strings.HasSuffix(name, ".partial") || strings.HasPrefix(name, "clientes") || name == "expected.json" {
				t.Errorf("%s: %s left behind", v, name)
			}
		}
	}
}

func TestFormatting(t *testing.T) {
	cases := []struct {
		v        val
		utf8, es string
		xlsx     any
	}{
		{money(120000, 0), "120000", "$ 120.000", int64(120000)},
		{money(132999, 3), "$ 132.999", "132999", int64(132999)},
		{money(1942500, 3), "$ 1.942.500", "1942500", int64(1942500)},
		{money(0, 3), "$ 0", "0", int64(0)},
		{weight(125, 0), "12.5", "12,5", 12.5},
		{weight(125, 1), "12,5", "12,5", "12,5"},
		{weight(120, 2), "12 Kilogramos", "12 Kilogramos", "12 Kilogramos"},
		{weight(8, 3), "800 g", "800 g", "800 g"},
		{weight(0, 0), "0", "0", 0.0},
		{dec2(250), "2.5", "2,5", 2.5},
		{dec2(105), "1.05", "1,05", 1.05},
		{date(ymd(2023, 4, 5), 0), "2023-04-05", "05/04/2023", nil},
		{date(ymd(2023, 4, 5), 2), "2023-04-05", "05/04/2023", "05/04/2023"},
		{date(ymd(2023, 4, 5), 3), "05/04/2023", "05/04/2023", "2023-04-05"},
		{txt("\u202a300 123 4567"), "\u202a300 123 4567", "300 123 4567", "\u202a300 123 4567"},
		{txt(""), "", "", nil},
		{num(45), "45", "45", int64(45)},
	}
	for _, c := range cases {
		if got := c.v.csvString(VariantUTF8); got != c.utf8 {
			t.Errorf("%+v utf8 = %q, want %q", c.v, got, c.utf8)
		}
		if got := c.v.csvString(VariantExcelES); got != c.es {
			t.Errorf("%+v excel-es = %q, want %q", c.v, got, c.es)
		}
		if c.v.k == kDate && c.v.st < 2 {
			continue // a date cell
		}
		if got := c.v.xlsxValue(1); got != c.xlsx {
			t.Errorf("%+v xlsx = %#v, want %#v", c.v, got, c.xlsx)
		}
	}
	if nitCheckDigit(900123456) != 8 || nitCheckDigit(800197268) != 4 {
		t.Errorf("nit check digits %d %d, want 8 4", nitCheckDigit(900123456), nitCheckDigit(800197268))
	}
}

func TestAttachmentsAndCap(t *testing.T) {
	if attachmentCap(1) != 1500 || attachmentCap(50) != 7500 {
		t.Errorf("cap %d %d", attachmentCap(1), attachmentCap(50))
	}
	dir, _ := generated(t, VariantUTF8, 0)
	entries, err := os.ReadDir(filepath.Join(dir, "adjuntos"))
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	pdf, jpg := 0, 0
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, "adjuntos", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		total += int64(len(b))
		switch {
		case strings.HasSuffix(e.Name(), ".pdf") && bytes.HasPrefix(b, []byte("%PDF-")) && bytes.HasSuffix(b, []byte("%%EOF\n")):
			pdf++
		case strings.HasSuffix(e.Name(), ".jpg") && bytes.HasPrefix(b, []byte{0xff, 0xd8, 0xff}) && bytes.HasSuffix(b, []byte{0xff, 0xd9}):
			jpg++
		default:
			t.Errorf("%s: not a fake pdf/jpeg", e.Name())
		}
	}
	if pdf == 0 || jpg == 0 || total/int64(len(entries)) < 1500 || total/int64(len(entries)) > 2600 {
		t.Errorf("%d pdf, %d jpg, %d bytes", pdf, jpg, total)
	}
}

func BenchmarkGenerateScale1(b *testing.B) {
	for _, v := range Variants {
		b.Run(v, func(b *testing.B) {
			dir := b.TempDir()
			for b.Loop() {
				if _, err := Generate(context.Background(), Options{Out: dir, Scale: 1, Seed: 1, Variant: v}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
