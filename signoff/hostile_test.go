package signoff

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/petfriendly/recon/internal/pdfraw"
)

// TestInspectRefusesHostilePDFs: a signed approval with a hostile object
// appended is refused naming the limit, before the signature library reads
// it (2,000,000 nested arrays used to overflow its stack).
func TestInspectRefusesHostilePDFs(t *testing.T) {
	signed, err := Sign(approvalPDF(t), newCert(t, "Dr. Pablo", false, nil), SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	f, err := pdfraw.Parse(signed)
	if err != nil {
		t.Fatal(err)
	}
	appendObj := func(obj string) []byte {
		out, _ := pdfraw.AppendUpdate(signed, f, map[int]string{f.Size: obj}, f.Size+1)
		return out
	}
	tests := []struct {
		name string
		pdf  []byte
		kind pdfraw.LimitKind
	}{
		{"2,000,000 nested [", appendObj(strings.Repeat("[", 2_000_000)), pdfraw.LimitDepth},
		{"nested dictionaries", appendObj(strings.Repeat("<< /K ", 300)), pdfraw.LimitDepth},
		{"a huge /Size", bytes.Replace(signed, []byte("/Size "), []byte("/Size 9999999999"), 1), pdfraw.LimitObjects},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Inspect(tt.pdf, nil)
			if s.Status != Refused || s.OK() || s.Limit == nil || s.Limit.Kind != tt.kind || !strings.HasPrefix(s.Problem, "pdf: ") {
				t.Fatalf("Inspect: status %s limit %+v problem %q; want refused (%s)", s.Status, s.Limit, s.Problem, tt.kind)
			}
		})
	}
}

// TestInspectExpiredCertificate: a signature made with a certificate that
// had expired (or was not valid yet) is reported as such, not as a changed
// document; the same file with a byte changed is still invalid.
func TestInspectExpiredCertificate(t *testing.T) {
	pdf := approvalPDF(t)
	now := time.Now()
	expired := newCertValidity(t, now.Add(-48*time.Hour), now.Add(-24*time.Hour))
	future := newCertValidity(t, now.Add(24*time.Hour), now.Add(48*time.Hour))
	signedExpired, err := Sign(pdf, expired, SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	signedFuture, err := Sign(pdf, future, SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	flipped := bytes.Clone(signedExpired)
	flipped[1000] ^= 1
	tests := []struct {
		name     string
		pdf      []byte
		want     Status
		notAfter time.Time
	}{
		{"expired certificate", signedExpired, Expired, expired.Cert.NotAfter},
		{"certificate not valid yet", signedFuture, Expired, future.Cert.NotAfter},
		{"expired certificate, document changed", flipped, Invalid, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Inspect(tt.pdf, nil)
			if s.Status != tt.want || s.OK() || !s.CertNotAfter.Equal(tt.notAfter) {
				t.Fatalf("status %s, valid until %v (problem %q); want %s until %v", s.Status, s.CertNotAfter, s.Problem, tt.want, tt.notAfter)
			}
			if tt.want == Expired && (!strings.Contains(s.Subject, "Dr. Pablo") || s.SigningTime.IsZero() || !strings.Contains(s.Problem, "the document was signed at")) {
				t.Errorf("expired signature details: %+v", s)
			}
		})
	}
}
