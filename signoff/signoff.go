// Package signoff reads a signed approval PDF: whether its signature is
// valid and covers the whole file, who signed it and when, and which
// verification run it approves; and it tells which destination tables
// changed since. It returns results; the commands print them.
package signoff

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/digitorus/pdf"
	"github.com/digitorus/pdfsign/verify"
	"github.com/digitorus/pkcs7"

	"github.com/petfriendly/recon/internal/approval"
	"github.com/petfriendly/recon/internal/pdfraw"
	"github.com/petfriendly/recon/reconcile"
)

// Status sums up a signed approval's signature.
type Status string

const (
	Unsigned Status = "unsigned" // no signature in the document
	Invalid  Status = "invalid"  // a signature does not verify, or the file is not a readable PDF
	Altered  Status = "altered"  // the signature verifies but bytes were added after it
	Valid    Status = "valid"    // the signature verifies and covers the whole file but its own contents
	// Expired: the signature matches the document, but the signer's
	// certificate was not valid (expired, or not yet valid) when it signed.
	Expired Status = "expired"
	// Refused: the file goes beyond a reading limit (size, nesting, object
	// count, inflated streams) and was not read further; see Limit.
	Refused Status = "refused"
)

// Signature is what Inspect finds in an approval PDF.
type Signature struct {
	Status  Status `json:"status"`
	Problem string `json:"problem,omitempty"` // why the status is not valid, in the library's words

	Subject     string    `json:"subject,omitempty"` // the signer certificate's subject
	Issuer      string    `json:"issuer,omitempty"`
	SelfSigned  bool      `json:"self_signed"`
	SigningTime time.Time `json:"signing_time,omitzero"`
	Reason      string    `json:"reason,omitempty"`
	Signatures  int       `json:"signatures"` // how many signatures the document holds

	// ChainChecked is set when a CA was given; ChainError is empty when
	// the signer's certificate chains to it.
	ChainChecked bool   `json:"chain_checked"`
	ChainError   string `json:"chain_error,omitempty"`

	// Identity is the run and fingerprints the PDF approves (Keywords);
	// HasIdentity is false for a PDF recon did not write.
	Identity    approval.Identity `json:"identity"`
	HasIdentity bool              `json:"has_identity"`

	FileSHA256 string `json:"file_sha256"`

	// CertNotBefore and CertNotAfter are the signer certificate's validity,
	// set when it did not cover the signing time (Expired).
	CertNotBefore time.Time `json:"cert_not_before,omitzero"`
	CertNotAfter  time.Time `json:"cert_not_after,omitzero"`
	// Limit is the reading limit a Refused file went beyond.
	Limit *pdfraw.LimitError `json:"limit,omitempty"`
}

// OK tells whether the signature is valid and, when a CA was given,
// chains to it.
func (s Signature) OK() bool { return s.Status == Valid && (!s.ChainChecked || s.ChainError == "") }

// sigDict is one signature dictionary of the document.
type sigDict struct {
	byteRange []int64
	signedAt  time.Time    // the signing-time attribute of the PKCS#7 signature
	p7        *pkcs7.PKCS7 // the parsed signature, nil when unreadable
}

// Inspect checks the signatures of the PDF b. roots, when not nil, are the
// certification authorities the signer's certificate must chain to.
func Inspect(b []byte, roots *x509.CertPool) Signature {
	sum := sha256.Sum256(b)
	s := Signature{FileSHA256: hex.EncodeToString(sum[:])}
	// The reader recurses into nested objects and sizes tables from the
	// file's counts: a hostile file must be refused before it reads it.
	if err := pdfraw.CheckLimits(b, pdfraw.DefaultLimits()); err != nil {
		var le *pdfraw.LimitError
		if errors.As(err, &le) {
			s.Limit = le
		}
		s.Status, s.Problem = Refused, err.Error()
		return s
	}
	sigs, info, err := readSignatures(b)
	if err != nil {
		s.Status, s.Problem = Invalid, err.Error()
		return s
	}
	s.Identity, s.HasIdentity = approval.ParseKeywords(info)
	s.Signatures = len(sigs)
	if len(sigs) == 0 {
		s.Status = Unsigned
		return s
	}
	opts := verify.DefaultVerifyOptions()
	// Clinics sign with what their authority issued; the chain, not the
	// key usages, decides trust here (see --ca).
	opts.RequiredEKUs, opts.AllowedEKUs, opts.RequireDigitalSignatureKU = nil, nil, false
	resp, err := verifyPDF(b, opts)
	if err != nil {
		s.Status, s.Problem = Invalid, err.Error()
		s.expired(b, sigs)
		return s
	}
	if len(resp.Signers) != len(sigs) {
		s.Status, s.Problem = Invalid, fmt.Sprintf("%d signatures in the document, %d could be read", len(sigs), len(resp.Signers))
		return s
	}
	for _, sg := range resp.Signers {
		if !sg.ValidSignature {
			s.Status, s.Problem = Invalid, resp.Error
			if s.Problem == "" {
				s.Problem = "the signature does not match the signed bytes"
			}
			s.expired(b, sigs)
			return s
		}
	}
	// The newest signature (the one reaching furthest) names the signer
	// and must cover the whole file but its own contents.
	last := 0
	for i, sd := range sigs {
		if end(sd.byteRange) > end(sigs[last].byteRange) {
			last = i
		}
	}
	signer := resp.Signers[last]
	s.Reason = signer.Reason
	if signer.TimeStamp != nil && !signer.TimeStamp.Time.IsZero() {
		s.SigningTime = signer.TimeStamp.Time
	} else if !sigs[last].signedAt.IsZero() {
		s.SigningTime = sigs[last].signedAt
	} else if signer.SignatureTime != nil {
		s.SigningTime = *signer.SignatureTime
	}
	leaf, others := leafCert(signer.Certificates)
	if leaf != nil {
		s.Subject, s.Issuer = leaf.Subject.String(), leaf.Issuer.String()
		s.SelfSigned = bytes.Equal(leaf.RawIssuer, leaf.RawSubject) && leaf.CheckSignature(leaf.SignatureAlgorithm, leaf.RawTBSCertificate, leaf.Signature) == nil
	}
	if roots != nil {
		s.ChainChecked = true
		s.ChainError = checkChain(leaf, others, roots, s.SigningTime)
	}
	if msg := coversWhole(b, sigs[last].byteRange); msg != "" {
		s.Status, s.Problem = Altered, msg
		return s
	}
	s.Status = Valid
	return s
}

