package cli

import (
	"bytes"
	"context"
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

	gopkcs12 "software.sslmate.com/src/go-pkcs12"

	"github.com/petfriendly/recon/internal/pgtest"
	"github.com/petfriendly/recon/reconcile"
	"github.com/petfriendly/recon/reports"
)

// writeApproval renders the approval PDF of r into dir.
func writeApproval(t *testing.T, dir, name string, r reconcile.Result) string {
	t.Helper()
	var buf bytes.Buffer
	if err := reports.PDF(&buf, r, reports.PDFOptions{}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// newTestCert makes an ECDSA certificate for cn, issued by parent (or
// self-signed when parent is nil).
func newTestCert(t *testing.T, cn string, ca bool, parent *x509.Certificate, parentKey *ecdsa.PrivateKey) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn, Organization: []string{"Clinica"}},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour), BasicConstraintsValid: true, IsCA: ca,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign}
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert, key
}

// writeP12 writes a .p12 of a certificate for cn, issued by a test
// authority when issued is true, protected by password.
func writeP12(t *testing.T, dir, cn string, issued bool, password string) string {
	t.Helper()
	var cert *x509.Certificate
	var key *ecdsa.PrivateKey
	var chain []*x509.Certificate
	if issued {
		caCert, caKey := newTestCert(t, "CA Colombia", true, nil, nil)
		cert, key = newTestCert(t, cn, false, caCert, caKey)
		chain = []*x509.Certificate{caCert}
	} else {
		cert, key = newTestCert(t, cn, false, nil, nil)
	}
	b, err := gopkcs12.Modern.Encode(key, cert, chain, password)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, cn+".p12")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSignoffCommandsWithoutDatabase: signing and checking what recon can
