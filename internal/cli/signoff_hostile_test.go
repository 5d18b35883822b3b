package cli

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/internal/pdfraw"
	"github.com/petfriendly/recon/reconcile"
	"github.com/petfriendly/recon/signoff"
)

// TestSignoffCheckHostileAndExpired: a hostile PDF (2,000,000 nested
// arrays, a file beyond the size limit) ends in a clear refusal in the
// operator's language, and a signature made with an expired certificate is
// reported as expired, not as a changed document. None reaches the database.
func TestSignoffCheckHostileAndExpired(t *testing.T) {
	dir := t.TempDir()
	b, err := os.ReadFile(writeApproval(t, dir, "aprobacion.pdf", reconcile.Result{RunID: 4, GeneratedAt: time.Date(2026, 11, 14, 15, 30, 0, 0, time.UTC)}))
	if err != nil {
		t.Fatal(err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "Dr. Viejo"},
		NotBefore: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	signed, err := signoff.Sign(b, signoff.Signer{Key: key, Cert: cert}, signoff.SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	expired := filepath.Join(dir, "vencida.pdf")
	if err := os.WriteFile(expired, signed, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := pdfraw.Parse(signed)
	if err != nil {
		t.Fatal(err)
	}
	nested, _ := pdfraw.AppendUpdate(signed, f, map[int]string{f.Size: strings.Repeat("[", 2_000_000)}, f.Size+1)
	deep := filepath.Join(dir, "anidada.pdf")
	if err := os.WriteFile(deep, nested, 0o644); err != nil {
		t.Fatal(err)
	}
	huge := filepath.Join(dir, "enorme.pdf")
	if err := os.WriteFile(huge, []byte("%PDF-1.4\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(huge, 65<<20); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		args    []string
		wantOut []string
		wantErr []string
	}{
		{"2,000,000 nested arrays", []string{"signoff", "check", deep},
			[]string{"Firma: NO SE LEYÓ: el archivo supera un límite de lectura", "Detalle: el PDF no se leyó: tiene listas o diccionarios anidados a más de 256 niveles"},
			[]string{"recon: el PDF no se leyó: tiene listas o diccionarios anidados a más de 256 niveles (byte "}},
		{"2,000,000 nested arrays in english", []string{"--lang", "en", "signoff", "record", deep},
			[]string{"Signature: NOT READ: the file goes beyond a reading limit"},
			[]string{"recon: the PDF was not read: it nests arrays or dictionaries more than 256 levels deep (byte ", "not recorded"}},
		{"a file beyond the size limit", []string{"signoff", "check", huge}, nil,
			[]string{"recon: " + huge + ": el PDF no se leyó: tiene 68157440 bytes, más de los 67108864 permitidos\n"}},
		{"an expired certificate", []string{"signoff", "check", expired},
			[]string{"Firma: NO VÁLIDA: el certificado del firmante había vencido o aún no era válido al firmar", "Firmante: CN=Dr. Viejo"},
			[]string{"recon: el certificado del firmante no era válido cuando se firmó (válido del 2020-01-01 al 2021-01-01; firmado el "}},
		{"an expired certificate in english", []string{"--lang", "en", "signoff", "check", expired},
			[]string{"Signature: NOT VALID: the signer's certificate had expired or was not valid yet when it signed"},
			[]string{"recon: the signer's certificate was not valid when it signed (valid from 2020-01-01 to 2021-01-01; signed on "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(t, tt.args...)
			checkRun(t, code, out, errs, ExitProblems, tt.wantOut, tt.wantErr)
			if strings.Contains(out+errs, "changed after it was signed") || strings.Contains(out+errs, "cambió después de firmarlo") {
				t.Errorf("reported as a changed document:\n%s%s", out, errs)
			}
		})
	}
}

// TestLimitTextNamesEachLimit: every reading limit is said in both
// languages, naming its value.
func TestLimitTextNamesEachLimit(t *testing.T) {
	tests := []struct {
		err    *pdfraw.LimitError
		es, en string
	}{
		{nil, "el PDF no se leyó: supera un límite de lectura", "the PDF was not read: it goes beyond a reading limit"},
		{&pdfraw.LimitError{Kind: pdfraw.LimitSize, Value: 70, Limit: 64}, "el PDF no se leyó: tiene 70 bytes, más de los 64 permitidos",
			"the PDF was not read: it has 70 bytes, more than the 64 allowed"},
		{&pdfraw.LimitError{Kind: pdfraw.LimitDepth, Offset: 9, Limit: 256},
			"el PDF no se leyó: tiene listas o diccionarios anidados a más de 256 niveles (byte 9); no es una aprobación de recon",
			"the PDF was not read: it nests arrays or dictionaries more than 256 levels deep (byte 9); it is not a recon approval"},
		{&pdfraw.LimitError{Kind: pdfraw.LimitObjects, Offset: 5, Limit: 500000},
			"el PDF no se leyó: declara más de 500000 objetos (byte 5); no es una aprobación de recon",
			"the PDF was not read: it declares more than 500000 objects (byte 5); it is not a recon approval"},
		{&pdfraw.LimitError{Kind: pdfraw.LimitInflated, Offset: 5, Limit: 64},
			"el PDF no se leyó: sus secciones comprimidas se expanden a más de 64 bytes (byte 5)",
			"the PDF was not read: its compressed sections expand to more than 64 bytes (byte 5)"},
		{&pdfraw.LimitError{Kind: pdfraw.LimitLoop, Value: 7},
			"el PDF no se leyó: sus flujos de objetos se extienden unos a otros en un ciclo (objeto 7); no es una aprobación de recon",
			"the PDF was not read: its object streams extend one another in a loop (object 7); it is not a recon approval"},
	}
	for _, tt := range tests {
		if got := limitText(&Globals{L: i18n.ES}, tt.err); got != tt.es {
			t.Errorf("es: %q, want %q", got, tt.es)
		}
		if got := limitText(&Globals{L: i18n.EN}, tt.err); got != tt.en {
			t.Errorf("en: %q, want %q", got, tt.en)
		}
	}
}
