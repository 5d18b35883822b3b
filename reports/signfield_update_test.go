package reports

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/petfriendly/recon/internal/approval"
	"github.com/petfriendly/recon/internal/pdfraw"
)

// approvalParts renders the approval and returns it parsed, with its last
// page's number and dictionary and the catalog without its form.
func approvalParts(t *testing.T) (pdf []byte, f *pdfraw.File, page int, pageDict, formless string) {
	t.Helper()
	var buf bytes.Buffer
	if err := PDF(&buf, fixture(t), PDFOptions{}); err != nil {
		t.Fatal(err)
	}
	pdf = buf.Bytes()
	f, err := pdfraw.Parse(pdf)
	if err != nil {
		t.Fatal(err)
	}
	if page, err = f.LastPage(); err != nil {
		t.Fatal(err)
	}
	if pageDict, err = f.Dict(page); err != nil {
		t.Fatal(err)
	}
	catalog, err := f.Dict(f.Root)
	if err != nil {
		t.Fatal(err)
	}
	formless = regexp.MustCompile(`/AcroForm\s+\d+\s+0\s+R`).ReplaceAllString(catalog, "")
	return pdf, f, page, pageDict, formless
}

// TestAddSignatureFieldToModifiedApprovals: adding the field to a document
// that already has a form, whose last page lacks the signature box or a
// single content stream, or whose annotations are not a plain array is
// refused with the reason; a page that already has annotations keeps them
// beside the new widget.
func TestAddSignatureFieldToModifiedApprovals(t *testing.T) {
	pdf, f, page, pageDict, formless := approvalParts(t)
	update := func(objs map[int]string, size int) []byte {
		out, _ := pdfraw.AppendUpdate(pdf, f, objs, size)
		return out
	}
	withContents := func(contents string) string {
		return regexp.MustCompile(`/Contents\s+\d+\s+0\s+R`).ReplaceAllString(pageDict, "/Contents "+contents)
	}
	oldAnnots := regexp.MustCompile(`/Annots\s*\[[^\]]*\]`).FindString(pageDict)
	if oldAnnots == "" {
		t.Fatalf("approval's last page has no /Annots: %s", pageDict)
	}
	blank := f.Size // a content stream without the signature box
	tests := []struct {
		name    string
		pdf     []byte
		wantErr string
	}{
		{"already has a form", pdf, "the document already has a form"},
		{"catalog without pages", update(map[int]string{f.Root: "<< /Type /Catalog >>"}, f.Size), "catalog without /Pages"},
		{"two content streams", update(map[int]string{f.Root: formless, page: withContents("[1 0 R 2 0 R]")}, f.Size),
			"last page without a single /Contents stream"},
		{"content stream missing", update(map[int]string{f.Root: formless, page: withContents("9999 0 R")}, f.Size),
			"object 9999 is not in the xref"},
		{"no signature box", update(map[int]string{f.Root: formless, page: withContents(fmt.Sprintf("%d 0 R", blank)),
			blank: "<< /Length 8 >>\nstream\nBT ET q \nendstream"}, blank+1), "no signature box on the last page"},
		{"indirect annotations", update(map[int]string{f.Root: formless, page: strings.Replace(pageDict, oldAnnots, "/Annots 77 0 R", 1)}, f.Size),
			"last page's /Annots is not a direct array"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := addSignatureField(tt.pdf, approval.SignatureFieldName)
			if err == nil || err.Error() != tt.wantErr {
				t.Fatalf("addSignatureField = %d bytes, %v; want %q", len(out), err, tt.wantErr)
			}
		})
	}

	// The form removed, the page keeps the old widget and gets a new one first.
	out, err := addSignatureField(update(map[int]string{f.Root: formless}, f.Size), "Segunda firma")
	if err != nil {
		t.Fatal(err)
	}
	g, err := pdfraw.Parse(out)
	if err != nil {
		t.Fatal(err)
	}
	newPage, err := g.Dict(page)
	if err != nil {
		t.Fatal(err)
	}
	oldRefs := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(oldAnnots, "/Annots ["), "]"))
	if want := fmt.Sprintf("/Annots [%d 0 R %s]", f.Size, oldRefs); !strings.Contains(newPage, want) {
		t.Errorf("last page after the second field: %s; want %s", newPage, want)
	}
	field, err := g.Dict(f.Size)
	if err != nil || !strings.Contains(field, "/FT /Sig /T "+pdfraw.TextString("Segunda firma")) {
		t.Errorf("new field %q, %v", field, err)
	}
}