// verifyPDF runs the signature library, turning its panics on malformed
// input into errors.
func verifyPDF(b []byte, opts *verify.VerifyOptions) (resp *verify.Response, err error) {
	defer func() {
		if r := recover(); r != nil {
			resp, err = nil, fmt.Errorf("not a readable PDF (%v)", r)
		}
	}()
	return verify.VerifyWithOptions(bytes.NewReader(b), int64(len(b)), opts)
}

// expired turns an Invalid verdict into Expired when the only fault is
// time: every signature matches its bytes once its certificate's validity
// is ignored, at least one certificate did not cover its signing time, and
// the newest signature covers the whole file.
func (s *Signature) expired(b []byte, sigs []sigDict) {
	var found *x509.Certificate
	var at time.Time
	last := 0
	for i, sd := range sigs {
		if sd.p7 == nil {
			return
		}
		if end(sd.byteRange) > end(sigs[last].byteRange) {
			last = i
		}
		content, ok := signedBytes(b, sd.byteRange)
		if !ok {
			return
		}
		p7 := *sd.p7
		p7.Content = content
		var signedAt time.Time
		ee := p7.GetOnlySigner()
		if ee == nil || p7.UnmarshalSignedAttribute(pkcs7.OIDAttributeSigningTime, &signedAt) != nil {
			return
		}
		if signedAt.After(ee.NotAfter) || signedAt.Before(ee.NotBefore) {
			// The same check without the validity window: the digest and the
			// signature must still hold.
			stretched := *ee
			stretched.NotBefore, stretched.NotAfter = signedAt, signedAt
			p7.Certificates = append([]*x509.Certificate{&stretched}, p7.Certificates...)
			found, at = ee, signedAt
		}
		if p7.Verify() != nil {
			return
		}
	}
	if found == nil || coversWhole(b, sigs[last].byteRange) != "" {
		return
	}
	s.Status = Expired
	s.Subject, s.Issuer = found.Subject.String(), found.Issuer.String()
	s.SelfSigned = bytes.Equal(found.RawIssuer, found.RawSubject)
	s.SigningTime, s.CertNotBefore, s.CertNotAfter = at, found.NotBefore, found.NotAfter
	s.Problem = fmt.Sprintf("the signer's certificate is valid from %s to %s; the document was signed at %s",
		found.NotBefore.UTC().Format(time.RFC3339), found.NotAfter.UTC().Format(time.RFC3339), at.UTC().Format(time.RFC3339))
}

// signedBytes are the bytes a byte range [a len b len] covers.
func signedBytes(b []byte, br []int64) ([]byte, bool) {
	if len(br) != 4 {
		return nil, false
	}
	n := int64(len(b))
	for _, v := range br {
		if v < 0 || v > n {
			return nil, false
		}
	}
	if br[0]+br[1] > n || br[2]+br[3] > n {
		return nil, false
	}
	out := append(bytes.Clone(b[br[0]:br[0]+br[1]]), b[br[2]:br[2]+br[3]]...)
	return out, true
}

func end(br []int64) int64 {
	if len(br) < 2 {
		return 0
	}
	return br[len(br)-2] + br[len(br)-1]
}

