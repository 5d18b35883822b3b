package pdfraw

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// incremental appends objs as an incremental update of pdf (a file made
// by tiny), each object numbered from first on.
func incremental(pdf []byte, first int, objs ...string) []byte {
	f, err := Parse(pdf)
	if err != nil {
		panic(err)
	}
	m := map[int]string{}
	for i, o := range objs {
		m[first+i] = o
	}
	out, _ := AppendUpdate(pdf, f, m, first+len(objs))
	return out
}

// hostile are the PDFs every reader of signed approvals must refuse, with
// the limit each goes beyond ("" when it is within the limits).
func hostile() []struct {
	name string
	pdf  []byte
	kind LimitKind
} {
	good := tiny("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", "<< /Type /Page >>")
	deep := func(open, close string, n int) string {
		return strings.Repeat(open, n) + strings.Repeat(close, n)
	}
	objStm := func(content string, n int) string {
		z := flate(content)
		return fmt.Sprintf("<< /Type /ObjStm /N %d /First 4 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream", n, len(z), z)
	}
	x := bytes.Index(good, []byte("\nxref\n")) + 1
	return []struct {
		name string
		pdf  []byte
		kind LimitKind
	}{
		{"a well-formed file", good, ""},
		{"256 nested arrays", incremental(good, 4, deep("[", "]", 256)), ""},
		{"257 nested arrays", incremental(good, 4, deep("[", "]", 257)), LimitDepth},
		{"2,000,000 nested [ in an incremental object", incremental(good, 4, strings.Repeat("[", 2_000_000)), LimitDepth},
		{"nested dictionaries", incremental(good, 4, strings.Repeat("<< /A ", 1000)), LimitDepth},
		{"nesting inside a compressed object stream", incremental(good, 4, objStm("5 0 "+strings.Repeat("[", 100_000), 1)), LimitDepth},
		{"nesting in an object whose xref entry points into a stream's data", func() []byte {
			// object 4 is a stream whose data hides "5 0 obj [[[…"; object 5's entry points there.
			data := "5 0 obj\n" + strings.Repeat("[", 1000) + "\n"
			p := incremental(good, 4, fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(data), data))
			at := bytes.LastIndex(p, []byte("5 0 obj"))
			f, err := Parse(p)
			if err != nil {
				panic(err)
			}
			return append(p, fmt.Sprintf("xref\n5 1\n%010d 00000 n\r\ntrailer\n<< /Size 6 /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n",
				at, f.StartXref, len(p))...)
		}(), LimitDepth},
		{"nesting where an xref stream's entry points into a stream's data", func() []byte {
			data := "5 0 obj\n" + strings.Repeat("[", 1000) + "\n"
			p := incremental(good, 4, fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(data), data))
			at := bytes.LastIndex(p, []byte("5 0 obj"))
			row := flate(string([]byte{1, byte(at >> 24), byte(at >> 16), byte(at >> 8), byte(at), 0}))
			return append(p, fmt.Sprintf("6 0 obj\n<< /Type /XRef /W [1 4 1] /Index [5 1] /Size 7 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream\nendobj\n",
				len(row), row)...)
		}(), LimitDepth},
		{"an object stream that does not inflate is left to the reader", incremental(good, 4,
			"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length 5 >>\nstream\n[[[[[\nendstream"), ""},
		{"object streams extending one another in a loop", func() []byte {
			z := flate("9 0 null")
			st := func(ext int) string {
				return fmt.Sprintf("<< /Type /ObjStm /N 1 /First 4 /Extends %d 0 R /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream", ext, len(z), z)
			}
			return incremental(good, 4, st(5), st(6), st(4))
		}(), LimitLoop},
		{"object streams extending a chain", func() []byte {
			z := flate("9 0 null")
			return incremental(good, 4, fmt.Sprintf("<< /Type /ObjStm /N 1 /First 4 /Extends 5 0 R /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream", len(z), z),
				fmt.Sprintf("<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream", len(z), z))
		}(), ""},
		{"strings and streams holding brackets are not nesting", incremental(good, 4,
			"<< /T ("+strings.Repeat("[", 1000)+") /H <5b5b> >>", fmt.Sprintf("<< /Length 1000 >>\nstream\n%s\nendstream", strings.Repeat("[", 1000))), ""},
		{"a float /N in a function is not a count", incremental(good, 4, "<< /FunctionType 2 /Domain [0 1] /N 1.000000000000 >>"), ""},
		{"a huge /Size", bytes.Replace(good, []byte("/Size 4"), []byte("/Size 4000000000"), 1), LimitObjects},
		{"a /Size beyond 64 bits", bytes.Replace(good, []byte("/Size 4"), []byte("/Size 99999999999999999999999"), 1), LimitObjects},
		{"an xref subsection with a huge count", bytes.Replace(good, []byte("xref\n0 4"), []byte("xref\n0 4000000000"), 1), LimitObjects},
		{"an xref subsection starting far away", bytes.Replace(good, []byte("xref\n0 4"), []byte("xref\n2147483000 4"), 1), LimitObjects},
		{"a truncated xref", good[:x+12], ""},
		{"an object stream claiming a huge /N", incremental(good, 4, objStm("5 0 null", 900_000_000)), LimitObjects},
		{"an xref stream with huge field widths", incremental(good, 4, "<< /Type /XRef /W [1 99999 1] /Size 5 /Length 0 >>\nstream\n\nendstream"), LimitObjects},
		{"an xref stream with a huge /Index", incremental(good, 4, "<< /Type /XRef /W [1 4 1] /Index [0 400000 400000 400000] /Size 5 /Length 0 >>\nstream\n\nendstream"), LimitObjects},
		{"a compressed object stream that inflates too far", incremental(good, 4, objStm(strings.Repeat("0", 65<<20), 1)), LimitInflated},
		{"too many objects", func() []byte {
			var b strings.Builder
			for i := 0; i < 500_001; i++ {
				b.WriteString("1 0 obj null endobj\n")
			}
			return []byte(b.String())
		}(), LimitObjects},
	}
}

