package signoff

import (
	"bytes"
	"crypto"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/petfriendly/recon/internal/approval"
	"github.com/petfriendly/recon/internal/pdfraw"
)

// approvalObjects parses an approval and returns it with the object
// numbers of its catalog, its form and its signature field.
func approvalObjects(t *testing.T, pdf []byte) (f *pdfraw.File, form, field int) {
	t.Helper()
	f, err := pdfraw.Parse(pdf)
	if err != nil {
		t.Fatal(err)
	}
	catalog, err := f.Dict(f.Root)
	if err != nil {
		t.Fatal(err)
	}
	m := reAcroForm.FindStringSubmatch(catalog)
	if m == nil {
		t.Fatalf("approval catalog without /AcroForm: %s", catalog)
	}
	form, _ = strconv.Atoi(m[1])
	formDict, err := f.Dict(form)
	if err != nil {
		t.Fatal(err)
	}
	refs := reRefs.FindAllStringSubmatch(reFields.FindStringSubmatch(formDict)[1], -1)
	if len(refs) != 1 {
		t.Fatalf("approval form fields: %s", formDict)
	}
	field, _ = strconv.Atoi(refs[0][1])
	return f, form, field
}

// dict returns object n of f, failing the test when it is not a dictionary.
func dict(t *testing.T, f *pdfraw.File, n int) string {
	t.Helper()
	d, err := f.Dict(n)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// failingKey is a key whose signing fails, as a token that was removed
// while signing would.
type failingKey struct{ crypto.Signer }

func (k failingKey) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) {
	return nil, errors.New("token removed")
}

// TestSignRejects: Sign refuses what is not an unsigned recon approval and
// reports a signer that cannot sign, naming the object at fault.
func TestSignRejects(t *testing.T) {
	pdf := approvalPDF(t)
	self := newCert(t, "Dr. Pablo", false, nil)
	f, form, field := approvalObjects(t, pdf)
	catalog, formDict, fieldDict := dict(t, f, f.Root), dict(t, f, form), dict(t, f, field)
	update := func(objs map[int]string) []byte {
		out, _ := pdfraw.AppendUpdate(pdf, f, objs, f.Size)
		return out
	}
	noForm := regexp.MustCompile(`/AcroForm\s+\d+\s+0\s+R`).ReplaceAllString(catalog, "")
	noFields := reFields.ReplaceAllString(formDict, "")
	missingField := reFields.ReplaceAllString(formDict, "/Fields [9999 0 R]")
	renamed := strings.Replace(fieldDict, pdfraw.TextString(approval.SignatureFieldName), pdfraw.TextString("Otro"), 1)
	ca := newCert(t, "CA Colombia", true, nil)
	bloated := newCert(t, "Dr. Pablo", false, &ca)
	for range 80 { // a chain far larger than the room kept for the signature
		bloated.Chain = append(bloated.Chain, ca.Cert)
	}
	tests := []struct {
		name    string
		pdf     []byte
		signer  Signer
		wantErr string
	}{
		{"catalog is not a dictionary", update(map[int]string{f.Root: "[1 2 3]"}), self,
			fmt.Sprintf("sign: object %d is not a plain dictionary", f.Root)},
		{"no form", update(map[int]string{f.Root: noForm}), self,
			"sign: the PDF has no signature field (is it a recon approval?)"},
		{"form is not a dictionary", update(map[int]string{form: "42"}), self,
			fmt.Sprintf("sign: object %d is not a plain dictionary", form)},
		{"form without fields", update(map[int]string{form: noFields}), self, "sign: the form has no fields"},
		{"field not in the file", update(map[int]string{form: missingField}), self, "sign: object 9999 is not in the xref"},
		{"field named otherwise", update(map[int]string{field: renamed}), self,
			fmt.Sprintf("sign: no signature field named %q", approval.SignatureFieldName)},
		{"key cannot sign", pdf, Signer{Key: failingKey{self.Key}, Cert: self.Cert}, "sign: token removed"},
		{"signature too large", pdf, bloated, "bytes kept for it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := Sign(tt.pdf, tt.signer, SignOptions{Reason: "Apruebo"})
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Sign = %d bytes, %v; want an error with %q", len(out), err, tt.wantErr)
			}
			if out != nil {
				t.Errorf("Sign returned %d bytes with its error", len(out))
			}
		})
	}
}

// TestSignAddsFormFlagsAndLocation: a form without /SigFlags gets one,
// set to 3 (signatures exist, append only), and the location is part of
// the signature dictionary.
func TestSignAddsFormFlagsAndLocation(t *testing.T) {
	pdf := approvalPDF(t)
	f, form, _ := approvalObjects(t, pdf)
	unflagged := reSigFlags.ReplaceAllString(dict(t, f, form), "")
	pdf, _ = pdfraw.AppendUpdate(pdf, f, map[int]string{form: unflagged}, f.Size)

	self := newCert(t, "Dr. Pablo", false, nil)
	signed, err := Sign(pdf, self, SignOptions{Reason: "Apruebo", Location: "Bogotá", Time: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if s := Inspect(signed, nil); !s.OK() || s.Reason != "Apruebo" {
		t.Fatalf("signed approval: %+v", s)
	}
	g, _, _ := approvalObjects(t, signed)
	newForm := dict(t, g, form)
	if got := reSigFlags.FindAllString(newForm, -1); len(got) != 1 || got[0] != "/SigFlags 3" {
		t.Errorf("form after signing has %q, want one /SigFlags 3: %s", got, newForm)
	}
	if !bytes.Contains(signed[len(pdf):], []byte("/Location "+pdfraw.TextString("Bogotá"))) {
		t.Error("the signature dictionary lacks the location")
	}
}
