package pdfraw

import (
	"bytes"
	"compress/zlib"
	"strconv"
	"strings"
	"testing"
)

// TestParseMalformed: each way a file can fail to be a classic-xref PDF
// is an error naming it, never a panic or a File with holes.
func TestParseMalformed(t *testing.T) {
	good := tiny("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", "<< /Type /Page >>")
	x := bytes.Index(good, []byte("\nxref\n")) + 1
	tests := []struct {
		name    string
		pdf     []byte
		wantErr string
	}{
		{"no startxref", []byte("%PDF-1.4\n1 0 obj\n<< >>\nendobj\n"), "no startxref at the end"},
		{"startxref past the end", bytes.Replace(good, []byte("startxref\n"), []byte("startxref\n9"), 1), "no xref table at"},
		{"xref stream", bytes.Replace(good, []byte("xref\n0"), []byte("XREF\n0"), 1), "cross-reference streams are not supported"},
		{"no subsection header", bytes.Replace(good, []byte("xref\n0 4"), []byte("xref\na 4"), 1), "xref: number expected"},
		{"no count", bytes.Replace(good, []byte("xref\n0 4\n"), []byte("xref\n0 x\n"), 1), "xref: number expected"},
		{"truncated", append(append([]byte{}, good[:x]...), "xref\n0 9\n0000000000 65535 f \ntrailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n"+strconv.Itoa(x)+"\n%%EOF\n"...),
			"xref: truncated"},
		{"bad entry", bytes.Replace(good, []byte("0000000009 00000 n"), []byte("00000000x9 00000 n"), 1), "xref entry"},
		{"prev loop", bytes.Replace(good, []byte("/Size 4"), []byte("/Size 4 /Prev "+strconv.Itoa(x)), 1), "xref /Prev loop"},
		{"no root", bytes.Replace(good, []byte("/Root 1 0 R"), []byte(""), 1), "trailer lacks /Size or /Root"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(tt.pdf)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Parse = %v, %v; want an error with %q", f, err, tt.wantErr)
			}
		})
	}
}

func flate(s string) string {
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.String()
}

// TestObjectsMalformed: reading objects, dictionaries, streams and the
// page tree of a parsed file reports what is wrong with each.
func TestObjectsMalformed(t *testing.T) {
	z := flate("BT (hola) Tj ET")
	pdf := tiny(
		"<< /Type /Catalog /Pages 2 0 R >>",                            // 1
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",                    // 2
		"<< /Type /Pages /Count 0 >>",                                  // 3: pages without kids
		"[1 2 3]",                                                      // 4: not a dictionary
		"<< /Length 5 >>\nstream\nabcde\nendstream",                    // 5: plain stream
		"<< /Length 99 >>\nstream\nabc\nendstream",                     // 6: length beyond
		"<< /Length 3 /Filter /FlateDecode >>\nstream\nabc\nendstream", // 7: not zlib
		"<< >>", // 8: not a stream
		"<< /Length 7 0 R >>\nstream\nabc\nendstream",                                           // 9: indirect length
		"<< /Length "+strconv.Itoa(len(z))+" /Filter /FlateDecode >>\nstream\n"+z+"\nendstream", // 10
		"<< /Type /Catalog >>",                       // 11: catalog without pages
		"<< /Type /Pages /Kids [] /Count 0 >>",       // 12: no pages
		"<< /Type /Pages /Kids [13 0 R] /Count 1 >>", // 13: loops onto itself
	)
	f, err := Parse(pdf)
	if err != nil {
		t.Fatal(err)
	}
	f.Offsets[20] = len(pdf) + 10 // offset beyond the file
	f.Offsets[21] = 0             // offset of the header, not of object 21
	streams := []struct {
		n       int
		want    string
		wantErr string
	}{
		{5, "abcde", ""},
		{10, "BT (hola) Tj ET", ""},
		{6, "", "/Length beyond the object"},
		{7, "", "object 7: zlib"},
		{8, "", "object 8 is not a stream"},
		{9, "", "no direct /Length"},
		{99, "", "object 99 is not in the xref"},
		{20, "", "xref offset"},
		{21, "", "xref offset 0 is wrong"},
	}
	for _, s := range streams {
		got, err := f.StreamData(s.n)
		if s.wantErr == "" && (err != nil || string(got) != s.want) {
			t.Errorf("stream %d = %q, %v; want %q", s.n, got, err, s.want)
		}
		if s.wantErr != "" && (err == nil || !strings.Contains(err.Error(), s.wantErr)) {
			t.Errorf("stream %d: err = %v, want %q", s.n, err, s.wantErr)
		}
	}
	if _, err := f.Dict(4); err == nil || !strings.Contains(err.Error(), "not a plain dictionary") {
		t.Errorf("Dict(4): %v", err)
	}
	if _, err := f.Dict(99); err == nil {
		t.Error("Dict(99): no error")
	}
	// The page tree, from each root in turn.
	roots := []struct {
		root    int
		wantErr string
	}{
		{1, "pages node 3 without /Kids"},
		{11, "catalog without /Pages"},
		{4, "not a plain dictionary"},
	}
	for _, r := range roots {
		f.Root = r.root
		if _, err := f.LastPage(); err == nil || !strings.Contains(err.Error(), r.wantErr) {
			t.Errorf("LastPage from %d: %v, want %q", r.root, err, r.wantErr)
		}
	}
	noPages := tiny("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>")
	loop := tiny("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [2 0 R] /Count 1 >>")
	missing := tiny("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [7 0 R] /Count 1 >>")
	for _, c := range []struct {
		name    string
		pdf     []byte
		wantErr string
	}{
		{"no pages", noPages, "document without pages"},
		{"page tree loop", loop, "page tree too deep"},
		{"missing kid", missing, "object 7 is not in the xref"},
	} {
		g, err := Parse(c.pdf)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := g.LastPage(); err == nil || !strings.Contains(err.Error(), c.wantErr) {
			t.Errorf("%s: %v, want %q", c.name, err, c.wantErr)
		}
	}
}

