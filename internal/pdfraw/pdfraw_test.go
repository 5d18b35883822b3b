package pdfraw

import (
	"fmt"
	"strings"
	"testing"
)

// tiny builds a classic-xref PDF of the given objects (numbered from 1)
// with correct offsets.
func tiny(objs ...string) []byte {
	var b strings.Builder
	b.WriteString("%PDF-1.4\n")
	offs := []int{}
	for i, o := range objs {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Info 3 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, x)
	return []byte(b.String())
}

func TestAppendUpdateChains(t *testing.T) {
	pdf := tiny("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [4 0 R 5 0 R] /Count 2 >>", "<< /Title (t) >>",
		"<< /Type /Page /Parent 2 0 R >>", "<< /Type /Page /Parent 2 0 R >>")
	f, err := Parse(pdf)
	if err != nil {
		t.Fatal(err)
	}
	if last, err := f.LastPage(); err != nil || last != 5 {
		t.Fatalf("last page %d, %v", last, err)
	}
	out, offsets := AppendUpdate(pdf, f, map[int]string{1: "<< /Type /Catalog /Pages 2 0 R /Extra 6 0 R >>", 6: "<< /New true >>", 7: "(seven)"}, 8)
	g, err := Parse(out)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		n    int
		want string
	}{
		{1, "/Extra 6 0 R"}, {2, "/Kids [4 0 R 5 0 R]"}, {3, "/Title (t)"}, {6, "/New true"}, {7, "(seven)"},
	}
	for _, c := range cases {
		o, err := g.Object(c.n)
		if err != nil || !strings.Contains(string(o), c.want) {
			t.Errorf("object %d = %q, %v; want %q", c.n, o, err, c.want)
		}
	}
	if g.Size != 8 || g.Root != 1 || g.Info != 3 || g.StartXref <= f.StartXref || offsets[6] <= len(pdf) {
		t.Errorf("trailer after the update: %+v", g)
	}
}

func TestParseRejects(t *testing.T) {
	cases := map[string]string{
		"no startxref":  "%PDF-1.4\n",
		"xref stream":   "%PDF-1.7\n1 0 obj\n<<>>\nendobj\nstartxref\n9\n%%EOF\n",
		"offset beyond": "%PDF-1.4\nstartxref\n99999\n%%EOF\n",
		"truncated":     "xref\n0 3\n0000000000 65535 f \nstartxref\n0\n%%EOF\n",
	}
	for name, in := range cases {
		if _, err := Parse([]byte(in)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestTextString(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Firma", "(Firma)"},
		{"a(b)", "<FEFF0061002800620029>"},
		{"ó", "<FEFF00F3>"},
	}
	for _, c := range cases {
		if got := TextString(c.in); got != c.want {
			t.Errorf("TextString(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}
