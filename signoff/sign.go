package signoff

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/digitorus/pkcs7"
	"golang.org/x/text/encoding/charmap"
	gopkcs12 "software.sslmate.com/src/go-pkcs12"

	"github.com/petfriendly/recon/internal/approval"
	"github.com/petfriendly/recon/internal/pdfraw"
)

// Signer is a certificate with its private key, as a .p12 holds them.
type Signer struct {
	Key   crypto.Signer
	Cert  *x509.Certificate
	Chain []*x509.Certificate // intermediates and root, as the .p12 has them
}

// LoadP12 reads a PKCS#12 file's key, certificate and chain.
func LoadP12(b []byte, password string) (Signer, error) {
	key, cert, chain, err := gopkcs12.DecodeChain(b, password)
	if err != nil {
		return Signer{}, fmt.Errorf("read p12: %w", err)
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return Signer{}, fmt.Errorf("read p12: the key (%T) cannot sign", key)
	}
	return Signer{Key: signer, Cert: cert, Chain: chain}, nil
}

// SignOptions describe the signature.
type SignOptions struct {
	Reason   string
	Location string
	Time     time.Time // the signature's /M; the zero value leaves it out
}

// maxSignature is the room kept for the PKCS#7 signature, in bytes: a
// 4096-bit key with a chain of a few certificates fits.
const maxSignature = 24 * 1024

var (
	reAcroForm = regexp.MustCompile(`/AcroForm\s+(\d+)\s+0\s+R`)
	reFields   = regexp.MustCompile(`/Fields\s*\[([^\]]*)\]`)
	reRefs     = regexp.MustCompile(`(\d+)\s+0\s+R`)
	reSigFlags = regexp.MustCompile(`/SigFlags\s+\d+`)
	reFT       = regexp.MustCompile(`/FT\s*/Sig\b`)
	reV        = regexp.MustCompile(`/V\s`)
	reAP       = regexp.MustCompile(`/AP\s*<<\s*/N\s+(\d+)\s+0\s+R\s*>>`)
	reRect     = regexp.MustCompile(`/Rect\s*\[\s*(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s*\]`)
)

// appearance is the widget's look once signed: who signed and when, in
// Helvetica (WinAnsi), inside a box of w×h points.
func appearance(w, h float64, lines []string) string {
	var content strings.Builder
	content.WriteString("q BT /Helv 9 Tf 0.11 0.14 0.19 rg\n")
	fmt.Fprintf(&content, "6 %.2f Td\n", h-16)
	for i, l := range lines {
		if i > 0 {
			content.WriteString("0 -12 Td\n")
		}
		fmt.Fprintf(&content, "(%s) Tj\n", winAnsiLiteral(l))
	}
	content.WriteString("ET Q")
	return fmt.Sprintf("<< /Type /XObject /Subtype /Form /BBox [0 0 %.2f %.2f] /Resources << /Font << /Helv << /Type /Font /Subtype /Type1 "+
		"/BaseFont /Helvetica /Encoding /WinAnsiEncoding >> >> >> /Length %d >>\nstream\n%s\nendstream", w, h, content.Len(), content.String())
}

// winAnsiLiteral escapes s for a PDF literal string in WinAnsi; what
// Windows-1252 lacks becomes "?".
func winAnsiLiteral(s string) string {
	var b strings.Builder
	for _, r := range s {
		c, ok := charmap.Windows1252.EncodeRune(r)
		if !ok {
			c = '?'
		}
		switch c {
		case '(', ')', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			if c < 32 || c > 126 {
				fmt.Fprintf(&b, "\\%03o", c)
			} else {
				b.WriteByte(c)
			}
		}
	}
	return b.String()
}