// TestObjectWithoutEndobj: an object whose endobj is missing is an
// error that names it.
func TestObjectWithoutEndobj(t *testing.T) {
	good := tiny("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", "<< /Type /Page >>")
	f, err := Parse(good)
	if err != nil {
		t.Fatal(err)
	}
	f.b = bytes.Replace(append([]byte{}, good...), []byte("<< /Type /Page >>\nendobj"), []byte("<< /Type /Page >>\nend-obj"), 1)
	if o, err := f.Object(3); err == nil || err.Error() != "object 3: no endobj" {
		t.Errorf("object without endobj: %q, %v", o, err)
	}
}

// TestAppendUpdateKeepsIDAndEndsLines: an update of a file with an /ID
// and no final newline starts on a line of its own and carries the /ID.
func TestAppendUpdateKeepsIDAndEndsLines(t *testing.T) {
	pdf := tiny("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", "<< /Type /Page >>")
	pdf = bytes.Replace(pdf, []byte("/Info 3 0 R"), []byte("/ID [<01ab> <01ab>]"), 1)
	pdf = bytes.TrimSuffix(pdf, []byte("\n"))
	f, err := Parse(pdf)
	if err != nil {
		t.Fatal(err)
	}
	if f.ID == "" {
		t.Fatal("the /ID of the trailer was not read")
	}
	out, offsets := AppendUpdate(pdf, f, map[int]string{4: "<< /New true >>"}, 5)
	if !bytes.HasPrefix(out[len(pdf):], []byte("\n4 0 obj\n")) || offsets[4] != len(pdf)+1 {
		t.Errorf("update starts %q at %d", out[len(pdf):min(len(out), len(pdf)+12)], offsets[4])
	}
	g, err := Parse(out)
	if err != nil {
		t.Fatal(err)
	}
	if g.ID != f.ID || g.Info != 0 {
		t.Errorf("trailer after the update: ID %q Info %d, want ID %q and no Info", g.ID, g.Info, f.ID)
	}
	if o, err := g.Object(4); err != nil || string(o) != "<< /New true >>" {
		t.Errorf("object 4 = %q, %v", o, err)
	}
}
