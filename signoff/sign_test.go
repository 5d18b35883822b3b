package signoff

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gopkcs12 "software.sslmate.com/src/go-pkcs12"

	"github.com/petfriendly/recon/internal/approval"
	"github.com/petfriendly/recon/reconcile"
	"github.com/petfriendly/recon/reports"
)

// approvalPDF renders a recon approval PDF (built-in fonts) for run 3.
func approvalPDF(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	r := reconcile.Result{RunID: 3, Fingerprint: strings.Repeat("f", 64), ContentFingerprint: strings.Repeat("c", 64),
		GeneratedAt: time.Date(2026, 11, 14, 15, 30, 0, 0, time.UTC), Clinic: "Clínica", Operator: "ana"}
	if err := reports.PDF(&buf, r, reports.PDFOptions{}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// newCert makes a certificate for subject, signed by parent (self-signed
// when parent is nil).
func newCert(t *testing.T, cn string, ca bool, parent *Signer) Signer {
	t.Helper()
	return newCertAt(t, cn, ca, parent, time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour))
}

// newCertValidity makes a self-signed certificate valid from notBefore to notAfter.
func newCertValidity(t *testing.T, notBefore, notAfter time.Time) Signer {
	t.Helper()
	return newCertAt(t, "Dr. Pablo", false, nil, notBefore, notAfter)
}

func newCertAt(t *testing.T, cn string, ca bool, parent *Signer, notBefore, notAfter time.Time) Signer {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: cn, Organization: []string{"Clinica"}},
		NotBefore:    notBefore, NotAfter: notAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		BasicConstraintsValid: true, IsCA: ca,
	}
	issuer, issuerKey := tmpl, any(key)
	var chain []*x509.Certificate
	if parent != nil {
		issuer, issuerKey = parent.Cert, parent.Key
		chain = append([]*x509.Certificate{parent.Cert}, parent.Chain...)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, issuer, &key.PublicKey, issuerKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return Signer{Key: key, Cert: cert, Chain: chain}
}

func pool(certs ...*x509.Certificate) *x509.CertPool {
	p := x509.NewCertPool()
	for _, c := range certs {
		p.AddCert(c)
	}
	return p
}

func TestSignAndInspect(t *testing.T) {
	pdf := approvalPDF(t)
	self := newCert(t, "Dr. Pablo", false, nil)
	ca := newCert(t, "CA Colombia", true, nil)
	leaf := newCert(t, "Dr. Pablo", false, &ca)
	other := newCert(t, "Otra CA", true, nil)
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)

	signedSelf, err := Sign(pdf, self, SignOptions{Reason: "Apruebo", Time: at})
	if err != nil {
		t.Fatal(err)
	}
	signedLeaf, err := Sign(pdf, leaf, SignOptions{Reason: "Apruebo"})
	if err != nil {
		t.Fatal(err)
	}
	flipped := bytes.Clone(signedSelf)
	flipped[1000] ^= 1 // inside the signed range: maroto's first page
	appended := append(bytes.Clone(signedSelf), "\n%extra\n"...)

	cases := []struct {
		name       string
		pdf        []byte
		roots      *x509.CertPool
		status     Status
		ok         bool
		selfSigned bool
		chainErr   bool
	}{
		{"unsigned", pdf, nil, Unsigned, false, false, false},
		{"self-signed", signedSelf, nil, Valid, true, true, false},
		{"self-signed against a CA", signedSelf, pool(ca.Cert), Valid, false, true, true},
		{"issued by the CA", signedLeaf, pool(ca.Cert), Valid, true, false, false},
		{"issued by another CA", signedLeaf, pool(other.Cert), Valid, false, false, true},
		{"one byte changed", flipped, nil, Invalid, false, false, false},
		{"bytes appended", appended, nil, Altered, false, true, false},
	}
	for _, c := range cases {
		s := Inspect(c.pdf, c.roots)
		if s.Status != c.status || s.OK() != c.ok || s.SelfSigned != c.selfSigned || (s.ChainError != "") != c.chainErr {
			t.Errorf("%s: status %s ok %v self-signed %v chain error %q (problem %q)", c.name, s.Status, s.OK(), s.SelfSigned, s.ChainError, s.Problem)
		}
		if !s.HasIdentity || s.Identity.RunID != 3 || s.Identity.ContentFingerprint != strings.Repeat("c", 64) {
			t.Errorf("%s: identity %+v", c.name, s.Identity)
		}
	}
	if !bytes.Contains(signedSelf[len(pdf):], []byte("(Dr. Pablo) Tj")) || !bytes.Contains(signedSelf[len(pdf):], []byte("(2026-11-20 10:00 UTC) Tj")) {
		t.Error("the signed field's appearance does not show the signer and the time")
	}
	s := Inspect(signedSelf, nil)
	if !strings.Contains(s.Subject, "CN=Dr. Pablo") || s.Reason != "Apruebo" || s.SigningTime.IsZero() || s.Signatures != 1 {
		t.Errorf("signer details: %+v", s)
	}
	if _, err := Sign(signedSelf, self, SignOptions{}); err == nil || !strings.Contains(err.Error(), "already signed") {
		t.Errorf("signing twice: %v", err)
	}
	if _, err := Sign([]byte("%PDF-1.4\nnothing"), self, SignOptions{}); err == nil {
		t.Error("signing garbage: no error")
	}

	// poppler, an independent verifier, agrees.
	pdfsig, err := exec.LookPath("pdfsig")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("CI must have pdfsig (apt-get install poppler-utils)")
		}
		t.Skip("pdfsig (apt-get install poppler-utils)")
	}
	file := filepath.Join(t.TempDir(), "signed.pdf")
	if err := os.WriteFile(file, signedSelf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ := exec.Command(pdfsig, "-nocert", file).CombinedOutput()
	for _, want := range []string{"Signature Field Name: " + approval.SignatureFieldName, "Signature is Valid", "Total document signed", "Dr. Pablo"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("pdfsig lacks %q:\n%s", want, out)
		}
	}
}

func TestLoadP12(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Dr. Pablo"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	p12, err := gopkcs12.Modern.Encode(key, cert, nil, "secreto")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		password string
		ok       bool
	}{{"secreto", true}, {"otra", false}}
	for _, c := range cases {
		s, err := LoadP12(p12, c.password)
		if (err == nil) != c.ok {
			t.Errorf("password %q: %v", c.password, err)
		}
		if c.ok && s.Cert.Subject.CommonName != "Dr. Pablo" {
			t.Errorf("p12 certificate: %v", s.Cert.Subject)
		}
	}
}

func TestWinAnsiLiteral(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Dr. Pablo", "Dr. Pablo"},
		{"aprobación", `aprobaci\363n`},
		{`a(b)\c`, `a\(b\)\\c`},
		{"→", "?"},
	}
	for _, c := range cases {
		if got := winAnsiLiteral(c.in); got != c.want {
			t.Errorf("winAnsiLiteral(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
