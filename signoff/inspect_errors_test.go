package signoff

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/petfriendly/recon/internal/pdfraw"
)

// TestInspectForgedSignatures: a signature dictionary the verifier cannot
// read, or a signed file whose form no longer leads to its signature, is
// invalid, with the reason, and never valid.
func TestInspectForgedSignatures(t *testing.T) {
	pdf := approvalPDF(t)
	f, _, field := approvalObjects(t, pdf)
	// A signature dictionary whose contents are no PKCS#7, set as the field's value.
	withV := strings.TrimSuffix(dict(t, f, field), ">>") + fmt.Sprintf("/V %d 0 R >>", f.Size)
	forged, _ := pdfraw.AppendUpdate(pdf, f, map[int]string{field: withV,
		f.Size: "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 100 200 300] /Contents <3082> >>"}, f.Size+1)

	// A properly signed approval whose catalog then lost its form.
	signed, err := Sign(pdf, newCert(t, "Dr. Pablo", false, nil), SignOptions{Time: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	g, err := pdfraw.Parse(signed)
	if err != nil {
		t.Fatal(err)
	}
	noForm := regexp.MustCompile(`/AcroForm\s+\d+\s+0\s+R`).ReplaceAllString(dict(t, g, g.Root), "")
	formless, _ := pdfraw.AppendUpdate(signed, g, map[int]string{g.Root: noForm}, g.Size)

	tests := []struct {
		name    string
		pdf     []byte
		problem string
	}{
		{"unreadable signature", forged, "1 signatures in the document, 0 could be read"},
		{"signature outside the form", formless, "no digital signature in document"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Inspect(tt.pdf, nil)
			if s.Status != Invalid || s.OK() || s.Problem != tt.problem {
				t.Errorf("Inspect: status %s ok %v problem %q; want invalid with %q", s.Status, s.OK(), s.Problem, tt.problem)
			}
			if s.Signatures != 1 || !s.HasIdentity || s.Identity.RunID != 3 {
				t.Errorf("Inspect: %d signatures, identity %+v", s.Signatures, s.Identity)
			}
		})
	}
}
