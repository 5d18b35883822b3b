package cli

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/petfriendly/recon/internal/approval"
	"github.com/petfriendly/recon/internal/pgtest"
)

// needTool returns the path of a command-line tool; it skips without it,
// except in CI, which installs it (.ci/run).
func needTool(t *testing.T, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI must have %s (apt-get install %s)", name, pkg)
		}
		t.Skipf("%s (apt-get install %s)", name, pkg)
	}
	return p
}

func mustRun(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// nssSigner makes a throwaway NSS database holding a self-signed
// certificate "signer" for Dr. Pablo, and returns the database's folder.
func nssSigner(t *testing.T) string {
	t.Helper()
	certutil := needTool(t, "certutil", "libnss3-tools")
	dir := t.TempDir()
	noise := filepath.Join(dir, "noise")
	if err := os.WriteFile(noise, []byte(strings.Repeat("recon sign-off test noise ", 8)), 0o600); err != nil {
		t.Fatal(err)
	}
	mustRun(t, certutil, "-N", "-d", "sql:"+dir, "--empty-password")
	mustRun(t, certutil, "-S", "-x", "-n", "signer", "-s", "CN=Dr. Pablo,O=Clinica", "-t", "CT,C,C", "-k", "rsa", "-g", "2048",
		"-v", "12", "-d", "sql:"+dir, "-z", noise, "--keyUsage", "digitalSignature,nonRepudiation")
	return dir
}

// signatureField is the approval PDF's signature field, as pdfsig names it.
const signatureField = approval.SignatureFieldName

// signWithPdfsig signs the approval's field with poppler's pdfsig.
func signWithPdfsig(t *testing.T, nssdir, in, out string) {
	t.Helper()
	pdfsig := needTool(t, "pdfsig", "poppler-utils")
	mustRun(t, pdfsig, "-nssdir", "sql:"+nssdir, "-nick", "signer", "-sign", signatureField, "-reason", "Apruebo la migración", in, out)
}

func renameFirstPet(t *testing.T, pool *pgxpool.Pool, name string) {
	t.Helper()
	tag, err := pool.Exec(context.Background(), `UPDATE pets_pet SET name = $1 WHERE id = (SELECT min(id) FROM pets_pet)`, name)
	if err != nil || tag.RowsAffected() != 1 {
		t.Fatalf("rename pet: %v (%d rows)", err, tag.RowsAffected())
	}
}

// flipByte writes a copy of the file with one byte of the signed range changed.
func flipByte(t *testing.T, in, out string) {
	t.Helper()
	b, err := os.ReadFile(in)
	if err != nil {
		t.Fatal(err)
	}
	b[1000] ^= 0x01 // inside the first signed range
	if err := os.WriteFile(out, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestSignoffEndToEnd: verify → PDF → a throwaway certificate → pdfsig
// signs the field → signoff check passes naming the signer → a pet renamed
// in the database fails naming pets_pet → one byte of the signed PDF
// changed fails as invalid.
func TestSignoffEndToEnd(t *testing.T) {
	t.Parallel()
	needTool(t, "pdfsig", "poppler-utils")
	nss := nssSigner(t)
	db := pgtest.MustOpenDB(t)
	export := copyExport(t)
	home := t.TempDir()
	base := []string{"--database-url", db.URL, "--home", home, "--no-progress"}
	args := func(a ...string) []string { return append(append([]string{}, base...), a...) }
	if code, out, errs := run(t, args("import", "all", "--dir", export)...); code != 0 {
		t.Fatalf("import: exit %d\n%s%s", code, out, errs)
	}
	// Only a run ready for sign-off can be approved: the critical issues
	// are resolved first, as a clinic does.
	if code, out, errs := run(t, args("issues", "resolve", "--severity", "critical", "--resolution", "revisado con la clínica",
		"--by", "ana", "--yes")...); code != 0 {
		t.Fatalf("resolve: exit %d\n%s%s", code, out, errs)
	}
	dir := t.TempDir()
	approval, signed := filepath.Join(dir, "aprobacion.pdf"), filepath.Join(dir, "firmado.pdf")
	tampered := filepath.Join(dir, "alterado.pdf")
	if code, out, errs := run(t, args("verify", "--pdf", approval, "--seed", "1")...); code != 0 {
		t.Fatalf("verify: exit %d\n%s%s", code, out, errs)
	}
	signWithPdfsig(t, nss, approval, signed)
	appended := filepath.Join(dir, "anadido.pdf")
	b, err := os.ReadFile(signed)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(appended, append(b, []byte("\n% added after signing\n")...), 0o644); err != nil {
		t.Fatal(err)
	}

	htmlPath := filepath.Join(dir, "informe.html")
	comparePath := filepath.Join(dir, "comparacion.html")
	ownCA, otherCA := filepath.Join(dir, "propia.pem"), filepath.Join(dir, "otra.pem")
	caPEM := mustRun(t, needTool(t, "certutil", "libnss3-tools"), "-L", "-d", "sql:"+nss, "-n", "signer", "-a")
	if err := os.WriteFile(ownCA, []byte(caPEM), 0o644); err != nil {
		t.Fatal(err)
	}
	writeOtherCA(t, otherCA)
	runSteps(t, args, []signoffStep{
		{name: "signed and unchanged", cmd: []string{"signoff", "check", signed}, code: 0,
			want: []string{"Firma: válida", "CN=Dr. Pablo,O=Clinica", "Apruebo la migración", "autofirmado", "Aprueba la verificación #1",
				"Datos: sin cambios desde la aprobación"}},
		{name: "unsigned", cmd: []string{"signoff", "check", approval}, code: 1, want: []string{"Firma: sin firmar"}, notWant: []string{"sin cambios"}},
		{name: "unsigned is not recorded", cmd: []string{"signoff", "record", approval}, code: 1, want: []string{"Firma: sin firmar"}},
		{name: "bytes appended after signing", cmd: []string{"signoff", "check", appended}, code: 1, want: []string{"se modificó después de firmarlo"}},
		{name: "english", cmd: []string{"--lang", "en", "signoff", "check", signed}, code: 0,
			want: []string{"Signature: valid", "Signer: CN=Dr. Pablo", "self-signed", "Data: unchanged since the approval"}},
		{name: "chain to its own certificate", cmd: []string{"signoff", "check", "--ca", ownCA, signed}, code: 0,
			want: []string{"Cadena de certificados: proviene de la autoridad indicada"}, notWant: []string{"autofirmado"}},
		{name: "chain to another authority", cmd: []string{"signoff", "check", "--ca", otherCA, signed}, code: 1,
			want: []string{"Cadena de certificados: NO proviene"}, notWant: []string{"Datos: sin cambios"}},
		{name: "record", cmd: []string{"signoff", "record", "--operator", "ana", signed}, code: 0, want: []string{"Aprobación registrada (#1)", filepath.Join(home, "signoffs")}},
		{name: "record again", cmd: []string{"signoff", "record", signed}, code: 0, want: []string{"ya estaba registrada (#1", "por ana"}},
		{name: "verify shows the sign-off", cmd: []string{"verify", "--seed", "1", "--report", htmlPath}, code: 0,
			want: []string{"Aprobación firmada: verificación #1 aprobada por CN=Dr. Pablo,O=Clinica el ", "los datos no cambiaron desde entonces"}},
		{name: "pet renamed", before: func() { renameFirstPet(t, db.Pool, "Renombrada") }, cmd: []string{"signoff", "check", signed}, code: 1,
			want: []string{"Firma: válida", "Datos: CAMBIARON desde la aprobación, en las tablas: pets_pet"}, notWant: []string{"clients_client"}},
		{name: "verify after the rename", cmd: []string{"verify", "--seed", "1"}, code: -1,
			want: []string{"Aprobación firmada: verificación #1 aprobada por CN=Dr. Pablo", "los datos CAMBIARON desde entonces en: pets_pet"}},
		{name: "compare shows the sign-off", cmd: []string{"compare", "--output", comparePath}, code: 0,
			want: []string{"Aprobación firmada: verificación #1 aprobada por CN=Dr. Pablo", "los datos CAMBIARON desde entonces en: pets_pet"}},
		{name: "one byte changed", before: func() { flipByte(t, signed, tampered) }, cmd: []string{"signoff", "check", tampered}, code: 1,
			want: []string{"Firma: NO VÁLIDA", "no se compararon"}},
	})
	stored, err := os.ReadFile(filepath.Join(home, "signoffs", sha256Hex(b)+".pdf"))
	if err != nil || string(stored) != string(b) {
		t.Errorf("the signed PDF is not stored content-addressed: %v", err)
	}
	html, err := os.ReadFile(htmlPath)
	if err != nil || !strings.Contains(string(html), `id="signoff"`) || !strings.Contains(string(html), "Dr. Pablo") {
		t.Errorf("the HTML report does not show the sign-off: %v", err)
	}
	cmpHTML, err := os.ReadFile(comparePath)
	if err != nil || !strings.Contains(string(cmpHTML), `id="signoff"`) || !strings.Contains(string(cmpHTML), "pets_pet") {
		t.Errorf("the comparison does not show the sign-off and the table that changed: %v", err)
	}
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// signoffStep runs one recon command and checks its exit code (-1: any)
// and output.
type signoffStep struct {
	name    string
	before  func()
	cmd     []string
	code    int
	want    []string
	notWant []string
}

func runSteps(t *testing.T, args func(...string) []string, steps []signoffStep) {
	t.Helper()
	for _, s := range steps {
		if s.before != nil {
			s.before()
		}
		code, out, errs := run(t, args(s.cmd...)...)
		if s.code >= 0 && code != s.code {
			t.Errorf("%s: exit %d, want %d\n%s%s", s.name, code, s.code, out, errs)
			continue
		}
		for _, w := range s.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: output lacks %q\n%s%s", s.name, w, out, errs)
			}
		}
		for _, w := range s.notWant {
			if strings.Contains(out, w) {
				t.Errorf("%s: output has %q\n%s", s.name, w, out)
			}
		}
	}
}

// p12Signer makes a throwaway self-signed certificate and key with
// openssl and exports them to a .p12 protected by password.
func p12Signer(t *testing.T, password string) string {
	t.Helper()
	openssl := needTool(t, "openssl", "openssl")
	dir := t.TempDir()
	key, cert, p12 := filepath.Join(dir, "key.pem"), filepath.Join(dir, "cert.pem"), filepath.Join(dir, "firma.p12")
	mustRun(t, openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
		"-subj", "/CN=Dr. Pablo P12/O=Clinica", "-days", "2")
	mustRun(t, openssl, "pkcs12", "-export", "-inkey", key, "-in", cert, "-out", p12, "-passout", "pass:"+password)
	return p12
}

// TestSignoffP12EndToEnd: the same as TestSignoffEndToEnd with recon
// signing the field itself from a .p12.
func TestSignoffP12EndToEnd(t *testing.T) {
	p12 := p12Signer(t, "clave-de-prueba")
	t.Setenv("RECON_TEST_P12_PASSWORD", "clave-de-prueba")
	t.Setenv("RECON_TEST_P12_WRONG", "otra")
	db := pgtest.MustOpenDB(t)
	export := copyExport(t)
	home := t.TempDir()
	base := []string{"--database-url", db.URL, "--home", home, "--no-progress"}
	args := func(a ...string) []string { return append(append([]string{}, base...), a...) }
	if code, out, errs := run(t, args("import", "all", "--dir", export)...); code != 0 {
		t.Fatalf("import: exit %d\n%s%s", code, out, errs)
	}
	dir := t.TempDir()
	approval, signed := filepath.Join(dir, "aprobacion.pdf"), filepath.Join(dir, "firmado.pdf")
	tampered := filepath.Join(dir, "alterado.pdf")
	if code, out, errs := run(t, args("verify", "--pdf", approval, "--seed", "1")...); code != 0 {
		t.Fatalf("verify: exit %d\n%s%s", code, out, errs)
	}
	sign := func(env, out string) []string {
		return []string{"signoff", "sign", "--p12", p12, "--password-env", env, "--out", out, "--reason", "Aprobado", approval}
	}
	runSteps(t, args, []signoffStep{
		{name: "wrong password", cmd: sign("RECON_TEST_P12_WRONG", filepath.Join(dir, "x.pdf")), code: 2},
		{name: "unset password variable", cmd: sign("RECON_TEST_P12_UNSET", filepath.Join(dir, "x.pdf")), code: 2},
		{name: "sign", cmd: sign("RECON_TEST_P12_PASSWORD", signed), code: 0, want: []string{"Firmado por CN=Dr. Pablo P12,O=Clinica"}},
		{name: "signed and unchanged", cmd: []string{"signoff", "check", signed}, code: 0,
			want: []string{"Firma: válida", "Firmante: CN=Dr. Pablo P12,O=Clinica", "Motivo: Aprobado", "Fecha de firma: ", "autofirmado",
				"Datos: sin cambios desde la aprobación"}},
		{name: "pet renamed", before: func() { renameFirstPet(t, db.Pool, "Renombrada") }, cmd: []string{"signoff", "check", signed}, code: 1,
			want: []string{"Firma: válida", "Datos: CAMBIARON desde la aprobación, en las tablas: pets_pet"}},
		{name: "one byte changed", before: func() { flipByte(t, signed, tampered) }, cmd: []string{"signoff", "check", tampered}, code: 1,
			want: []string{"Firma: NO VÁLIDA"}},
	})
	if _, err := os.Stat(filepath.Join(dir, "x.pdf")); err == nil {
		t.Error("a failed signing wrote its output")
	}
	// poppler agrees that recon's signature is valid and fills the field.
	pdfsig := needTool(t, "pdfsig", "poppler-utils")
	out := mustRun(t, pdfsig, "-nocert", signed)
	for _, want := range []string{"Signature Field Name: " + signatureField, "Signature is Valid", "Total document signed"} {
		if !strings.Contains(out, want) {
			t.Errorf("pdfsig lacks %q:\n%s", want, out)
		}
	}
}

// writeOtherCA writes the PEM of a certification authority that signed nothing.
func writeOtherCA(t *testing.T, path string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "Otra CA"}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
}