// tell from the file alone: a PDF that names no verification run, a field
// already signed, an output that cannot be written, a --ca file without
// certificates, and the default reason in both languages.
func TestSignoffCommandsWithoutDatabase(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("RECON_TEST_P12_PASSWORD", "clave")
	// Without a content fingerprint the approval does not name what it approves.
	anonymous := writeApproval(t, dir, "anonima.pdf", reconcile.Result{RunID: 4, GeneratedAt: time.Date(2026, 11, 14, 15, 30, 0, 0, time.UTC)})
	p12 := writeP12(t, dir, "Dr. Pablo", true, "clave")
	signedES, signedEN := filepath.Join(dir, "firmada.pdf"), filepath.Join(dir, "signed.pdf")
	notPEM := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(notPEM, []byte("no es un certificado\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	unreachable := filepath.Join(dir, "no-existe", "firmada.pdf")
	sign := func(out string, extra ...string) []string {
		return append([]string{"signoff", "sign", "--p12", p12, "--password-env", "RECON_TEST_P12_PASSWORD", "--out", out}, extra...)
	}
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  []string
		wantErr  []string
	}{
		{"sign with the default reason", sign(signedES, anonymous), 0, []string{"Firmado por CN=Dr. Pablo,O=Clinica: " + signedES}, nil},
		{"sign in english", append([]string{"--lang", "en"}, sign(signedEN, anonymous)...), 0,
			[]string{"Signed by CN=Dr. Pablo,O=Clinica: " + signedEN}, nil},
		{"sign a signed field", sign(filepath.Join(dir, "otra.pdf"), signedES), ExitError, nil,
			[]string{"recon: sign: the field is already signed"}},
		{"output folder missing", sign(unreachable, anonymous), ExitError, nil,
			[]string{"recon: write " + unreachable + ": open " + unreachable + ": no such file or directory"}},
		{"check: no run named", []string{"signoff", "check", signedES}, ExitProblems,
			[]string{"Firma: válida, cubre todo el archivo", "Firmante: CN=Dr. Pablo,O=Clinica", "Emisor: CN=CA Colombia,O=Clinica",
				"Motivo: Apruebo la migración de datos", "Aviso: la cadena del certificado no se comprobó (use --ca)."},
			[]string{"recon: el PDF no dice qué verificación aprueba: no es una aprobación de recon\n"}},
		{"check in english: no run named", []string{"--lang", "en", "signoff", "check", signedEN}, ExitProblems,
			[]string{"Signature: valid, covers the whole file", "Issuer: CN=CA Colombia,O=Clinica", "Reason: I approve the data migration",
				"Notice: the certificate chain was not checked (use --ca)."},
			[]string{"recon: the PDF does not say which verification it approves: it is not a recon approval\n"}},
		{"record: no run named", []string{"signoff", "record", signedES}, ExitProblems, []string{"Firma: válida"},
			[]string{"recon: el PDF no dice qué verificación aprueba: no es una aprobación de recon; no se registró\n"}},
		{"record in english: no run named", []string{"--lang", "en", "signoff", "record", signedEN}, ExitProblems, []string{"Signature: valid"},
			[]string{"not a recon approval; not recorded\n"}},
		{"check: --ca without certificates", []string{"signoff", "check", "--ca", notPEM, signedES}, ExitError, nil,
			[]string{"recon: " + notPEM + " no contiene certificados PEM\n"}},
		{"record in english: --ca without certificates", []string{"--lang", "en", "signoff", "record", "--ca", notPEM, signedES}, ExitError, nil,
			[]string{"recon: " + notPEM + " holds no PEM certificates\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(t, tt.args...)
			checkRun(t, code, out, errs, tt.wantCode, tt.wantOut, tt.wantErr)
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "otra.pdf")); !os.IsNotExist(err) {
		t.Errorf("signing a signed field wrote its output: %v", err)
	}
}

// TestSignoffCommandsDatabaseFailures: a valid approval checked or recorded
// against a database that cannot be reached, that is locked by an import,
// that never held the approved run, or with a home where the signed file
// cannot be stored.
func TestSignoffCommandsDatabaseFailures(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("RECON_TEST_P12_PASSWORD", "clave")
	approval := writeApproval(t, dir, "aprobacion.pdf", reconcile.Result{RunID: 9, Fingerprint: strings.Repeat("f", 64),
		ContentFingerprint: strings.Repeat("c", 64), GeneratedAt: time.Date(2026, 11, 14, 15, 30, 0, 0, time.UTC)})
	signed := filepath.Join(dir, "firmada.pdf")
	p12 := writeP12(t, dir, "Dr. Pablo", false, "clave")
	if code, out, errs := run(t, "signoff", "sign", "--p12", p12, "--password-env", "RECON_TEST_P12_PASSWORD", "--out", signed, approval); code != 0 {
		t.Fatalf("sign: exit %d\n%s%s", code, out, errs)
	}
	db := pgtest.MustOpenDB(t)
	homeFile := filepath.Join(dir, "home-es-archivo")
	if err := os.WriteFile(homeFile, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	nowhere := "postgres://nobody@/x?host=/nonexistent-recon-socket"
	ctx := context.Background()
	tests := []struct {
		name     string
		hold     func(t *testing.T) func()
		args     []string
		wantCode int
		wantOut  []string
		wantErr  []string
	}{
		{name: "check: database unreachable", args: []string{"--database-url", nowhere, "signoff", "check", signed}, wantCode: ExitError,
			wantOut: []string{"Aprueba la verificación #9"}, wantErr: []string{"recon: ", "nonexistent-recon-socket"}},
		{name: "record: database unreachable", args: []string{"--database-url", nowhere, "signoff", "record", signed}, wantCode: ExitError,
			wantErr: []string{"recon: ", "nonexistent-recon-socket"}},
		{name: "check: import running", hold: holdLock(ctx, db, "import"),
			args: []string{"--database-url", db.URL, "--home", t.TempDir(), "signoff", "check", signed}, wantCode: ExitError,
			wantErr: []string{"recon: otra importación, reversión o verificación está en curso (lote desconocido, pid ", ", importación desde ", "espere a que termine o use --wait"}},
		{name: "check: approved run not in this database", args: []string{"--database-url", db.URL, "--home", t.TempDir(), "signoff", "check", signed},
			wantCode: ExitProblems,
			wantOut: []string{"Huella del contenido actual: ",
				"Datos: CAMBIARON desde la aprobación (la verificación aprobada no está en esta base de datos: no se pueden nombrar las tablas)"},
			wantErr: []string{"recon: los datos cambiaron desde la aprobación\n"}},
		{name: "check in english: approved run not in this database",
			args:     []string{"--lang", "en", "--database-url", db.URL, "--home", t.TempDir(), "signoff", "check", signed},
			wantCode: ExitProblems, wantOut: []string{"Data: CHANGED since the approval (the approved run is not in this database: the tables cannot be named)"},
			wantErr: []string{"recon: the data changed since the approval\n"}},
		// The approved run must be in the database (and ready) before anything is stored.
		{name: "record: approved run not in this database", args: []string{"--database-url", db.URL, "--home", homeFile, "signoff", "record", signed},
			wantCode: ExitProblems, wantErr: []string{"recon: la verificación #9 que aprueba no está en esta base de datos; no se registró"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.hold != nil {
				defer tt.hold(t)()
			}
			code, out, errs := run(t, tt.args...)
			checkRun(t, code, out, errs, tt.wantCode, tt.wantOut, tt.wantErr)
		})
	}
	var n int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM migration_signoff`).Scan(&n); err != nil || n != 0 {
		t.Errorf("sign-offs recorded after failures: %d, %v", n, err)
	}
}