// Sign signs the approval's unsigned signature field (approval.
// SignatureFieldName) with an incremental update: the signature
// dictionary, the field pointing to it and the form's SigFlags, with a
// detached PKCS#7 (adbe.pkcs7.detached, SHA-256) over the whole file but
// the signature itself.
func Sign(pdf []byte, s Signer, o SignOptions) ([]byte, error) {
	f, err := pdfraw.Parse(pdf)
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	catalog, err := f.Dict(f.Root)
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	m := reAcroForm.FindStringSubmatch(catalog)
	if m == nil {
		return nil, errors.New("sign: the PDF has no signature field (is it a recon approval?)")
	}
	formNum, _ := strconv.Atoi(m[1])
	form, err := f.Dict(formNum)
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	fm := reFields.FindStringSubmatch(form)
	if fm == nil {
		return nil, errors.New("sign: the form has no fields")
	}
	fieldNum, fieldDict := 0, ""
	want := "/T " + pdfraw.TextString(approval.SignatureFieldName)
	for _, ref := range reRefs.FindAllStringSubmatch(fm[1], -1) {
		n, _ := strconv.Atoi(ref[1])
		d, err := f.Dict(n)
		if err != nil {
			return nil, fmt.Errorf("sign: %w", err)
		}
		if reFT.MatchString(d) && strings.Contains(d, want) {
			fieldNum, fieldDict = n, d
		}
	}
	if fieldNum == 0 {
		return nil, fmt.Errorf("sign: no signature field named %q", approval.SignatureFieldName)
	}
	if reV.MatchString(fieldDict) {
		return nil, errors.New("sign: the field is already signed")
	}

	sigNum := f.Size
	const brHolder = "0 0000000000 0000000000 0000000000"
	var sd strings.Builder
	sd.WriteString("<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [" + brHolder + "] /Contents <")
	sd.WriteString(strings.Repeat("0", 2*maxSignature))
	sd.WriteString(">")
	if !o.Time.IsZero() {
		sd.WriteString(" /M (D:" + o.Time.UTC().Format("20060102150405") + "Z)")
	}
	if s.Cert != nil {
		sd.WriteString(" /Name " + pdfraw.TextString(s.Cert.Subject.CommonName))
	}
	if o.Reason != "" {
		sd.WriteString(" /Reason " + pdfraw.TextString(o.Reason))
	}
	if o.Location != "" {
		sd.WriteString(" /Location " + pdfraw.TextString(o.Location))
	}
	sd.WriteString(" >>")
	fieldDict = strings.TrimSuffix(fieldDict, ">>") + fmt.Sprintf("/V %d 0 R >>", sigNum)
	if reSigFlags.MatchString(form) {
		form = reSigFlags.ReplaceAllString(form, "/SigFlags 3")
	} else {
		form = strings.TrimSuffix(form, ">>") + "/SigFlags 3 >>"
	}
	objs := map[int]string{sigNum: sd.String(), fieldNum: fieldDict, formNum: form}
	// The field's box shows who signed, when its appearance is ours to replace.
	if ap, rect := reAP.FindStringSubmatch(fieldDict), reRect.FindStringSubmatch(fieldDict); ap != nil && rect != nil && s.Cert != nil {
		var v [4]float64
		for i := range v {
			v[i], _ = strconv.ParseFloat(rect[i+1], 64)
		}
		apNum, _ := strconv.Atoi(ap[1])
		lines := []string{"Firmado digitalmente por / Digitally signed by", s.Cert.Subject.CommonName}
		if !o.Time.IsZero() {
			lines = append(lines, o.Time.UTC().Format("2006-01-02 15:04 UTC"))
		}
		if o.Reason != "" {
			lines = append(lines, o.Reason)
		}
		objs[apNum] = appearance(v[2]-v[0], v[3]-v[1], lines)
	}
	out, offsets := pdfraw.AppendUpdate(pdf, f, objs, sigNum+1)

	// Where the contents' hex string and the byte range holder are.
	at := offsets[sigNum]
	br := at + bytes.Index(out[at:], []byte(brHolder))
	start := at + bytes.Index(out[at:], []byte("/Contents <")) + len("/Contents ")
	end := start + 2 + 2*maxSignature
	if out[start] != '<' || out[end-1] != '>' {
		return nil, errors.New("sign: signature placeholder not found")
	}
	ranges := fmt.Sprintf("0 %-10d %-10d %-10d", start, end, len(out)-end)
	if len(ranges) != len(brHolder) {
		return nil, errors.New("sign: byte range does not fit its placeholder")
	}
	copy(out[br:], ranges)

	signed := make([]byte, 0, len(out)-(end-start))
	signed = append(append(signed, out[:start]...), out[end:]...)
	p7, err := pkcs7.NewSignedData(signed)
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	p7.SetDigestAlgorithm(pkcs7.OIDDigestAlgorithmSHA256)
	if err := p7.AddSignerChain(s.Cert, s.Key, s.Chain, pkcs7.SignerInfoConfig{}); err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	p7.Detach()
	der, err := p7.Finish()
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	if len(der) > maxSignature {
		return nil, fmt.Errorf("sign: the signature (%d bytes) does not fit the %d bytes kept for it", len(der), maxSignature)
	}
	copy(out[start+1:], hex.EncodeToString(der))
	return out, nil
}