// readSignatures lists the document's signature dictionaries and returns
// its Keywords.
func readSignatures(b []byte) (sigs []sigDict, keywords string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("not a readable PDF (%v)", r)
		}
	}()
	rdr, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, "", fmt.Errorf("not a readable PDF: %w", err)
	}
	keywords = rdr.Trailer().Key("Info").Key("Keywords").Text()
	for _, x := range rdr.Xref() {
		v := rdr.Resolve(x.Ptr(), x.Ptr())
		if v.Key("Filter").Name() != "Adobe.PPKLite" {
			continue
		}
		var sd sigDict
		br := v.Key("ByteRange")
		for i := 0; i < br.Len(); i++ {
			sd.byteRange = append(sd.byteRange, br.Index(i).Int64())
		}
		sd.signedAt = parsePDFDate(v.Key("M").Text())
		if p7, err := pkcs7.Parse([]byte(v.Key("Contents").RawString())); err == nil {
			sd.p7 = p7
			var at time.Time
			if p7.UnmarshalSignedAttribute(pkcs7.OIDAttributeSigningTime, &at) == nil {
				sd.signedAt = at
			}
		}
		sigs = append(sigs, sd)
	}
	return sigs, keywords, nil
}

// coversWhole returns why the byte range [0 a b c] does not cover all of
// the file but the hex string of the signature's contents, or "".
func coversWhole(b []byte, br []int64) string {
	n := int64(len(b))
	if len(br) != 4 {
		return fmt.Sprintf("byte range %v is not two ranges", br)
	}
	a, start, length := br[1], br[2], br[3]
	if br[0] != 0 || a <= 0 || start <= a || start > n {
		return fmt.Sprintf("byte range %v does not start the file or overlaps", br)
	}
	if start+length != n {
		return fmt.Sprintf("the signature covers the file up to byte %d of %d: something was added after signing", start+length, n)
	}
	gap := b[a:start]
	if len(gap) < 2 || gap[0] != '<' || gap[len(gap)-1] != '>' {
		return "the unsigned gap is not the signature's contents"
	}
	for _, c := range gap[1 : len(gap)-1] {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return "the unsigned gap holds more than the signature's contents"
		}
	}
	return ""
}

// leafCert returns the certificate no other one in list was issued by,
// and the rest.
func leafCert(list []verify.Certificate) (*x509.Certificate, []*x509.Certificate) {
	var leaf *x509.Certificate
	var others []*x509.Certificate
	for i, c := range list {
		issuesOther := false
		for j, o := range list {
			if i != j && !bytes.Equal(c.Certificate.Raw, o.Certificate.Raw) && bytes.Equal(o.Certificate.RawIssuer, c.Certificate.RawSubject) {
				issuesOther = true
			}
		}
		if leaf == nil && !issuesOther {
			leaf = c.Certificate
			continue
		}
		others = append(others, c.Certificate)
	}
	return leaf, others
}

func checkChain(leaf *x509.Certificate, others []*x509.Certificate, roots *x509.CertPool, at time.Time) string {
	if leaf == nil {
		return "no signer certificate"
	}
	inter := x509.NewCertPool()
	for _, c := range others {
		inter.AddCert(c)
	}
	opts := x509.VerifyOptions{Roots: roots, Intermediates: inter, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}, CurrentTime: at}
	if _, err := leaf.Verify(opts); err != nil {
		return err.Error()
	}
	return ""
}

// ChangedTables names the tables whose content hash or row count differs
// between two verification runs, or that only one of them has, sorted.
func ChangedTables(before, after []reconcile.TableContent) []string {
	old := map[string]reconcile.TableContent{}
	for _, t := range before {
		old[t.Table] = t
	}
	var changed []string
	for _, t := range after {
		o, ok := old[t.Table]
		if !ok || o.SHA256 != t.SHA256 || o.Rows != t.Rows {
			changed = append(changed, t.Table)
		}
		delete(old, t.Table)
	}
	for name := range old {
		changed = append(changed, name)
	}
	sort.Strings(changed)
	return changed
}

// parsePDFDate reads a PDF date, D:YYYYMMDDHHmmSS with Z, +HH'mm' or
// nothing (UTC) after it; the zero time when it is not one.
func parsePDFDate(v string) time.Time {
	v = strings.TrimPrefix(v, "D:")
	if len(v) < 14 {
		return time.Time{}
	}
	t, err := time.Parse("20060102150405", v[:14])
	if err != nil {
		return time.Time{}
	}
	zone := strings.ReplaceAll(v[14:], "'", "")
	if zone == "" || zone == "Z" || strings.HasPrefix(zone, "Z") {
		return t
	}
	if len(zone) >= 3 && (zone[0] == '+' || zone[0] == '-') {
		hh, err1 := strconv.Atoi(zone[1:3])
		mm := 0
		var err2 error
		if len(zone) >= 5 {
			mm, err2 = strconv.Atoi(zone[3:5])
		}
		if err1 != nil || err2 != nil {
			return time.Time{}
		}
		off := (hh*60 + mm) * 60
		if zone[0] == '-' {
			off = -off
		}
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.FixedZone("", off))
	}
	return time.Time{}
}