// TestCheckLimitsRefusesHostilePDFs: each hostile file is refused naming
// the limit it goes beyond; files within the limits pass.
func TestCheckLimitsRefusesHostilePDFs(t *testing.T) {
	for _, tt := range hostile() {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckLimits(tt.pdf, DefaultLimits())
			var le *LimitError
			switch {
			case tt.kind == "" && err != nil:
				t.Fatalf("CheckLimits = %v, want no refusal", err)
			case tt.kind != "" && (!errors.As(err, &le) || le.Kind != tt.kind):
				t.Fatalf("CheckLimits = %v, want a %s refusal", err, tt.kind)
			}
		})
	}
}

// TestDeepNestingRefusedInLittleMemory: 2,000,000 nested arrays are refused
// at the 257th level, allocating next to nothing beyond the file.
func TestDeepNestingRefusedInLittleMemory(t *testing.T) {
	good := tiny("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", "<< /Type /Page >>")
	pdf := incremental(good, 4, strings.Repeat("[", 2_000_000))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	err := CheckLimits(pdf, DefaultLimits())
	runtime.ReadMemStats(&after)
	want := fmt.Sprintf("pdf: arrays or dictionaries nested more than 256 levels deep at byte %d", bytes.LastIndex(pdf, []byte("4 0 obj"))+8+256)
	if err == nil || err.Error() != want {
		t.Fatalf("CheckLimits = %v, want %q", err, want)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Errorf("refusing allocated %d bytes, want under 1 MiB", alloc)
	}
}

func TestLimitErrorText(t *testing.T) {
	tests := []struct {
		err  LimitError
		want string
	}{
		{LimitError{Kind: LimitSize, Value: 70 << 20, Limit: 64 << 20}, "pdf: the file has 73400320 bytes, more than the 67108864 allowed"},
		{LimitError{Kind: LimitDepth, Offset: 9, Value: 257, Limit: 256}, "pdf: arrays or dictionaries nested more than 256 levels deep at byte 9"},
		{LimitError{Kind: LimitObjects, Offset: 5, Value: -1, Limit: 10}, "pdf: more than 10 objects (at byte 5)"},
		{LimitError{Kind: LimitInflated, Offset: 5, Value: -1, Limit: 10}, "pdf: compressed streams inflate to more than 10 bytes (at byte 5)"},
		{LimitError{Kind: LimitLoop, Value: 7}, "pdf: object streams extend one another in a loop (object 7)"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.err.Kind, got, tt.want)
		}
	}
	big := make([]byte, 65<<20)
	var le *LimitError
	if err := CheckLimits(big, DefaultLimits()); !errors.As(err, &le) || le.Kind != LimitSize {
		t.Errorf("a 65 MiB file: %v, want a size refusal", err)
	}
}

// FuzzCheckLimits: whatever the bytes, the check and then Parse end in a
// value or an error, never a panic, within the limits. The seeds (the
// hostile files, shortened) run in every plain go test.
func FuzzCheckLimits(f *testing.F) {
	for _, tt := range hostile() {
		seed := tt.pdf
		if len(seed) > 4096 {
			seed = append(bytes.Clone(seed[:2048]), seed[len(seed)-2048:]...)
		}
		f.Add(seed)
	}
	f.Add([]byte("%PDF-1.4\nxref\n0 99999999999999999999\ntrailer\n<< /Size 1 >>\nstartxref\n9\n%%EOF"))
	f.Add([]byte("1 0 obj << /Length 5 0 R >>\nstream\n[[[[[[\nendstream endobj"))
	f.Add([]byte("(((((\\"))
	f.Add([]byte("<<<<<<>>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		lim := DefaultLimits()
		lim.MaxDepth, lim.MaxObjects, lim.MaxInflated = 16, 1000, 1<<20
		err := CheckLimits(b, lim)
		var le *LimitError
		if err != nil && !errors.As(err, &le) {
			t.Fatalf("CheckLimits returned %T %v, want a *LimitError", err, err)
		}
		if err == nil {
			if f, err := Parse(b); err == nil && f.Size <= 0 {
				t.Fatalf("Parse accepted a file without /Size: %+v", f)
			}
		}
	})
}
